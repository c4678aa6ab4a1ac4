import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Author, Byline, Region, Series, Topic
from base.roles import EDITORS, WRITERS, sync_roles
from submissions.models import Submission


def ensure_editorial_groups() -> None:
    """The Editors and Writers groups, as the migrations make them.

    A transactional test (the browser, the live server) empties every table when it ends,
    groups included; the next one gets them back from the same function the migrations call.
    """
    if Group.objects.filter(name__in=[EDITORS, WRITERS]).count() < 2:
        sync_roles()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            ensure_editorial_groups()
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))
        if create:
            self.save()


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author Number{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    title = "Research Fellow"
    affiliation = "Caucasus Center"


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    description = "A running series."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article. `authors`, `topics` and `regions` take lists."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Analysis number {n}")
    slug = factory.Sequence(lambda n: f"analysis-{n}")
    kind = Article.Kind.ANALYSIS
    dek = "What changed, and why it matters."
    body = "## Background\n\nA paragraph of analysis.\n\n## Outlook\n\nAnother paragraph."
    status = Article.Status.PUBLISHED
    publish_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=1, hours=n))
    first_published_at = factory.SelfAttribute("publish_at")

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None, first_published_at=None)
        future = factory.Trait(
            status=Article.Status.SCHEDULED,
            publish_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3)),
            first_published_at=None,
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create:
            for position, author in enumerate(extracted or [AuthorFactory()]):
                Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A confirmed contributor simulation, in review unless told otherwise."""

    class Meta:
        model = Submission

    status = Submission.Status.IN_REVIEW
    full_name = "A. Contributor"
    email = "a@example.org"
    phone = "+37410123456"
    professional_title = "Analyst"
    bio = "Bio."
    title = factory.LazyAttribute(lambda s: f"Simulation in {s.status}")
    summary = "Summary."
    scenario = "Scenario."
    assumptions = "Assumptions."
    outcomes = "Outcomes."
    confirmed_at = factory.LazyFunction(timezone.now)

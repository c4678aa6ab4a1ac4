"""The rows an import run needs for nearly every post (topics, regions, authors, proposed
topics), read once per run instead of once per post.

Topics and regions are read when the run starts, like the term mapping and the suggester
that name them. An author or a proposed topic is looked up the first time a post names it;
what a post finds or creates is only remembered once that post is written for good, so a
post rolled back (a failure, a dry run) leaves no row behind in memory that is not in the
database.
"""

from django.db.models import Q

from base import slugs
from base.slugs import readable_slug

from ..models import Article, Author, Region, TermProposal, Topic


class ImportLookups:
    def __init__(self):
        # In the vocabulary's own order, the order its tags were always written in.
        self.topics: dict[str, Topic] = {topic.slug: topic for topic in Topic.objects.all()}
        self.regions: dict[str, Region] = {region.slug: region for region in Region.objects.all()}
        self._authors: dict[str, Author] = {}
        self._proposals: dict[str, TermProposal] = {}
        self._pending: list[tuple[dict, str, object]] = []

    def author(self, name: str) -> Author:
        """The author of that name (any case) or slug, created if there is none."""
        if name in self._authors:
            return self._authors[name]
        slug = readable_slug(name, fallback="author")
        found = Author.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first()
        if found is None:
            found = Author.objects.create(name=name, slug=free_slug(name, "author", model=Author))
        self._pending.append((self._authors, name, found))
        return found

    def proposal(self, name: str) -> TermProposal:
        """The proposed topic of that name (any case), created if there is none."""
        if name in self._proposals:
            return self._proposals[name]
        found = TermProposal.objects.filter(name__iexact=name).first()
        if found is None:
            found = TermProposal.objects.create(name=name[:100])
        self._pending.append((self._proposals, name, found))
        return found

    def keep(self) -> None:
        """The post that looked these rows up is written: remember them for the next."""
        for cache, name, row in self._pending:
            cache[name] = row
        self._pending.clear()

    def forget(self) -> None:
        """The post was rolled back: what it created is gone, what it found may be too."""
        self._pending.clear()


def free_slug(text: str, fallback: str, *, model=Article) -> str:
    """A slug made of `text` (or `fallback`) that no row of `model` has yet."""
    return slugs.free_slug(text or fallback, model, fallback=fallback or "imported", max_length=200)

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from articles import services as articles
from notifications import alerts
from notifications.models import Follower
from notifications.tasks import purge_unsubscribed_followers
from outbox.models import Notification
from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory, UserFactory
from tests.mail import html_part, link_in, only_mail_to, outbox_rows_mentioning, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags():
    return {
        "drones": TopicFactory(name="Drones", slug="drones"),
        "energy": TopicFactory(name="Energy security", slug="energy"),
        "armenia": RegionFactory(name="Armenia", slug="armenia"),
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the code asks to run after its transaction commits (delivery, here)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _follow(client, on_commit, email, *tags, frequency="immediate"):
    topics = [t.pk for t in tags if t._meta.model_name == "topic"]
    regions = [t.pk for t in tags if t._meta.model_name == "region"]
    with on_commit():
        return client.post(
            "/follow/",
            {"email": email, "topics": topics, "regions": regions, "frequency": frequency},
        )


def _confirmed_reader(client, on_commit, email, *tags, frequency="immediate"):
    _follow(client, on_commit, email, *tags, frequency=frequency)
    confirm = link_in(only_mail_to(email), "/follow/confirm/")
    assert "Your alerts are on" in client.post(confirm).text
    mail.outbox.clear()
    return Follower.objects.get(email=email)


def _is_ticked(html: str, name: str, value: int) -> bool:
    return bool(re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*checked', html))


def _publish(article):
    editor = UserFactory(groups=["Editors"])
    return articles.article_publish(article=article, by=editor)


def test_follow_sends_a_confirmation_and_nothing_else(client, on_commit, tags):
    response = _follow(client, on_commit, "reader@example.org", tags["drones"], tags["armenia"])
    assert response.status_code == 302
    assert "Check your inbox" in client.get(response["Location"]).text
    message = only_mail_to("reader@example.org")
    assert message.subject == "Confirm your alerts from the Caucasus Center"
    assert "on Drones and Armenia" in message.body
    assert "Confirm my alerts" in html_part(message)
    follower = Follower.objects.get(email="reader@example.org")
    assert not follower.is_active

    mail.outbox.clear()
    with on_commit():
        _publish(ArticleFactory(draft=True, topics=[tags["drones"]]))
    assert sent_to("reader@example.org") == []


def test_follow_page_says_the_same_whether_or_not_the_address_is_known(client, on_commit, tags):
    _confirmed_reader(client, on_commit, "known@example.org", tags["drones"])
    known = _follow(client, on_commit, "known@example.org", tags["energy"])
    unknown = _follow(client, on_commit, "new@example.org", tags["energy"])
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The known reader is sent their manage link; their topics are not changed by a stranger.
    assert "already receives them" in only_mail_to("known@example.org").body
    assert list(Follower.objects.get(email="known@example.org").topics.all()) == [tags["drones"]]


@pytest.mark.parametrize("email", ["not-an-address", "a@", "@example.org", "x" * 300 + "@a.org"])
def test_malformed_address_is_refused_and_the_choices_stay(client, on_commit, tags, email):
    response = _follow(client, on_commit, email, tags["drones"], tags["armenia"])
    assert response.status_code == 200
    assert "e-mail address" in response.text
    assert _is_ticked(response.text, "topics", tags["drones"].pk)
    assert _is_ticked(response.text, "regions", tags["armenia"].pk)
    assert not _is_ticked(response.text, "topics", tags["energy"].pk)
    assert Follower.objects.count() == 0 and mail.outbox == []


def test_follow_without_any_topic_or_region_is_refused(client, on_commit, tags):
    response = _follow(client, on_commit, "reader@example.org")
    assert "Pick at least one topic or region" in response.text
    assert 'value="reader@example.org"' in response.text


def test_opening_the_confirmation_link_changes_nothing_until_the_button(client, on_commit, tags):
    _follow(client, on_commit, "reader@example.org", tags["drones"])
    confirm = link_in(only_mail_to("reader@example.org"), "/follow/confirm/")
    page = client.get(confirm)  # what a mail scanner does
    assert "Confirm my alerts" in page.text and 'method="post"' in page.text
    assert Follower.objects.get().confirmed_at is None
    assert "Your alerts are on" in client.post(confirm).text
    assert Follower.objects.get().confirmed_at is not None


def test_confirmation_link_twice_and_a_tampered_link(client, on_commit, tags):
    _follow(client, on_commit, "reader@example.org", tags["drones"])
    confirm = link_in(only_mail_to("reader@example.org"), "/follow/confirm/")
    assert "Your alerts are on" in client.post(confirm).text
    assert "Already confirmed" in client.post(confirm).text
    assert "Already confirmed" in client.get(confirm).text
    tampered = client.get(confirm[:-3] + "xx/")
    assert tampered.status_code == 404
    assert "We could not find that page" in tampered.text


def test_one_mail_per_reader_per_article_however_many_tags_match(client, on_commit, tags):
    _confirmed_reader(
        client, on_commit, "reader@example.org", tags["drones"], tags["energy"], tags["armenia"]
    )
    _confirmed_reader(client, on_commit, "other@example.org", tags["energy"])
    _follow(client, on_commit, "unconfirmed@example.org", tags["drones"])
    mail.outbox.clear()
    article = ArticleFactory(
        draft=True,
        title="Drones over Karabakh",
        topics=[tags["drones"], tags["energy"]],
        regions=[tags["armenia"]],
        authors=[AuthorFactory(name="Elif Demir")],
    )
    with on_commit():
        _publish(article)
    message = only_mail_to("reader@example.org")
    assert message.subject == "Analysis: Drones over Karabakh"
    assert "By Elif Demir" in html_part(message)
    assert article.get_absolute_url() in message.body
    assert len(sent_to("other@example.org")) == 1
    assert sent_to("unconfirmed@example.org") == []


def test_every_alert_carries_one_click_unsubscribe(client, on_commit, tags):
    _confirmed_reader(client, on_commit, "reader@example.org", tags["drones"])
    with on_commit():
        _publish(ArticleFactory(draft=True, topics=[tags["drones"]]))
    message = only_mail_to("reader@example.org")
    unsubscribe = link_in(message, "/follow/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_in(message, "/follow/manage/")

    # A mail client's one-click POST: no cookie, no CSRF token, no login.
    anonymous = client.__class__(enforce_csrf_checks=True)
    response = anonymous.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    again = anonymous.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert "Already unsubscribed" in again.text
    assert not Follower.objects.get(email="reader@example.org").is_active

    mail.outbox.clear()
    with on_commit():
        _publish(ArticleFactory(draft=True, topics=[tags["drones"]]))
    assert sent_to("reader@example.org") == []


def test_unsubscribe_link_opened_in_a_browser_asks_first(client, on_commit, tags):
    follower = _confirmed_reader(client, on_commit, "reader@example.org", tags["drones"])
    page = client.get(follower.link("unsubscribe").removeprefix("http://testserver"))
    assert "Stop all alerts to reader@example.org?" in page.text
    follower.refresh_from_db()
    assert follower.is_active


def test_reader_changes_topics_and_frequency_on_the_manage_page(client, on_commit, tags):
    follower = _confirmed_reader(client, on_commit, "reader@example.org", tags["drones"])
    manage = follower.link("manage").removeprefix("http://testserver")
    assert _is_ticked(client.get(manage).text, "topics", tags["drones"].pk)
    response = client.post(
        manage, {"topics": [tags["energy"].pk], "regions": [], "frequency": "weekly"}
    )
    assert "Saved." in response.text
    follower.refresh_from_db()
    assert list(follower.topics.all()) == [tags["energy"]]
    assert follower.frequency == "weekly"
    assert "Pick at least one" in client.post(manage, {"frequency": "weekly"}).text


def test_republishing_after_unpublishing_sends_nothing_new(client, editor, on_commit, tags):
    _confirmed_reader(client, on_commit, "reader@example.org", tags["drones"])
    article = ArticleFactory(draft=True, topics=[tags["drones"]])
    with on_commit():
        articles.article_publish(article=article, by=editor)
        articles.article_unpublish(article=article, by=editor)
        articles.article_publish(article=article, by=editor)
    assert len(sent_to("reader@example.org")) == 1


def test_weekly_digest_collects_the_weeks_articles(client, on_commit, tags):
    _confirmed_reader(client, on_commit, "weekly@example.org", tags["drones"], frequency="weekly")
    monday = datetime.datetime(2026, 3, 2, 7, tzinfo=datetime.UTC)
    for days, title, topic in [
        (9, "Too old for this week", tags["drones"]),
        (6, "Tuesday's drones piece", tags["drones"]),
        (2, "Friday's drones piece", tags["drones"]),
        (1, "Saturday's energy piece", tags["energy"]),
    ]:
        with time_machine.travel(monday - datetime.timedelta(days=days), tick=False):
            article = ArticleFactory(draft=True, title=title, topics=[topic])
            with on_commit():
                _publish(article)
    assert sent_to("weekly@example.org") == []  # weekly readers get no immediate alerts
    with time_machine.travel(monday, tick=False), on_commit():
        assert alerts.weekly_digests() == 1
        assert alerts.weekly_digests() == 1  # a second run writes nothing new
    digest = only_mail_to("weekly@example.org")
    assert digest.subject == "This week at the Caucasus Center: 2 new analyses"
    assert "Friday's drones piece" in digest.body and "Tuesday's drones piece" in digest.body
    assert "Too old" not in digest.body and "energy piece" not in digest.body
    assert digest.body.index("Friday") < digest.body.index("Tuesday")
    assert "List-Unsubscribe" in digest.extra_headers


def test_no_notification_survives_a_rolled_back_change(editor, tags):
    article = ArticleFactory(draft=True, topics=[tags["drones"]])
    with pytest.raises(RuntimeError), transaction.atomic():
        articles.article_publish(article=article, by=editor)
        assert Notification.objects.count() == 1
        raise RuntimeError("the request failed after publishing")
    assert Notification.objects.count() == 0


def test_follow_requests_for_one_address_are_throttled(client, on_commit, tags):
    for _ in range(3):
        _follow(client, on_commit, "reader@example.org", tags["drones"])
    assert len(sent_to("reader@example.org")) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        _follow(client, on_commit, "reader@example.org", tags["drones"])
    assert len(sent_to("reader@example.org")) == 2


def _purge_at(now: datetime.datetime) -> int:
    """The nightly beat task, run at `now`."""
    with time_machine.travel(now):
        return purge_unsubscribed_followers()


def test_an_unsubscribed_reader_is_forgotten_after_the_retention_period(
    client, on_commit, tags, settings
):
    settings.SUBMISSIONS_RETENTION_DAYS = 180
    reader = _confirmed_reader(client, on_commit, "gone@example.org", tags["drones"])
    stays = _confirmed_reader(client, on_commit, "stays@example.org", tags["drones"])
    with on_commit():
        _publish(ArticleFactory(draft=True, topics=[tags["drones"]]))
    client.post(reader.link("unsubscribe").removeprefix("http://testserver"))
    assert outbox_rows_mentioning("gone@example.org", reader.secret)

    later = timezone.now() + datetime.timedelta(days=179)
    assert _purge_at(later) == 0
    assert Follower.objects.filter(email="gone@example.org").exists()

    later = timezone.now() + datetime.timedelta(days=181)
    assert _purge_at(later) == 1
    assert not Follower.objects.filter(email="gone@example.org").exists()
    assert outbox_rows_mentioning("gone@example.org", reader.secret) == []
    # The other reader's mails and their record are untouched.
    assert Follower.objects.get(email="stays@example.org").is_active
    assert len(outbox_rows_mentioning("stays@example.org", stays.secret)) == 4
    assert Notification.objects.exclude(status="sent").count() == 0


def test_spellings_of_one_address_get_a_few_mails_at_most(client, on_commit, tags, settings):
    settings.FOLLOW_MAILBOX_RATE_LIMIT = "5/d"
    spellings = [f"reader+{n}@example.org" for n in range(20)]
    spellings += [f'"reader+q{n}"@example.org' for n in range(20)] + ["READER@example.org"]
    for n, spelling in enumerate(spellings):
        with on_commit():
            response = client.post(
                "/follow/",
                {"email": spelling, "topics": [tags["drones"].pk], "frequency": "immediate"},
                REMOTE_ADDR=f"198.51.100.{n + 1}",  # many clients: the mailbox's own limit
            )
        assert response.status_code == 302  # the same answer, whatever happened
    assert len(mail.outbox) == 5


def test_follow_requests_from_one_client_are_limited(client, on_commit, tags, settings):
    settings.FOLLOW_RATE_LIMIT, settings.PROXY_COUNT = "10/h", 0
    answers = []
    for n in range(12):
        with on_commit():
            answers.append(
                client.post(
                    "/follow/",
                    {"email": f"r{n}@example.org", "topics": [tags["drones"].pk],
                     "frequency": "immediate"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",  # made up: ignored
                )
            )  # fmt: skip
    assert [a.status_code for a in answers] == [302] * 10 + [429] * 2
    assert len(mail.outbox) == 10
    assert "too often" in answers[-1].text and 'value="r11@example.org"' in answers[-1].text

"""The admin's front page: each person's work and what waits for an editor."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from articles.models import ImportRecord
from notifications.models import WebhookDelivery, WebhookEndpoint
from outbox.models import Notification
from submissions.models import Submission
from tests.factories import ArticleFactory, AuthorFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _days(n: float) -> datetime.datetime:
    return NOW + datetime.timedelta(days=n)


def _submission(status: str, age_days: float, assignee=None) -> Submission:
    return SubmissionFactory(
        status=status,
        title=f"A simulation, {status}",
        confirmed_at=_days(-age_days) if status != "unconfirmed" else None,
        assignee=assignee,
    )


@pytest.fixture
def newsroom(editor, writer):
    """Work in every state, the writer's and other people's."""
    wanda = AuthorFactory(name="Wanda Writer", user=writer)
    other = UserFactory(username="otto", groups=["Writers"])
    ArticleFactory(draft=True, title="Wanda's draft", created_by=writer)
    ArticleFactory(draft=True, title="Wanda signs this draft", authors=[wanda])
    ArticleFactory(draft=True, title="Otto's draft", created_by=other)
    ArticleFactory(draft=True, title="Eddie's draft", created_by=editor)
    ArticleFactory(draft=True, status="review", title="Wanda's piece in review", created_by=writer)
    ArticleFactory(draft=True, status="review", title="Otto's piece in review", created_by=other)
    ArticleFactory(future=True, title="Wanda's piece out on Friday", authors=[wanda])
    ArticleFactory(future=True, title="Otto's piece out soon", publish_at=_days(6))
    ArticleFactory(future=True, title="Out in a fortnight", publish_at=_days(14))
    for months_ago, count in [(0, 2), (3, 1)]:
        for _ in range(count):
            when = (NOW.replace(day=1) - datetime.timedelta(days=months_ago * 31)).replace(day=2)
            ArticleFactory(publish_at=min(when, NOW - datetime.timedelta(minutes=1)))

    _submission("submitted", 1)
    _submission("submitted", 9)
    _submission("in_review", 20, assignee=editor)
    _submission("resubmitted", 40, assignee=editor)
    _submission("accepted", 50, assignee=editor)  # decided: not waiting
    _submission("unconfirmed", 0)  # not in the queue at all

    Notification.objects.create(event="submission.accepted", key="a", status="failed")
    Notification.objects.create(event="submission.accepted", key="b", status="sent")
    broken = WebhookEndpoint.objects.create(name="Broken partner", url="https://a.example/")
    WebhookDelivery.objects.create(endpoint=broken, event="article.published", event_id="1")
    healthy = WebhookEndpoint.objects.create(name="Healthy partner", url="https://b.example/")
    WebhookDelivery.objects.create(
        endpoint=healthy, event="article.published", event_id="2", status_code=200
    )
    WebhookEndpoint.objects.create(
        name="Gone partner", url="https://c.example/", is_active=False,
        disabled_reason="Answered 410 Gone",
    )  # fmt: skip


def _imported(article, source_key: str):
    ImportRecord.objects.create(
        source="page", source_key=source_key, article=article, content_hash="0" * 64
    )
    return article


def _block(page: str, block_id: str) -> tuple[str, int]:
    """The link and the number of a dashboard block's heading."""
    match = re.search(
        rf'id="{block_id}"><a href="([^"]+)">[^<]*<span class="workspace-count">(\d+)</span>', page
    )
    assert match, f"no block {block_id}"
    return html.unescape(match.group(1)), int(match.group(2))


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


def test_the_editor_sees_every_block_with_counts_that_match_the_lists_they_open(
    editor_client, newsroom
):
    page = html.unescape(editor_client.get("/admin/").text)
    expected = {
        "ws-drafts": 1,  # Eddie's own draft only
        "ws-review": 2,  # everyone's
        "ws-scheduled": 2,  # within seven days, not the fortnight one
        "ws-waiting": 4,  # submitted ×2, in review, resubmitted
        "ws-outbox": 1,
        "ws-webhooks": 2,  # the latest delivery failed; the one disabled after a 410
    }
    for block_id, count in expected.items():
        url, shown = _block(page, block_id)
        assert shown == count, block_id
        if block_id != "ws-webhooks":
            assert _listed(editor_client, url) == count, block_id
    assert _listed(editor_client, _block(page, "ws-webhooks")[0]) == 2
    assert "Eddie's draft" in page and "Otto's draft" not in page
    assert "Broken partner" in page and "Gone partner" in page and "Healthy partner" not in page


def test_submissions_waiting_are_counted_by_assignee_and_age(editor_client, newsroom):
    page = editor_client.get("/admin/").text
    page = page[page.index('<table class="workspace-table">') : page.index("</table>")]
    rows = {
        m.group(1): re.findall(r"<td>(?:<a[^>]*>|<span[^>]*>)(\d+)<", m.group(2))
        for m in re.finditer(r'<th scope="row">([^<]+)</th>(.*?)</tr>', page)
    }
    # all, > 7 days, > 14 days, > 30 days
    assert rows == {"Nobody": ["2", "1", "0", "0"], "Eddie Aliyev": ["2", "2", "2", "1"]}
    links = re.findall(r'<td><a href="([^"]+)"', page)
    assert [_listed(editor_client, html.unescape(u)) for u in links] == [2, 1, 2, 2, 2, 1]


def test_the_charts_show_articles_per_month_and_submissions_per_status(editor_client, newsroom):
    page = html.unescape(editor_client.get("/admin/").text)
    assert f"{NOW:%B %Y}: 2 published" in page
    assert page.count('<rect class="workspace-chart__bar"') == 12  # twelve months
    assert "Submitted: 2" in page and "In review: 1" in page and "Accepted: 1" in page
    assert "Unconfirmed" not in page
    month = re.search(rf'<a href="([^"]+)" aria-label="{NOW:%B %Y}: 2 published"', page)
    assert _listed(editor_client, month.group(1)) == 2
    status = re.search(r'<a href="([^"]+)" aria-label="Submitted: 2"', page)
    assert _listed(editor_client, status.group(1)) == 2


def test_empty_charts_say_so_in_words(editor_client):
    ArticleFactory(publish_at=NOW - datetime.timedelta(days=400))  # older than the chart
    page = html.unescape(editor_client.get("/admin/").text)
    assert "No articles published in the last 12 months." in page
    assert "No confirmed submissions yet." in page
    assert 'class="workspace-chart' not in page  # no empty axes
    everything = re.search(r'months\. <a href="([^"]+)">Everything published</a>', page)
    assert _listed(editor_client, everything.group(1)) == 1


def test_a_writer_sees_their_own_work_and_nothing_they_may_not_open(writer_client, newsroom):
    response = writer_client.get("/admin/")
    page = response.text
    assert _block(page, "ws-drafts")[1] == 2  # started it, or signs it
    assert _block(page, "ws-review")[1] == 1
    assert _block(page, "ws-scheduled")[1] == 1
    for block_id in ("ws-drafts", "ws-review", "ws-scheduled"):
        url, count = _block(page, block_id)
        assert _listed(writer_client, url) == count, block_id
    assert "Otto's" not in page
    for hidden in ("ws-waiting", "ws-outbox", "ws-webhooks", "ws-statuses"):
        assert f'id="{hidden}"' not in page
    assert 'id="ws-published"' in page


def test_the_dashboard_needs_a_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_dashboard_makes_the_same_number_of_queries_for_little_and_much_work(
    editor_client, editor, django_assert_num_queries
):
    _submission("submitted", 3)
    ArticleFactory(draft=True, created_by=editor)
    ArticleFactory()
    # session, user, the user's and their groups' permissions; the articles' counts and three
    # short lists; articles per month; waiting by assignee and age; submissions per status;
    # the imported drafts and their count; translation work and proposed translations;
    # failed outbox rows; failing endpoints; the app list's counts of nothing (no query).
    with django_assert_num_queries(16, info="little work"):
        little = editor_client.get("/admin/").text
    for i in range(12):
        _submission("in_review", i * 4, assignee=UserFactory(groups=["Editors"]))
        ArticleFactory(draft=True, created_by=editor)
        ArticleFactory(draft=True, status="review")
        ArticleFactory(future=True)
        ArticleFactory(publish_at=_days(-i * 25))
        _imported(ArticleFactory(draft=True), f"old-{i}.html")
        Notification.objects.create(event="x", key=f"k{i}", status="failed")
        endpoint = WebhookEndpoint.objects.create(name=f"Partner {i}", url="https://a.example/")
        WebhookDelivery.objects.create(endpoint=endpoint, event="article.published", event_id=i)
    with django_assert_num_queries(16, info="much work"):
        much = editor_client.get("/admin/").text
    # Both pages show what they counted: one draft of Eddie's against thirteen.
    assert (_block(little, "ws-drafts")[1], _block(much, "ws-drafts")[1]) == (1, 13)


def test_new_article_is_at_hand_for_whoever_may_write(editor_client, writer_client):
    for client in (editor_client, writer_client):
        page = client.get("/admin/").text
        assert (
            '<a class="workspace-new" href="/admin/articles/article/add/">New article</a>' in page
        )
    reader_of_nothing = UserFactory(is_staff=True)
    client = editor_client.__class__()
    client.force_login(reader_of_nothing)
    assert "New article" not in client.get("/admin/").text


def test_imported_drafts_have_a_block_that_opens_the_same_list(editor_client, writer_client):
    for n in range(7):
        _imported(ArticleFactory(draft=True, title=f"Imported post {n}"), f"post-{n}.html")
    _imported(ArticleFactory(title="Imported and published"), "published.html")
    ArticleFactory(draft=True, title="Written here")

    page = html.unescape(editor_client.get("/admin/").text)

    url, count = _block(page, "ws-imported")
    assert count == 7 and _listed(editor_client, url) == 7
    block = page[
        page.index('id="ws-imported"') : page.index("</section>", page.index('id="ws-imported"'))
    ]
    assert block.count("Imported post") == 5 and "All 7 imported drafts" in block
    assert "Imported and published" not in block and "Written here" not in block
    assert 'id="ws-imported"' not in writer_client.get("/admin/").text  # editors import


def test_no_imported_draft_says_so_in_words(editor_client):
    page = editor_client.get("/admin/").text

    assert _block(page, "ws-imported")[1] == 0
    assert "No imported draft waits." in page
    assert 'href="/admin/articles/importrecord/"' in page

import datetime
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from articles import services as articles
from notifications import webhooks
from notifications.models import WebhookDelivery, WebhookEndpoint
from outbox import services
from outbox.models import Notification
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def verify(secret: str, body: bytes, timestamp: str, signature: str, tolerance: int = 300) -> bool:
    """What a receiver does (the README shows the same lines)."""
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), signature)


class Receiver:
    """A partner's endpoint on 127.0.0.1: records what it gets and answers as told."""

    def __init__(self, answers: list[int], secret: str = ""):
        self.answers = answers
        self.secret = secret
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {
                        "body": json.loads(body),
                        "event": self.headers["X-Newsroom-Event"],
                        "delivery": self.headers["X-Newsroom-Delivery"],
                        "valid": verify(
                            receiver.secret,
                            body,
                            self.headers["X-Newsroom-Timestamp"],
                            self.headers["X-Newsroom-Signature"],
                        ),
                    }
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/newsroom"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    made = []

    def make(answers=(), events=("article.published", "article.updated", "article.unpublished")):
        endpoint = WebhookEndpoint.objects.create(
            name="Partner", url="http://x", events=list(events)
        )
        server = Receiver(list(answers), secret=endpoint.secret)
        endpoint.url = server.url
        endpoint.save()
        made.append(server)
        return server, endpoint

    yield make
    for server in made:
        server.close()


def test_a_signed_webhook_is_retried_after_a_500_then_delivered_once(
    receiver, editor, django_capture_on_commit_callbacks
):
    server, endpoint = receiver(answers=[500, 200])
    article = ArticleFactory(draft=True, title="Drones over Karabakh", authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    row = Notification.objects.get(channel="webhook")
    assert (row.status, row.attempts) == ("pending", 1) and "500" in row.last_error

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.resend_pending()
        services.resend_pending()  # nothing more to do: the row was sent
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(server.received) == 2
    first, second = server.received
    assert first["delivery"] == second["delivery"] == first["body"]["id"]
    assert first["valid"] and second["valid"]
    assert second["event"] == "article.published"
    assert second["body"]["article"]["title"] == "Drones over Karabakh"
    log = list(endpoint.deliveries.order_by("attempted_at").values_list("status_code", flat=True))
    assert log == [500, 200]


def test_an_endpoint_that_answers_410_is_disabled(
    receiver, editor, django_capture_on_commit_callbacks
):
    _, endpoint = receiver(answers=[410])
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(
            article=ArticleFactory(draft=True, authors=[AuthorFactory()]), by=editor
        )
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert Notification.objects.get(channel="webhook").status == "failed"


def test_unpublishing_and_editing_are_announced(
    receiver, editor, client, django_capture_on_commit_callbacks
):
    server, _ = receiver()
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
        articles.announce_updated(article=article)
        articles.article_unpublish(article=article, by=editor)
        articles.announce_updated(article=article)  # no longer public: nothing
    assert [r["event"] for r in server.received] == [
        "article.published",
        "article.updated",
        "article.unpublished",
    ]
    assert all(r["valid"] for r in server.received)


def test_an_endpoint_only_gets_the_events_it_chose(
    receiver, editor, django_capture_on_commit_callbacks
):
    server, _ = receiver(events=["article.unpublished"])
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    assert server.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
    ],
)
def test_private_and_local_targets_are_refused(
    url, editor, editor_client, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = editor_client.post(
        "/admin/notifications/webhookendpoint/add/",
        {
            "name": "Sneaky",
            "url": url,
            "events": ["article.published"],
            "secret": "s",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "private or local address" in response.text
    endpoint = WebhookEndpoint.objects.create(name="Old", url=url, events=["article.published"])
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(
            article=ArticleFactory(draft=True, authors=[AuthorFactory()]), by=editor
        )
    row = Notification.objects.get(channel="webhook", context__endpoint_id=endpoint.pk)
    assert row.status == "failed" and "private or local" in row.last_error
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status_code__isnull=True).exists()


@pytest.mark.parametrize(
    "address",
    [
        "100.64.1.1",  # shared address space (carrier-grade NAT)
        "192.0.0.1",  # IETF protocol assignments
        "192.0.0.9",
        "192.88.99.1",  # the old 6to4 relay anycast
        "198.18.0.1",  # benchmarking
        "224.0.0.251",  # multicast
        "[2002:c0a8:0101::1]",  # 6to4 wrapping 192.168.1.1
        "[2002:0808:0808::1]",  # 6to4 is refused whole
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[::ffff:10.0.0.1]",  # IPv4-mapped
        "[::ffff:127.0.0.1]",
        "[::127.0.0.1]",  # IPv4-compatible (deprecated)
        "[2001::1]",  # Teredo
        "[3fff::1]",  # documentation
        "[fec0::1]",  # site-local
        "[fd00::1]",  # unique local
        "[ff0e::1]",  # multicast
    ],
)
def test_addresses_outside_the_public_internet_are_refused_at_the_check(address, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(webhooks.PermanentWebhookError, match="private or local address"):
        webhooks.check_target(f"https://{address}/hooks/newsroom")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.114.9", "203.0.114.9"),
        ("[2a00:1450:4001::1]", "2a00:1450:4001::1"),
        ("[64:ff9b::808:808]", "64:ff9b::808:808"),  # NAT64 of a public address
    ],
)
def test_public_addresses_pass_the_check(address, expected, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert webhooks.check_target(f"https://{address}/hooks/newsroom") == expected


def test_a_name_that_does_not_resolve_shows_in_the_delivery_log(
    editor, editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    def no_such_host(host, *args, **kwargs):  # the DNS answer we cannot cause for real
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    endpoint = WebhookEndpoint.objects.create(
        name="Partner", url="https://hooks.partner.example/newsroom", events=["article.published"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(
            article=ArticleFactory(draft=True, authors=[AuthorFactory()]), by=editor
        )

    delivery = endpoint.deliveries.get()
    assert delivery.status_code is None
    assert delivery.error == (
        "Cannot resolve hooks.partner.example (DNS lookup failed: Name or service not known)."
    )
    row = Notification.objects.get(channel="webhook")
    assert row.status == "pending" and "Cannot resolve" in row.last_error
    page = editor_client.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/").text
    assert "Cannot resolve hooks.partner.example" in page


def test_editors_resend_a_delivery_from_the_log(
    receiver, editor, editor_client, django_capture_on_commit_callbacks
):
    server, endpoint = receiver()
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(
            article=ArticleFactory(draft=True, authors=[AuthorFactory()]), by=editor
        )
    delivery = endpoint.deliveries.get()
    assert (
        str(endpoint.url)
        in editor_client.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/").text
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/notifications/webhookdelivery/",
            {"action": "resend", "_selected_action": [delivery.pk]},
        )
    assert len(server.received) == 2
    assert server.received[0]["delivery"] == server.received[1]["delivery"]

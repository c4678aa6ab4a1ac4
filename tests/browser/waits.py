"""Waiting in a browser test for what the page's scripts asked of the live server."""

import time


def track_requests(page) -> None:
    """Keep the page's requests still unanswered in `page.in_flight` (read by `settled`)."""
    page.in_flight = {}
    page.last_request_at = time.monotonic()

    def started(request):
        page.in_flight[id(request)] = request.url
        page.last_request_at = time.monotonic()

    def ended(request):
        page.in_flight.pop(id(request), None)

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)


def settled(page, quiet: float = 0.3, budget: float = 20.0) -> None:
    """Wait until every request the page sent (preview, suggestions, presence, autosave) is
    answered and none was sent for `quiet` seconds: the live server's test database refuses
    a read while a save writes (SQLite), or the next step reads before a write landed.

    Not Playwright's "networkidle": that is an event of the page's load, fired once per
    navigation, and a page whose scripts keep talking after its load never fires it."""
    deadline = time.monotonic() + budget
    while page.in_flight or time.monotonic() - page.last_request_at < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"requests still unanswered: {sorted(page.in_flight.values())}")
        page.wait_for_timeout(50)

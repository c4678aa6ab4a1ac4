import os
import threading
import time

import pytest

from tests.browser.waits import track_requests

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in its own thread, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(chromium_path, live_server):
    """Chromium, started after the live server and closed before it stops.

    Chromium keeps connections to the live server open; each is served by a thread of the
    server that shares the test database connection (an in-memory SQLite one) and closes
    it when the connection ends. Those threads must end while the live server still shares
    that connection, or each raises a DatabaseError on its way out (one warning per thread).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    _requests_done(budget=10.0)


@pytest.fixture
def page(browser, live_server, artifacts_dir, request):
    """A fresh browser page that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    track_requests(page)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.base_url = live_server.url
    yield page
    page.screenshot(path=artifacts_dir / f"{request.node.name}-last.png", full_page=True)
    context.close()
    _requests_done()


def _requests_done(budget: float = 2.0) -> None:
    """Wait for the live server to finish what the closed pages had asked (an autosave, a
    presence ping): the test database is emptied next, and a request still writing to it
    then fails with "database table is locked". A thread also serves a kept-alive
    connection of a page still open (another context of the test), which ends only when
    that page closes: so the whole wait is bounded."""
    deadline = time.monotonic() + budget
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

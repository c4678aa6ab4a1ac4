"""How many clicks and seconds an editor needs from the login page to a published article.

Drives Chromium through the admin of a running site (the demo content loaded, so that the
`editor` account and the author "Elif Demir" exist): log in, open "Add article", type a
title, a standfirst and a body, pick an author and a topic, press the publish button, and
wait for the confirmation. Text is typed at once (Playwright's fill), so the seconds are the
pages' and the scripts' time, not a person's typing. Every click on a link, button, field or
list item counts as one click; typing into a field that was just clicked does not count
again.

    DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8250 &
    .venv/bin/python bench/admin_journey.py --base http://127.0.0.1:8250
"""

import argparse
import os
import time
import uuid

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Counter:
    def __init__(self, page):
        self.page = page
        self.clicks = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def type_into(self, locator, text: str):
        self.click(locator)
        locator.fill(text)


def pick_autocomplete(counter: Counter, page, container, text: str) -> None:
    """Open a select2 autocomplete, type, and click the first match."""
    counter.click(container.locator(".select2-selection").first)
    page.keyboard.type(text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    counter.click(option)


def journey(base: str, headline: str) -> tuple[int, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=FLAGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        counter = Counter(page)
        page.goto(base + "/admin/login/")
        started = time.monotonic()
        counter.type_into(page.get_by_label("Username"), "editor")
        counter.type_into(page.get_by_label("Password"), "newsroom-demo")
        counter.click(page.get_by_role("button", name="Log in"))
        page.wait_for_load_state()
        counter.click(page.locator('a[href="/admin/articles/article/add/"]').first)
        page.wait_for_load_state()
        counter.type_into(page.locator("#id_title"), headline)
        counter.type_into(page.locator("#id_dek"), "A short standfirst for the benchmark.")
        counter.type_into(
            page.locator("#id_body"), "## What changed\n\nA paragraph of text for the benchmark."
        )
        pick_autocomplete(counter, page, page.locator("#bylines-group"), "Elif")
        pick_autocomplete(counter, page, page.locator(".field-topics"), "Drones")
        publish = page.get_by_role("button", name="publish now")
        counter.click(publish.first)
        page.wait_for_selector(".messagelist")
        message = page.locator(".messagelist").inner_text()
        elapsed = time.monotonic() - started
        browser.close()
    if "published" not in message:
        raise SystemExit(f"Not published: {message}")
    return counter.clicks, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = [journey(args.base, f"Benchmark {uuid.uuid4().hex[:8]}") for _ in range(args.runs)]
    clicks = {c for c, _ in results}
    seconds = sorted(s for _, s in results)
    print(
        f"clicks: {sorted(clicks)}; seconds: median {seconds[len(seconds) // 2]:.2f}, "
        f"all {', '.join(f'{s:.2f}' for s in seconds)}"
    )


if __name__ == "__main__":
    main()

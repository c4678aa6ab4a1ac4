"""How many clicks and seconds an editor needs from the login page to a published analysis
with one picture and one link to another of our analyses.

Drives Chromium through the admin of a running site with the demo content loaded (the
`editor` account, its author profile, the demo articles): log in, open "New article" from the
dashboard, type a title, a standfirst and a body, paste a picture into the body (a screenshot
on the clipboard, as Ctrl+V gives it) and type its alt text, link an analysis through "Link to
an analysis", take a suggested topic, publish from the action bar, and wait for the
confirmation. What counts as a click: pressing a link, button, suggestion or list entry with
the pointer. Typing (text, Tab, Enter, Ctrl+V) is not a click. Text is typed at once
(Playwright's fill), so the seconds are the pages' and the scripts' time, not a person's.

    DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8250 &
    .venv/bin/python bench/admin_journey.py --base http://127.0.0.1:8250

Before the editor of issue 21 there was no picture in the body, no link chooser and no
suggestion that followed the text: `--plain` runs the older journey's steps (title, standfirst,
body, author and topic picked by autocomplete, publish) for the before/after comparison.
"""

import argparse
import base64
import io
import os
import time
import uuid

from PIL import Image
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


PASTE_PICTURE = """(encoded) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "chart.png", { type: "image/png" }));
  const event = new ClipboardEvent(
    "paste", { clipboardData: transfer, bubbles: true, cancelable: true }
  );
  document.querySelector("#id_body").dispatchEvent(event);
}"""


def _picture() -> str:
    out = io.BytesIO()
    Image.new("RGB", (1200, 700), (40, 90, 120)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def journey_with_picture_and_link(base: str, headline: str) -> tuple[int, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=FLAGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        counter = Counter(page)
        page.goto(base + "/admin/login/")
        started = time.monotonic()
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("newsroom-demo")
        page.get_by_label("Password").press("Enter")
        page.wait_for_load_state()
        counter.click(page.get_by_role("link", name="New article").first)
        page.wait_for_load_state()
        page.locator("#id_title").fill(headline)
        page.locator("#id_dek").fill(
            "Armenia and Azerbaijan after the Washington declaration: what Iran reads in it."
        )
        body = page.locator("#id_body")
        body.fill(
            "## What changed\n\nArmenia and Azerbaijan initialled a peace agreement; Iran "
            "watches the route through Syunik.\n\n"
        )
        body.press("Control+End")
        page.evaluate(PASTE_PICTURE, _picture())  # Ctrl+V of a chart
        dialog = page.locator('dialog[data-chooser="image"]')
        alt = dialog.get_by_role("textbox", name="Alt text (required)")
        alt.fill("Chart of transit volumes through Syunik, 2020 to 2025")
        alt.press("Enter")
        dialog.wait_for(state="hidden")
        body.press("Control+End")
        body.press_sequentially("\n\nSee ")
        counter.click(page.get_by_role("button", name="Link to an analysis"))
        chooser = page.locator('dialog[data-chooser="article"]')
        chooser.get_by_label("Search our articles by title").fill("Tehran")
        counter.click(chooser.locator(".md-chooser__article").first)
        chooser.wait_for(state="hidden")
        suggestion = page.locator(".tag-suggestions__name", has_text="Armenia").first
        counter.click(suggestion)
        counter.click(
            page.locator("[data-action-bar]").get_by_role("button", name="Save and publish now")
        )
        page.wait_for_selector(".messagelist")
        message = page.locator(".messagelist").inner_text()
        elapsed = time.monotonic() - started
        browser.close()
    if "published" not in message:
        raise SystemExit(f"Not published: {message}")
    return counter.clicks, elapsed


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
    parser.add_argument("--plain", action="store_true", help="the older journey's steps")
    args = parser.parse_args()
    run = journey if args.plain else journey_with_picture_and_link
    results = [run(args.base, f"Benchmark {uuid.uuid4().hex[:8]}") for _ in range(args.runs)]
    clicks = {c for c, _ in results}
    seconds = sorted(s for _, s in results)
    print(
        f"clicks: {sorted(clicks)}; seconds: median {seconds[len(seconds) // 2]:.2f}, "
        f"all {', '.join(f'{s:.2f}' for s in seconds)}"
    )


if __name__ == "__main__":
    main()

"""Machine pre-fill: the engine contract, the settings that choose an engine, Markdown kept
out of what an engine sees, the LibreTranslate backend against a small server on
127.0.0.1, and the clear error a form shows when an engine fails
(articles/translation_engines.py)."""

import json
import re
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.translation_engines import (
    ArgosTranslateEngine,
    LibreTranslateEngine,
    TranslationEngine,
    TranslationEngineError,
    get_engine,
    machine_draft,
)
from base.markdown import render_markdown
from tests.smtp import free_port

DEMO = Path(__file__).resolve().parents[2] / "newsroom" / "demo"


class UpperCaseEngine(TranslationEngine):
    """An engine the tests define: upper-cases each text and keeps what it was sent."""

    def __init__(self, *, prefix: str = "") -> None:
        self.prefix = prefix
        self.sent: list[list[str]] = []

    def translate(self, texts, *, source, target):
        self.sent.append(list(texts))
        return [f"{self.prefix}{text.upper()}" for text in texts]


class BrokenEngine(TranslationEngine):
    def translate(self, texts, *, source, target):
        raise RuntimeError("the model ran out of memory")


class ForgetfulEngine(TranslationEngine):
    def translate(self, texts, *, source, target):
        return texts[:-1]


BODY = """## The Lachin road after 2020

The road through Syunik was closed[^1] on 12 December, as
[the statement](https://example.org/statement_(2020) "Statement") foresaw;
see `Point 6` and [its map][map].

1. **Supplies** ran short within *days*.
   - Fuel first.
- [ ] A task left open

> Nothing moved on the road
> for ten weeks.

| Year | Event | Source |
|:-----|------:|--------|
| 2020 | Ceasefire | <https://example.org/ceasefire> |
| 2023 | Exodus | [UNHCR](https://www.unhcr.org/) |

```python
print("not for translation")
```

<div class="note">Raw HTML stays.</div>

![The road near Shusha](image:42)

Closing words
-------------

[map]: https://example.org/map
[^1]: Point 6 of the [trilateral statement](https://example.org/statement).
"""

EXPECTED = """## THE LACHIN ROAD AFTER 2020

THE ROAD THROUGH SYUNIK WAS CLOSED[^1] ON 12 DECEMBER, AS
[THE STATEMENT](https://example.org/statement_(2020) "Statement") FORESAW;
SEE `Point 6` AND [ITS MAP][map].

1. **SUPPLIES** RAN SHORT WITHIN *DAYS*.
   - FUEL FIRST.
- [ ] A TASK LEFT OPEN

> NOTHING MOVED ON THE ROAD
> FOR TEN WEEKS.

| YEAR | EVENT | SOURCE |
|:-----|------:|--------|
| 2020 | CEASEFIRE | <https://example.org/ceasefire> |
| 2023 | EXODUS | [UNHCR](https://www.unhcr.org/) |

```python
print("not for translation")
```

<div class="note">Raw HTML stays.</div>

![The road near Shusha](image:42)

CLOSING WORDS
-------------

[map]: https://example.org/map
[^1]: POINT 6 OF THE [TRILATERAL STATEMENT](https://example.org/statement).
"""


def test_no_engine_is_configured_by_default(settings):
    assert settings.TRANSLATION_ENGINE is None
    assert get_engine() is None


def test_settings_choose_the_engine_and_its_options(settings):
    path = f"{__name__}.UpperCaseEngine"
    settings.TRANSLATION_ENGINE = {"BACKEND": path, "OPTIONS": {"prefix": "ru:"}}
    engine = get_engine()
    assert isinstance(engine, UpperCaseEngine)
    assert engine.translate(["peace"], source="en", target="ru") == ["ru:PEACE"]

    settings.TRANSLATION_ENGINE = path  # a dotted path alone: no options
    assert get_engine().translate(["peace"], source="en", target="ru") == ["PEACE"]

    settings.TRANSLATION_ENGINE = {
        "BACKEND": "articles.translation_engines.LibreTranslateEngine",
        "OPTIONS": {"url": "https://translate.example.org/", "api_key": "k", "timeout": 5},
    }
    engine = get_engine()
    assert isinstance(engine, LibreTranslateEngine)
    assert engine.url == "https://translate.example.org/translate"


def test_a_misconfigured_engine_is_a_clear_error_not_a_crash(settings):
    settings.TRANSLATION_ENGINE = {"BACKEND": "nowhere.Engine"}
    with pytest.raises(TranslationEngineError, match=r"nowhere\.Engine cannot be loaded"):
        get_engine()
    settings.TRANSLATION_ENGINE = {
        "BACKEND": f"{__name__}.UpperCaseEngine",
        "OPTIONS": {"colour": "blue"},
    }
    with pytest.raises(TranslationEngineError, match="misconfigured"):
        get_engine()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://translate.example.org", "", "/x"])
def test_the_libretranslate_address_must_be_http_or_https(settings, url):
    settings.TRANSLATION_ENGINE = {
        "BACKEND": "articles.translation_engines.LibreTranslateEngine",
        "OPTIONS": {"url": url},
    }
    with pytest.raises(TranslationEngineError, match="http or https"):
        get_engine()


def test_markdown_structure_is_kept_exactly_and_only_words_reach_the_engine():
    engine = UpperCaseEngine()
    draft = machine_draft(BODY, source="en", target="ru", engine=engine)
    assert draft == EXPECTED

    # One call for the whole body, and nothing of Markdown in it: no address, code, marker,
    # pipe, hash, label or tag.
    (sent,) = engine.sent
    assert "The Lachin road after 2020" in sent and "Point 6 of the" in sent
    for text in sent:
        assert not re.search(r"[\[\]|#`<>*]|https?:|image:|\]\(|^\d+\.|^- ", text), text
        assert text == text.strip()


def test_the_draft_renders_to_the_same_page_structure_as_its_source():
    draft = machine_draft(BODY, source="en", target="ru", engine=UpperCaseEngine())
    source_html, draft_html = render_markdown(BODY).html, render_markdown(draft).html

    def tags(html):
        return re.findall(r"<[^>]+>", html)

    # Same elements in the same order, same addresses, same footnote links and table.
    assert tags(draft_html) == tags(source_html)
    assert "THE LACHIN ROAD AFTER 2020" in draft_html
    assert "<code>Point 6</code>" in draft_html


class SameWordsEngine(TranslationEngine):
    def translate(self, texts, *, source, target):
        return list(texts)


@pytest.mark.parametrize(
    "path",
    sorted((DEMO / "articles").glob("*.md")) + sorted((DEMO / "editions").glob("*/*.md")),
    ids=lambda path: f"{path.parent.name}/{path.stem}",
)
def test_every_demo_body_keeps_its_structure_through_an_engine(path):
    body = path.read_text().split("+++", 2)[-1]
    assert machine_draft(body, source="en", target="ru", engine=SameWordsEngine()) == body

    engine = UpperCaseEngine()
    draft = machine_draft(body, source="en", target="ru", engine=engine)
    assert engine.sent and engine.sent[0]

    def tags(markdown):
        # A heading's anchor is made of its words (Armenian "և" upper-cased is "ԵՒ").
        html = re.sub(r'(<h\d) id="[^"]*"', r"\1", render_markdown(markdown).html)
        return re.findall(r"<[^>]+>", html)

    assert tags(draft) == tags(body)


def test_a_text_repeated_in_the_body_is_sent_once():
    engine = UpperCaseEngine()
    body = "| Side | Losses |\n|---|---|\n| Armenia | unknown |\n| Azerbaijan | unknown |\n"
    draft = machine_draft(body, source="en", target="ru", engine=engine)
    assert engine.sent == [["Side", "Losses", "Armenia", "unknown", "Azerbaijan"]]
    assert draft.count("UNKNOWN") == 2


def test_a_translation_holding_a_pipe_or_a_line_break_keeps_the_table_and_the_lines():
    class Awkward(TranslationEngine):
        def translate(self, texts, *, source, target):
            return [f"{text} | more\nline" for text in texts]

    body = "# Title\n\n| A | B |\n|---|---|\n| one | two |\n"
    draft = machine_draft(body, source="en", target="ru", engine=Awkward())
    assert draft.splitlines() == [
        "# Title | more line",
        "",
        r"| A \| more line | B \| more line |",
        "|---|---|",
        r"| one \| more line | two \| more line |",
    ]


def test_a_body_without_words_is_not_sent():
    engine = UpperCaseEngine()
    body = "```\ncode\n```\n\n| 1 | 2 |\n|---|---|\n| 3 | 4 |\n"
    assert machine_draft(body, source="en", target="ru", engine=engine) == body
    assert engine.sent == []


def test_an_engine_that_fails_gives_the_clear_error():
    with pytest.raises(TranslationEngineError, match="ran out of memory"):
        machine_draft(BODY, source="en", target="ru", engine=BrokenEngine())
    with pytest.raises(TranslationEngineError, match=r"gave back \d+ texts for \d+"):
        machine_draft(BODY, source="en", target="ru", engine=ForgetfulEngine())


# ---------------------------------------------------------------- LibreTranslate


class LibreTranslateServer:
    """A LibreTranslate-compatible server on 127.0.0.1: prefixes each text with its target
    language, keeps what it was sent, and refuses a wrong API key as LibreTranslate does."""

    def __init__(self, *, api_key="", delay=0.0, status=200):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length))
                server.requests.append({"path": self.path, **payload})
                time.sleep(delay)
                if api_key and payload.get("api_key") != api_key:
                    self._answer(403, {"error": "Invalid API key"})
                elif status != 200:
                    self._answer(status, {"error": "Slowdown: 10 per minute"})
                else:
                    texts = payload["q"]
                    self._answer(
                        200, {"translatedText": [f"{payload['target']}:{t}" for t in texts]}
                    )

            def _answer(self, code, answer):
                body = json.dumps(answer).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def libretranslate(settings):
    servers = []

    def start(*, options=None, **kwargs):
        servers.append(LibreTranslateServer(**kwargs))
        settings.TRANSLATION_ENGINE = {
            "BACKEND": "articles.translation_engines.LibreTranslateEngine",
            "OPTIONS": {"url": servers[-1].url, **(options or {})},
        }
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_the_libretranslate_backend_drafts_through_a_compatible_server(libretranslate):
    server = libretranslate(api_key="s3cret", options={"api_key": "s3cret", "max_chars": 200})

    draft = machine_draft(BODY, source="en", target="ru", engine=get_engine())

    assert draft.startswith("## ru:The Lachin road after 2020\n")
    assert "[^1]: ru:Point 6 of the [ru:trilateral statement](https://example.org/statement)." in (
        draft
    )
    assert "| 2023 | ru:Exodus | [ru:UNHCR](https://www.unhcr.org/) |" in draft
    # The words went in several requests of at most 200 characters, in order, as text.
    assert len(server.requests) > 1
    for request in server.requests:
        assert request["path"] == "/translate"
        assert (request["source"], request["target"], request["format"]) == ("en", "ru", "text")
        assert request["api_key"] == "s3cret"
        assert len(request["q"]) == 1 or sum(len(text) for text in request["q"]) <= 200
    sent = [text for request in server.requests for text in request["q"]]
    assert sent[0] == "The Lachin road after 2020"
    assert sent[-1] == "trilateral statement"


def test_a_refusing_server_gives_a_clear_error(libretranslate):
    libretranslate(api_key="s3cret", options={"api_key": "wrong"})
    with pytest.raises(TranslationEngineError, match=r"refused \(HTTP 403\): Invalid API key"):
        machine_draft(BODY, source="en", target="ru", engine=get_engine())

    libretranslate(status=429)
    with pytest.raises(TranslationEngineError, match=r"HTTP 429.*Slowdown"):
        machine_draft(BODY, source="en", target="ru", engine=get_engine())


def test_a_silent_or_absent_server_gives_a_clear_error(libretranslate, settings):
    libretranslate(delay=1.0, options={"timeout": 0.2})
    with pytest.raises(TranslationEngineError, match="did not answer"):
        machine_draft(BODY, source="en", target="ru", engine=get_engine())

    settings.TRANSLATION_ENGINE["OPTIONS"]["url"] = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TranslationEngineError, match="did not answer"):
        machine_draft(BODY, source="en", target="ru", engine=get_engine())


# ---------------------------------------------------------------- Argos Translate


def test_argos_without_its_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # import fails, as if absent
    with pytest.raises(TranslationEngineError, match="pip install argostranslate"):
        machine_draft(BODY, source="en", target="ru", engine=ArgosTranslateEngine())


def test_argos_without_a_model_for_the_pair_says_which_to_install(monkeypatch):
    # The argostranslate package's interface as the backend uses it, with one model
    # installed (English to Russian): the package itself is not a dependency here.
    class Translation:
        def translate(self, text):
            return f"ru:{text}"

    class Language:
        def __init__(self, code, into=None):
            self.code, self.into = code, into or {}

        def get_translation(self, goal):
            return self.into.get(goal.code)

    translate_module = types.ModuleType("argostranslate.translate")
    translate_module.get_installed_languages = lambda: [
        Language("en", {"ru": Translation()}),
        Language("ru"),
    ]
    package = types.ModuleType("argostranslate")
    package.translate = translate_module
    monkeypatch.setitem(sys.modules, "argostranslate", package)
    monkeypatch.setitem(sys.modules, "argostranslate.translate", translate_module)

    engine = ArgosTranslateEngine()
    assert machine_draft("## Peace\n\nA *treaty*.", source="en", target="ru", engine=engine) == (
        "## ru:Peace\n\nru:A *ru:treaty*."
    )
    with pytest.raises(TranslationEngineError, match="argospm install translate-en_hy"):
        machine_draft("Peace.", source="en", target="hy", engine=engine)

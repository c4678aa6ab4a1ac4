"""The README and docs/ say what the code does: their links lead somewhere, the files and
names they point at exist, every setting is documented, and the layers drawn are the ones
`make lint` checks."""

import importlib
import re
import tomllib
from pathlib import Path

import pytest
from django.core.management import get_commands

from tests.newsroom.test_first_hour import README_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = ["base", "outbox", "articles", "submissions", "notifications", "newsroom"]
# What a path named in the docs may start with: the checkout's own folders.
TOP_FOLDERS = (*PACKAGES, "templates", "static", "tests", "bench", "docs")


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _code_spans(page: Path) -> list[str]:
    return re.findall(r"`([^`\n]+)`", _text(page))


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    heading = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return heading.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(h) for h in re.findall(r"^#+ (.+)$", _text(page), flags=re.MULTILINE)}


def test_the_readme_opens_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", _text(README), flags=re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _text(page)):
        if re.match(r"[a-z]+:", target):
            continue  # another site
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and anchor not in _anchors(linked)):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_file_named_exists(page):
    named = [
        span.split()[0].rstrip(".,:;")
        for span in _code_spans(page)
        if span.startswith(TOP_FOLDERS) and "/" in span.split()[0]
    ]
    # Placeholders (`templates/emails/<name>.txt`) are patterns, not files.
    missing = [p for p in named if not re.search(r"[<…*]", p) and not (ROOT / p).exists()]
    assert missing == []


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for name in parts[split:]:
                found = getattr(found, name)
        except AttributeError:
            return False
        return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_module_task_and_command_named_exists(page):
    dotted = [
        s
        for s in _code_spans(page)
        if re.fullmatch(rf"(?:{'|'.join(PACKAGES)})(?:\.\w+)+", s)
        and not re.search(r"\.[A-Z]\d{3}$", s)  # a system check's id (`newsroom.E001`)
    ]
    assert [name for name in dotted if not _resolves(name)] == []
    commands = re.findall(r"manage\.py (\w+)", _text(page))
    assert sorted(set(commands) - set(get_commands())) == []


def test_the_commands_the_first_hour_types_are_the_documented_ones():
    documented = " ".join(_text(page).replace("\\\n", " ") for page in PAGES)
    documented = re.sub(r"[ \t]+", " ", documented)
    for name, command in README_COMMANDS.items():
        if name == "import_archive":  # typed exactly as shown, the options in brackets left out
            assert command in documented
        else:
            assert f"manage.py {name}" in documented


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "newsroom" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", settings_source))
    assert len(read) > 40  # the pattern still finds them
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", _text(ROOT / "docs" / "configuration.md")))
    assert sorted(read - documented) == []


def test_the_layers_drawn_are_the_layers_checked():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    checked = [[name.strip() for name in layer.split("|")] for layer in layers["layers"]]
    drawing = re.search(r"## Layout and layers.*?```\n(.*?)```", _text(README), re.DOTALL).group(1)
    drawn = [re.findall(r"(\w+)/", line) for line in drawing.splitlines()]
    assert [row for row in drawn if row] == checked
    table = _text(README).split("## Layout and layers")[1].split("\n## ")[0]
    assert [
        p for p in config["tool"]["importlinter"]["root_packages"] if f"| `{p}/` |" not in table
    ] == []

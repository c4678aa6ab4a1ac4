"""Static files as production stores them (`collectstatic`): hashed names, and the article
editor's ES modules importing each other by those hashed names."""

import json
import re

from django.core.management import call_command

IMPORT = re.compile(r"""\bfrom\s*["'](\.[^"']+)["']""")


def test_the_editor_modules_import_each_other_by_their_hashed_names(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    # Only the editor's folder: all static files, compressed, take a minute.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [("js/editor", settings.BASE_DIR / "static" / "js" / "editor")]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "base.staticfiles.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    modules = {name: hashed for name, hashed in paths.items() if name.startswith("js/editor/")}
    hashed_names = {hashed.removeprefix("js/editor/") for hashed in modules.values()}
    imports = {
        name: IMPORT.findall((tmp_path / hashed).read_text(encoding="utf-8"))
        for name, hashed in modules.items()
    }
    # main.js imports every other module, itself or through one that it imports.
    assert len(imports["js/editor/main.js"]) >= 5
    for name, imported in imports.items():
        for target in imported:
            assert target.removeprefix("./") in hashed_names, f"{name} imports {target}"

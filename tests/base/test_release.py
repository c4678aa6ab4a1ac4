"""The release (base/release.py) changes with anything that changes the words kept."""

from base import release as release_module


def test_a_changed_translation_is_a_new_release(tmp_path, monkeypatch):
    catalog = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Latest"\nmsgstr "Новое"\n', encoding="utf-8")
    monkeypatch.delenv("RELEASE", raising=False)
    monkeypatch.setattr(release_module, "ROOT", tmp_path)
    release_module.release.cache_clear()
    try:
        before = release_module.release()
        catalog.write_text('msgid "Latest"\nmsgstr "Последнее"\n', encoding="utf-8")
        release_module.release.cache_clear()
        assert release_module.release() != before
    finally:
        release_module.release.cache_clear()

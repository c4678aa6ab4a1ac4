"""The archive importer behind `manage.py import_archive`.

wxr.py and textpages.py read a source into `items.Item`s (shortcodes.py, html_to_markdown.py
and media.py help them; folders.py decides which files of a folder are read at all);
runner.py takes each item through the suggestions (`articles.suggest`) and
`services.archive_item_import`, the one write path, with the vocabulary and authors it looks
up read once per run (lookups.py); report.py writes the CSV; redirects.py answers the old
addresses; models.py keeps the records. clipboard.py makes what an editor pastes into the
body (from Word, Google Docs, a web page) Markdown with the same converter.
"""

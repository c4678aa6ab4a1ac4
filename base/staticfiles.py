"""How static files are stored for serving: WhiteNoise's compressed files with hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Also rewrites the imports between ES modules (static/js/editor/) to hashed names.

    The page names the entry module by its hashed name, cached for a year; an import left
    as "./toolbar.js" would load whatever copy a browser or CDN holds of the unhashed file,
    so just after a deploy a new module could meet an old one.
    """

    support_js_module_import_aggregation = True

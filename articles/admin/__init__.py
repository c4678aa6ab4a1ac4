"""The editors' admin for articles, by concern: the article's form and view (`article`),
its inlines, its history (`revisions`) and the vocabularies (`vocabulary`).

Importing the modules registers their admins.
"""

from . import article, vocabulary  # noqa: F401

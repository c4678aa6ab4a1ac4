"""The editors' admin for articles, by concern: the article's form and view (`article`),
its inlines, its history (`revisions`), the vocabularies (`vocabulary`) and the image
library (`images`).

Importing the modules registers their admins.
"""

from . import article, images, vocabulary  # noqa: F401

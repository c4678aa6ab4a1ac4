"""The articles app's models, one module per subject.

`choices` (kinds, statuses, rights), `authors`, `vocabulary` (series, topics, regions),
`queries` (what is public, what pages and lists read), `video`, `article`, `byline`,
`simulation` (moves), `editions` (corrections, report numbers, PDF editions), `desk` (notes,
preview links), `rendering` (an article's page parts and card, rendered on write), `imports`
(what the archive importer keeps), `search_words` (the words "did you mean" offers),
`images` (the image library), `references` (the images and articles a body names) and
`body` (the body rendered with them resolved).
Everything is importable from `articles.models`, as migrations and the rest of the code
expect.
"""

from .article import (
    BODY_MAX_CHARS,
    DEK_MAX_CHARS,
    REVISION_FOLLOWS,
    SEARCH_CONFIG,
    Article,
    next_publication,
    render_body,
    search_vector_expression,
    update_search_vectors,
)
from .authors import Author, AuthorQuerySet
from .body import BodyRendered
from .byline import Byline
from .desk import PREVIEW_SALT, ArticleNote, PreviewLink, _default_preview_expiry
from .editions import Correction, PdfEdition, PdfPrint, ReportNumber
from .images import LibraryImage
from .imports import ImportRecord, Redirect, TermProposal
from .list_counts import ListCount as ListCount
from .queries import (
    HEAVY_FIELDS,
    RELATED_CANDIDATES,
    ArticleQuerySet,
    published_q,
)
from .references import BodyImage, BodyLink
from .rendering import ArticleRendering
from .search_words import SearchWord
from .simulation import Move
from .translation import TranslationInvite, TranslationProposal
from .translation_memory import TranslationUnit as TranslationUnit
from .video import VIDEO_HOSTS, validate_video_url
from .vocabulary import Region, Series, TaggedRegion, TaggedTopic, Topic

__all__ = [
    "BODY_MAX_CHARS", "DEK_MAX_CHARS", "HEAVY_FIELDS",
    "PREVIEW_SALT", "RELATED_CANDIDATES", "REVISION_FOLLOWS", "SEARCH_CONFIG", "VIDEO_HOSTS",
    "Article", "ArticleNote", "ArticleQuerySet", "ArticleRendering", "Author", "AuthorQuerySet",
    "BodyImage", "BodyLink", "BodyRendered", "Byline",
    "Correction", "ImportRecord", "LibraryImage", "Move", "PdfEdition", "PdfPrint", "PreviewLink",
    "Redirect", "Region", "ReportNumber", "SearchWord", "Series", "TaggedRegion", "TaggedTopic",
    "TermProposal", "Topic", "TranslationInvite", "TranslationProposal",
    "_default_preview_expiry", "next_publication", "published_q", "render_body",
    "search_vector_expression", "update_search_vectors", "validate_video_url",
]  # fmt: skip

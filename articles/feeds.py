"""RSS 2.0 and Atom feeds of published articles: all, and per topic, region and author.

An article whose body shows a library image leads its item with the first one (at a width
feed readers show well, in its original format, by absolute address) and carries it as the
item's enclosure.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from base.httpcache import LIST_ARTICLES, article_key, object_keys, tag
from base.languages import current_language

from .models import Article, Author, BodyImage, LibraryImage, Region, Topic

FEED_LENGTH = 30
FEED_IMAGE_WIDTH = 800
_MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png"}


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _lead_images(articles: list[Article]) -> None:
    """Give each article `lead_image`: the first library image its body shows, or None
    (one query for the whole feed)."""
    first: dict[int, LibraryImage] = {}
    uses = BodyImage.objects.filter(article__in=articles).select_related("image").order_by("pk")
    for use in uses:
        first.setdefault(use.article_id, use.image)
    for article in articles:
        article.lead_image = first.get(article.pk)


class _ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        tag(response, *getattr(request, "feed_cache_tags", ()))
        return response

    def get_feed(self, obj, request):
        """The feed, and on the request the tags of what it shows (the instance is shared by
        every request: nothing of one request is kept on it)."""
        feed = super().get_feed(obj, request)
        request.feed_cache_tags = [
            *self.cache_tags(obj),
            *(article_key(item["article_id"]) for item in feed.items),
        ]
        return feed

    def cache_tags(self, obj) -> list[str]:
        return [LIST_ARTICLES]

    def item_extra_kwargs(self, item: Article) -> dict:
        return {"article_id": item.pk}  # read back by get_feed; no feed format writes it

    def _articles(self, obj):
        return Article.objects.published().in_language()

    def items(self, obj=None):
        articles = list(
            self._articles(obj)
            .for_listing()
            .prefetch_related("regions")
            .latest_first()[:FEED_LENGTH]
        )
        _lead_images(articles)
        return articles

    def _lead_rendition(self, item: Article) -> dict | None:
        image = getattr(item, "lead_image", None)
        return image.rendition(width=FEED_IMAGE_WIDTH) if image else None

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        rendition = self._lead_rendition(item)
        if rendition is None:
            return []
        url = _absolute(LibraryImage.url_of(rendition))
        return [Enclosure(url, str(rendition.get("bytes", 0)), _MIME_TYPES[rendition["format"]])]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # The standfirst and the opening of the piece: a full summary, not the whole text.
        opening = item.plain_text[:600].rsplit(" ", 1)[0] + (
            "…" if len(item.plain_text) > 600 else ""
        )
        text = f"<p><strong>{escape(item.dek)}</strong></p><p>{escape(opening)}</p>"
        rendition = self._lead_rendition(item)
        if rendition is None:
            return text
        picture = format_html(
            '<p><img src="{}" width="{}" height="{}" alt="{}"></p>',
            _absolute(LibraryImage.url_of(rendition)),
            rendition["width"],
            rendition["height"],
            item.lead_image.alt,
        )
        return picture + text

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    item_guid_is_permalink = True

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name_in(item.language) for author in item.ordered_authors())

    def item_categories(self, item: Article) -> list[str]:
        language = item.language
        return [t.name_in(language) for t in item.topics.all()] + [
            r.name_in(language) for r in item.regions.all()
        ]


class LatestArticlesFeed(_ArticleFeed):
    # Methods, not class attributes: the feed is named in its address's language, which is
    # known per request (/ru/feed/), not when the class is made.
    def title(self) -> str:
        return _("Caucasus Center — latest analyses")

    def description(self) -> str:
        return _("New analyses of the South Caucasus and its neighbours.")

    def link(self) -> str:
        return reverse("home")


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


class _TagFeed(_ArticleFeed):
    model: type
    kind: str

    def get_object(self, request, slug: str):
        return get_object_or_404(self.model, slug=slug)

    # Named in the feed's language (its address's prefix), as the page it follows.

    def title(self, obj) -> str:
        return f"{_('Caucasus Center')} — {obj.name_in(current_language())}"

    def description(self, obj) -> str:
        subject = obj.name_in(current_language())
        return _("Analyses from the Caucasus Center on %(subject)s.") % {"subject": subject}

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def cache_tags(self, obj) -> list[str]:
        return object_keys(obj)  # its name in the title, its list in the items


class TopicFeed(_TagFeed):
    model = Topic

    def _articles(self, obj):
        return Article.objects.published().in_language().tagged_topic(obj)


class RegionFeed(_TagFeed):
    model = Region

    def _articles(self, obj):
        return Article.objects.published().in_language().tagged_region(obj)


class AuthorFeed(_TagFeed):
    model = Author

    def get_object(self, request, slug: str):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def _articles(self, obj):
        return Article.objects.published().in_language().by_author(obj)

    def description(self, obj) -> str:
        name = obj.name_in(current_language())
        return f"{_('Articles by %(author)s') % {'author': name}} — {_('Caucasus Center')}"

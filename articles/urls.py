from django.urls import path, register_converter

from . import cite_views, feeds, suggestion_views, views


class _YearConverter:
    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class _MonthConverter(_YearConverter):
    regex = "0?[1-9]|1[0-2]"

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


register_converter(_YearConverter, "year")
register_converter(_MonthConverter, "month")

app_name = "articles"
urlpatterns = [
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path(
        "articles/<slug:slug>/cite.<str:extension>",
        cite_views.article_citation,
        name="citation",
    ),
    path("articles/<slug:slug>/<slug:filename>.pdf", cite_views.article_pdf, name="pdf"),
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("search/", views.search_page, name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("regions/<slug:slug>/feed/", feeds.RegionFeed(), name="region_feed"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("regions/", views.region_index, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<year:year>/", views.archive_year, name="archive_year"),
    path("archive/<year:year>/<month:month>/", views.archive_month, name="archive_month"),
    path(
        "admin-tools/articles/<int:pk>/suggestions/",
        suggestion_views.article_suggestions,
        name="article_suggestions",
    ),
    path("admin-tools/suggestions/", suggestion_views.text_suggestions, name="text_suggestions"),
]

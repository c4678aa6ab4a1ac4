import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import render
from django.urls import include, path, re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles import api as articles_api
from articles.sitemaps import SITEMAPS, sitemap  # Django's, tagged for the HTTP cache
from articles.translator_views import translate_page
from base import api, media
from submissions import api as submissions_api

from . import dashboard, views

admin.site.site_header = "Caucasus Center Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"
admin.site.site_url = "/"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("articles", articles_api.ArticleViewSet, basename="article")
router.register("topics", articles_api.TopicViewSet, basename="topic")
router.register("regions", articles_api.RegionViewSet, basename="region")
router.register("series", articles_api.SeriesViewSet, basename="series")
router.register("authors", articles_api.AuthorViewSet, basename="author")
router.register("calls", submissions_api.CallViewSet, basename="call")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other address under /api/ that ends in a slash: a JSON 404, with DEBUG on as well
    # (where Django would answer its HTML debug page). Without the slash, APPEND_SLASH
    # redirects here first.
    re_path(r"^api/(?:.*/)?$", api.api_not_found),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", views.favicon),
    # An outside translator's signed link (English: the page shows both languages).
    path("translate/<str:token>/", translate_page, name="translate"),
    # The admin opens on the person's dashboard; the rest of the admin is Django's.
    path("admin/", admin.site.admin_view(dashboard.index), name="admin-dashboard"),
    path("admin/", admin.site.urls),
]
# The public site in every language: English at these addresses, the others under /<code>/
# (base/languages.py).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("", include("notifications.urls")),
    path("", include("submissions.urls")),
    prefix_default_language=False,
)

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    # Served with nosniff, and anything but a picture as a download (see media.py).
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media.serve_media)
    )


def handler400(request, exception):
    if request.path.startswith("/api/"):
        return api.api_bad_request(request)
    return defaults.bad_request(request, exception)


def handler403(request, exception):
    """A refusal inside the admin, for staff, stays in the admin with a way back; anyone
    else (and the public site) gets the public page, which tells nothing of the admin."""
    in_admin = request.path.startswith(reverse("admin:index"))
    # No `user` when the refusal came before the authentication middleware ran.
    if in_admin and hasattr(request, "user") and admin.site.has_permission(request):
        came_from = request.headers.get("Referer", "")
        if came_from == request.build_absolute_uri() or not url_has_allowed_host_and_scheme(
            came_from, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            came_from = ""
        context = {**admin.site.each_context(request), "came_from": came_from}
        return render(request, "admin/403.html", context, status=403)
    return defaults.permission_denied(request, exception)


def handler404(request, exception):
    if request.path.startswith("/api/"):
        return api.api_not_found(request)
    return defaults.page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return api.api_server_error(request)
    return defaults.server_error(request)

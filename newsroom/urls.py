from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import SITEMAPS

from . import views

admin.site.site_header = "Caucasus Center Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"
admin.site.site_url = "/"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("notifications.urls")),
    path("", include("submissions.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

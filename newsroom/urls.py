from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Caucasus Center Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"
admin.site.site_url = "/"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("notifications.urls")),
    path("", include("submissions.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

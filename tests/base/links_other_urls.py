"""Another URLconf, as a request may set (request.urlconf), for tests/base/test_links.py."""

from django.http import HttpResponse
from django.urls import path


def _page(request, slug=""):
    return HttpResponse(slug)


urlpatterns = [path("analyses/<slug:slug>/", _page, name="article")]

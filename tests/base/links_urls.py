"""A URLconf with language prefixes, for tests/base/test_links.py."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path


def _page(request, slug=""):
    return HttpResponse(slug)


urlpatterns = i18n_patterns(
    path("articles/<slug:slug>/", _page, name="article"),
    prefix_default_language=False,
)

"""Remembered addresses (base/links.py) follow the language and the request's URLconf."""

from django.conf import settings
from django.test import override_settings
from django.urls import set_urlconf
from django.utils import translation

from base import links


@override_settings(ROOT_URLCONF="tests.base.links_urls")
def test_a_remembered_address_follows_the_active_language():
    with translation.override(settings.LANGUAGE_CODE):
        assert links.url("article", "karabakh") == "/articles/karabakh/"
    with translation.override("ru"):
        assert links.url("article", "karabakh") == "/ru/articles/karabakh/"
    with translation.override("fa"):
        assert links.url("article", "karabakh") == "/fa/articles/karabakh/"


@override_settings(ROOT_URLCONF="tests.base.links_urls")
def test_a_remembered_address_follows_the_requests_own_urlconf():
    with translation.override(settings.LANGUAGE_CODE):
        assert links.url("article", "lachin") == "/articles/lachin/"
        set_urlconf("tests.base.links_other_urls")
        try:
            assert links.url("article", "lachin") == "/analyses/lachin/"
        finally:
            set_urlconf(None)
        assert links.url("article", "lachin") == "/articles/lachin/"

"""The site, plus a page that takes half a second to build and counts its builds (grace)."""

import time

from django.http import HttpRequest, HttpResponse
from django.urls import path

from base.httpcache import tag
from newsroom.urls import urlpatterns as site

BUILD_SECONDS = 0.5
builds: list[float] = []  # when each build started


def slow_page(request: HttpRequest) -> HttpResponse:
    builds.append(time.monotonic())
    edition = len(builds)
    time.sleep(BUILD_SECONDS)
    response = HttpResponse(f"<p>Edition {edition}</p>")
    tag(response, "slow-page")
    return response


urlpatterns = [path("slow/", slow_page), *site]

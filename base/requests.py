"""What no request to the site may carry: control characters in its address or parameters.

No address of the site has a control character (C0 or DEL), and no parameter a reader can
send holds a NUL: PostgreSQL refuses a NUL in a text value with an error, so any route or
filter handing one to the database would answer 500. This middleware answers first: 404 for
such an address, 400 for such a parameter (JSON under /api/, like every API error).
"""

import re
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_CHARACTERS.search(request.path):
            raise Http404("No address of the site has a control character.")
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            raise BadRequest("A parameter holds a NUL character.")
        return self.get_response(request)

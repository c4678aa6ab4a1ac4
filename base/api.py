"""What every endpoint of the REST API shares: limits, pagination, errors, caching."""

import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.views import exception_handler


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "base.api_keys.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}


class PublicationCursor(CursorPagination):
    """Stable pages while articles are published: the cursor marks a position, not an offset.
    `?ordering=-published` (newest first, the default) or `published` (oldest first)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ORDERINGS = {"-published": ("-publish_at", "-id"), "published": ("publish_at", "id")}
    ordering = ORDERINGS["-published"]

    def get_ordering(self, request, queryset, view):
        wanted = request.query_params.get("ordering", "-published")
        if wanted not in self.ORDERINGS:
            raise ValidationError({"ordering": ["Use -published (newest first) or published."]})
        return self.ORDERINGS[wanted]

    def decode_cursor(self, request):
        """A cursor is only ever one of our `next`/`previous` links: anything else is a 400,
        including a well-formed one whose position is not a date (it would reach the query)."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise _bad_cursor() from None
        if cursor is None or cursor.position is None:
            return cursor
        try:
            moment = parse_datetime(cursor.position)
            if moment is None or moment.tzinfo is None:
                raise ValueError(cursor.position)
            position = moment.astimezone(datetime.UTC).isoformat()
        except (OverflowError, ValueError):
            raise _bad_cursor() from None
        return Cursor(offset=cursor.offset, reverse=cursor.reverse, position=position)


def _bad_cursor() -> ValidationError:
    return ValidationError(
        {"cursor": ["This cursor is not valid. Follow the next and previous links as given."]}
    )


def json_errors(exc, context):
    """Every API error is JSON with a `detail` a person can read."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "Some parameters are not valid.", "errors": response.data}
    return response


def api_bad_request(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "This request cannot be read as sent."}, status=400)


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "There is no such endpoint or object."}, status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"detail": "Something went wrong on our side; it has been logged."}, status=500
    )


def with_validators(response, last_modified=None, max_age: int = 60):
    """Let HTTP caches keep a public answer briefly and revalidate it (ETag comes from
    ConditionalGetMiddleware, computed on the body)."""
    response["Cache-Control"] = f"public, max-age={max_age}"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: the message of each parameter that is not valid.",
    )


ERROR_RESPONSES = {
    "400": "A parameter is not valid (the errors say which and why).",
    "401": "The API key is not valid or was revoked.",
    "404": "Nothing published under this address.",
    "429": "Too many requests; the Retry-After header says when to try again.",
}


class NewsroomAutoSchema(AutoSchema):
    """Every operation documents the errors every endpoint can answer."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code == "404" and not self._is_detail_view():
                description = "No such endpoint."
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                ),
            )
        return responses

    def _is_detail_view(self) -> bool:
        return "{" in self.path

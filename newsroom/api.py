"""What every endpoint of the REST API shares: limits, pagination, errors, caching."""

from django.http import HttpRequest, JsonResponse
from django.utils.http import http_date
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.views import exception_handler


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "newsroom.api_keys.ApiKeyAuthentication"
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


def json_errors(exc, context):
    """Every API error is JSON with a `detail` a person can read."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "Some parameters are not valid.", "errors": response.data}
    return response


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

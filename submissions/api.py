from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from base.api import with_validators

from .models import Call


class CallSerializer(serializers.ModelSerializer):
    series = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    brief_html = serializers.CharField()
    submit_url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["title", "slug", "brief", "brief_html", "deadline", "series", "submit_url"]

    def get_submit_url(self, obj: Call) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


@extend_schema_view(list=extend_schema(summary="Open calls for simulations"))
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        return Call.objects.open().select_related("series")

    def list(self, request, *args, **kwargs):
        return with_validators(super().list(request, *args, **kwargs), max_age=300)

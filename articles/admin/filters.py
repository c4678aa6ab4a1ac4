"""The article list's filters."""

from django.contrib import admin

from ..models import Article


def titled_filter(title: str) -> type[admin.RelatedOnlyFieldListFilter]:
    """A related-object filter whose sidebar heading is ours, not the relation's name."""

    class TitledFilter(admin.RelatedOnlyFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


class WorkflowFilter(admin.SimpleListFilter):
    title = "workflow"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", "Needs review"),
            ("scheduled", "Scheduled"),
            ("mine", "Mine"),
            ("imported", "Imported drafts"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW).order_by("updated_at")
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.SCHEDULED).order_by("publish_at")
        if self.value() == "mine":
            return queryset.mine(request.user)
        if self.value() == "imported":
            return queryset.imported().filter(status=Article.Status.DRAFT).order_by("-updated_at")
        return queryset

"""The article list's actions: each a workflow move (or featuring) through the services."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .. import services
from .forms import ScheduleForm


class ArticleActionsMixin:
    def _apply_to_each(self, request, queryset, name: str, **kwargs):
        done, refused = 0, []
        for article in queryset:
            try:
                if name == "feature":
                    services.article_feature(article=article, by=request.user, **kwargs)
                else:
                    services.article_apply_transition(
                        article=article, name=name, by=request.user, **kwargs
                    )
                done += 1
            except services.TransitionError as error:
                refused.append(f"“{article}”: {' '.join(error.messages)}")
        if done:
            self.message_user(request, f"{done} article{'s' if done != 1 else ''} updated.")
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description="Send selected articles to review")
    def send_to_review(self, request, queryset):
        self._apply_to_each(request, queryset, services.SUBMIT.name)

    @admin.action(description="Publish selected articles now")
    def publish(self, request, queryset):
        self._apply_to_each(request, queryset, services.PUBLISH.name)

    @admin.action(description="Schedule selected articles…")
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply_to_each(
                request,
                queryset,
                services.SCHEDULE.name,
                publish_at=form.cleaned_data["publish_at"],
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/schedule.html",
            {
                **self.admin_site.each_context(request),
                "title": "Schedule articles",
                "articles": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            },
        )

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish(self, request, queryset):
        self._apply_to_each(request, queryset, services.UNPUBLISH.name)

    @admin.action(description="Archive selected articles (their pages answer 410 Gone)")
    def archive(self, request, queryset):
        self._apply_to_each(request, queryset, services.ARCHIVE.name)

    @admin.action(description="Feature selected articles on the home page")
    def feature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=True)

    @admin.action(description="Stop featuring selected articles")
    def unfeature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=False)

"""The article list's actions: each a workflow move (or featuring) through the services."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .. import services
from .forms import ScheduleForm

# Moves that cannot be undone at once: the change form and the list ask before taking them,
# saying why.
CONFIRMED_MOVES = {
    services.ARCHIVE.name: "The article leaves the site: its address answers “Gone” to "
    "readers and search engines, and it drops out of every list, feed and the API. It can be "
    "restored to draft later, but readers see it again only once it is published again.",
    services.UNPUBLISH.name: "Readers lose the article at once: its page, its place in lists "
    "and feeds, and partners are told it was withdrawn. It becomes a draft again; publishing "
    "it again puts it back.",
}


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

    def _after_confirmation(self, request, queryset, move: services.Transition):
        """Take `move` once the editor has read what it does and confirmed (`apply`)."""
        if request.POST.get("apply") == "1":
            self._apply_to_each(request, queryset, move.name)
            return None
        count = queryset.count()
        return TemplateResponse(
            request,
            "admin/articles/article/confirm_move.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{move.label} {count} article{'s' if count != 1 else ''}?",
                "move": move,
                "explanation": CONFIRMED_MOVES[move.name],
                "articles": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Unpublish selected articles (back to draft)…")
    def unpublish(self, request, queryset):
        return self._after_confirmation(request, queryset, services.UNPUBLISH)

    @admin.action(description="Archive selected articles (their pages answer 410 Gone)…")
    def archive(self, request, queryset):
        return self._after_confirmation(request, queryset, services.ARCHIVE)

    @admin.action(description="Feature selected articles on the home page")
    def feature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=True)

    @admin.action(description="Stop featuring selected articles")
    def unfeature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=False)

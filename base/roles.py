"""Who may do what, named once: the editorial roles, their permissions, and the one sync.

Every app asks "is this person an editor?" here, by permission (a superuser passes, and so
would a person given the permission alone), never by group name. The migrations call
`sync_roles` with their historical apps; the tests call it to rebuild the groups that a
transactional test emptied.
"""

from django.apps import apps as current_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

EDITORS = "Editors"
WRITERS = "Writers"
# What makes an editor: publishing. Editors alone schedule, publish, unpublish, archive,
# decide on submissions and manage the site's partners.
EDITOR_PERMISSION = "articles.publish_article"

_ALL = ("add", "change", "delete", "view")


def _every(*models: str) -> list[str]:
    return [f"{action}_{model}" for model in models for action in _ALL]


# The permissions of each group, by app label. `sync_roles` gives a group exactly these.
ROLES: dict[str, dict[str, list[str]]] = {
    EDITORS: {
        "articles": [
            "publish_article",
            *_every(
                "article", "author", "series", "topic", "region", "byline", "move",
                "correction", "taggedtopic", "taggedregion", "articlenote", "previewlink",
                "redirect", "libraryimage",
            ),
            "view_termproposal", "change_termproposal", "delete_termproposal",
            "view_importrecord", "delete_importrecord",
        ],
        "submissions": [
            *_every("call", "messagetemplate"),
            "view_submission", "change_submission",
            "add_submissionnote", "view_submissionnote",
            "view_submissionevent", "view_attachment",
        ],
        "outbox": ["view_notification", "change_notification"],
        "notifications": [
            "view_follower", "delete_follower",
            *_every("webhookendpoint"),
            "view_webhookdelivery",
        ],
        "newsroom": ["add_apikey", "change_apikey", "view_apikey"],
    },
    WRITERS: {
        "articles": [
            "add_article", "change_article", "view_article",
            *_every("byline", "move", "taggedtopic", "taggedregion"),
            "view_author", "view_series", "view_topic", "view_region", "view_correction",
            "add_topic", "add_region",
            "add_articlenote", "view_articlenote",
            "add_previewlink", "change_previewlink", "view_previewlink",
            "add_libraryimage", "change_libraryimage", "view_libraryimage",
        ],
    },
}  # fmt: skip


# What makes a writer: editing articles (their own, before they are public).
WRITER_PERMISSION = "articles.change_article"


def is_editor(user) -> bool:
    return user is not None and user.has_perm(EDITOR_PERMISSION)


def can_edit(user, article) -> bool:
    """Editors edit everything; writers what the article says is open to them (their own
    drafts and articles in review: `Article.open_to_writer`)."""
    if is_editor(user):
        return True
    return user.has_perm(WRITER_PERMISSION) and article.open_to_writer(user)


def editors() -> QuerySet:
    """Active people who are editors: by the permission, through a group or their own."""
    app_label, codename = EDITOR_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
    )


def sync_roles(apps=current_apps) -> None:
    """Make the groups and give each exactly the permissions ROLES names, of the models that
    exist in `apps` (a migration's historical apps, or the running project's)."""
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in ROLES.items():
        wanted = Q(pk__in=[])
        for app_label, codenames in by_app.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(wanted))

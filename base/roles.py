"""Who may do what, named once: the editorial roles, their permissions, and the one sync.

Every app asks "is this person an editor?" here, by permission (a superuser passes, and so
would a person given the permission alone), never by group name. The migrations call
`sync_roles` with their historical apps; the tests call it to rebuild the groups that a
transactional test emptied.
"""

from django.apps import apps as current_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

EDITORS = "Editors"
WRITERS = "Writers"
# Translators work per language: one group per edition language, named by its code
# ("Translators (ru)"), made from settings.LANGUAGES by `sync_roles` (a new language is
# settings, not a migration). Each holds TRANSLATOR_PERMISSIONS.
TRANSLATORS = "Translators ({})"
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


# What a translator may do: change the editions of their languages (see `can_edit`), read
# the vocabularies, leave notes and make preview links.
TRANSLATOR_PERMISSIONS = {
    "articles": [
        "change_article", "view_article",
        "view_author", "view_series", "view_topic", "view_region", "view_correction",
        "add_articlenote", "view_articlenote",
        "add_previewlink", "change_previewlink", "view_previewlink",
        "view_libraryimage",
    ],
}  # fmt: skip

# What makes a writer: editing articles (their own, before they are public).
WRITER_PERMISSION = "articles.change_article"
# Writers start articles; translators do not (their editions start from a source).
WRITER_ONLY_PERMISSION = "articles.add_article"
# The statuses in which others than editors change an article.
OPEN_STATUSES = ("draft", "review")


def is_editor(user) -> bool:
    return user is not None and user.has_perm(EDITOR_PERMISSION)


def can_edit(user, article) -> bool:
    """Editors edit everything; translators the translations in their languages that are
    not yet public; writers what the article says is open to them (their own drafts and
    articles in review: `Article.open_to_writer`)."""
    if is_editor(user):
        return True
    if can_translate(user, article):
        return True
    return user.has_perm(WRITER_ONLY_PERMISSION) and article.open_to_writer(user)


def translator_languages(user) -> set[str]:
    """The languages `user` translates into, from their translator groups."""
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_translator_languages"):
        names = {TRANSLATORS.format(code): code for code in _edition_languages()}
        groups = user.groups.filter(name__in=names).values_list("name", flat=True)
        user._translator_languages = {names[name] for name in groups}
    return user._translator_languages


def can_translate(user, article) -> bool:
    """Whether `user` may change this edition as its translator: a translation (it has a
    source) in one of their languages, not yet public (editors publish)."""
    return (
        article.translation_of_id is not None
        and article.status in OPEN_STATUSES
        and article.language in translator_languages(user)
    )


def _edition_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


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
    roles = {
        **ROLES,
        **{TRANSLATORS.format(c): TRANSLATOR_PERMISSIONS for c in _edition_languages()},
    }
    for name, by_app in roles.items():
        wanted = Q(pk__in=[])
        for app_label, codenames in by_app.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(wanted))

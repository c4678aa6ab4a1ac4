"""Every write to an article goes through here: edits, autosaves and the editorial workflow.

By subject: `edits` (create, update, autosave, corrections) and `workflow` (the status
table, its guard, one service per move, featuring, publishing what is due). Everything
public is importable from `articles.services`.

`article_create` and `article_update` own what an edit causes: the revision and its comment,
`last_edited_by`, the optimistic lock, the page cache and `article.updated` for partners.
One table says which status moves exist and who may make them; one guard checks it; one
service per move. The admin's form, its list actions, the `publish_due` task and any future
API call these functions and nothing else.
"""

from ..announcements import announce_published, announce_unpublished, announce_updated
from .edits import (
    AUTOSAVE_COMMENT,
    AUTOSAVE_FIELDS,
    AUTOSAVE_STATUSES,
    FIELD_LABELS,
    FORM_ONLY_FIELDS,
    PRIVATE_CHANGES,
    article_autosave,
    article_create,
    article_update,
    check_edit,
    check_not_stale,
    check_publish_at,
    correction_add,
    describe_changes,
    field_label,
    normalize_newlines,
)
from .workflow import (
    ARCHIVE,
    PUBLISH,
    RESTORE,
    RETURN,
    SCHEDULE,
    SUBMIT,
    TARGETS,
    TRANSITIONS,
    UNPUBLISH,
    StaleEditError,
    Transition,
    TransitionError,
    article_apply_transition,
    article_archive,
    article_feature,
    article_publish,
    article_restore,
    article_return_to_draft,
    article_schedule,
    article_submit_for_review,
    article_unpublish,
    available_transitions,
    check_feature,
    check_transition,
    publish_blockers,
    publish_due,
)

__all__ = [
    "ARCHIVE", "AUTOSAVE_COMMENT", "AUTOSAVE_FIELDS", "AUTOSAVE_STATUSES", "FIELD_LABELS",
    "FORM_ONLY_FIELDS", "PRIVATE_CHANGES", "PUBLISH", "RESTORE", "RETURN", "SCHEDULE", "SUBMIT",
    "TARGETS", "TRANSITIONS", "UNPUBLISH", "StaleEditError", "Transition", "TransitionError",
    "announce_published", "announce_unpublished", "announce_updated", "article_apply_transition",
    "article_archive", "article_autosave", "article_create", "article_feature",
    "article_publish", "article_restore", "article_return_to_draft", "article_schedule",
    "article_submit_for_review", "article_unpublish", "article_update", "available_transitions",
    "check_edit", "check_feature", "check_not_stale", "check_publish_at", "check_transition",
    "correction_add", "describe_changes", "field_label", "normalize_newlines",
    "publish_blockers", "publish_due",
]  # fmt: skip

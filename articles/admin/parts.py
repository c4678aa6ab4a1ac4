"""The article form's inlines, read as the plain data the edit services take.

The admin is one more caller of `articles.services`: it hands over what its formsets hold
(the byline in order, the timeline, corrections, a new note, preview links) and saves
nothing itself.
"""

from django.forms import BaseFormSet

from ..services import ArticleParts, CorrectionChange, PreviewLinkChange

# The inline formsets' prefixes, and the part of an edit each one holds.
FORMSET_PARTS = {
    "bylines": "authors",
    "moves": "moves",
    "corrections": "corrections",
    "notes": "notes",
    "preview_links": "preview_links",
}
MOVE_FIELDS = ("phase", "actor", "action", "expected_response")


def touched_parts(formsets: list[BaseFormSet]) -> set[str]:
    return {FORMSET_PARTS[fs.prefix] for fs in formsets if fs.has_changed()}


def parts_from(form, formsets: list[BaseFormSet], **overrides) -> ArticleParts:
    """The parts of the article the editor changed in the form (only those)."""
    touched = touched_parts(formsets)
    parts: dict = {}
    for name in ("topics", "regions"):
        if name in form.changed_data:
            parts[name] = list(form.cleaned_data[name])
    for formset in formsets:
        name = FORMSET_PARTS[formset.prefix]
        if name in touched:
            parts[name] = _READERS[name](_kept_forms(formset))
    parts.update(overrides)
    return ArticleParts(**parts)


def _kept_forms(formset: BaseFormSet) -> list:
    """The rows the editor filled in, in their order (`position` where the rows have one)."""
    rows = [f for f in formset.forms if f.has_changed() or f.instance.pk is not None]
    rows = [f for f in rows if hasattr(f, "cleaned_data")]
    if rows and "position" in rows[0].fields:
        rows.sort(
            key=lambda f: (
                f.cleaned_data.get("position") is None,
                f.cleaned_data.get("position") or 0,
            )
        )
    return rows


def _deleted(form) -> bool:
    return bool(form.cleaned_data.get("DELETE"))


def _authors(forms) -> list:
    return [
        f.cleaned_data["author"] for f in forms if not _deleted(f) and f.cleaned_data.get("author")
    ]


def _moves(forms) -> list[dict]:
    return [
        {name: f.cleaned_data.get(name, "") for name in MOVE_FIELDS}
        for f in forms
        if not _deleted(f) and any(f.cleaned_data.get(name) for name in MOVE_FIELDS)
    ]


def _corrections(forms) -> list[CorrectionChange]:
    return [
        CorrectionChange(
            note=f.cleaned_data.get("note", ""),
            created_at=f.cleaned_data.get("created_at"),
            id=f.instance.pk,
            delete=_deleted(f),
        )
        for f in forms
        if f.has_changed() and (f.instance.pk is not None or f.cleaned_data.get("note"))
    ]


def _notes(forms) -> list[str]:
    return [
        f.cleaned_data["text"]
        for f in forms
        if f.instance.pk is None and not _deleted(f) and f.cleaned_data.get("text", "").strip()
    ]


def _preview_links(forms) -> list[PreviewLinkChange]:
    return [
        PreviewLinkChange(
            expires_at=f.cleaned_data["expires_at"],
            id=f.instance.pk,
            revoke=bool(f.cleaned_data.get("revoke")),
        )
        for f in forms
        if f.has_changed() and not _deleted(f) and f.cleaned_data.get("expires_at")
    ]


_READERS = {
    "authors": _authors,
    "moves": _moves,
    "corrections": _corrections,
    "notes": _notes,
    "preview_links": _preview_links,
}

import datetime

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from base import limits
from base.markdown import render_markdown

from . import services, stash
from .forms import (
    LostLinkForm,
    MoveFormSet,
    SimulationFields,
    SubmissionForm,
    WithdrawForm,
    moves_from,
)
from .models import SCENARIO_MAX_CHARS, Attachment, Call, Submission
from .uploads import MAX_BYTES, MAX_FILES


def _plain_text_note() -> str:
    # Translated per request (the preview answers in the page's language), so not a constant.
    return (
        "<p><em>"
        + _(
            "This Markdown is too intricate to format, so it is shown as plain text: "
            "use fewer brackets and markers."
        )
        + "</em></p>"
    )


class _SkipFiles(FileUploadHandler):
    """Reads the text of a form that is refused anyway, and none of its files."""

    def __init__(self, request=None):
        super().__init__(request)
        self.skipped = 0

    def new_file(self, *args, **kwargs):
        self.skipped += 1
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _limited() -> str:
    return _(
        "This form has been sent from your address too often in the last hour, so we cannot "
        "take it now. Everything you typed is still here: send it again in an hour."
    )


def _size_guard(request: HttpRequest) -> HttpResponse | None:
    """A body longer than five full attachments and the text is refused unread."""
    if limits.body_too_large(request, settings.SUBMISSIONS_MAX_REQUEST_BYTES):
        return render(
            request,
            "submissions/too_large.html",
            {
                "max_files": MAX_FILES,
                "max_megabytes": MAX_BYTES // (1024 * 1024),
                "editors_email": settings.EDITORS_EMAIL,
            },
            status=413,
        )
    return None


def _submission_guard(request: HttpRequest) -> HttpResponse | None:
    """Before the body is parsed: refuse one too large (413), count every POST against the
    flood bound, and see whether this address has used up its submissions. A refused form
    is still read, without its files, so that the contributor keeps what they typed."""
    if (too_large := _size_guard(request)) is not None:
        return too_large
    flooding = limits.count(
        request, group="submissions-posts", rate=settings.SUBMISSIONS_POST_LIMIT
    )
    if flooding or limits.used_up(
        request, group="submissions", rate=settings.SUBMISSIONS_RATE_LIMIT
    ):
        request.refused_files = _SkipFiles(request)
        request.upload_handlers = [request.refused_files]
    return None


@limits.checked_before_the_body(_submission_guard)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, call_slug: str | None = None) -> HttpResponse:
    call = get_object_or_404(Call, slug=call_slug) if call_slug else None
    if call is not None and not call.accepts_submissions:
        return render(request, "submissions/call_closed.html", {"call": call}, status=410)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    moves = MoveFormSet(request.POST or None, prefix="moves")
    status = 200
    refused = getattr(request, "refused_files", None)
    if request.method == "POST":
        if refused is not None:
            form.add_error(None, _limited())
            status = 429
        elif form.is_valid() and moves.is_valid():
            limits.count(request, group="submissions", rate=settings.SUBMISSIONS_RATE_LIMIT)
            if not form.is_from_a_bot:
                services.submission_create(
                    data=form.submission_data,
                    moves=moves_from(moves),
                    files=form.cleaned_data["attachments"],
                    call=call,
                    kept=form.kept,
                )
            return redirect("submissions:sent")
        else:
            status = 400
        if status != 200:
            _keep_good_files(form)
    return render(
        request,
        "submissions/submit.html",
        {
            "form": form,
            "moves": moves,
            "call": call,
            "open_calls": Call.objects.open(),
            "files_dropped": _files_lost(request, form, status),
            "limited": status == 429,
            "files_not_read": refused is not None and refused.skipped > 0,
            "editors_email": settings.EDITORS_EMAIL,
        },
        status=status,
    )


def _files_lost(request: HttpRequest, form, status: int) -> bool:
    """Some chosen files were refused or could not be kept: say so."""
    chosen = len(request.FILES.getlist("attachments"))
    return status != 200 and chosen > len(getattr(form, "good_uploads", []))


def _keep_good_files(form) -> None:
    """The form comes back: carry the files that passed their checks to the next try."""
    kept = form.kept + stash.keep(form.good_uploads)
    data = form.data.copy()
    data["kept_files"] = stash.token(kept)
    form.data = data
    form.kept_list = kept


def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/sent.html", {"days": settings.SUBMISSIONS_UNCONFIRMED_DAYS})


@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """The scenario as it will look, for the form's preview (the same renderer as articles)."""
    if limits.count(
        request, group="submissions-preview", rate=settings.SUBMISSIONS_PREVIEW_RATE_LIMIT
    ):
        return JsonResponse({"error": _("Too many previews; wait a few minutes.")}, status=429)
    scenario = request.POST.get("scenario", "").replace("\r\n", "\n")
    if len(scenario) > SCENARIO_MAX_CHARS:
        message = ngettext(
            "The scenario can be up to %(limit)s character and has %(count)s; "
            "shorten it to see the preview.",
            "The scenario can be up to %(limit)s characters and has %(count)s; "
            "shorten it to see the preview.",
            SCENARIO_MAX_CHARS,
        ) % {
            "limit": number_format(SCENARIO_MAX_CHARS, force_grouping=True),
            "count": number_format(len(scenario), force_grouping=True),
        }
        return JsonResponse({"error": message}, status=400)
    rendered = render_markdown(scenario)
    note = _plain_text_note() if rendered.as_plain_text else ""
    return JsonResponse({"html": note + rendered.html})


def _by_secret(field: str, secret: str) -> Submission:
    submission = Submission.objects.filter(**{field: secret}, purged_at=None).first()
    if submission is None or submission.status == Submission.Status.SPAM:
        raise Http404("This link is not valid.")
    return submission


def _tracked(secret: str) -> Submission:
    """The submission behind a tracking link: nothing of it (page, files) is there until its
    contributor has confirmed the address."""
    submission = _by_secret("tracking_secret", secret)
    if submission.status == Submission.Status.UNCONFIRMED:
        raise Http404("This link is not valid yet.")
    return submission


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, secret: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST confirms.
    A link already used, or a second click racing the first, lands on the tracking page."""
    submission = _by_secret("confirm_secret", secret)
    if submission.status != Submission.Status.UNCONFIRMED:
        return redirect("submissions:track", submission.tracking_secret)
    expired = submission.created_at < timezone.now() - datetime.timedelta(
        days=settings.SUBMISSIONS_UNCONFIRMED_DAYS
    )
    if expired:
        return render(request, "submissions/link_expired.html", status=410)
    if request.method == "GET":
        return render(request, "submissions/confirm.html", {"submission": submission})
    if not services.submission_confirm(submission=submission):
        return redirect("submissions:track", submission.tracking_secret)
    return render(request, "submissions/confirmed.html", {"submission": submission})


@never_cache
@limits.checked_before_the_body(_size_guard)
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, secret: str) -> HttpResponse:
    submission = _tracked(secret)
    form = moves = None
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        # A tracking page open since the one-click form: withdrawing is confirmed first.
        return redirect("submissions:withdraw", secret)
    if submission.status == Submission.Status.REVISION_REQUESTED:
        form, moves, done = _revise(request, submission)
        if done:
            return redirect("submissions:track", secret)
    return _track_page(request, submission, form=form, moves=moves)


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, secret: str) -> HttpResponse:
    """Withdrawing cannot be undone, so it takes a second step: this page says what it means
    and asks for a ticked box. A GET (a mail scanner, a prefetch) never withdraws."""
    submission = _tracked(secret)
    still_open = submission.status in services.OPEN_STATUSES
    if request.method == "GET" and not still_open:
        return redirect("submissions:track", secret)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    # Decided meanwhile (another tab): the service says why, whatever the box.
    if still_open and not form.is_valid():
        return _withdraw_page(request, submission, form, status=400 if form.is_bound else 200)
    try:
        services.submission_withdraw(submission=submission)
    except services.TransitionError as error:
        return _track_page(request, submission, error=" ".join(error.messages), status=409)
    return redirect("submissions:track", secret)


def _withdraw_page(request, submission, form, status=200):
    return render(
        request,
        "submissions/withdraw.html",
        {
            "submission": submission,
            "form": form,
            "retention_days": settings.SUBMISSIONS_RETENTION_DAYS,
        },
        status=status,
    )


def _revise(request: HttpRequest, submission: Submission):
    current = list(submission.attachments.filter(removed_in_round=None))
    if request.method == "POST":
        form = SimulationFields(request.POST, request.FILES, instance=submission)
        removed = [int(pk) for pk in request.POST.getlist("remove_attachment") if pk.isdigit()]
        form.existing_files = len([a for a in current if a.pk not in removed])
        moves = MoveFormSet(request.POST, prefix="moves")
        if form.is_valid() and moves.is_valid():
            services.submission_resubmit(
                submission=Submission.objects.get(pk=submission.pk),
                data=form.submission_data,
                moves=moves_from(moves),
                files=form.cleaned_data["attachments"],
                removed=removed,
            )
            return form, moves, True
        return form, moves, False
    form = SimulationFields(instance=submission)
    form.existing_files = len(current)
    moves = MoveFormSet(
        prefix="moves",
        initial=[
            {f: getattr(m, f) for f in ("phase", "actor", "action", "expected_response")}
            for m in submission.moves.all()
        ],
    )
    return form, moves, False


def _track_page(request, submission, form=None, moves=None, error="", status=200):
    events = submission.events.exclude(to_status=Submission.Status.UNCONFIRMED)
    return render(
        request,
        "submissions/track.html",
        {
            "submission": submission,
            "events": events,
            "attachments": submission.attachments.filter(removed_in_round=None),
            "can_withdraw": submission.status in services.OPEN_STATUSES,
            "form": form,
            "moves": moves,
            "error": error,
            "article": getattr(submission, "article", None),
        },
        status=status,
    )


def attachment_response(attachment: Attachment) -> FileResponse:
    """A contributor's file, always as a download and never sniffed into something else."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def track_file(request: HttpRequest, secret: str, attachment_id: int) -> FileResponse:
    submission = _tracked(secret)
    attachment = get_object_or_404(submission.attachments, pk=attachment_id)
    return attachment_response(attachment)


@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest) -> HttpResponse:
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if limits.count(request, group="lost-link", rate=settings.LOST_LINK_RATE_LIMIT):
            return render(
                request,
                "submissions/lost_link.html",
                {"form": form, "limited": True, "editors_email": settings.EDITORS_EMAIL},
                status=429,
            )
        # Past the mailbox's limit nothing is sent; the answer stays the same.
        if not limits.count(
            request,
            group="lost-link-mailbox",
            rate=settings.LOST_LINK_MAILBOX_RATE_LIMIT,
            key=limits.by_mailbox(email),
        ):
            services.submission_resend_links(email=email)
        return render(request, "submissions/lost_link_sent.html")
    return render(request, "submissions/lost_link.html", {"form": form})

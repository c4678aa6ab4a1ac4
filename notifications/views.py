from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Region, Topic
from base import limits

from . import follows
from .forms import FollowForm, ManageForm
from .models import Follower


def _follower(secret: str) -> Follower:
    follower = Follower.objects.filter(secret=secret).first()
    if follower is None:
        raise Http404("This link is not valid.")
    return follower


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if limits.count(request, group="follow", rate=settings.FOLLOW_RATE_LIMIT):
                context = {"form": form, "limited": True, "editors_email": settings.EDITORS_EMAIL}
                return render(request, "notifications/follow.html", context, status=429)
            # Past the mailbox's limit nothing is sent; the answer stays the same.
            if not limits.count(
                request,
                group="follow-mailbox",
                rate=settings.FOLLOW_MAILBOX_RATE_LIMIT,
                key=limits.by_mailbox(email),
            ):
                follows.follower_request(email=email, choice=form.choice)
            return redirect("notifications:follow_sent")
    else:
        form = FollowForm(initial=_preselected(request))
    return render(request, "notifications/follow.html", {"form": form})


def _preselected(request: HttpRequest) -> dict:
    """`/follow/?topic=drones&region=armenia` arrives with those boxes ticked."""
    return {
        "topics": Topic.objects.filter(slug__in=request.GET.getlist("topic")),
        "regions": Region.objects.filter(slug__in=request.GET.getlist("region")),
    }


def follow_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/follow_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, secret: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST confirms."""
    follower = _follower(secret)
    if follower.unsubscribed_at is not None:
        return render(request, "notifications/unsubscribed.html", {"again": True})
    if request.method == "GET" and follower.confirmed_at is None:
        return render(request, "notifications/confirm.html", {"follower": follower})
    newly = request.method == "POST" and follows.follower_confirm(follower=follower)
    return render(
        request,
        "notifications/confirmed.html",
        {"follower": follower, "newly": newly, "manage_url": follower.link("manage")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, secret: str) -> HttpResponse:
    follower = _follower(secret)
    if not follower.is_active:
        return render(request, "notifications/not_active.html", {"follower": follower}, status=410)
    saved = False
    if request.method == "POST":
        form = ManageForm(request.POST)
        if form.is_valid():
            follows.follower_update(follower=follower, choice=form.choice)
            saved = True
    else:
        form = ManageForm(
            initial={
                "topics": follower.topics.all(),
                "regions": follower.regions.all(),
                "frequency": follower.frequency,
            }
        )
    return render(
        request,
        "notifications/manage.html",
        {"form": form, "follower": follower, "saved": saved},
    )


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST here with no cookie and no token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, secret: str) -> HttpResponse:
    follower = _follower(secret)
    if request.method == "GET":
        # Link scanners follow GET links in mail; only a POST unsubscribes.
        return render(request, "notifications/unsubscribe.html", {"follower": follower})
    newly = follows.follower_unsubscribe(follower=follower)
    return render(request, "notifications/unsubscribed.html", {"newly": newly})

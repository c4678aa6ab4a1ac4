from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from newsroom.demo.loader import DEMO_USERS, DemoLoad, load_demo

DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 - the documented local demo login


class Command(BaseCommand):
    help = (
        "Load the demo content (authors, series, topics, regions, articles) and the demo "
        "editor and writer. Safe to run again: it changes only what is missing or differs "
        "from the demo files, never a demo user's password, never an article edited since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="for the demo users it creates"
        )

    def handle(self, *args, password: str, **options):
        load = load_demo(password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content: " + ", ".join(f"{n} {what}" for what, n in load.counts.items())
            )
            + "; "
            + _changes(load)
        )
        if load.kept:
            self.stdout.write(
                "  Edited in the admin since they were loaded, left as they are: "
                + ", ".join(load.kept)
            )
        for demo_user in DEMO_USERS:
            # Set when the user was created only: a password changed since is kept.
            login = f"password {password!r}"
            if demo_user.username not in load.new_users:
                login += " unless you changed it"
            self.stdout.write(
                f"  Demo {demo_user.role}: {settings.SITE_URL}/admin/  "
                f"user {demo_user.username!r}  {login}"
            )


def _changes(load: DemoLoad) -> str:
    parts = []
    if load.added:
        n = len(load.added)
        parts.append(ngettext("%d article added", "%d articles added", n) % n)
    if load.updated:
        n = len(load.updated)
        parts.append(ngettext("%d article updated", "%d articles updated", n) % n)
    if load.other_changes:
        n = load.other_changes
        parts.append(ngettext("%d other row written", "%d other rows written", n) % n)
    return ", ".join(parts) if parts else "nothing to change"

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.demo.loader import DEMO_USERS, load_demo

DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 - the documented local demo login


class Command(BaseCommand):
    help = (
        "Load the demo content (authors, series, topics, regions, articles) and the demo "
        "editor and writer. Safe to run again: it updates what is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="for the demo users")

    def handle(self, *args, password: str, **options):
        counts = load_demo(password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content loaded: " + ", ".join(f"{n} {what}" for what, n in counts.items())
            )
        )
        for user in DEMO_USERS:
            self.stdout.write(
                f"  Demo {user.group[:-1].lower()}: {settings.SITE_URL}/admin/  "
                f"user {user.username!r}  password {password!r}"
            )

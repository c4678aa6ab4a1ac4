from django.core.management.base import BaseCommand

from articles.services import publish_due


class Command(BaseCommand):
    help = "Publish the scheduled articles whose time has come (what the beat task does)."

    def handle(self, *args, **options):
        published = publish_due()
        self.stdout.write(f"Published {len(published)} scheduled article(s).")

from django.core.management.base import BaseCommand

from articles.search_help import search_words_rebuild


class Command(BaseCommand):
    help = (
        'Count again the words "did you mean" offers, from the public articles only '
        "(PostgreSQL; run it after a bulk import, or let the periodic task do it)."
    )

    def handle(self, *args, **options):
        kept = search_words_rebuild()
        self.stdout.write(f"{kept} words listed.")

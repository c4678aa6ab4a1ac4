from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import crossref
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Write a Crossref deposit file (schema 5.4.0) for published articles with a DOI. "
        "Nothing is sent unless --deposit is given and Crossref is configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="+", metavar="slug")
        parser.add_argument("--output", "-o", help="File to write (default: crossref-<slug>.xml)")
        parser.add_argument(
            "--deposit",
            action="store_true",
            help="Also send it to CROSSREF_DEPOSIT_URL (needs CROSSREF_USERNAME/PASSWORD).",
        )

    def handle(self, *args, slugs, output=None, deposit=False, **options):
        found = Article.objects.published().for_citation().in_bulk(slugs, field_name="slug")
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError("Not published (or no such article): " + ", ".join(missing))
        try:
            xml = crossref.deposit_xml([found[slug] for slug in slugs])
        except crossref.CrossrefError as error:
            raise CommandError(str(error)) from error
        path = Path(output or f"crossref-{slugs[0]}.xml")
        path.write_bytes(xml)
        self.stdout.write(f"Wrote {path} ({len(slugs)} article(s)).")
        if deposit:
            if not crossref.deposit_configured():
                raise CommandError(
                    "Not sent: set CROSSREF_DEPOSIT_URL, CROSSREF_USERNAME and CROSSREF_PASSWORD."
                )
            status = crossref.deposit(xml, path.name)
            self.stdout.write(f"Sent to Crossref: HTTP {status}.")

import io
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.forms import STARTED_SALT
from tests.factories import RegionFactory, TopicFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from submissions.models import private_storage

    private_storage._location = str(settings.PRIVATE_MEDIA_ROOT)
    private_storage.__dict__.pop("base_location", None)
    private_storage.__dict__.pop("location", None)


def _running_after_commit(client, capture_on_commit):
    """`client`, running what each of its requests leaves for after the commit (e-mails)."""

    class _Client:
        def __getattr__(self, name):
            method = getattr(client, name)
            if name not in ("get", "post"):
                return method

            def call(*args, **kwargs):
                with capture_on_commit(execute=True):
                    return method(*args, **kwargs)

            return call

    return _Client()


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    return _running_after_commit(client, django_capture_on_commit_callbacks)


@pytest.fixture
def editor_client(editor_client, django_capture_on_commit_callbacks):
    return _running_after_commit(editor_client, django_capture_on_commit_callbacks)


@pytest.fixture
def vocabulary(db):
    return {
        "armenia": RegionFactory(name="Armenia", slug="armenia"),
        "iran": RegionFactory(name="Iran", slug="iran"),
        "corridors": TopicFactory(name="Transport corridors", slug="corridors"),
    }


def pdf(name: str = "annex.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")


def filled_submission_form(
    vocabulary, moves: int = 2, seconds_ago: float = 30, **overrides
) -> dict:
    """A new, complete and valid submission, as a contributor's browser would send it.

    Made up here, not read from the page (that is `tests.forms.form_as_shown`)."""
    data = {
        "full_name": "Nare Hakobyan",
        "email": "nare@example.org",
        "phone": "+374 10 123456",
        "professional_title": "Research Associate",
        "affiliation": "Independent",
        "bio": "Nare studies transit politics in the South Caucasus.",
        "title": "A month without the Meghri road",
        "summary": "What happens if the road to the Iranian border closes for a month.",
        "scenario": "## Setting\n\nThe only road south is closed by a landslide.",
        "actor_regions": [vocabulary["armenia"].pk, vocabulary["iran"].pk],
        "actors_other": "Trucking associations",
        "assumptions": "No side wants a war.",
        "outcomes": "Trade falls; politics matter more than economics.",
        "proposed_topics": [vocabulary["corridors"].pk],
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT),
        "moves-TOTAL_FORMS": str(moves),
        "moves-INITIAL_FORMS": "0",
        "moves-MIN_NUM_FORMS": "1",
        "moves-MAX_NUM_FORMS": "40",
    }
    for i in range(moves):
        data |= {
            f"moves-{i}-phase": f"Day {i + 1}",
            f"moves-{i}-actor": ["Armenia", "Iran", "Russia"][i % 3],
            f"moves-{i}-action": f"Action number {i + 1}",
            f"moves-{i}-expected_response": f"Response number {i + 1}",
        }
    return data | overrides


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()

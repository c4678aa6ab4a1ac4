"""The translation lifecycle: a translation goes stale when its source's text moves and is
current again once brought up to date; shared facts kept in step; translators per
language; an outside translator's link; a machine's draft never published unread."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.models import Article, TranslationInvite, TranslationProposal
from articles.revisions import versions_of
from articles.services import (
    ArticleParts,
    TransitionError,
    article_publish,
    article_update,
    translations,
)
from base.roles import TRANSLATORS, can_edit
from tests.conftest import signed_in
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory, UserFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db

BODY = "The corridor reopened in April.\n\nLorries wait two days at the border."


@pytest.fixture
def source(editor):
    article = ArticleFactory(title="Border posts", dek="Who holds the road.", body=BODY)
    article.topics.add(TopicFactory(name="Transport"))
    return article


@pytest.fixture
def anna(db):
    """Anna translates into Russian, and only Russian."""
    return UserFactory(username="anna", first_name="Anna", groups=[TRANSLATORS.format("ru")])


def _start(source, language, by):
    return translations.translation_start(source=source, language=language, by=by)


def _edit_source(source, by, *, body, minor=False):
    source.body = body
    article_update(article=source, by=by, changed=["body"], minor=minor)


def test_a_translation_starts_as_a_draft_with_the_sources_text_and_shared_facts(source, editor):
    russian = _start(source, "ru", editor)
    assert russian.status == Article.Status.DRAFT
    assert (russian.language, russian.translation_of, russian.translation_key) == (
        "ru",
        source,
        source.translation_key,
    )
    assert russian.body == BODY and [t.name for t in russian.topics.all()] == ["Transport"]
    assert russian.source_revision == versions_of(source).first()
    assert russian.stale_since is None
    with pytest.raises(TransitionError, match="has a Русский edition already"):
        _start(source, "ru", editor)


def test_an_edit_of_the_sources_text_makes_its_translation_stale_until_it_follows_again(
    source, editor
):
    russian = _start(source, "ru", editor)
    _edit_source(source, editor, body=BODY.replace("April", "May"))
    russian.refresh_from_db()
    assert russian.stale_since is not None

    translations.translation_follow(translation=russian, by=editor)
    russian.refresh_from_db()
    assert russian.stale_since is None
    assert russian.source_revision == versions_of(source).first()


def test_a_minor_edit_leaves_translations_current(source, editor):
    russian = _start(source, "ru", editor)
    _edit_source(source, editor, body=BODY.replace("reopened", "re-opened"), minor=True)
    russian.refresh_from_db()
    assert russian.stale_since is None


def test_shared_facts_are_kept_in_step_and_a_translations_form_does_not_take_them(source, editor):
    russian = _start(source, "ru", editor)
    energy = TopicFactory(name="Energy")
    author = AuthorFactory(name="Nino Beridze")
    article_update(
        article=source,
        by=editor,
        changed=[],
        parts=ArticleParts(topics=[energy], authors=[author]),
    )
    russian.refresh_from_db()
    assert [t.name for t in russian.topics.all()] == ["Energy"]
    assert [a.name for a in russian.ordered_authors()] == ["Nino Beridze"]
    assert russian.stale_since is None  # facts, not text
    page = signed_in(editor).get(f"/admin/articles/article/{russian.pk}/change/")
    assert 'name="topics"' not in page.text and 'id="bylines-group"' not in page.text
    assert "kept in step with it" in page.text


def test_a_translator_edits_drafts_of_their_language_only(source, editor, anna):
    russian = _start(source, "ru", anna)
    georgian = _start(source, "ka", editor)
    assert can_edit(anna, russian)
    assert not can_edit(anna, georgian)
    assert not can_edit(anna, source)
    with pytest.raises(TransitionError, match="do not translate into"):
        _start(source, "hy", anna)

    client = signed_in(anna)
    assert client.get(f"/admin/articles/article/{russian.pk}/change/").status_code == 200
    refused = client.post(
        f"/admin/articles/article/{georgian.pk}/change/", {"title": "Anna's title"}
    )
    assert refused.status_code in (302, 403)
    georgian.refresh_from_db()
    assert georgian.title == source.title
    # Editors publish: once public, the translator reads it but no longer changes it.
    article_publish(article=russian, by=editor)
    russian.refresh_from_db()
    assert not can_edit(anna, russian)


def test_the_translators_group_exists_for_every_edition_language(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {TRANSLATORS.format(code) for code in ("ru", "az", "hy", "ka", "fa")} <= names


def test_the_editor_starts_a_translation_from_the_change_form(source, editor):
    client = signed_in(editor)
    form = client.get(f"/admin/articles/article/{source.pk}/change/")
    assert "Translate into" in form.text and 'value="fa"' in form.text
    started = client.post(f"/admin/articles/article/{source.pk}/translate/", {"language": "fa"})
    persian = Article.objects.get(translation_of=source, language="fa")
    assert started["Location"] == f"/admin/articles/article/{persian.pk}/change/"
    page = client.get(started["Location"])
    assert 'dir="rtl"' in page.text  # the text is typed right to left
    assert "Translation of" in page.text


def test_a_stale_translation_shows_the_sources_changes_beside_it_and_is_cleared(source, editor):
    russian = _start(source, "ru", editor)
    _edit_source(source, editor, body=BODY.replace("two days", "three days"))
    client = signed_in(editor)
    form = client.get(f"/admin/articles/article/{russian.pk}/change/")
    assert "Stale since" in form.text
    assert "<ins>three</ins>" in form.text  # the source's changes, on opening it
    beside = client.get(f"/admin/articles/article/{russian.pk}/translation/")
    assert "<del>two</del>" in beside.text and "<ins>three</ins>" in beside.text
    cleared = client.post(f"/admin/articles/article/{russian.pk}/translation/")
    assert cleared.status_code == 302
    russian.refresh_from_db()
    assert russian.stale_since is None
    assert "Stale since" not in client.get(cleared["Location"]).text


def test_the_status_page_has_a_cell_per_language_with_filters_and_counts(source, editor):
    _start(source, "ru", editor)
    other = ArticleFactory(title="Gas prices", body="Text.")
    _edit_source(source, editor, body=BODY + "\n\nA new paragraph.")
    _start(source, "hy", editor)  # made from the new text: current
    client = signed_in(editor)
    page = client.get("/admin/articles/article/translations/")
    row = page.text.split("Border posts", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'translation-state--(\w+)"', row)
    assert cells == ["source", "stale", "missing", "draft", "missing", "missing"]
    stale = client.get("/admin/articles/article/translations/?language=ru&state=stale")
    assert "Border posts" in stale.text and "Gas prices" not in stale.text
    missing_hy = client.get("/admin/articles/article/translations/?language=hy&state=missing")
    assert "Gas prices" in missing_hy.text and "Border posts" not in missing_hy.text
    assert other.pk


def test_an_outside_translators_link_journey(source, editor):
    russian = _start(source, "ru", editor)
    client = signed_in(editor)
    client.post(
        f"/admin/articles/article/{russian.pk}/translation/invite/",
        {"translator_name": "Irina Petrova", "translator_email": "irina@example.org"},
    )
    invite = TranslationInvite.objects.get(article=russian)
    link = invite.get_absolute_url()
    stranger = Client()
    page = stranger.get(link)
    assert page.status_code == 200
    assert "Lorries wait two days at the border." in page.text
    assert "irina@example.org" not in page.text
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]

    # An empty paragraph is refused with what was typed kept.
    refused = stranger.post(
        link, {"title": "Пограничные посты", "p0": "Коридор открылся.", "p1": ""}
    )
    assert refused.status_code == 400
    assert "empty: 2" in refused.text and "Коридор открылся." in refused.text

    sent = stranger.post(
        link,
        {
            "title": "Пограничные посты",
            "dek": "Кто держит дорогу.",
            "p0": "Коридор открылся в апреле.",
            "p1": "Грузовики ждут на границе два дня.",
        },
    )
    assert sent.status_code == 200 and "reached the editors" in sent.text
    russian.refresh_from_db()
    assert russian.status == Article.Status.REVIEW
    assert russian.body == "Коридор открылся в апреле.\n\nГрузовики ждут на границе два дня."
    assert (
        "Irina Petrova"
        in versions_of(russian).filter(revision__comment__contains="Irina")[0].revision.comment
    )

    # Revoked: the link stops working.
    client.post(f"/admin/articles/article/translation/invites/{invite.pk}/revoke/")
    assert stranger.get(link).status_code == 410
    assert stranger.get(link[:-3] + "xx/").status_code == 404


def test_an_expired_link_is_refused(source, editor):
    russian = _start(source, "ru", editor)
    invite = translations.invite_create(translation=russian, name="Irina", email="", by=editor)
    TranslationInvite.objects.filter(pk=invite.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Client().get(invite.get_absolute_url()).status_code == 410


def test_an_update_of_a_public_translation_waits_for_an_editor(source, editor):
    russian = _start(source, "ru", editor)
    russian.title, russian.body = "Пограничные посты", "Первый.\n\nВторой."
    article_update(article=russian, by=editor, changed=["title", "body"])
    article_publish(article=russian, by=editor)
    _edit_source(source, editor, body=BODY.replace("April", "May"))
    invite = translations.invite_create(translation=russian, name="Irina", email="", by=editor)
    page = Client().get(invite.get_absolute_url())
    assert "<ins>May" in page.text  # the source's change, shown to the translator
    Client().post(
        invite.get_absolute_url(),
        {"title": "Пограничные посты", "p0": "Коридор открылся в мае.", "p1": "Второй."},
    )
    russian.refresh_from_db()
    assert russian.body == "Первый.\n\nВторой."  # readers still see the published text
    proposal = TranslationProposal.objects.get(article=russian)
    form = signed_in(editor).get(f"/admin/articles/article/{russian.pk}/change/")
    assert "Irina sent a new translation" in form.text and "<ins>" in form.text

    signed_in(editor).post(f"/admin/articles/article/translation/proposals/{proposal.pk}/apply/")
    russian.refresh_from_db()
    assert russian.body == "Коридор открылся в мае.\n\nВторой."
    assert russian.stale_since is None


def test_a_machine_translation_is_not_published_before_review(source, editor):
    machine = translations.translation_start(
        source=source, language="ka", by=editor, prefill={"title": "საზღვარი"}
    )
    assert machine.machine_translated
    with pytest.raises(TransitionError, match="machine translation nobody has reviewed"):
        article_publish(article=machine, by=editor)
    machine.machine_translated = False
    article_update(article=machine, by=editor, changed=["machine_translated"])
    article_publish(article=machine, by=editor)
    machine.refresh_from_db()
    assert machine.status == Article.Status.PUBLISHED


def test_the_dashboard_shows_a_translator_the_work_in_their_languages(source, editor, anna):
    russian = _start(source, "ru", editor)
    russian.title = "Пограничные посты"
    article_update(article=russian, by=editor, changed=["title"])
    georgian = _start(source, "ka", editor)
    georgian.title = "სასაზღვრო პუნქტები"
    article_update(article=georgian, by=editor, changed=["title"])
    _edit_source(source, editor, body=BODY.replace("April", "May"))
    page = signed_in(anna).get("/admin/").text
    block = page.split('id="ws-translations"', 1)[1].split("</section>", 1)[0]
    assert "Пограничные посты" in block and "stale since" in block
    assert "სასაზღვრო" not in block
    status = signed_in(anna).get("/admin/articles/article/translations/?mine=1").text
    assert "Border posts" in status


def test_an_editor_publishes_a_translation_from_its_form_with_the_sources_byline(source, editor):
    """The translation's form holds no byline (it is its source's): neither the checks
    panel nor publishing take that for "no author"."""
    source_author = AuthorFactory(name="Nino Beridze")
    article_update(
        article=source, by=editor, changed=[], parts=ArticleParts(authors=[source_author])
    )
    russian = _start(source, "ru", editor)
    client = signed_in(editor)
    url = f"/admin/articles/article/{russian.pk}/change/"
    data = form_as_shown(client.get(url).text, "article_form")
    data |= {"title": ["Пограничные посты"], "dek": ["Кто держит дорогу."]}
    panel = client.post(
        "/admin/articles/article/preview/", data | {"_article": [str(russian.pk)]}
    ).json()["checks"]
    assert [c["message"] for c in panel if c["level"] == "error"] == []
    published = client.post(url, data | {"_transition": ["publish"]})
    assert published.status_code == 302, published.context["adminform"].form.errors
    russian.refresh_from_db()
    assert russian.status == Article.Status.PUBLISHED
    assert [a.name for a in russian.ordered_authors()] == ["Nino Beridze"]


ENGINE = "tests.articles.test_translation_engines.UpperCaseEngine"


def test_the_editor_prefills_with_the_engine_and_the_draft_is_marked_unreviewed(
    source, editor, settings
):
    settings.TRANSLATION_ENGINE = {"BACKEND": ENGINE, "OPTIONS": {"prefix": "ka:"}}
    client = signed_in(editor)
    assert (
        "Pre-fill with the translation engine"
        in client.get(f"/admin/articles/article/{source.pk}/change/").text
    )
    client.post(
        f"/admin/articles/article/{source.pk}/translate/", {"language": "ka", "machine": "1"}
    )
    georgian = Article.objects.get(translation_of=source, language="ka")
    assert georgian.machine_translated
    assert georgian.title == "ka:BORDER POSTS"
    assert "ka:LORRIES WAIT TWO DAYS AT THE BORDER." in georgian.body
    form = client.get(f"/admin/articles/article/{georgian.pk}/change/").text
    assert "machine translation nobody has reviewed" in form


def test_a_misconfigured_engine_is_told_and_the_translation_starts_from_the_source(
    source, editor, settings
):
    settings.TRANSLATION_ENGINE = {"BACKEND": "nowhere.Engine"}
    client = signed_in(editor)
    answer = client.post(
        f"/admin/articles/article/{source.pk}/translate/",
        {"language": "hy", "machine": "1"},
        follow=True,
    )
    assert answer.status_code == 200
    assert "did not answer" in answer.text
    armenian = Article.objects.get(translation_of=source, language="hy")
    assert armenian.body == BODY and not armenian.machine_translated


def test_the_translator_form_offers_what_the_memory_holds(source, editor):
    """A paragraph translated before (a rights notice) fills its box again; a near one is
    offered, marked as such."""
    notice = "Republished with permission of the Center; all rights reserved, 2025."
    earlier = ArticleFactory(title="Earlier", body="An older first paragraph.\n\n" + notice)
    earlier_ru = _start(earlier, "ru", editor)
    earlier_ru.title = "Раньше"
    earlier_ru.body = (
        "Более старый первый абзац.\n\nПерепечатано с разрешения Центра; все права защищены, 2025."
    )
    article_update(article=earlier_ru, by=editor, changed=["title", "body"])
    translations.translation_follow(translation=earlier_ru, by=editor)

    source.body = BODY + "\n\n" + notice + "\n\n" + notice.replace("2025", "2026")
    article_update(article=source, by=editor, changed=["body"])
    russian = _start(source, "ru", editor)
    invite = translations.invite_create(translation=russian, name="Irina", email="", by=editor)
    page = Client().get(invite.get_absolute_url()).text
    assert page.count("Перепечатано с разрешения Центра; все права защищены, 2025.") == 2
    assert "Filled from the translation memory" in page
    assert "Closest earlier translation" in page


def test_the_translator_form_refuses_what_save_refuses_with_the_text_kept(source, editor):
    russian = _start(source, "ru", editor)
    link = translations.invite_create(translation=russian, name="I", email="", by=editor)
    url = link.get_absolute_url()
    nul = Client().post(url, {"title": "Посты\x00", "p0": "Один.", "p1": "Два."})
    assert nul.status_code == 400 and "Один." in nul.text
    huge = Client().post(url, {"title": "Посты", "p0": "а" * 300_001, "p1": "Два."})
    assert huge.status_code == 400 and "The body:" in huge.text
    russian.refresh_from_db()
    assert russian.body == BODY  # nothing written


def test_a_public_translation_says_when_its_original_was_revised_after_it(client, source, editor):
    russian = _start(source, "ru", editor)
    russian.title, russian.slug = "Пограничные посты", ""
    article_update(article=russian, by=editor, changed=["title"])
    article_publish(article=russian, by=editor)
    russian.refresh_from_db()
    page = client.get(russian.get_absolute_url()).text
    assert "Перевод с оригинала:" in page
    assert source.get_absolute_url() in page
    assert "after this translation was made" not in page

    _edit_source(source, editor, body=BODY.replace("April", "May"))
    page = client.get(russian.get_absolute_url()).text
    revised = page.split('class="translation-note"', 1)[1].split("</p>", 1)[0]
    assert "<strong>" in revised  # the original was revised after it, said on the page

    translations.translation_follow(translation=russian, by=editor)
    page = client.get(russian.get_absolute_url()).text
    assert "<strong>" not in page.split('class="translation-note"', 1)[1].split("</p>", 1)[0]

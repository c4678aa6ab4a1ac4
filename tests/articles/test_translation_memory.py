"""The translation memory: paragraphs translated before are offered again, exactly or as the
closest earlier one (articles/translation_memory.py)."""

import pytest
import reversion
from django.db import connection
from reversion.models import Version

from articles.models import TranslationUnit
from articles.translation_memory import memory_record, memory_suggest, split_blocks
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOTICE = (
    "Exclusive report. Republishing requires credit to the Caucasus Center for Strategic "
    "and International Studies."
)
NOTICE_RU = (
    "Эксклюзивный доклад. При перепечатке ссылка на Кавказский центр стратегических и "
    "международных исследований обязательна."
)
ABOUT = (
    "Anna Grigoryan is a Senior Fellow at the Center, where she works on Armenia–Iran "
    "relations and transport corridors."
)
ABOUT_RU = (
    "Анна Григорян — старший научный сотрудник Центра; она занимается армяно-иранскими "
    "отношениями и транспортными коридорами."
)

SOURCE = f"""The road through Syunik has been closed for ten weeks.[^1]

## Who carries the burden

- Families on both sides of the road.
- Hauliers who wait at the border.

{ABOUT}

{NOTICE}

[^1]: Point 6 of the statement of 9–10 November 2020."""

RUSSIAN = f"""Дорога через Сюник закрыта уже десять недель.[^1]

## Кто несёт бремя

- Семьи по обе стороны дороги.
- Перевозчики, ждущие на границе.

{ABOUT_RU}

{NOTICE_RU}

[^1]: Пункт 6 заявления от 9–10 ноября 2020 года."""


def _translation(source_body: str, body: str, language: str = "ru"):
    source = ArticleFactory(language="en", body=source_body)
    return ArticleFactory(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        body=body,
    )


def _suggest(paragraphs, source="en", target="ru"):
    return memory_suggest(paragraphs, source_language=source, target_language=target)


def test_a_rights_notice_translated_once_is_never_retyped():
    translation = _translation(SOURCE, RUSSIAN)
    # The lead paragraph, the heading, two list items, the bio, the notice, the footnote.
    assert memory_record(translation) == 7

    # A new English analysis ends with the same notice, wrapped differently.
    notice_rewrapped = NOTICE.replace("for Strategic ", "for Strategic\n")
    (suggestion,) = _suggest([notice_rewrapped])
    assert suggestion.text == NOTICE_RU
    assert suggestion.exact is True
    assert suggestion.similarity == 1.0
    assert suggestion.article_id == translation.pk


def test_the_closest_earlier_paragraph_is_offered_marked_as_such():
    memory_record(_translation(SOURCE, RUSSIAN))
    another_fellow = ABOUT.replace("Anna Grigoryan", "Rashad Mammadli").replace("she", "he")
    unrelated = "Baku and Moscow have not spoken at this level since the crash at Aktau."

    near, nothing = _suggest([another_fellow, unrelated])

    # The earlier bio is offered for the translator to change the name in, and says it is
    # not this paragraph's own translation.
    assert near.text == ABOUT_RU
    assert near.exact is False
    assert 0.55 <= near.similarity < 1
    assert nothing is None


def test_the_suggestion_takes_the_source_paragraphs_own_marker():
    memory_record(_translation(SOURCE, RUSSIAN))
    footnote, heading, item = _suggest(
        [
            "[^4]: Point 6 of the statement of 9–10 November 2020.",
            "### Who carries the burden",
            "3. Families on both sides of the road.",
        ]
    )
    assert footnote.text == "[^4]: Пункт 6 заявления от 9–10 ноября 2020 года."
    assert heading.text == "### Кто несёт бремя"
    assert item.text == "3. Семьи по обе стороны дороги."
    assert footnote.exact and heading.exact and item.exact


def test_a_list_sent_as_one_paragraph_is_offered_whole_once_every_item_is_known():
    memory_record(_translation(SOURCE, RUSSIAN))
    known = "- Families on both sides of the road.\n- Hauliers who wait at the border."
    half_known = "- Families on both sides of the road.\n- Shepherds who lost their pastures."

    whole, nothing = _suggest([known, half_known])

    assert whole.text == "- Семьи по обе стороны дороги.\n- Перевозчики, ждущие на границе."
    assert whole.exact is True
    # Half a list in English would be typed over anyway: nothing is offered.
    assert nothing is None


def test_a_translation_whose_blocks_do_not_match_its_source_is_not_recorded():
    # The translator merged the two list items into one sentence: every pair after them
    # would be one block off, so nothing is kept.
    merged = RUSSIAN.replace(
        "- Семьи по обе стороны дороги.\n- Перевозчики, ждущие на границе.",
        "Семьи по обе стороны дороги и перевозчики, ждущие на границе.",
    )
    translation = _translation(SOURCE, merged)
    assert memory_record(translation) == 0
    assert _suggest([NOTICE]) == [None]
    assert not TranslationUnit.objects.exists()


def test_paragraphs_left_untranslated_are_not_recorded():
    # The translator has not got to the last two paragraphs yet: they are still English.
    partly = RUSSIAN.replace(ABOUT_RU, ABOUT).replace(NOTICE_RU, NOTICE)
    assert memory_record(_translation(SOURCE, partly)) == 5
    assert _suggest([NOTICE, ABOUT]) == [None, None]


def test_language_pairs_are_kept_apart():
    memory_record(_translation(SOURCE, RUSSIAN))
    assert _suggest([NOTICE], target="hy") == [None]
    assert _suggest([NOTICE_RU], source="ru", target="en") == [None]
    assert _suggest([NOTICE], target="ru")[0].text == NOTICE_RU


def test_a_paragraph_translated_again_offers_the_latest_wording():
    memory_record(_translation(SOURCE, RUSSIAN))
    reworded = "Эксклюзивный доклад. Перепечатка — только со ссылкой на Кавказский центр."
    later = _translation(SOURCE, RUSSIAN.replace(NOTICE_RU, reworded))
    memory_record(later)

    (suggestion,) = _suggest([NOTICE])
    assert suggestion.text == reworded
    assert suggestion.article_id == later.pk
    assert TranslationUnit.objects.filter(target_language="ru").count() == 7


def test_the_pairs_are_made_with_the_source_text_the_translation_followed():
    translation = _translation(SOURCE, RUSSIAN)
    source = translation.translation_of
    with reversion.create_revision():
        reversion.add_to_revision(source)
    translation.source_revision = Version.objects.get_for_object(source).first()
    # The source has moved on since (a new paragraph at the top): paired with the text as it
    # is now, every block would be one off and nothing kept.
    source.body = "A new first paragraph, written after the translation.\n\n" + SOURCE
    source.save()

    assert memory_record(translation) == 7
    assert _suggest([NOTICE])[0].text == NOTICE_RU


def test_an_article_that_is_no_translation_records_nothing():
    assert memory_record(ArticleFactory(language="en", body=SOURCE)) == 0


def test_a_long_body_is_answered_in_a_fixed_number_of_queries(django_assert_num_queries):
    memory_record(_translation(SOURCE, RUSSIAN))
    paragraphs = [NOTICE, ABOUT] + [f"A paragraph of its own, number {n}." for n in range(40)]
    # The exact matches, then the closest of all the rest in one statement; PostgreSQL sets
    # the trigram search's threshold before it and puts the settings back after.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 2):
        suggestions = _suggest(paragraphs)
    assert [s.exact for s in suggestions[:2]] == [True, True]


def test_blocks_are_paragraphs_items_footnotes_and_whole_code_blocks():
    body = (
        "# Title\nFirst line of a paragraph\nits second line.\n"
        "- one\n- two\n  continued\n\n"
        "| Year | Event |\n|---|---|\n| 2020 | War |\n\n"
        "```\ncode\n\nstill code\n```\n\n"
        "> A quote\n> on two lines\n\n"
        "Text.[^1]\n[^1]: The note.\n[^2]: Another note.\n\n---\n\nSetext\n======"
    )
    kinds = [block.kind for block in split_blocks(body)]
    assert kinds == [
        "heading", "paragraph", "list", "list", "table", "code", "quote",
        "paragraph", "footnote", "footnote", "rule", "heading",
    ]  # fmt: skip
    blocks = split_blocks(body)
    assert blocks[3].markdown == "- two\n  continued"
    assert blocks[5].text == "```\ncode\n\nstill code\n```"
    assert (blocks[8].marker, blocks[8].text) == ("[^1]: ", "The note.")


def test_on_postgresql_the_closest_paragraph_is_found_by_trigram_similarity(postgres):
    memory_record(_translation(SOURCE, RUSSIAN))
    another_fellow = ABOUT.replace("Anna Grigoryan", "Rashad Mammadli").replace("she", "he")
    unrelated = "Baku and Moscow have not spoken at this level since the crash at Aktau."

    near, nothing = _suggest([another_fellow, unrelated])

    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [ABOUT, another_fellow])
        (trigrams,) = cursor.fetchone()
    assert near.text == ABOUT_RU
    assert near.exact is False
    assert near.similarity == pytest.approx(trigrams, abs=0.01)
    assert nothing is None
    # The search's own settings do not outlive it in the caller's transaction.
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)

import pytest

from articles.suggest import Suggester, suggestions_for_article
from tests.factories import ArticleFactory, RegionFactory, TopicFactory, UserFactory


def _suggester() -> Suggester:
    return Suggester(
        [
            ("region", 1, "azerbaijan", "Azerbaijan", "Azerbaijani\nAzeri\nBaku"),
            ("region", 2, "iran", "Iran", "Iranian\nTehran"),
            ("region", 3, "armenia", "Armenia", "Yerevan"),
            ("region", 4, "nagorno-karabakh", "Nagorno-Karabakh", "Karabakh\nArtsakh"),
            ("region", 5, "georgia", "Georgia", "Tbilisi"),
            ("region", 6, "turkey", "Turkey", "Ankara\nTurkish"),
            ("region", 7, "russia", "Russia", "Moscow\nKremlin"),
            ("region", 8, "israel", "Israel", "Israeli\nJerusalem"),
            ("topic", 9, "drones", "Drones", "drone\nUAV"),
            ("topic", 10, "european-union", "EU", ""),
        ]
    )


def _found(text: str, **kwargs) -> set[str]:
    return {s.slug for s in _suggester().suggest(body=text, **kwargs)}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Azeri officials said", "azerbaijan"),
        ("the Azerbaijani side", "azerbaijan"),
        ("talks in Baku", "azerbaijan"),
        ("Tehran's answer", "iran"),
        ("an Iranian drill", "iran"),
        ("a visit to Yerevan", "armenia"),
        ("Artsakh authorities", "nagorno-karabakh"),
        ("in Karabakh", "nagorno-karabakh"),
        ("Tbilisi protests", "georgia"),
        ("the Kremlin said", "russia"),
        ("Moscow's peacekeepers", "russia"),
        ("Ankara replied", "turkey"),
        ("Israeli drones", "israel"),
        ("in Jerusalem", "israel"),
    ],
)
def test_names_demonyms_capitals_and_variants_point_to_their_region(text, region):
    assert region in _found(text)


def test_a_capitalised_keyword_matches_only_as_written():
    assert "turkey" not in _found("we had turkey for dinner")
    assert "european-union" not in _found("a mausoleum")
    assert "european-union" in _found("the EU monitors")


def test_a_lowercase_keyword_matches_in_any_case_and_in_the_plural():
    assert "drones" in _found("Drones changed the war")
    assert "drones" in _found("one drone, then UAVs")


def test_a_longer_name_is_one_hit_not_also_its_parts():
    found = {s.slug: s for s in _suggester().suggest(body="Nagorno-Karabakh")}
    assert found["nagorno-karabakh"].score == 1


def test_a_word_inside_another_word_does_not_count():
    assert "iran" not in _found("The Iranistan fictional state")


def test_the_title_weighs_more_than_the_body():
    by_title = {s.slug: s.score for s in _suggester().suggest(title="Baku", body="")}
    by_body = {s.slug: s.score for s in _suggester().suggest(title="", body="Baku")}
    assert by_title["azerbaijan"] > by_body["azerbaijan"]


def test_strong_suggestions_are_the_ones_the_text_is_about():
    text = " ".join(["Baku and Tehran argued again."] * 5 + ["A note on Georgia."] + ["x"] * 300)
    suggestions = {s.slug: s for s in _suggester().suggest(body=text)}
    assert suggestions["azerbaijan"].strong
    assert suggestions["iran"].strong
    assert not suggestions["georgia"].strong


@pytest.mark.django_db
def test_an_article_is_offered_only_the_tags_it_does_not_have():
    iran = RegionFactory(name="Iran", slug="iran", keywords="Tehran\nIranian")
    RegionFactory(name="Azerbaijan", slug="azerbaijan", keywords="Baku")
    article = ArticleFactory(
        title="Tehran and Baku", body="Tehran said. Baku said. Tehran again.", regions=[iran]
    )

    offered = {s.slug for s in suggestions_for_article(article)}

    assert offered == {"azerbaijan"}


@pytest.mark.django_db
def test_editors_get_suggestions_for_an_article_as_json(editor_client):
    RegionFactory(name="Azerbaijan", slug="azerbaijan", keywords="Baku")
    article = ArticleFactory(draft=True, title="Talks in Baku", body="Baku again.")

    response = editor_client.get(f"/admin-tools/articles/{article.pk}/suggestions/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    [suggestion] = response.json()["suggestions"]
    assert (suggestion["vocabulary"], suggestion["slug"], suggestion["words"]) == (
        "region",
        "azerbaijan",
        ["Baku"],
    )


@pytest.mark.django_db
def test_suggestions_are_for_staff_only(client):
    article = ArticleFactory(draft=True, title="A secret draft about Baku")

    anonymous = client.get(f"/admin-tools/articles/{article.pk}/suggestions/")
    client.force_login(UserFactory(is_staff=False))
    reader = client.post("/admin-tools/suggestions/", {"title": "Baku"})

    assert anonymous.status_code == 403
    assert "Baku" not in anonymous.content.decode()
    assert reader.status_code == 403


@pytest.mark.django_db
def test_a_writer_gets_no_suggestions_for_someone_elses_article(writer_client):
    article = ArticleFactory(draft=True, title="Baku")

    response = writer_client.get(f"/admin-tools/articles/{article.pk}/suggestions/")

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_text_in_the_editor_gets_suggestions_without_the_tags_already_chosen(writer_client):
    topic = TopicFactory(name="Drones", slug="drones", keywords="drone")
    RegionFactory(name="Turkey", slug="turkey", keywords="Ankara")

    response = writer_client.post(
        "/admin-tools/suggestions/",
        {"title": "Drones from Ankara", "body": "Ankara sold a drone.", "topics": [topic.pk]},
    )

    assert [s["slug"] for s in response.json()["suggestions"]] == ["turkey"]


@pytest.mark.django_db
def test_a_text_too_long_for_suggestions_gets_a_clear_error(editor_client):
    response = editor_client.post("/admin-tools/suggestions/", {"body": "x" * 200_001})

    assert response.status_code == 400
    assert "too long" in response.json()["error"]


# --- The text as an editor writes it, with tags made in the admin (names, no keywords) ---


def _bare_vocabulary() -> Suggester:
    """Tags as an editor adds them with the admin's "+": a name and nothing else."""
    names = [("region", "Armenia"), ("region", "Azerbaijan"), ("region", "Iran")]
    names += [("region", "Georgia"), ("region", "Central Asia"), ("region", "Kazakhstan")]
    names += [("topic", "Drones"), ("topic", "Sanctions"), ("topic", "Energy security")]
    return Suggester(
        (vocabulary, pk, name.lower().replace(" ", "-"), name, "")
        for pk, (vocabulary, name) in enumerate(names)
    )


ARMENIA_AZERBAIJAN_BODY = " ".join(
    ["Armenia and Azerbaijan met again on the border, and Armenia asked for more time."] * 20
)


def test_every_region_and_topic_the_standfirst_names_is_suggested():
    found = _bare_vocabulary().suggest(
        title="Talks on the border",
        dek="Armenia, Azerbaijan and Iran disagree on drones and on sanctions.",
        body=ARMENIA_AZERBAIJAN_BODY,
    )
    shown = {s.slug for s in found if s.shown}
    assert {"armenia", "azerbaijan", "iran", "drones", "sanctions"} <= shown
    assert "georgia" not in shown


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("an Azerbaijani drill", "azerbaijan"),
        ("the Iranian answer", "iran"),
        ("Armenians voted", "armenia"),
        ("a drone fell", "drones"),
        ("the sanction regime", "sanctions"),
        ("energy security of Europe", "energy-security"),
        ("the Kazakh shore", "kazakhstan"),
    ],
)
def test_a_tag_is_found_by_its_adjective_people_and_number_without_keywords(text, tag):
    assert tag in {s.slug for s in _bare_vocabulary().suggest(body=text)}


def test_a_region_named_in_passing_in_a_long_piece_is_not_offered():
    body = ARMENIA_AZERBAIJAN_BODY + "\n\nGeorgia, Georgia and Georgia watched from afar."
    shown = {s.slug for s in _bare_vocabulary().suggest(body=body) if s.shown}
    assert "georgia" not in shown
    assert {"armenia", "azerbaijan"} <= shown


def test_the_editor_is_offered_what_the_standfirst_names(editor_client):
    for name in ("Armenia", "Azerbaijan", "Iran"):
        RegionFactory(name=name, slug=name.lower(), keywords="")
    for name in ("Drones", "Sanctions"):
        TopicFactory(name=name, slug=name.lower(), keywords="")
    response = editor_client.post(
        "/admin-tools/suggestions/",
        {
            "title": "Talks on the border",
            "dek": "Armenia, Azerbaijan and Iran disagree on drones and on sanctions.",
            "body": ARMENIA_AZERBAIJAN_BODY,
        },
    )
    offered = {s["slug"] for s in response.json()["suggestions"]}
    assert offered == {"armenia", "azerbaijan", "iran", "drones", "sanctions"}

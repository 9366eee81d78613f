"""Entities: one canonical entity per real name, across spellings and reports."""

from __future__ import annotations

import re

import pytest
from rapidfuzz.distance import JaroWinkler

from storydesk.analysis.context import StoryContext
from storydesk.analysis.entities import extract_entities as _extract
from storydesk.model import Article, Entity


def extract_entities(articles: list[Article]) -> list[Entity]:
    return _extract(StoryContext(articles))


def _articles(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", text=t, outlet=f"outlet{i}") for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def seed_articles(seeds_dir) -> list[Article]:
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]


@pytest.fixture(scope="module")
def seed_entities(seed_articles):
    return extract_entities(seed_articles)


def _people_like(entities, name: str):
    return [e for e in entities if e.type == "person"
            and any(JaroWinkler.similarity(v.lower(), name.lower()) >= 0.9 for v in e.variants)]


@pytest.mark.parametrize("name", ["Klim Shipenko", "Yulia Peresild", "Tom Cruise"])
def test_seed_people_have_one_entity_whatever_the_spelling(seed_entities, name):
    matches = _people_like(seed_entities, name)
    assert len(matches) == 1
    full_forms = [v for v in matches[0].variants if " " in v]
    assert len(full_forms) >= 1 and len(matches[0].articles) >= 4


def test_seed_misspellings_join_the_right_name(seed_entities):
    for name in ("Klim Shipenko", "Yulia Peresild"):
        person = _people_like(seed_entities, name)[0]
        assert len({v for v in person.variants}) >= 3  # full name, surname, a misspelling
        assert person.name == max((v for v in person.variants if " " in v), key=person.variants.get)


def test_seed_entities_have_no_debris(seed_entities):
    for e in seed_entities:
        assert not re.search(r"[a-z]{3,}[A-Z][a-z]{2,}", e.name), e.name
        assert "Getty" not in e.name and "\n" not in e.name


def test_mentions_point_into_the_text(seed_articles, seed_entities):
    texts = {a.id: a.text for a in seed_articles}
    for e in seed_entities:
        for m in e.mentions:
            assert texts[m.article_id][m.start:m.end] == m.text


def test_surname_joins_full_name_and_role_word_is_stripped():
    arts = _articles(
        "Actress Maria Lindqvist arrived in Oslo on Monday. Lindqvist said the tour would go ahead.",
        "The singer Maria Lindqvist will perform in Bergen. Lindqvist has toured Norway twice.",
    )
    people = [e for e in extract_entities(arts) if e.type == "person"]
    assert [p.name for p in people] == ["Maria Lindqvist"]
    assert people[0].variants.get("Lindqvist", 0) >= 2


def test_close_names_with_different_roles_stay_separate():
    arts = _articles(
        "Ana Reyes, the director of the clinic, met Ana Reyna, the mayor of the town, on Friday.",
        "The mayor, Ana Reyna, thanked Ana Reyes for the clinic's work.",
    )
    names = {e.name for e in extract_entities(arts) if e.type == "person"}
    assert {"Ana Reyes", "Ana Reyna"} <= names


def test_acronym_joins_expansion_and_work_titles_join():
    arts = _articles(
        "The European Space Agency (ESA) said the probe is ready. ESA will launch it in May.",
        "Critics praised \u201cThe Long Night\u201d on Sunday. Long Night opens in Paris next week.",
    )
    ents = extract_entities(arts)
    esa = [e for e in ents if "ESA" in e.variants]
    assert len(esa) == 1 and esa[0].name == "European Space Agency"


def test_titles_before_a_name_are_not_part_of_it():
    arts = _articles(
        "Fire Chief Rowan Achterberg said the blaze was out. Achterberg thanked the crews.",
        "Rowan Achterberg, the fire chief, praised the volunteers on Monday.",
    )
    names = [e.name for e in extract_entities(arts) if e.type == "person"]
    assert names == ["Rowan Achterberg"]


def test_selective_parse_keeps_exact_offsets_and_names_everywhere():
    from storydesk.analysis.nlp import parse

    text = "Nora Quist arrived in Oslo.\n\nShe will speak on 4 May, the council said. Thanks to Nora Quist."
    doc = parse([text], full=lambda s: any(c.isdigit() for c in s))[0]
    assert doc.text == text
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Nora Quist", "Nora Quist"]
    parsed = [t for t in doc if t.dep_]
    assert {t.text for t in parsed} >= {"speak", "May"} and "arrived" not in {t.text for t in parsed}


def test_entity_recognition_skips_only_sentences_that_cannot_hold_a_name():
    from storydesk.analysis.nlp import name_free

    chunks = [
        "Yesterday the mayor met Rose and Carrow in town. ",
        "The council said the road was closed. ",  # a stop word first, no capital after it
        "Prices rose again. ",  # "prices" is written in lower case elsewhere
        "Rose said she was pleased. ",  # "rose" is a common word, but also a name inside a sentence
        "Carrow thanked the crews. ",  # never written in lower case
        "US officials were told the prices would rise. ",  # an abbreviation, not a stop word "us"
        "officials at iPhone maker were told. ",  # a capital inside a word
    ]
    assert name_free(chunks) == {chunks[1], chunks[2]}


def test_seed_entities_are_names_not_abbreviations_nationalities_or_glued_names(seed_entities):
    names = {e.name: e for e in seed_entities}
    assert names["Dmitry Rogozin"].type == "person"
    assert not [n for n in names if n.endswith(" Dmitry Rogozin")]
    assert not [e.name for e in seed_entities if e.name.isupper() and e.type == "organisation"
                and not any(len(v.split()) > 1 for v in e.variants) and e.name.startswith("TB")]
    # a nationality adjective or demonym is not a name worth listing
    assert not [e.name for e in seed_entities if e.name.endswith(("ian", "ians", "cans"))
                and e.type == "other" and " " not in e.name]


def test_a_name_listing_capitalised_words_is_kept_whole():
    entities = extract_entities(_articles(
        "The film is a collaboration between broadcaster Channel Nine and the studio Orange, Green and Blue, "
        "which also made last year's hit."
    ))
    names = {e.name for e in entities}
    assert "Orange, Green and Blue" in names and "Orange" not in names


def test_an_organisation_written_before_a_full_name_is_not_part_of_it():
    entities = extract_entities(_articles(
        "The head of the national rail operator Railcorp Maria Lindqvist said the line would reopen. "
        "Railcorp runs most trains in the country.",
        "Maria Lindqvist, who runs Railcorp, spoke to reporters on Monday.",
    ))
    people = [e for e in entities if e.type == "person"]
    assert [p.name for p in people] == ["Maria Lindqvist"]
    assert len(people[0].articles) == 2


def test_abbreviations_plural_teams_and_boats_are_not_people_or_organisations():
    entities = extract_entities(_articles(
        "Eastwood Rangers have appointed Ana Duarte as head coach, the club said. The date of her first "
        "match is TBC. The trawler Sea Lark returned to port after the fishing boat Sea Lark lost power.",
        "Eastwood Rangers confirmed the appointment of Ana Duarte on Monday.",
    ))
    types = {e.name: e.type for e in entities}
    assert "TBC" not in types
    assert types.get("Eastwood Rangers") == "organisation"
    assert types.get("Sea Lark", "other") == "other"
    assert types.get("Ana Duarte") == "person"

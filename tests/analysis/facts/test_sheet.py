"""The fact sheet a fact-checker works from: events, the right subject and slot, every disagreement of the
right kind, sources counted once, and quotations kept apart with their speakers (invented reports)."""

from __future__ import annotations

import datetime as dt

from storydesk.analysis.context import StoryContext
from storydesk.analysis.entities import extract_entities
from storydesk.analysis.facts import build_facts, read_claims, statements_of
from storydesk.model import Article

DAY = dt.date(2024, 5, 2)


def _sheet(*reports: tuple[str, dt.date | None]):
    arts = [Article(id=f"a{i}", text=t, outlet=f"outlet{i}", published=p) for i, (t, p) in enumerate(reports)]
    ctx = StoryContext(arts)
    claims = read_claims(ctx, extract_entities(ctx))
    return build_facts(claims, ctx), statements_of(claims, ctx)


def _slot(facts, slot: str):
    found = [f for f in facts if f.slot == slot]
    assert len(found) == 1, [(f.subject, f.slot, f.value) for f in facts]
    return found[0]


def test_a_launch_site_that_two_reports_give_differently_is_a_conflict_and_the_event_leads():
    facts, _ = _sheet(
        ("Cosmonaut Olga Marin will blast off from the Baikonur cosmodrome on 5 October 2024.", DAY),
        ("Cosmonaut Olga Marin is set to blast off from the International Space Station on 5 October 2024.",
         DAY),
    )
    site = _slot(facts, "launch site")
    assert site.status == "conflicting" and set(site.values) == {"Baikonur", "International Space Station"}
    assert facts[0].kind == "event" and facts[0].slot == "launch" and facts[0].outlets == 2
    assert facts[0].parts["time"] == "2024-10-05" and "Baikonur" in facts[0].parts["place"]


def test_a_same_day_disagreement_stays_apart_from_a_later_update():
    facts, _ = _sheet(
        ("City engineers put the cost of repairs to the Arlo Bridge at $3.2 million.", DAY),
        ("The repairs to the Arlo Bridge will cost an estimated $2.3 million.", DAY),
        ("The cost of the repairs to the Arlo Bridge has risen to $4.1 million.", dt.date(2024, 9, 1)),
    )
    cost = _slot(facts, "cost")
    assert cost.status == "updated" and cost.value == "USD 4.1 million"
    assert [step.values for step in cost.history] == [["USD 3.2 million", "USD 2.3 million"],
                                                      ["USD 4.1 million"]]
    assert cost.history[0].since == DAY


def test_a_change_of_state_between_reports_is_updated():
    facts, _ = _sheet(
        ("Searchers are looking for the missing trawler Sea Lark off Hallam Point.", DAY),
        ("The four crew of the trawler Sea Lark were found alive on a rock off Hallam Point.",
         dt.date(2024, 5, 9)),
    )
    status = _slot(facts, "status")
    assert status.kind == "state" and status.status == "updated"
    assert status.values == ["missing", "found alive"] and status.subject == "Sea Lark"


def test_one_role_however_reports_write_it():
    facts, _ = _sheet(
        ("Mara Lind, CEO of Polar Broadcasting, said the deal was done.", DAY),
        ("Polar Broadcasting's chief executive, Mara Lind, announced the deal.", DAY),
    )
    roles = [f for f in facts if f.kind == "role" and f.value == "Mara Lind"]
    assert len(roles) == 1 and roles[0].subject == "Polar Broadcasting" and roles[0].status == "corroborated"


def test_a_generic_slot_joins_the_specific_one_of_the_same_value():
    facts, _ = _sheet(
        ("About 600 people watched the 90-minute debate in Ferris Hall.", DAY),
        ("Ana Cole, who hosted the 90-minute event in Ferris Hall, said turnout was high.", DAY),
    )
    length = _slot(facts, "debate length")
    assert length.value == "90 minutes" and length.status == "corroborated"
    assert not [f for f in facts if f.slot == "event length"]


def test_a_sum_belongs_to_what_the_sentence_makes_it_about_not_the_nearest_name():
    facts, _ = _sheet(("Councillor Rafe Dorn said he backed the $40 million transport bond.", DAY),)
    bond = _slot(facts, "bond")
    assert bond.subject != "Rafe Dorn"


def test_bounds_that_can_both_hold_do_not_disagree():
    facts, _ = _sheet(
        ("More than 90 firefighters fought the blaze at the Tarn depot.", DAY),
        ("Nearly 100 firefighters fought the blaze at the Tarn depot.", DAY),
    )
    crews = _slot(facts, "firefighters")
    assert crews.status == "corroborated" and crews.outlets == 2


def test_quotations_are_statements_with_their_speakers_not_facts():
    facts, statements = _sheet(
        ("Political scientist Hanna Roy said the race was close. \"Vance did not lose any supporters "
         "tonight, and Dorn reassured some voters,\" she said.", DAY),
        ("\"We will rebuild the depot by spring next year,\" officials said.", DAY),
    )
    assert not [f for f in facts if f.kind == "quote"]
    by_words = {s.text.split()[0]: s for s in statements}
    assert by_words["Vance"].speaker == "Hanna Roy" and by_words["Vance"].attribution == "pronoun"
    assert by_words["We"].speaker is None and by_words["We"].attribution == "unattributed"


def test_a_quotation_continued_in_its_paragraph_keeps_its_speaker():
    _, statements = _sheet(
        ("\"The crack is in a load-bearing beam,\" said engineer Lena Holt. \"It has to be fixed before "
         "anyone drives over it again.\"", DAY),
    )
    assert [(s.speaker, s.attribution) for s in statements] == [("Lena Holt", "named"),
                                                               ("Lena Holt", "continued")]


def test_two_outlets_passing_on_one_interview_are_one_source():
    text = "\"We would have liked to film there together with them,\" Ivo Brandt told Variety."
    _, statements = _sheet((text, DAY), (text.replace("told", "tells"), DAY))
    assert len(statements) == 1 and statements[0].outlets == 1
    assert {e.via for e in statements[0].evidence} == {"Variety"}


def test_a_value_only_inside_a_quotation_is_marked_and_kept_only_where_reports_state_that_fact():
    facts, _ = _sheet(
        ("\"The launch of Olga Marin is set for 5 October 2024 from the Baikonur cosmodrome,\" the "
         "agency said.", DAY),
        ("Cosmonaut Olga Marin will launch from the Kourou spaceport on 5 October 2024.", DAY),
        ("\"I used to spend 25 minutes in traffic every morning,\" a commuter said.", DAY),
    )
    site = _slot(facts, "launch site")
    assert site.status == "conflicting"
    quoted = [e for e in site.evidence if e.value == "Baikonur"]
    assert quoted and all(e.part == "quote" for e in quoted)
    assert not [f for f in facts if f.value == "25 minutes"]  # talk, not a fact of the story

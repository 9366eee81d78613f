"""Facts: typed values aligned across reports and labelled (corroborated, conflicting, updated...)."""

from __future__ import annotations

import datetime as dt

import pytest
from rapidfuzz.distance import JaroWinkler

from storydesk.analysis.context import StoryContext
from storydesk.analysis.entities import extract_entities
from storydesk.analysis.facts import extract_facts
from storydesk.model import Article


def _facts(*reports: tuple[str, dt.date | None]):
    arts = [Article(id=f"a{i}", text=t, outlet=f"outlet{i}", published=p) for i, (t, p) in enumerate(reports)]
    ctx = StoryContext(arts)
    return arts, extract_facts(ctx, extract_entities(ctx))


def _one(facts, slot: str):
    found = [f for f in facts if f.slot == slot]
    assert len(found) == 1, [(f.subject, f.slot, f.values) for f in facts]
    return found[0]


def test_hyphenated_and_plural_durations_are_one_corroborated_fact():
    _, facts = _facts(
        ("The crew of the Polar Dawn will begin a 12-day mission next week.", None),
        ("The Polar Dawn crew will spend 12 days at the station.", None),
    )
    fact = _one(facts, "duration")
    assert fact.value == "12 days" and fact.status == "corroborated" and fact.outlets == 2


def test_money_written_two_ways_is_one_value():
    _, facts = _facts(
        ("Director Lena Ortiz's new epic has a budget of $200 million, the studio said.", None),
        ("Lena Ortiz is making a $200-million epic, the studio said.", None),
    )
    fact = _one(facts, "budget")
    assert fact.values == ["USD 200 million"] and fact.status == "corroborated"


def test_age_and_conflicting_ages_from_same_day_reports():
    day = dt.date(2022, 3, 1)
    _, facts = _facts(
        ("The 41-year-old Omar Haddad won the race on Sunday.", day),
        ("Omar Haddad, a 41-year-old from Leeds, won on Sunday.", day),
        ("Coach Omar Haddad, a 43-year-old teacher, crossed the line first.", day),
    )
    fact = _one(facts, "age")
    assert fact.status == "conflicting" and fact.value == "41" and set(fact.values) == {"41", "43"}


def test_later_unconfirmed_launch_date_is_an_update():
    _, facts = _facts(
        ("The Aurora Seven probe will launch on 12 March 2023, the agency said.", dt.date(2022, 11, 1)),
        ("The launch date of the Aurora Seven probe has yet to be confirmed.", dt.date(2023, 2, 1)),
    )
    fact = _one(facts, "launch date")
    assert fact.status == "updated" and fact.value == "unconfirmed"
    assert [e.value for e in fact.evidence] == ["2023-03-12", "unconfirmed"]


def test_evidence_quotes_are_exact(seed_facts):
    arts, facts = seed_facts
    texts = {a.id: a.text for a in arts}
    for fact in facts:
        for ev in fact.evidence:
            assert texts[ev.article_id][ev.start:ev.end] == ev.quote


# Publication dates of the seed reports (metadata, not in the .txt files): May and Sep/Oct 2021.
_SEED_DATES = [dt.date(2021, 9, 24), dt.date(2021, 5, 14), dt.date(2021, 5, 17), dt.date(2021, 9, 27),
               dt.date(2021, 10, 4)]


@pytest.fixture(scope="module")
def seed_facts(seeds_dir):
    paths = sorted(seeds_dir.glob("*.txt"))
    arts = [Article(id=p.stem, text=p.read_text(encoding="utf-8"), outlet=p.stem, published=d)
            for p, d in zip(paths, _SEED_DATES, strict=True)]
    ctx = StoryContext(arts)
    return arts, extract_facts(ctx, extract_entities(ctx))


def test_seed_launch_date_corroborated_and_cruise_date_updated(seed_facts):
    _, facts = seed_facts
    launches = [f for f in facts if f.slot == "launch date"]
    main = max(launches, key=lambda f: f.outlets)
    assert main.value == "2021-10-05" and main.status == "corroborated" and main.outlets >= 3
    cruise = [f for f in launches if JaroWinkler.similarity(f.subject, "Tom Cruise") >= 0.9]
    assert len(cruise) == 1 and cruise[0].status == "updated"


def test_seed_duration_and_ages_and_no_quote_is_a_fact(seed_facts):
    _, facts = seed_facts
    assert any(f.slot == "duration" and f.value == "12 days" and f.status == "corroborated" for f in facts)
    ages = {f.subject: f.value for f in facts if f.slot == "age"}
    assert len(ages) >= 2 and all(v.isdigit() for v in ages.values())
    assert not [f for f in facts if f.kind == "quote"]


def test_counts_of_people_align_by_what_they_count():
    day = dt.date(2024, 5, 2)
    _, facts = _facts(
        ("A gas blast at the Marlow depot injured 14 people on Tuesday.", day),
        ("Forty-one people were hurt when the Marlow depot exploded.", day),
    )
    fact = _one(facts, "injured")
    assert fact.status == "conflicting" and set(fact.values) == {"14", "41"}


def test_role_from_relative_clause_and_old_value_is_not_restated():
    day = dt.date(2024, 5, 2)
    _, facts = _facts(
        ("Priya Nandakumar, who leads the Harwick Rowing Club, said repairs will cost $2 million.", day),
        ("The repairs have risen to $3 million, up from the $2 million of May.", dt.date(2024, 9, 1)),
    )
    role = _one(facts, "leader")
    assert role.subject == "Harwick Rowing Club" and role.value == "Priya Nandakumar"
    cost = _one(facts, "cost")
    assert cost.status == "updated" and cost.value == "USD 3 million"
    assert [e.value for e in cost.evidence] == ["USD 2 million", "USD 3 million"]


def test_unconfirmed_counts_only_in_the_event_clause_and_goes_to_the_previous_subject():
    _, facts = _facts(
        ("Director Mara Quill will start shooting Red Horizon next month — the date for the rival film "
         "is still TBC.", None),
        ("Actor Tobias Venn was originally scheduled to launch his space film in October. The launch date, "
         "however, has yet to be confirmed.", None),
    )
    unconfirmed = [f for f in facts if "unconfirmed" in f.values]
    assert [f.subject for f in unconfirmed] == ["Tobias Venn"]


def test_a_month_estimate_orders_a_report_after_a_dated_one_but_not_within_its_month():
    dated = "Actor Tobias Venn is set to blast off to the station on October 1 this year."
    later = "It remains unclear when Tobias Venn's space film will take off."
    for day, status in ((dt.date(2021, 5, 17), "updated"), (dt.date(2021, 9, 17), "conflicting")):
        arts = [Article("a0", dated, outlet="o0", published=day),
                Article("a1", later, outlet="o1", published=dt.date(2021, 9, 1), published_estimated=True,
                        published_precision="month")]
        ctx = StoryContext(arts)
        fact = _one(extract_facts(ctx, extract_entities(ctx)), "launch date")
        assert fact.status == status and set(fact.values) == {"2021-10-01", "unconfirmed"}


@pytest.fixture(scope="module")
def seed_story(seeds_result):
    return seeds_result.stories[0]


def test_seed_launch_date_is_corroborated_by_every_report_stating_it(seed_story):
    launch = [f for f in seed_story.facts if f.slot == "launch date" and f.value not in ("unconfirmed",)
              and f.outlets >= 2]
    assert len(launch) == 1
    fact = launch[0]
    assert fact.status == "corroborated" and fact.value == "2021-10-05"
    stating = {e.article_id for e in fact.evidence if e.value == "2021-10-05"}
    assert len(stating) == fact.outlets >= 4
    assert "unconfirmed" not in fact.values


def test_seed_cruise_launch_date_is_updated_over_time(seed_story):
    cruise = [f for f in seed_story.facts if f.slot == "launch date" and f.subject == "Tom Cruise"]
    assert len(cruise) == 1
    assert cruise[0].status == "updated" and cruise[0].value == "unconfirmed"
    assert cruise[0].values[0].startswith("2021-10")
    # The one disagreement of one time: "blast off ... from the International Space Station" against the
    # Roscosmos statement's Baikonur.
    assert [(f.slot, set(f.values)) for f in seed_story.facts if f.status == "conflicting"] == [
        ("launch site", {"Baikonur", "International Space Station"})]


def test_seed_estimates_keep_their_precision(seed_story):
    estimated = [a for a in seed_story.articles if a.published_estimated]
    assert {a.published_precision for a in estimated} == {"day", "month"}
    for a in estimated:
        assert a.published_precision == "day" or a.published.day == 1


def test_charge_shared_by_joined_verbs_and_the_charge_is_no_killing():
    _, facts = _facts(
        ("Dario Venn stayed at the scene, police said, and was arrested and charged with second-degree "
         "murder.", None),
        ("Police arrested and charged Dario Venn with second-degree murder on Sunday.", None),
    )
    charge = _one(facts, "charge")
    assert charge.subject == "Dario Venn" and charge.status == "corroborated"
    assert charge.parts["charge"] == "second-degree murder"
    assert _one(facts, "arrest").status == "corroborated"
    assert not [f for f in facts if f.slot == "killing"]


def test_lone_surname_is_the_person_most_reports_name_first_and_honorifics_are_no_full_name():
    _, facts = _facts(
        ("Former striker Tomas Reyes was shot in Halden. Police said Reyes, a former Rovers star, 34, was "
         "driving home.", None),
        ("Analyst Mia Reyes said the video shows former striker Tomas Reyes before Reyes was shot. Mr. Reyes "
         "was 34.", None),
        ("Tomas Reyes was shot on Saturday night. Reyes, 34, died in hospital.", None),
    )
    age = _one(facts, "age")
    assert age.subject == "Tomas Reyes" and age.value == "34" and age.outlets >= 2


def test_roles_of_a_client_and_of_an_organisation_named_just_before_the_person():
    _, facts = _facts(
        ("The attorney for Dario Venn, Carla Moss, said he was innocent. Venn's attorney, Carla Moss, "
         "spoke on Monday.", None),
        ("The head of the state space corporation Roscosmos Dmitry Rogozin said the film matters.", None),
        ("Roscosmos announced the crew on Monday. Dmitry Rogozin, head of Roscosmos, was there.", None),
    )
    attorney = next(f for f in facts if f.kind == "role" and f.value == "Carla Moss")
    assert (attorney.subject, attorney.slot) == ("Dario Venn", "attorney")
    head = next(f for f in facts if f.kind == "role" and f.value == "Dmitry Rogozin")
    assert head.subject == "Roscosmos" and head.status == "corroborated"


def test_times_of_day_of_one_event_disagree_and_stamps_are_no_times():
    _, facts = _facts(
        ("Reuben Kalt was shot around 11:40 p.m. on Saturday, police said. Updated 9:15 a.m.", None),
        ("Police said Reuben Kalt was shot at 11:45 p.m. The video (3:31) shows the street.", None),
        ("The fire was reported at about 10:40 p.m. and declared under control shortly after 6 a.m.", None),
    )
    shot = _one(facts, "shooting time")
    assert shot.subject == "Reuben Kalt" and shot.status == "conflicting"
    assert set(shot.values) == {"11:40 p.m.", "11:45 p.m."}
    assert _one(facts, "fire time").values == ["10:40 p.m."]
    assert not [f for f in facts if f.kind == "date" and f.value in ("9:15 a.m.", "6 a.m.", "3:31")]


def test_takings_by_market_and_the_owner_of_a_sum_by_its_clause():
    _, facts = _facts(
        ("“Glass Tide” has grossed $735.2 million overseas and $273.7 million in North America, with "
         "“Avatar” leading the worldwide list at $2.79 billion.", None),
        ("“Glass Tide” will cross $1 billion at the worldwide box office on Friday. The shoemaker could "
         "rake in $1 billion in sales annually. It is the 20th film to reach the $1 billion mark.", None),
    )
    slots = {(f.subject, f.slot): f.values for f in facts if f.kind == "money"}
    assert slots[("Glass Tide", "overseas box office")] == ["USD 735.2 million"]
    assert slots[("Glass Tide", "domestic box office")] == ["USD 273.7 million"]
    assert slots[("Avatar", "box office")] == ["USD 2.79 billion"]
    assert not [s for s in slots if s[1] in ("budget", "salary")]


def test_a_death_and_a_killing_of_one_person_are_one_event():
    _, facts = _facts(
        ("Questions surround the apparent killing of former striker Tomas Reyes on Saturday.", None),
        ("His lawyer said his client was hit before Tomas Reyes's death.", None),
    )
    events = [f for f in facts if f.kind == "event" and f.subject == "Tomas Reyes"]
    assert [(f.slot, f.outlets) for f in events] == [("killing", 2)]


def test_a_price_in_two_currencies_is_no_conflict_and_belongs_to_what_is_bought():
    _, facts = _facts(
        ("Harlow Group said it had agreed to buy the shoe company Vessa Moda for 896 million pounds, or "
         "about $1.2 billion, on Tuesday.", None),
        ("Harlow Group agreed to buy luxury shoemaker Vessa Moda for $1.2 billion.", None),
    )
    prices = [f for f in facts if f.kind == "money"]
    assert {(f.slot, f.value, f.status) for f in prices} == {
        ("price", "USD 1.2 billion", "corroborated"), ("price", "GBP 896 million", "single-source")}


def test_how_long_for_even_when_an_after_clause_follows():
    _, facts = _facts(
        ("The swimmer was forced to tread water for nearly four hours after getting swept away.", None),
        ("Rescuers found him two days after the storm.", None),
    )
    spans = [f.value for f in facts if f.kind == "duration"]
    assert spans == ["4 hours"]


def test_health_condition_of_the_story_person_and_of_a_group():
    _, facts = _facts(
        ("A swimmer missing off Crane Point has been rescued. He is reported to be in stable condition.",
         None),
        ("The rescued swimmer is in stable condition. Two workers with burns were in critical condition, "
         "police said.", None),
    )
    health = {(f.subject, f.value, f.status) for f in facts if f.slot == "health"}
    assert ("Two workers with burns", "critical condition", "single-source") in health
    assert any(v == "stable condition" and s == "corroborated" for _, v, s in health)


def test_a_joined_verb_shares_the_object_only_without_an_auxiliary_of_its_own():
    from storydesk.analysis.facts.events import shared
    from storydesk.analysis.nlp import load_spacy

    nlp = load_spacy()
    doc = nlp("Police arrested and charged Hayes on Monday.")
    assert shared(next(t for t in doc if t.text == "arrested"), "dobj").text == "Hayes"
    doc = nlp("The ferry will run until the bridge reopens and would launch a $250,000 grant program.")
    assert shared(next(t for t in doc if t.text == "reopens"), "dobj") is None


def test_ages_said_with_is_years_old_or_of_a_described_person_are_one_fact():
    """ "Marek Olsen is 29 years old" is an age (not a 29-year duration); "the 29-year-old driver" is the
    story's one person set beside "the driver, Marek Olsen"; "24-year old" and "four-year-old" are ages."""
    _, facts = _facts(
        ("The driver, Marek Olsen, was injured on Friday. Olsen is 29 years old.", None),
        ("The 29-year-old driver was taken to hospital on Friday, police said.", None),
        ("Marek Olsen, 29, was hurt in the crash on Friday.", None),
    )
    assert not [f for f in facts if f.kind == "duration"], [(f.subject, f.slot, f.value) for f in facts]
    fact = _one(facts, "age")
    _, plural = _facts(("Police said the 13-year-olds Dana Pike and Ann Roe were found on Tuesday.", None),)
    assert not [f for f in plural if f.kind == "duration"], [(f.subject, f.slot, f.value) for f in plural]
    assert (fact.subject, fact.value, fact.status, fact.outlets) == ("Marek Olsen", "29", "corroborated", 3)


def test_an_age_after_a_possessive_is_not_given_to_the_described_person():
    """ "his four-year-old brother" is someone's brother, not the story's one "brother"."""
    _, facts = _facts(
        ("Police said the boy's brother, Tomas Reyes, was arrested on Monday. A 20-year-old man tossed "
         "his four-year-old brother from a roof.", None),
    )
    assert [(f.subject, f.value) for f in facts if f.kind == "age"] == []


def test_a_public_office_before_a_name_is_a_role_and_the_office_alone_names_its_holder():
    """ "City Clerk Dana Whitlow" holds the office; "the city clerk" of another report is her, so the two
    reports corroborate one resignation. "Under fire" is criticism, not a fire."""
    _, facts = _facts(
        ("City Clerk Dana Whitlow, under fire for months over missing records, resigned on Monday.", None),
        ("The Brookfield city clerk resigned on Monday, the mayor said.", None),
    )
    role = _one(facts, "role")
    assert (role.subject, role.value) == ("Dana Whitlow", "city clerk")
    resignation = _one(facts, "resignation")
    assert (resignation.subject, resignation.status) == ("Dana Whitlow", "corroborated")
    assert resignation.outlets == 2
    assert not [f for f in facts if f.slot == "fire"]


def test_people_left_dead_or_wounded_are_counted_with_their_bound():
    """ "left three dead and more than a dozen wounded" counts the dead and the injured; "3 dead" in another
    report corroborates; "14 injured people" stays the noun's count."""
    _, facts = _facts(
        ("A gunman opened fire at a market in Corvallis on Tuesday, an attack that left three dead and more "
         "than a dozen wounded.", None),
        ("The shooting in Corvallis on Tuesday left 3 dead, police said.", None),
    )
    dead, injured = _one(facts, "dead"), _one(facts, "injured")
    assert (dead.values, dead.status, dead.outlets) == (["3"], "corroborated", 2)
    assert (injured.values, injured.status) == (["more than 12"], "single-source")


def test_a_one_digit_age_after_a_name_is_an_age():
    _, facts = _facts(("Elijah Moss, 3, died on Friday after eating at the centre, his family said.", None),)
    age = _one(facts, "age")
    assert (age.subject, age.value) == ("Elijah Moss", "3")

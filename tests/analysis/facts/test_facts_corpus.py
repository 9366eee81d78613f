"""The fact sheet and entities of the sample corpus against its gold (examples/expected.json).

One pipeline run is shared by the module. Gold statements are free text, so a gold item is matched to the
fact whose evidence sentences contain the gold evidence snippets; values are normalised as the stage does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storydesk.analysis.facts import values as V


@pytest.fixture(scope="module")
def gold(examples_dir: Path) -> dict:
    return json.loads((examples_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stories(corpus_result, gold: dict) -> dict:
    """Gold story key -> (story, {gold file -> article id}), each story found by its reports' paths."""
    result = corpus_result
    out = {}
    for story in result.stories:
        files = {}
        for a in story.articles:
            for path in [a.path, *(c.path for c in a.copies)]:
                if path:
                    files[path.split("examples/", 1)[-1]] = a.id
        key = next((k for k, fs in gold["stories"].items() if set(fs) & set(files)), None)
        if key:
            out[key] = (story, files)
    return out


def _story_of(stories: dict, file: str):
    return next((s, files) for s, files in stories.values() if file in files)


def _norm(value: str) -> str:
    money = V.MONEY.search(value)
    return V.money(money) if money else value


def _covered(fact, files: dict, evidence: list[dict]) -> list[str]:
    """Gold files whose snippet is inside one of the fact's evidence sentences from that file's article."""
    return [ev["file"] for ev in evidence
            if any(e.article_id == files.get(ev["file"]) and ev["text"] in e.quote for e in fact.evidence)]


def _with_values(story, files: dict, values: set[str], sources: list[str]):
    """Facts giving all `values` with evidence from every gold source file's article."""
    return [f for f in story.facts if values <= set(f.values)
            and {files[s] for s in sources} <= {e.article_id for e in f.evidence}]


def _independent(gold: dict, files: list[str]) -> int:
    """Outlets among `files`, a syndicated or duplicated copy counted once."""
    groups = [set(g) for g in gold["near_duplicates"] + gold["exact_duplicates"]]
    seen: list[set[str]] = []
    for f in files:
        if not any(f in g for g in seen):
            seen.append(next((g for g in groups if f in g), {f}))
    return len(seen)


def test_misspellings_join_the_right_name(stories, gold):
    for item in gold["misspellings"]:
        story, _ = _story_of(stories, item["file"])
        found = [e for e in story.entities if any(item["wrong"] in v for v in e.variants)]
        assert len(found) == 1, item
        assert found[0].name == item["person"] and any(item["right"] in v for v in found[0].variants)


def test_surname_only_mentions_join_the_full_name(stories, gold):
    for item in gold["surname_only"]:
        story, _ = _story_of(stories, item["file"])
        owners = [e for e in story.entities if item["surname"] in e.variants]
        assert [e.name for e in owners] == [item["person"]], item


def test_conflicts_are_conflicting_with_both_values(stories, gold):
    updated = {(u["story"], u["what"]) for u in gold["updates"]}
    for item in gold["conflicts"]:
        story, files = stories[item["story"]]
        values = {_norm(v["value"]) for v in item["values"]}
        facts = _with_values(story, files, values, [v["evidence"][0]["file"] for v in item["values"]])
        assert len(facts) == 1, item["what"]
        fact = facts[0]
        # A value that both conflicts and is later changed is reported as updated (one status per fact).
        expected = "updated" if (item["story"], item["what"]) in updated else "conflicting"
        assert fact.status == expected, (item["what"], fact.status)


def test_changes_of_state_are_updated_state_facts(stories, gold):
    """ "missing" -> "found alive", "seeking a second term" -> "won a second term": a state fact whose
    history goes from the early reports' value to the late report's."""
    typed = re.compile(r"\d{4}(?:-\d{2}){0,2}")
    states = [u for u in gold["updates"]
              if not (V.MONEY.search(u["late"]["value"]) or typed.fullmatch(u["late"]["value"]))]
    assert states
    for item in states:
        story, files = stories[item["story"]]
        late = files[item["late"]["evidence"][0]["file"]]
        found = [f for f in story.facts if f.kind == "state" and f.status == "updated"
                 and any(e.article_id == late for e in f.evidence)
                 and item["late"]["value"].split()[0] in f.value]
        assert len(found) == 1, item["what"]
        assert item["early"]["value"].split()[0] in found[0].history[0].values[0], item["what"]


def test_updates_are_updated_to_the_later_value(stories, gold):
    """Typed values (sums, dates): the later report's value, the earlier kept in the history."""
    late = [u["late"]["value"] for u in gold["updates"]]
    typed = [u for u, v in zip(gold["updates"], late, strict=True)
             if V.MONEY.search(v) or re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", v)]
    assert typed
    for item in typed:
        story, files = stories[item["story"]]
        values = {_norm(item["early"]["value"]), _norm(item["late"]["value"])}
        sources = [item["early"]["evidence"][0]["file"], item["late"]["evidence"][0]["file"]]
        facts = _with_values(story, files, values, sources)
        assert len(facts) == 1, item["what"]
        assert facts[0].status == "updated" and facts[0].value == _norm(item["late"]["value"]), item["what"]


def test_corroborated_facts_count_each_outlet_once(stories, gold):
    matched = 0
    for item in gold["facts_corroborated"]:
        story, files = stories[item["story"]]
        facts = [f for f in story.facts
                 if f.kind != "quote" and len(_covered(f, files, item["evidence"])) >= 2]
        if not facts:
            continue
        # The fact whose evidence covers most of the gold outlets; of facts sharing those sentences (an age
        # and a change of state told in one), the one the outlets agree on.
        facts.sort(key=lambda f: (-_independent(gold, _covered(f, files, item["evidence"])),
                                  f.status != "corroborated", -f.outlets))
        matched += 1
        covered = _covered(facts[0], files, item["evidence"])
        assert facts[0].status in ("corroborated", "updated"), item["statement"]
        assert facts[0].outlets >= _independent(gold, covered) >= 2, item["statement"]
    assert matched >= 9, matched  # of 22 gold items; the rest (mostly roles written as titles) are missed


def test_quotes_are_statements_with_their_speakers_not_facts(stories, gold):
    right = 0
    for item in gold["quotes"]:
        story, files = _story_of(stories, item["file"])
        assert not [f for f in story.facts if f.kind == "quote"]
        text = item["text"].rstrip(".,")
        found = [s for s in story.statements if any(
            e.article_id == files[item["file"]] and (text in e.quote or e.quote.rstrip(".,") in text)
            for e in s.evidence)]
        assert len(found) <= 1, item["text"]  # one statement per quotation
        if found:
            assert found[0].speaker == item["speaker"], (item["text"], found[0].speaker)
            right += 1
    assert right >= 9, right  # of 10


def test_no_role_title_or_common_word_entities(stories):
    for story, _ in stories.values():
        for e in story.entities:
            assert not re.match(r"(?i)(?:fire chief|chief|councillor|commissioner|skipper)\b", e.name), e.name
            assert not (" " not in e.name and e.name.lower() in {"warehouse", "council", "ferry"}), e.name

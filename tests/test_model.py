"""The model: every result type resolves its type hints, builds a pydantic schema, loads no NLP library,
and a `Story` survives the trip to its stories.json form and back."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import typing

import pytest
from pydantic import TypeAdapter

from storydesk import model
from storydesk.document import (
    build_document,
    generate_schema,
    result_from_document,
    schema,
    story_from_dict,
    story_to_dict,
    validate_document,
)

TYPES = [obj for obj in vars(model).values()
         if dataclasses.is_dataclass(obj) and obj.__module__ == model.__name__]


def test_every_result_type_is_in_the_model() -> None:
    names = {t.__name__ for t in TYPES}
    assert {"Article", "Story", "Entity", "Mention", "Fact", "Evidence", "TimelineEntry", "BriefSentence",
            "Rejected", "Removal", "Copy", "Span", "RunResult"} <= names


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_type_hints_resolve_and_pydantic_builds_a_schema(cls: type) -> None:
    hints = typing.get_type_hints(cls)
    assert set(hints) >= {f.name for f in dataclasses.fields(cls)}
    assert TypeAdapter(cls).json_schema()["title"] == cls.__name__


def test_statuses_and_kinds_are_literals() -> None:
    hints = typing.get_type_hints(model.Fact)
    assert typing.get_args(hints["status"]) == ("corroborated", "single-source", "conflicting", "updated")
    assert "quote" in typing.get_args(hints["kind"])
    assert "person" in typing.get_args(typing.get_type_hints(model.Entity)["type"])


def test_importing_the_model_loads_no_nlp_library() -> None:
    code = ("import sys, storydesk.model; heavy = {'spacy', 'numpy', 'pydantic', 'trafilatura', 'nupunkt'};"
            " print(sorted(heavy & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _round_trip(result: model.RunResult) -> None:
    assert result.stories
    for story in result.stories:
        data = story_to_dict(story)
        again = story_from_dict(json.loads(json.dumps(data)))
        assert again == story
        assert story_to_dict(again) == data
    doc = build_document(result)
    validate_document(doc)
    assert result_from_document(json.loads(json.dumps(doc))) == result


def test_round_trip_on_the_sample_corpus(corpus_result) -> None:
    _round_trip(corpus_result)


def test_round_trip_on_the_seeds(seeds_result) -> None:
    _round_trip(seeds_result)


def test_the_shipped_schema_is_the_one_the_model_generates() -> None:
    """storydesk/data/stories.schema.json is generated: after a model change run
    `storydesk schema > storydesk/data/stories.schema.json`."""
    assert schema() == generate_schema()


def test_schema_rejects_what_the_model_rejects(corpus_result) -> None:
    import jsonschema

    doc = build_document(corpus_result)
    broken = json.loads(json.dumps(doc))
    broken["stories"][0]["facts"][0]["status"] = "probably"
    with pytest.raises(jsonschema.ValidationError):
        validate_document(broken)
    with pytest.raises(ValueError):
        story_from_dict(broken["stories"][0])

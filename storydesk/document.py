"""The stories.json document: building it from a RunResult, its JSON Schema, and validation."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from functools import lru_cache
from typing import Any

from storydesk import __version__
from storydesk.model import RunResult
from storydesk.serialize import to_jsonable

SCHEMA_VERSION = "1"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package (`storydesk schema` prints it)."""
    text = (importlib.resources.files("storydesk") / "stories.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def build_document(result: RunResult) -> dict[str, Any]:
    """The JSON-ready stories document of a run (the contract evaluations read)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "storydesk_version": __version__,
        "stories": [story_to_dict(story) for story in result.stories],
        "rejected": to_jsonable(result.rejected),
    }


def story_to_dict(story: Any) -> dict[str, Any]:
    """One story in its stories.json form; `Article.outlets` is added for readers of the JSON."""
    data = to_jsonable(story)
    for article, raw in zip(data["articles"], story.articles, strict=True):
        article["outlets"] = raw.outlets
    return data


def validate_document(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `doc` does not follow the shipped schema."""
    import jsonschema

    jsonschema.validate(doc, schema(), format_checker=jsonschema.FormatChecker())

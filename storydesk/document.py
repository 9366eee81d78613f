"""The stories.json document: a `RunResult` in its JSON form and back, and its JSON Schema.

Serialisation, validation and the schema all come from the model's type hints (pydantic's `TypeAdapter`
over the dataclasses of `storydesk.model`), so the document, the schema and the classes cannot drift:
`Story -> dict -> Story` is lossless. Version 1 of the document: fields may be added, never renamed or
removed. Each article also carries `outlets` (`Article.outlets`, derived) for readers of the JSON.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from storydesk import __version__
from storydesk.model import Article, Rejected, RunResult, Story

SCHEMA_VERSION = "1"
_SCHEMA_ID = "https://storydesk.invalid/schemas/stories/1.json"


@cache
def _adapter(cls: Any) -> TypeAdapter:
    return TypeAdapter(cls)


def story_to_dict(story: Story) -> dict[str, Any]:
    """One story in its stories.json form (JSON types only)."""
    data = _adapter(Story).dump_python(story, mode="json")
    for article, raw in zip(data["articles"], story.articles, strict=True):
        article["outlets"] = raw.outlets
    return data


def story_from_dict(data: dict[str, Any]) -> Story:
    """The `Story` a stories.json story object describes (pydantic validation: wrong types raise)."""
    return _adapter(Story).validate_python(data)


def article_to_dict(article: Article) -> dict[str, Any]:
    """One article in its stories.json form (JSON types only)."""
    return _adapter(Article).dump_python(article, mode="json")


def articles_from_dicts(data: list[dict[str, Any]]) -> list[Article]:
    """The `Article`s of stories.json article objects (their derived `outlets` ignored)."""
    return _adapter(list[Article]).validate_python(data)


def build_document(result: RunResult, *, generated_at: str | None = None) -> dict[str, Any]:
    """The JSON-ready stories document of a run (the contract evaluations read)."""
    return {
        **document_head(generated_at),
        "stories": [story_to_dict(story) for story in result.stories],
        "rejected": rejected_to_list(result.rejected),
    }


def document_head(generated_at: str | None = None) -> dict[str, Any]:
    """The fields a stories document opens with, before its stories."""
    return {"schema_version": SCHEMA_VERSION, "generated_at": generated_at or now(),
            "storydesk_version": __version__}


def rejected_to_list(rejected: list[Rejected]) -> list[dict[str, Any]]:
    """Rejected inputs in their stories.json form."""
    return _adapter(list[Rejected]).dump_python(rejected, mode="json")


def result_from_document(doc: dict[str, Any]) -> RunResult:
    """The stories and rejections of a stories document."""
    return RunResult(
        stories=[story_from_dict(s) for s in doc.get("stories", [])],
        rejected=_adapter(list[Rejected]).validate_python(doc.get("rejected", [])),
    )


def now() -> str:
    """The time stamp of a document: UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


#: Properties the document writes beyond the model's fields, by class: (JSON Schema, what derives them).
DERIVED_PROPERTIES: dict[str, dict[str, dict[str, Any]]] = {
    "Article": {"outlets": {"type": "array", "items": {"type": "string"}, "title": "Outlets"}},
}


def add_derived_properties(defs: dict[str, Any]) -> None:
    """Add `DERIVED_PROPERTIES` to schema definitions by class name: stories.json's schema and the HTTP
    API's OpenAPI document both describe them so."""
    for name, extra in DERIVED_PROPERTIES.items():
        if name in defs:
            defs[name].setdefault("properties", {}).update(extra)


def generate_schema() -> dict[str, Any]:
    """The JSON Schema of stories.json, generated from the model.

    Every property of a model class is required (the document always writes every field), and articles
    gain the derived `outlets`.
    """
    defs: dict[str, Any] = {}
    for cls in (Story, Rejected):
        schema = _adapter(cls).json_schema(mode="serialization", ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[cls.__name__] = schema
    for definition in defs.values():
        if definition.get("type") == "object" and "properties" in definition:
            definition["required"] = list(definition["properties"])
    add_derived_properties(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "storydesk stories document",
        "description": "What `storydesk run` writes to stories.json. Version 1: fields may be added in "
        "later versions, never renamed or removed.",
        "type": "object",
        "required": ["schema_version", "stories", "rejected"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "generated_at": {"type": "string", "format": "date-time"},
            "storydesk_version": {"type": "string"},
            "stories": {"type": "array", "items": {"$ref": "#/$defs/Story"}},
            "rejected": {"type": "array", "items": {"$ref": "#/$defs/Rejected"}},
        },
        "$defs": dict(sorted(defs.items())),
    }


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package (storydesk/data/stories.schema.json, `storydesk schema`);
    a test keeps it equal to `generate_schema()`."""
    path = importlib.resources.files("storydesk") / "data" / "stories.schema.json"
    text = path.read_text(encoding="utf-8")
    return json.loads(text)


def validate_document(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `doc` does not follow the shipped schema."""
    import jsonschema

    jsonschema.validate(doc, schema(), format_checker=jsonschema.FormatChecker())

"""Clean: scraper debris a reader would skip (share bars, credits, teasers, prompts) comes out.

The rules live in `storydesk.clean.rules`; this module applies them line by line.

Everything removed is kept as a `Removal` so a user can audit it; prose is kept whenever in doubt. The
article's final `id` is derived from the cleaned text, so the same report cleaned twice gets the same id.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator

from storydesk.clean import rules as debris
from storydesk.clean.mojibake import fix_encoding
from storydesk.config import CleanConfig, LimitsConfig
from storydesk.model import Article, Removal
from storydesk.text import sentences

_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
#: Unicode category Cc except tab and newline, and lone UTF-16 surrogates (no text means them, and they cannot
#: be encoded: a caller of `clean_article` may pass any str, not only what ingest already scrubbed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def article_id(text: str) -> str:
    """A stable id from the article's text, so the same report is stored once."""
    return "a" + hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=6).hexdigest()


def clean_article(
    article: Article, config: CleanConfig | None = None, *, limits: LimitsConfig | None = None
) -> Article:
    """The article with debris lines and runs removed, whitespace normalised, overlong sentences cut into
    pieces (`bound_sentences`) and its final id."""
    config = config or CleanConfig()
    removed = list(article.removed)
    kept: list[str | None] = []  # None marks a paragraph break
    lines = normalize(article.text).split("\n")
    for line, reason in zip(lines, debris.classify_lines(lines, config), strict=True):
        if reason:
            removed.append(Removal(line, reason))
        kept.append(None if reason or not line else _drop_runs(line, removed, config) or None)
    text = bound_sentences(_join(kept), (limits or LimitsConfig()).sentence_chars)
    removed.extend(Removal(phrase, "suspect-number") for phrase in debris.suspect_numbers(text))
    return dataclasses.replace(article, text=text, removed=removed, id=article_id(text))


def normalize(text: str) -> str:
    """Repaired mojibake; no control, invisible or lone-surrogate characters; one space; stripped lines."""
    text = fix_encoding(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))  # no run spans lines


def bound_sentences(text: str, max_chars: int) -> str:
    """The text with every sentence longer than `max_chars` (a one-line or unpunctuated run) cut at spaces
    into paragraphs of at most that length, so the sentence splitter and spaCy see bounded pieces; only
    white space changes, so the article id (over words) stays the same."""
    if all(len(line) <= max_chars for line in text.split("\n")):
        return text
    out, last = [], 0
    for span in sentences(text):
        if span.end - span.start > max_chars:
            out.append(text[last : span.start])
            out.append("\n\n".join(_pieces(span.text, max_chars)))
            last = span.end
    out.append(text[last:])
    return "".join(out)


def _pieces(run: str, max_chars: int) -> Iterator[str]:
    """`run` cut at the last space before every `max_chars` (mid-word only where a word is longer)."""
    while len(run) > max_chars:
        cut = run.rfind(" ", 0, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        yield run[:cut].rstrip()
        run = run[cut:].lstrip()
    if run:
        yield run


def _drop_runs(line: str, removed: list[Removal], config: CleanConfig) -> str:
    """The line without inline debris runs (glued link teasers, boilerplate between sentences)."""
    parts: list[str] = []
    last = 0
    for start, end, reason in debris.inline_runs(line, config):
        parts.append(line[last:start])
        removed.append(Removal(line[start:end], reason))
        last = end
    if not parts:  # nothing removed, and `normalize` left single spaces
        return line.strip()
    parts.append(line[last:])
    return re.sub(r" {2,}", " ", "".join(parts)).strip()


def _join(lines: list[str | None]) -> str:
    """Lines of a paragraph joined by newlines, paragraphs (blank or removed lines) by a blank line."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line is None:
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    return "\n\n".join("\n".join(p) for p in paragraphs if p)

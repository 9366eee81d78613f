"""The units a brief is made of: each report's sentences (a quotation over several sentences is one unit),
with a leading dateline or list marker trimmed, and whether each can stand alone in a brief."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storydesk.config import BriefConfig
from storydesk.model import Article, Span
from storydesk.text import dateline_end, sentences, stems, stop_words

# A leading dateline ("LONDON (Reuters) -", "WASHINGTON —", "(CNN) --") that can be cut and leave a whole
# sentence: it must be followed by a capitalised word or an opening quote.
_TERMINAL = re.compile(r"[.!]['\"”’)]*$")
_DEBRIS = re.compile(
    r"https?://|www\.|@\w|©|\bcopyright\s+(?:\(c\)|\d{4})|all rights reserved|\bclick\b|\bsubscribe\b"
    r"|\bnewsletter\b|\bsign up\b|\bfollow us\b|\bread more\b|\bphoto:|\bimage:|\bcaption\b|\(ap photo"
    r"|\bgetty images\b|\||\bimage copyright\b|\bphoto(?:graph)? by\b|\bcredit:|\bfile photo\b"
    r"|\bpictured\b"
    r"|contributed (?:to this report|reporting)|\b(?:reporting|editing|writing) by\b"
    r"|\bassociated press writer"
    r"|\barchived?\b.*\b(?:article|page|story|version)\b|\bwayback\b|\btwitter\b|\btweet(?:ed|s)?\b"
    r"|^the latest\b",
    re.IGNORECASE,
)
# Substrings every _DEBRIS match contains: most sentences have none, and `in` is far cheaper than the regex.
_DEBRIS_HINTS = (
    "http",
    "www.",
    "@",
    "©",
    "copyright",
    "all rights",
    "click",
    "subscri",
    "newsletter",
    "sign up",
    "follow us",
    "read more",
    "photo",
    "image:",
    "caption",
    "getty",
    "|",
    "credit",
    "pictured",
    "contributed",
    "reporting by",
    "editing by",
    "writing by",
    "writer",
    "archive",
    "wayback",
    "twitter",
    "tweet",
    "the latest",
)
# A sentence opening on a pronoun or a connective leans on what came before it in its report; a brief that
# does not give that context cannot use it ("She said the bridge…", "But officials…", "It did not say…").
LEANING = frozenset(
    {
        "he", "she", "it", "they", "his", "her", "its", "their", "him", "them", "this", "these", "those",
        "that", "there's", "such", "both", "neither", "another", "others", "but", "and", "so", "or", "nor",
        "yet", "also", "although", "though", "however", "meanwhile", "still", "instead", "then", "thus",
        "therefore", "moreover", "furthermore", "besides", "nevertheless", "otherwise", "indeed", "rather",
        "plus", "because", "which", "whether", "whereas", "likewise", "similarly", "earlier", "later",
        "afterward", "afterwards", "elsewhere", "here", "now"
    }
)
# A connective set off early in the sentence leans the same way ("The date, however, has yet to …").
_INNER_CONNECTIVE = re.compile(
    r"^\W*(?:\S+\s+){0,5}?\S+,\s+(?:however|though|meanwhile|too|also|then|instead),"
)
_FIRST_WORD = re.compile(r"[\"“‘']*([A-Za-z]+(?:['’][a-z]+)?)")
# A quotation credited to a pronoun or a title alone ("…," she said; said a spokesman): no named speaker.
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’-][A-Za-z]+)*")
_OPEN_QUOTES = '"“'
_STARTS = _OPEN_QUOTES + "'‘"  # a sentence may open with a quoted title ('La La Land' won …)
# List markers scrapers keep in front of a sentence ("• In Wisconsin, …", "— According to …", "2. Both …").
_BULLET = re.compile(r"^(?:[•►▶■●*—–-]|\d{1,2}[.)])\s+")
_CLOSE_QUOTES = '"”'
ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|according|added|wrote|writes|asked|explained)\b")


@dataclass
class Sentence:
    """One sentence of one article; `text` is verbatim from the article (a leading dateline may be cut)."""

    doc: int
    index: int
    text: str
    n_words: int
    terms: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    candidate: bool


def trim_dateline(text: str) -> str:
    """Drop a leading list marker or news dateline when what remains is still a sentence (a suffix)."""
    bullet = _BULLET.match(text)
    text = text[bullet.end() :] if bullet else text
    return text[dateline_end(text) :]


def _open_quote(text: str) -> bool:
    """Whether `text` leaves a double quotation open (more openings than closings)."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def quote_share(text: str) -> float:
    """Fraction of characters inside double quotes: a mostly-quoted sentence reads badly out of context."""
    if '"' not in text and "“" not in text:
        return 0.0
    inside, depth = 0, False
    for ch in text:
        if ch in _OPEN_QUOTES and not depth:
            depth = True
        elif ch in _CLOSE_QUOTES and depth:
            depth = False
        elif depth:
            inside += 1
    return inside / max(len(text), 1)


def is_candidate(text: str, config: BriefConfig | None = None) -> bool:
    """Whether a sentence can stand alone in a brief (not a fragment, question, caption, byline or run-on)."""
    config = config or BriefConfig()
    n = len(text.split())
    if not config.min_sentence_words <= n <= config.max_sentence_words:
        return False
    if not _TERMINAL.search(text) or _is_debris(text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in _STARTS):
        return False
    if text.startswith("By ") or sum(map(str.isupper, text)) > config.max_capitals_share * sum(
        map(str.isalpha, text)
    ):
        return False
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False  # a piece of a multi-sentence quote
    if text[0] in _OPEN_QUOTES and not ATTRIBUTION.search(text):
        return False
    return not leans(text) and not (quote_share(text) > 0 and not has_named_speaker(text))


def leans(text: str) -> bool:
    """Whether the sentence opens on a pronoun or a connective (it needs the sentence before it)."""
    first = _FIRST_WORD.match(text)
    word = first.group(1).lower().replace("’", "'") if first else ""
    if word in LEANING or word.split("'")[0] in LEANING:  # "there's", and "it's" as "it"
        return True
    return bool(_INNER_CONNECTIVE.match(text))


def has_named_speaker(text: str) -> bool:
    """Whether a sentence with a quotation names someone outside the quotation (its speaker, as a rule)."""
    outside = _QUOTED.sub(" ", text)
    return any(m.group().lower() not in stop_words() for m in _NAME.finditer(outside))


def _is_debris(text: str) -> bool:
    low = text.lower()
    return any(h in low for h in _DEBRIS_HINTS) and bool(_DEBRIS.search(text))


def quote_units(text: str, spans: list[Span] | None = None, max_sentences: int = 4) -> list[str]:
    """The sentences of `text` (`spans` when already split), except that a quotation running over up to
    `max_sentences` sentences of
    one paragraph is one unit: its pieces read as broken text alone ('I'm done with dreams."'), whole it
    is a sentence a brief can quote."""
    spans = sentences(text) if spans is None else spans
    units: list[str] = []
    i = 0
    while i < len(spans):
        end = i
        while (
            _open_quote(text[spans[i].start : spans[end].end])
            and end + 1 < len(spans)
            and end + 1 - i < max_sentences
            and "\n" not in text[spans[end].end : spans[end + 1].start]
        ):
            end += 1
        if _open_quote(text[spans[i].start : spans[end].end]):
            end = i  # never closed: leave the pieces apart (none of them is a candidate)
        units.append(text[spans[i].start : spans[end].end])
        i = end + 1
    return units


def split_articles(
    articles: Sequence[Article], config: BriefConfig | None = None, spans: Sequence[list[Span]] | None = None
) -> list[Sentence]:
    """All sentences (quote units) of all articles with their content stems; `candidate` marks the ones
    fit to select. `spans` are the articles' sentences when already split."""
    config = config or BriefConfig()
    out: list[Sentence] = []
    for doc, article in enumerate(articles):
        split = spans[doc] if spans is not None else None
        for index, unit in enumerate(quote_units(article.text, split, config.max_quote_sentences)):
            text = trim_dateline(unit)
            st = stems(text.replace("’", "'"))  # "don’t" is the stop word "don't"
            out.append(
                Sentence(
                    doc,
                    index,
                    text,
                    len(text.split()),
                    frozenset(st),
                    frozenset(itertools.pairwise(st)),
                    is_candidate(text, config),
                )
            )
    return out

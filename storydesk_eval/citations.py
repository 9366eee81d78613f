"""Are the brief's citations right? Precision of its citations and recall of near-verbatim carriers.

The brief runs through the product's own code path (`storydesk brief` for a clusters JSONL, `storydesk run`
for a folder of reports). Each citation is then checked by an aligner that shares nothing with the brief's
`cite` module (its own sentence splitter, rouge-score's Porter tokens, scikit-learn's stop words) and is
stricter than it:

- **right citation**: the cited report has one sentence, or two consecutive ones, that *entails* the brief
  sentence: every number of it is there (with its "million"/"percent"), every capitalised word after its first
  is there, it denies something exactly when the brief sentence does, its quoted words are there (90 % of
  them), and at least `ENTAIL_CONTENT` (75 %) of its content tokens are there;
- **near-verbatim carrier**: a report with such a window that also holds `CARRIER_CHARS` (90 %) of the brief
  sentence's character 8-grams: it says the sentence nearly word for word, so it must be cited.

The same run reads each brief as an editor would (`read_brief`): the share of sentences that lean on context
the brief does not give (a pronoun or connective opener, or a short name before its full name), quotations
as openers, whether the opener names one of the story's main names, and sentences spanning lines.

Precision is right citations over all citations (and over those of reports other than the one the sentence
was lifted from, which holds it verbatim); recall is cited carriers over carriers other than
that report. Lines the brief generates (`kind == "conflict"`) are not report sentences and are counted apart.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from storydesk.model import Article, BriefSentence

ENTAIL_CONTENT = 0.75
QUOTE_TOKENS = 0.9
CARRIER_CHARS = 0.9
CHAR_N = 8
_SPLIT = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s*(?:million|billion|trillion|percent|%))?", re.IGNORECASE)
_SPELLED = {w: str(i) for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}
_CAPITAL = re.compile(r"\b[A-Z][\w'’-]*")
_NEGATIONS = frozenset({"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without"})
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from rouge_score.tokenizers import DefaultTokenizer

    return DefaultTokenizer(use_stemmer=True)


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@dataclass
class Unit:
    """A sentence or window of report text as the aligner reads it."""

    text: str
    lower: str = field(init=False)
    tokens: list[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)
    negated: bool = field(init=False)

    def __post_init__(self) -> None:
        self.lower = " ".join(self.text.lower().replace("’", "'").split())
        self.tokens = _tokenizer().tokenize(self.text)
        nums = {" ".join(m.group().replace(",", "").lower().replace("%", "percent").split())
                for m in _NUMBER.finditer(self.text)}
        words = re.findall(r"[a-z]+(?:'[a-z]+)?", self.lower)
        self.numbers = frozenset(nums | {_SPELLED[w] for w in words if w in _SPELLED and w != "one"})
        self.negated = any(w in _NEGATIONS or w.endswith("n't") for w in words)

    def content(self) -> set[str]:
        stop = _stop()
        return {t for t in self.tokens if t not in stop}


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def _grams(text: str) -> set[str]:
    flat = _flat(text)
    return {flat[i : i + CHAR_N] for i in range(max(len(flat) - CHAR_N + 1, 1))}


def report_units(text: str) -> list[Unit]:
    """The report's sentences by this module's own splitter, and every two consecutive ones."""
    parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
    return [Unit(p) for p in parts] + [Unit(a + " " + b) for a, b in itertools.pairwise(parts)]


def entails(window: Unit, claim: Unit) -> bool:
    """The stricter check: numbers, names after the first word, negation and quoted words agree, and
    `ENTAIL_CONTENT` of the claim's content tokens are in the window."""
    if not claim.numbers <= window.numbers or claim.negated != window.negated:
        return False
    body = claim.text.lstrip("\"“‘'(")
    first = re.match(r"[\w'’-]+", body)
    after = first.end() if first else 0
    names = {m.group().lower().replace("’", "'") for m in _CAPITAL.finditer(body, after)}
    if any(n not in window.lower for n in names):
        return False
    present = set(window.tokens)
    for quoted in _QUOTE.findall(claim.text):
        toks = _tokenizer().tokenize(quoted)
        if toks and sum(t in present for t in toks) < QUOTE_TOKENS * len(toks):
            return False
    content = claim.content()
    return not content or len(content & present) >= ENTAIL_CONTENT * len(content)


@dataclass
class Tally:
    """Counts over all checked brief sentences."""

    sentences: int = 0
    generated: int = 0
    citations: int = 0
    right: int = 0
    other_citations: int = 0
    other_right: int = 0
    lifted: int = 0
    lifted_cited: int = 0
    carriers: int = 0
    carriers_cited: int = 0
    wrong: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    briefs: int = 0
    leaning: int = 0
    quote_openers: int = 0
    openers_naming: int = 0
    multiline: int = 0
    leaning_examples: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "sentences": self.sentences,
            "generated_lines": self.generated,
            "citations": self.citations,
            "precision": ratio(self.right, self.citations),
            "other_report_citations": self.other_citations,
            "other_report_precision": ratio(self.other_right, self.other_citations),
            "lifted_from_cited": ratio(self.lifted_cited, self.lifted),
            "other_near_verbatim_carriers": self.carriers,
            "other_near_verbatim_recall": ratio(self.carriers_cited, self.carriers),
            "briefs": self.briefs,
            "leaning_share": ratio(self.leaning, self.sentences),
            "quote_openers": self.quote_openers,
            "opener_names_a_main_name": ratio(self.openers_naming, self.briefs),
            "multiline_sentences": self.multiline,
        }


# Readability, by this module's own lists: a sentence leans on missing context when it opens on a pronoun or
# a connective, or names someone by a short name ("Vance") whose full name ("Teodora Vance") the brief has
# not given before it. The story's main names are those in at least half its reports (at most five).
_LEANS = frozenset((
    "he", "she", "it", "they", "his", "her", "its", "their", "them", "him", "this", "that", "these", "those",
    "but", "and", "so", "although", "though", "however", "meanwhile", "also", "still", "yet", "instead",
    "then", "thus", "such", "both", "which", "whether", "there's", "it's", "that's", "plus", "nor", "or",
    "now",
))
_FULL_NAME = re.compile(r"(?=\b([A-Z][^\W\d_]+) ([A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)\b)")  # overlapping
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?\b")
MAIN_NAMES = 5


def _leans(text: str, before: str, short: dict[str, set[str]]) -> bool:
    first = re.match(r"[\W_]*([\w'’]+)", text)
    if first and first.group(1).lower().replace("’", "'") in _LEANS:
        return True
    full_here = {w for m in _FULL_NAME.finditer(text) for w in m.groups()}
    return any(
        w in short and w not in full_here and not any(f in before for f in short[w])
        for w in _CAPITALISED.findall(text)
    )


def _names(articles: Sequence[Article]) -> tuple[dict[str, set[str]], list[str]]:
    """Short names (the second word of a two-word capitalised name, never written in lower case) with
    their full names, and the story's main names."""
    short: dict[str, set[str]] = {}
    lower: set[str] = set()
    reports: dict[str, set[int]] = {}
    stop = _stop()
    for d, a in enumerate(articles):
        lower.update(w for w in re.findall(r"\b[a-z][\w-]*", a.text))
        for m in _FULL_NAME.finditer(a.text):
            if m.group(1).lower() not in stop and m.group(2).lower() not in stop:
                short.setdefault(m.group(2), set()).add(f"{m.group(1)} {m.group(2)}")
                reports.setdefault(m.group(2), set()).add(d)
    short = {w: f for w, f in short.items() if w.lower() not in lower}
    ranked = sorted((w for w in reports if w in short), key=lambda w: -len(reports[w]))
    main = [w for w in ranked if 2 * len(reports[w]) >= len(articles)][:MAIN_NAMES]
    return short, main


def read_brief(brief: Sequence[BriefSentence], articles: Sequence[Article], tally: Tally) -> None:
    """Count the brief's leaning sentences, its opener's kind and whether it names a main name."""
    said = [b for b in brief if b.kind == "report"]
    if not said:
        return
    short, main = _names(articles)
    tally.briefs += 1
    opener = brief[0].text
    tally.quote_openers += any(q in opener for q in "\"“”")
    tally.openers_naming += any(re.search(rf"\b{re.escape(w)}\b", opener) for w in main) or not main
    before = ""
    for b in brief:
        if b.kind == "report" and _leans(b.text, before, short):
            tally.leaning += 1
            tally.leaning_examples.append(b.text)
        tally.multiline += "\n" in b.text
        before += " " + b.text


def check_brief(brief: Sequence[BriefSentence], articles: Sequence[Article], tally: Tally) -> None:
    """Check every citation of one brief against its story's reports, adding to `tally`."""
    units = {a.id: report_units(a.text) for a in articles}
    flat = {a.id: " ".join(a.text.split()) for a in articles}
    for sentence in brief:
        if sentence.kind != "report":
            tally.generated += 1
            continue
        tally.sentences += 1
        claim = Unit(sentence.text)
        grams = _grams(sentence.text)
        text = " ".join(sentence.text.split())
        verbatim = [aid for aid, body in flat.items() if text in body]
        cited_verbatim = [aid for aid in verbatim if aid in sentence.sources]
        source = (cited_verbatim or verbatim or [None])[0]  # the report it was lifted from
        tally.lifted += source is not None
        tally.lifted_cited += bool(cited_verbatim)
        for aid in units:
            ok = aid in verbatim or any(entails(u, claim) for u in units[aid])
            if aid in sentence.sources:
                tally.citations += 1
                tally.right += ok
                if aid != source:
                    tally.other_citations += 1
                    tally.other_right += ok
                if not ok:
                    tally.wrong.append((sentence.text, _closest(claim, units[aid]).text))
            if aid == source or not ok:
                continue
            if aid in verbatim or any(
                len(grams & _grams(u.text)) >= CARRIER_CHARS * len(grams) and entails(u, claim)
                for u in units[aid]
            ):
                tally.carriers += 1
                tally.carriers_cited += aid in sentence.sources
                if aid not in sentence.sources:
                    tally.missed.append((sentence.text, _closest(claim, units[aid]).text))


def _closest(claim: Unit, units: Sequence[Unit]) -> Unit:
    """The report's unit sharing most content tokens with the claim (shown when a citation is wrong)."""
    content = claim.content()
    return max(units, key=lambda u: len(content & set(u.tokens)), default=Unit(""))


def _stories(
    path: Path, max_words: int, limit: int | None
) -> Iterator[tuple[list[BriefSentence], list[Article]]]:
    """(brief, articles) of each cluster of a JSONL file, or of each story `storydesk run` finds in a
    folder."""
    from storydesk.analysis.brief import summarize
    from storydesk.config import BriefConfig, Config

    if path.is_dir():
        from storydesk.pipeline import run

        config = Config().replace("brief", max_words=max_words)
        for story in run([str(path)], config=config).stories[:limit]:
            yield story.brief, story.articles
        return
    from storydesk_eval.summaries import read_clusters

    for articles, _ in read_clusters(path, limit):
        if articles:
            yield summarize(articles, BriefConfig(max_words=max_words)), articles


def evaluate_citations(
    path: Path,
    *,
    max_words: int = 300,
    limit: int | None = None,
    verbose: bool = False,
    out: Path | None = None,
    console: Any = None,
) -> dict[str, Any]:
    """Precision of citations and recall of near-verbatim carriers over every brief of `path`."""
    from rich.console import Console
    from rich.table import Table

    tally = Tally()
    n = 0
    for brief, articles in _stories(Path(path), max_words, limit):
        n += 1
        check_brief(brief, articles, tally)
        read_brief(brief, articles, tally)
    result = {"dataset": str(path), "stories": n, "max_words": max_words, **tally.summary()}
    console = console or Console()
    table = Table(title=f"Citations: {path} ({n} stories, {max_words} words)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if key not in ("dataset",):
            table.add_row(key, "—" if value is None else str(value))
    console.print(table)
    if verbose:
        for label, rows in (("wrong citation", tally.wrong), ("missed carrier", tally.missed)):
            for text, closest in rows:
                console.print(f"{label}: {text}\n    closest there: {closest}", markup=False, highlight=False)
        for text in tally.leaning_examples:
            console.print(f"leaning: {text}", markup=False, highlight=False)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "citations.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result

"""Fact sheets against a hand key: recall of key facts, precision, status accuracy, and who said what.

A key (JSON) names a corpus (a folder of reports, run through `storydesk.run` as `storydesk run` does) or a
clusters file (JSONL of Multi-News-style `documents`, each cluster analysed as one story the way the brief
evaluation reads them), and per story its key `facts` and `statements`. See examples/facts_key.json.

Matching rule (one key entry to at most one sheet fact, one sheet fact to at most one entry):

- kind: the fact's kind is the entry's kind (or one of a list; "*" any);
- slot: the words of one of the entry's slots all occur in the fact's slot ("spokesman" is the sheet's
  "police spokesman"; "*" any);
- subject: the words of one of the entry's subjects all occur in the fact's subject ("*" any);
- a role stated with no organisation ("Teodora Vance — role — mayor") matches an entry whose value is
  the person and one of whose slots is among the title's words (and whose `values`, if any, it has);
- value: for dates, money, counts, ages and durations the sheet's value equals the entry's (a count's
  "percent" aside); for other kinds
  the entry's words all occur in the fact's value, subject or parts ("*" any); `values`, when given, must
  all be among the values the fact reports (the disagreement is caught); `parts`, when given, must each
  be found in the fact's part of that name (words for names, equality for dates).

Among several candidates an entry takes the one with its status, then the most outlets. Key entries
(`key: true`) are matched first; the others are true facts that count for precision only.

- recall: key entries matched / key entries;
- precision: sheet facts matched by any entry / sheet facts (an unkeyed fact counts as wrong, so this is a
  lower bound; `--verbose` lists them for a reader to judge);
- status: matched key entries whose fact has the entry's status / matched key entries;
- quotes as facts: sheet facts of kind "quote" (must be 0);
- speakers: key statements found in the story's statements (the entry's text inside a statement's
  evidence from the entry's file) and, of those, the ones credited to the entry's speaker (null =
  unattributed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storydesk.model import Fact, Statement, Story

EXACT_KINDS = {"date", "money", "count", "age", "duration"}
_DROP = {"the", "a", "an", "of", "s"}


@dataclass
class StoryScore:
    """One story's counts."""

    name: str
    key_facts: int = 0
    found: int = 0
    status_right: int = 0
    sheet: int = 0
    matched_sheet: int = 0
    quotes_as_facts: int = 0
    statements: int = 0
    statements_found: int = 0
    speakers_right: int = 0
    missed: list[dict] = field(default_factory=list)
    wrong_status: list[tuple[dict, Fact]] = field(default_factory=list)
    unmatched: list[Fact] = field(default_factory=list)
    wrong_speakers: list[tuple[dict, str | None]] = field(default_factory=list)


def words(text: str) -> set[str]:
    """Lower-case words without articles, "of" and possessive s."""
    found = re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.casefold().replace("’", "'"))
    return {w for w in found if w not in _DROP}


def _unitless(value: str) -> str:
    """ "44 percent" is 44 for a count's value."""
    return re.sub(r"\s*(?:percent|%)$", "", value.casefold())


def _norm(text: str) -> str:
    return " ".join(sorted(words(text))) if not re.fullmatch(r"[\d\-.]+", text) else text


def _listed(entry: Any) -> list[str] | None:
    """None for "*", else the entry as a list."""
    if entry == "*" or entry is None:
        return None
    return [entry] if isinstance(entry, str) else list(entry)


def _subject_ok(entry: dict, fact: Fact) -> bool:
    subjects = _listed(entry.get("subject", "*"))
    if subjects is None or "*" in subjects:
        return True
    have = words(fact.subject)
    return any(words(s) and words(s) <= have for s in subjects)


def _slot_ok(entry: dict, fact: Fact) -> bool:
    slots = _listed(entry.get("slot", "*"))
    return slots is None or "*" in slots or any(words(s) and words(s) <= words(fact.slot) for s in slots)


def _kind_ok(entry: dict, fact: Fact) -> bool:
    kinds = _listed(entry.get("kind", "*"))
    return kinds is None or fact.kind in kinds


def _value_ok(entry: dict, fact: Fact) -> bool:
    value = entry.get("value", "*")
    if value != "*":
        if fact.kind in EXACT_KINDS:
            if _unitless(value) != _unitless(fact.value):
                return False
        elif not words(value) <= words(" ".join([fact.value, fact.subject, *fact.parts.values()])):
            return False
    if not _values_ok(entry, fact):
        return False
    for name, part in entry.get("parts", {}).items():
        got = fact.parts.get(name, "")
        if re.fullmatch(r"\d{4}(?:-\d\d){0,2}", part):
            if got != part:
                return False
        elif not words(part) <= words(got):
            return False
    return True


def _values_ok(entry: dict, fact: Fact) -> bool:
    """Every value the entry lists is among the fact's (the disagreement is caught)."""
    if fact.kind in EXACT_KINDS:
        have = {v.casefold() for v in fact.values}
        return all(v.casefold() in have for v in entry.get("values", []))
    have_words = [words(v) for v in fact.values]
    return all(any(words(v) <= w for w in have_words) for v in entry.get("values", []))


def matches(entry: dict, fact: Fact) -> bool:
    """Whether a key entry describes a sheet fact (the rule in the module docstring)."""
    if fact.kind == "role" and fact.slot == "role":
        return _kind_ok(entry, fact) and _title_of_person(entry, fact) and _values_ok(entry, fact)
    checks = (_kind_ok, _slot_ok, _subject_ok, _value_ok)
    return all(check(entry, fact) for check in checks)


def _title_of_person(entry: dict, fact: Fact) -> bool:
    """A role the sheet states with no organisation ("Teodora Vance — role — mayor") matches an entry
    naming the person as its value and one of its titles (the organisation cannot be checked)."""
    slots = _listed(entry.get("slot", "*"))
    person = entry.get("value", "*")
    title_ok = slots is None or "*" in slots or any(words(s) and words(s) <= words(fact.value) for s in slots)
    return title_ok and (person == "*" or words(person) <= words(fact.subject))


def score_story(name: str, story: Story, key: dict, files: dict[str, str]) -> StoryScore:
    """Counts of one story against its key; `files` maps a key file name to the story's article id."""
    score = StoryScore(name)
    facts = list(story.facts)
    score.sheet = len(facts)
    score.quotes_as_facts = sum(f.kind == "quote" for f in facts)
    used: set[int] = set()
    entries = sorted(key.get("facts", []), key=lambda e: not e.get("key", True))
    for entry in entries:
        candidates = [i for i, f in enumerate(facts) if i not in used and matches(entry, f)]
        candidates.sort(key=lambda i: (facts[i].status != entry.get("status"), -facts[i].outlets))
        if entry.get("key", True):
            score.key_facts += 1
        if not candidates:
            if entry.get("key", True):
                score.missed.append(entry)
            continue
        used.add(candidates[0])
        fact = facts[candidates[0]]
        if entry.get("key", True):
            score.found += 1
            if fact.status == entry.get("status"):
                score.status_right += 1
            else:
                score.wrong_status.append((entry, fact))
    score.matched_sheet = len(used)
    score.unmatched = [f for i, f in enumerate(facts) if i not in used]
    _score_statements(score, story.statements, key.get("statements", []), files)
    return score


def _score_statements(score: StoryScore, statements: list[Statement], entries: list[dict],
                      files: dict[str, str]) -> None:
    for entry in entries:
        score.statements += 1
        article = files.get(entry["file"])
        text = _plain(entry["text"])
        found = [s for s in statements
                 if any(e.article_id == article and text in _plain(e.quote) for e in s.evidence)]
        if not found:
            score.wrong_speakers.append((entry, "(not found)"))
            continue
        score.statements_found += 1
        if found[0].speaker == entry["speaker"]:
            score.speakers_right += 1
        else:
            score.wrong_speakers.append((entry, found[0].speaker))


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def files_of(story: Story, root: Path | None) -> dict[str, str]:
    """Each report's path (relative to the corpus folder's parent and bare) -> its article id."""
    out: dict[str, str] = {}
    for a in story.articles:
        for path in [a.path, *(c.path for c in a.copies)]:
            if not path:
                continue
            out[Path(path.split("#")[0]).name + ("#" + path.split("#")[1] if "#" in path else "")] = a.id
            if root is not None:
                try:
                    rel = Path(path.split("#")[0]).resolve().relative_to(root.resolve())
                    out[str(rel) + ("#" + path.split("#")[1] if "#" in path else "")] = a.id
                except ValueError:
                    pass
            out[path] = a.id
    return out


def _stories_of_corpus(key: dict, key_path: Path, corpus: Path | None) -> list[tuple[str, Story, dict]]:
    from storydesk.pipeline import run

    folder = corpus or (key_path.parent / key["corpus"])
    if not folder.exists():
        raise FileNotFoundError(f"corpus {folder} not found")
    result = run([str(folder)])
    root = folder.parent
    out = []
    for name, entry in key["stories"].items():
        best = max(result.stories, key=lambda s: len(set(entry["files"]) & set(files_of(s, root))))
        files = files_of(best, root)
        if set(entry["files"]) & set(files):
            out.append((name, best, files))
    return out


def _stories_of_clusters(key: dict, key_path: Path, corpus: Path | None) -> list[tuple[str, Story, dict]]:
    from storydesk.analysis.story import analyse_story
    from storydesk.clean import clean_article
    from storydesk.config import Config
    from storydesk.ingest import article_from_text
    from storydesk.model import Article

    path = corpus or (key_path.parent / key["clusters"])
    wanted = {entry["cluster"]: name for name, entry in key["stories"].items()}
    config = Config()
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] not in wanted:
                continue
            read = [article_from_text(doc, f"{row['id']}/{i + 1}", config)
                    for i, doc in enumerate(row["documents"])]
            articles = [clean_article(a, config.clean) for a in read if isinstance(a, Article)]
            story = analyse_story(articles, config)
            files = {f"{i + 1}": a.id for i, a in enumerate(articles)}
            out.append((wanted[row["id"]], story, files))
    return out


def evaluate_facts(key_path: Path, *, corpus: Path | None = None, verbose: bool = False,
                   console: Any = None) -> dict:
    """Score the fact sheets of a key's stories; print a table (and with `verbose` every miss)."""
    key = json.loads(Path(key_path).read_text(encoding="utf-8"))
    read = _stories_of_clusters if "clusters" in key else _stories_of_corpus
    scores = [score_story(name, story, key["stories"][name], files)
              for name, story, files in read(key, Path(key_path), corpus)]
    missing = set(key["stories"]) - {s.name for s in scores}
    totals = _totals(scores)
    if console is not None:
        _print(scores, totals, missing, verbose, console)
    return {"stories": {s.name: _summary([s]) for s in scores}, "total": totals, "missing": sorted(missing)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _summary(scores: Iterable[StoryScore]) -> dict:
    scores = list(scores)
    total = {k: sum(getattr(s, k) for s in scores) for k in (
        "key_facts", "found", "status_right", "sheet", "matched_sheet", "quotes_as_facts", "statements",
        "statements_found", "speakers_right")}
    total["recall"] = _ratio(total["found"], total["key_facts"])
    total["precision"] = _ratio(total["matched_sheet"], total["sheet"])
    total["status"] = _ratio(total["status_right"], total["found"])
    total["speakers"] = _ratio(total["speakers_right"], total["statements_found"])
    return total


def _totals(scores: list[StoryScore]) -> dict:
    return _summary(scores)


def _print(scores: list[StoryScore], totals: dict, missing: set[str], verbose: bool, console: Any) -> None:
    from rich.table import Table

    table = Table(title="Fact sheets against the key")
    for col in ("story", "key facts", "recall", "sheet facts", "precision", "status", "quotes as facts",
                "statements found", "speakers"):
        table.add_column(col, justify="left" if col == "story" else "right")
    for s in [*scores, None]:
        row = _summary([s]) if s else totals
        table.add_row(s.name if s else "all", str(row["key_facts"]), f"{row['found']} ({row['recall']})",
                      str(row["sheet"]), f"{row['matched_sheet']} ({row['precision']})",
                      f"{row['status_right']} ({row['status']})", str(row["quotes_as_facts"]),
                      f"{row['statements_found']}/{row['statements']}",
                      f"{row['speakers_right']} ({row['speakers']})")
    console.print(table)
    for name in sorted(missing):
        console.print(f"[red]story not found[/red]: {name}")
    if not verbose:
        return
    for s in scores:
        console.print(f"\n[bold]{s.name}[/bold]")
        for e in s.missed:
            console.print(f"  missed: {e.get('kind')} {e.get('subject')} | {e.get('slot')} | {e.get('value')}"
                          f" {e.get('parts', '')}", markup=False)
        for e, f in s.wrong_status:
            console.print(f"  status: {f.subject} | {f.slot} | {f.value}: {f.status}, key {e['status']}",
                          markup=False)
        for f in s.unmatched:
            console.print(f"  unkeyed: {f.kind} {f.subject} | {f.slot} | {f.value} ({f.status}, {f.outlets})",
                          markup=False)
        for e, got in s.wrong_speakers:
            console.print(f"  speaker: {e['text'][:40]!r} -> {got}, key {e['speaker']}", markup=False)

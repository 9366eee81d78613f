"""ROUGE as peers report it: Google's rouge-score (Porter stemming, rougeLsum over newline-split sentences)
for Multi-News, and the original ROUGE-1.5.5 perl script (inside the tilse wheel) for DUC-style clusters."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from storydesk.text import sentences

METRICS = ("rouge1", "rouge2", "rougeLsum")


@lru_cache(maxsize=1)
def _scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def cut_to_budget(sents: Sequence[str], max_words: int) -> list[str]:
    """The sentences truncated to `max_words` words in all (the last one may be cut mid-sentence)."""
    out: list[str] = []
    left = max_words
    for sent in sents:
        toks = sent.split()
        if left <= 0 or not toks:
            break
        out.append(" ".join(toks[:left]))
        left -= len(toks)
    return out


def reference_sentences(text: str) -> list[str]:
    """A reference summary as sentences; Multi-News summaries open with an en dash that is not content."""
    return [s.text for s in sentences(text.strip().removeprefix("–").strip())]


def rouge(system: Sequence[str], references: Sequence[Sequence[str]]) -> dict[str, float]:
    """F1 and recall (in %) of system sentences against the best-matching reference, per metric."""
    pred = "\n".join(system)
    targets = ["\n".join(ref) for ref in references]
    scores = _scorer().score_multi(targets, pred) if len(targets) > 1 else _scorer().score(targets[0], pred)
    out: dict[str, float] = {}
    for metric in METRICS:
        out[f"{metric}_f"] = 100.0 * scores[metric].fmeasure
        out[f"{metric}_r"] = 100.0 * scores[metric].recall
    return out


#: The official DUC 2004 task-2 setting: ROUGE-1/2, Porter stemming, 100-word cut, 95 % confidence from
#: 1,000 bootstrap samples, averaging over models, stop words kept.
ROUGE155_ARGS = ("-n", "2", "-m", "-l", "100", "-p", "0.5", "-c", "95", "-r", "1000", "-f", "A", "-t", "0")
_ROUGE155_LINE = re.compile(
    r"^\S+ ROUGE-([12]) Average_([RPF]): ([0-9.]+) \(95%-conf\.int\. ([0-9.]+) - ([0-9.]+)\)"
)


def rouge155_home() -> Path | None:
    """The ROUGE-1.5.5 folder shipped inside the tilse wheel, when tilse and perl's XML::DOM are there."""
    spec = importlib.util.find_spec("pyrouge")
    if spec is None or not spec.submodule_search_locations or shutil.which("perl") is None:
        return None
    home = Path(next(iter(spec.submodule_search_locations))) / "tools" / "ROUGE-1.5.5"
    check = subprocess.run(["perl", "-MXML::DOM", "-e", "1"], capture_output=True, check=False)
    return home if (home / "ROUGE-1.5.5.pl").is_file() and check.returncode == 0 else None


def rouge155(
    system: Sequence[Sequence[str]],
    references: Sequence[Sequence[Sequence[str]]],
    args: Sequence[str] = ROUGE155_ARGS,
) -> dict[str, Any]:
    """ROUGE-1/2 recall, precision and F (in %, with 95 % intervals) by the original perl script over a set
    of clusters: `system[i]` is cluster i's summary (sentences), `references[i]` its reference summaries."""
    home = rouge155_home()
    if home is None:
        raise RuntimeError("ROUGE-1.5.5 needs tilse==0.2.1 (pyrouge/tools/ROUGE-1.5.5) and perl's XML::DOM")
    with tempfile.TemporaryDirectory(prefix="rouge155-") as tmp:
        root = Path(tmp)
        lines = []
        for i, (peer, refs) in enumerate(zip(system, references, strict=True)):
            paths = [root / f"c{i}.peer"] + [root / f"c{i}.m{j}" for j in range(len(refs))]
            for path, sents in zip(paths, [peer, *refs], strict=True):
                path.write_text("".join(" ".join(s.split()) + "\n" for s in sents) or "\n", encoding="utf-8")
            lines.append(" ".join(str(p) for p in paths))
        listing = root / "pairs.lst"
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        script, data = str(home / "ROUGE-1.5.5.pl"), str(home / "data")
        cmd = ["perl", script, "-e", data, *args, "-z", "SPL", str(listing), "S"]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    scores: dict[str, Any] = {}
    for line in out.splitlines():
        m = _ROUGE155_LINE.match(line)
        if m:
            key = f"rouge{m.group(1)}_{m.group(2).lower()}"
            low, mean, high = (round(100 * float(m.group(g)), 2) for g in (4, 3, 5))
            scores[key], scores[f"{key}_ci"] = mean, (low, high)
    return scores

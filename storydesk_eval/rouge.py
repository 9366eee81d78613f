"""ROUGE as peers report it: Google's rouge-score, Porter stemming, rougeLsum over newline-split sentences."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

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

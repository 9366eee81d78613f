"""B-cubed precision, recall and F1 of a clustering (Bagga & Baldwin 1998), the usual story-grouping score."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Per-item precision and recall of the predicted cluster against the gold one, averaged over items."""
    items = list(gold)
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[predicted[i], gold[i]] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(both[predicted[i], gold[i]] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}

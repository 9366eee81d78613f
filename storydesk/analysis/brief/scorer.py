"""The brief's learned sentence scorer: small boosted regression trees and the selection settings learned
with them, read from a data file (storydesk/data/brief.json by default, written by scripts/train_brief.py)
into a typed model and evaluated in numpy, so no learning library is imported at run time."""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from storydesk.analysis.brief.features import FEATURES


@dataclass(frozen=True)
class LengthModel:
    """Expected summary length: intercept + log_words × log(1 + words of the reports) + reports × their
    number, times `scale`."""

    intercept: float
    log_words: float
    reports: float
    scale: float


@dataclass(frozen=True)
class Trees:
    """Boosted trees as node arrays, one row per tree padded to one width; -1 children mark leaves."""

    base: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Sum of the trees' leaf values for each feature row (all trees walked at once, one level a step);
        a row goes left when its feature is <= the threshold."""
        feature, threshold, left, right = self.feature, self.threshold, self.left, self.right
        value = self.value
        tree = np.arange(feature.shape[0])[None, :]
        node = np.zeros((x.shape[0], feature.shape[0]), dtype=np.int64)
        row = np.arange(x.shape[0])[:, None]
        while True:
            inner = left[tree, node] >= 0
            if not inner.any():
                break
            go_left = x[row, feature[tree, node]] <= threshold[tree, node]
            node = np.where(inner, np.where(go_left, left[tree, node], right[tree, node]), node)
        return self.base + value[tree, node].sum(axis=1)


@dataclass(frozen=True)
class BriefModel:
    """What scripts/train_brief.py learns: the scorer and the selection settings picked with it."""

    features: tuple[str, ...]
    #: Sentences repeating more than this share of what the brief says already are skipped.
    novelty_min: float
    novelty_power: float
    #: Weight of concept coverage in the selection gain (scaled by the number of reports).
    concept_weight: float
    length: LengthModel | None
    trees: Trees

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BriefModel:
        trees = data["trees"]
        return cls(
            features=tuple(data["features"]),
            novelty_min=float(data["novelty_min"]),
            novelty_power=float(data["novelty_power"]),
            concept_weight=float(data["concept_weight"]),
            length=LengthModel(**data["length"]) if data.get("length") else None,
            trees=Trees(
                base=float(trees["base"]),
                feature=np.asarray(trees["feature"]),
                threshold=np.asarray(trees["threshold"], dtype=np.float64),
                left=np.asarray(trees["left"]),
                right=np.asarray(trees["right"]),
                value=np.asarray(trees["value"], dtype=np.float64),
            ),
        )

    def to_json(self) -> dict[str, Any]:
        trees = self.trees
        return {
            "features": list(self.features),
            "novelty_min": self.novelty_min,
            "novelty_power": self.novelty_power,
            "concept_weight": self.concept_weight,
            "length": dataclasses.asdict(self.length) if self.length else None,
            "trees": {"base": trees.base, **{k: getattr(trees, k).tolist()
                                             for k in ("feature", "threshold", "left", "right", "value")}},
        }

    def replace(self, **changes: Any) -> BriefModel:
        return dataclasses.replace(self, **changes)


@lru_cache(maxsize=4)
def load_model(name: str = "brief.json") -> BriefModel:
    """The model in `name`: a file of storydesk/data, else a path. Cached per name (a file's content is
    taken to be fixed for the process, as a model is)."""
    shipped = importlib.resources.files("storydesk") / "data" / name
    source = shipped if shipped.is_file() else Path(name)
    text = source.read_text(encoding="utf-8")
    model = BriefModel.from_json(json.loads(text))
    if model.features != FEATURES:
        raise ValueError(f"the brief model {name} was trained on other features; retrain it")
    return model

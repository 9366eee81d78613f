"""Story grouping on small invented reports, on the seed reports, and on the bundled sample corpus."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import random
import re
from pathlib import Path

import numpy as np
import pytest

from storydesk.clean import clean_article
from storydesk.cluster import _NAME, StoryGrouper, features, group_stories, sort_key
from storydesk.model import Article

BRIDGE = [
    "Velmont closed the Orrin Street bridge on Tuesday after inspectors found a crack in a steel girder. "
    "Mayor Ilse Karvonen said the bridge would stay shut to cars and buses until engineers finish repairs, "
    "which could take three months. Commuters were told to use the ferry or the northern ring road.",
    "Engineers discovered a crack in a main girder of Velmont's Orrin Street bridge, and the city shut the "
    "crossing to traffic on Tuesday. Mayor Ilse Karvonen called the closure painful but necessary, adding "
    "that repairs would take about three months and that extra ferries would run meanwhile.",
    "Traffic backed up across Velmont on Wednesday, a day after the Orrin Street bridge closed because of a "
    "cracked girder. Bus routes were diverted to the northern ring road and the ferry added crossings. "
    "Karvonen said engineers were preparing a repair plan for the damaged steel.",
]
BUDGET = [
    "Velmont's city council approved a budget on Thursday that cuts library opening hours to pay for more "
    "street cleaning. Mayor Ilse Karvonen defended the plan, saying the council had to balance the books "
    "after tax income fell. Librarians said weekend closures would hurt students.",
    "The council of Velmont voted 7 to 4 for Mayor Ilse Karvonen's budget, trimming library hours and "
    "moving the money into street cleaning. Students and librarians protested outside the council chamber "
    "against the weekend closures, while Karvonen said falling tax income left no other choice.",
    "After the budget vote, Velmont librarians began planning weekend closures of three branches. Councillor "
    "Tomas Reyl, who voted against the plan, said cutting library hours to fund street cleaning was short-"
    "sighted, and students started a petition to restore the hours.",
]
TRANSFER = [
    "Striker Joaquim Ferreira signed a four-year contract with Harlow Athletic on Friday, ending weeks of "
    "talks. The club paid a record fee for the 24-year-old forward, who scored 31 goals last season.",
    "Harlow Athletic completed the record signing of forward Joaquim Ferreira, 24, who agreed a four-year "
    "deal. Ferreira, the league's top scorer with 31 goals, said he chose the club for its young squad.",
]

QUAKE_A = [
    "A magnitude 6.1 earthquake struck near the mountain town of Serrano on Monday, killing 14 people and "
    "collapsing a school gymnasium. Rescue teams searched the rubble through the night, officials said.",
    "The 6.1 magnitude quake that hit Serrano killed 14 people, the regional governor Ana Pulido said, and "
    "left about 2,000 residents homeless after the school gymnasium and a church collapsed.",
    "Serrano buried its 14 dead on Thursday, three days after the magnitude 6.1 earthquake. Governor Ana "
    "Pulido promised to rebuild the collapsed school gymnasium before the next school year.",
]
QUAKE_B = [
    "An earthquake of magnitude 7.3 shook the coastal city of Port Elwin, killing 212 people and setting off "
    "fires in the harbour district, the national disaster agency said.",
    "The death toll from the 7.3 magnitude earthquake in Port Elwin rose to 212 as firefighters put out the "
    "last harbour fires. Prime minister Karel Dovan flew in to visit the harbour district.",
    "Port Elwin's harbour district reopened a week after the 7.3 earthquake that killed 212 people. Karel "
    "Dovan pledged money to rebuild the burnt warehouses.",
]
QUAKE_B_RECALLING_A = (
    "An earthquake of magnitude 7.3 struck Port Elwin, killing 212 people and setting off harbour fires. It "
    "was the deadliest since the magnitude 6.1 earthquake in Serrano that killed 14 people and collapsed a "
    "school gymnasium, the disaster agency said."
)


def make(texts: list[str], prefix: str, day: int) -> list[Article]:
    return [
        Article(id=f"{prefix}{i}", text=t, published=dt.date(2025, 6, day + i)) for i, t in enumerate(texts)
    ]


@pytest.fixture()
def corpus() -> list[Article]:
    return make(BRIDGE, "b", 3) + make(BUDGET, "g", 5) + make(TRANSFER, "t", 6)


def ids(stories: list[list[Article]]) -> set[frozenset[str]]:
    return {frozenset(a.id for a in story) for story in stories}


def test_stories_sharing_a_mayor_stay_apart(corpus: list[Article]) -> None:
    assert ids(group_stories(corpus)) == {
        frozenset({"b0", "b1", "b2"}), frozenset({"g0", "g1", "g2"}), frozenset({"t0", "t1"})
    }


def test_input_order_does_not_matter(corpus: list[Article]) -> None:
    expected = [[a.id for a in s] for s in group_stories(corpus)]
    for seed in range(5):
        shuffled = corpus[:]
        random.Random(seed).shuffle(shuffled)
        assert [[a.id for a in s] for s in group_stories(shuffled)] == expected


def test_stream_matches_batch_and_ids_are_stable(corpus: list[Article]) -> None:
    ordered = sorted(corpus, key=sort_key)
    grouper = StoryGrouper()
    assigned: dict[str, str] = {}
    for article in ordered:
        before = dict(assigned)
        assigned[article.id] = grouper.add(article)
        assert all(assigned[k] == v for k, v in before.items())
    batch = group_stories(corpus)
    assert [[a.id for a in s] for s in grouper.refined()] == [[a.id for a in s] for s in batch]
    for story in grouper.stories:
        assert {assigned[a.id] for a in story} == {"s" + story[0].id}


def test_refinement_moves_a_report_that_came_before_its_story_formed() -> None:
    quakes = [Article(id=f"a{i}", text=t) for i, t in enumerate(QUAKE_A)]
    quakes += [Article(id=f"b{i}", text=t) for i, t in enumerate(QUAKE_B)]
    quakes.append(Article(id="a05", text=QUAKE_B_RECALLING_A))  # streams second, before story B exists
    grouper = StoryGrouper()
    for article in sorted(quakes, key=sort_key):
        grouper.add(article)
    streamed = ids(grouper.stories)
    assert not any({"b0", "b1", "b2"} <= story for story in streamed)
    refined = ids(grouper.refined())
    assert frozenset({"b0", "b1", "b2"}) in refined
    assert ids(group_stories(quakes)) == refined


def test_features_count_names_and_written_years() -> None:
    report = Article(id="x", title="Flood in Marlow", text="The 2019 flood in Marlow Vale beat 1234.")
    feats = features(report)
    assert feats["#2019"] == 1 and feats["2019"] == 1 and "#1234" not in feats
    assert feats["@marlow vale"] == 1 and feats["@marlow"] == 1
    assert "@the" not in feats and "the" not in feats


def test_name_runs_are_those_of_a_word_boundary_pattern() -> None:
    """`_NAME` starts with its capital (a fast scan) and checks the word boundary behind it: the runs of the
    plain `\b[A-Z]...` pattern, on random strings of the characters that matter."""
    plain = re.compile(r"\b[A-Z][\w'’.\-]*(?:[ \t]+(?:of[ \t]+|the[ \t]+|de[ \t]+)?[A-Z][\w'’.\-]*)*")
    pieces = ["a", "Z", "Q", " ", "_", "1", "'", "’", ".", "-", "\t", "of ", "the ", "de ", "\n", "É", "é"]
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        assert _NAME.findall(text) == plain.findall(text), repr(text)


def test_far_apart_dates_need_closer_text() -> None:
    near = make(BRIDGE[:2], "n", 3)
    late = Article(id="z", text=BRIDGE[2], published=dt.date(2026, 6, 3))
    assert len(group_stories([*near, late])) == 2
    assert len(group_stories([*near, Article(id="z", text=BRIDGE[2])])) == 1


def test_seed_reports_form_one_story(seeds_dir: Path) -> None:
    from storydesk.ingest import read_inputs

    articles, rejected = read_inputs([str(seeds_dir)])
    assert len(articles) == 5 and not rejected
    assert len(group_stories([clean_article(a) for a in articles])) == 1


def test_sample_corpus_gives_its_intended_stories(examples_dir: Path) -> None:
    from storydesk.dedup import collapse_duplicates
    from storydesk.ingest import read_inputs

    gold_file = examples_dir / "expected.json"
    if not gold_file.is_file():
        pytest.skip("examples/expected.json is not present")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    articles, _ = read_inputs([str(examples_dir / "corpus")])
    unique = collapse_duplicates([clean_article(a) for a in articles])

    def ref(path: str | None) -> str:
        return str(Path(path or "").relative_to(examples_dir)) if path else ""

    members = {a.id: [ref(a.path), *(ref(c.path) for c in a.copies)] for a in unique}
    got = {frozenset(r for a in story for r in members[a.id]) for story in group_stories(unique)}
    assert got == {frozenset(refs) for refs in gold["stories"].values()}
    for pair in gold["near_duplicates"] + gold["exact_duplicates"]:
        assert any(set(pair) <= set(refs) for refs in members.values())


def test_grouping_does_not_depend_on_what_the_process_saw_before(corpus: list[Article]) -> None:
    expected = [[a.id for a in s] for s in group_stories(corpus)]
    feats = list(features(corpus[0]).items())
    other = [Article(id=f"q{i}", text=t + " Zorvath Quillon 1998.") for i, t in enumerate(QUAKE_A + QUAKE_B)]
    group_stories(other)  # new words and features get process-wide ids first
    assert [[a.id for a in s] for s in group_stories(corpus)] == expected
    assert list(features(corpus[0]).items()) == feats


def test_a_pickled_grouper_goes_on_identically_in_a_fresh_process(tmp_path, corpus_dir) -> None:
    """The grouper owns its vocabularies: its state, pickled here and restored in another interpreter,
    assigns new articles exactly as the original does (ids, streaming stories and refinement)."""
    import pickle
    import subprocess
    import sys

    from storydesk.clean import clean_article
    from storydesk.ingest import read_inputs

    articles = sorted((clean_article(a) for a in read_inputs([str(corpus_dir)])[0]), key=sort_key)
    half = len(articles) // 2
    grouper = StoryGrouper()
    for article in articles[:half]:
        grouper.add(article)
    (tmp_path / "state.pickle").write_bytes(pickle.dumps((grouper, articles[half:])))

    code = (
        "import json, pickle, sys\n"
        "from tests.test_cluster import _outcome\n"
        "g, later = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "print(json.dumps(_outcome(g, later)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "state.pickle")], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    assert json.loads(done.stdout) == _outcome(grouper, articles[half:])


def _outcome(grouper: StoryGrouper, later: list) -> dict:
    ids = [grouper.add(a) for a in later]
    return {"ids": ids, "stories": [[a.id for a in s] for s in grouper.stories],
            "refined": [[a.id for a in s] for s in grouper.refined()],
            "vocabulary": len(grouper.featurizer.features.words)}


def test_a_restarted_grouper_regroups_as_a_new_one_without_featurising_again(examples_dir: Path) -> None:
    from storydesk.dedup import collapse_duplicates
    from storydesk.ingest import read_inputs

    articles, _ = read_inputs([str(examples_dir / "corpus")])
    unique = sorted(collapse_duplicates([clean_article(a) for a in articles]), key=sort_key)
    later = unique[::2]  # the first batch holds every other report: the rest come earlier (a replay)
    first = StoryGrouper(remember=True)
    for article in later:
        first.add(article)
    first.compact()
    restarted = pickle.loads(pickle.dumps(first)).restarted()
    featurised = []
    counts = restarted.featurizer.counts
    restarted.featurizer.counts = lambda a: featurised.append(a.id) or counts(a)  # type: ignore[method-assign]
    fresh = StoryGrouper()
    for article in unique:
        assert restarted.add(article) == fresh.add(article)
    assert sorted(featurised) == sorted(a.id for a in unique[1::2])  # only the reports it had not seen
    assert [[a.id for a in s] for s in restarted.refined()] == [[a.id for a in s] for s in fresh.refined()]
    assert [[a.id for a in s] for s in fresh.refined()] == [[a.id for a in s] for s in group_stories(unique)]


def test_grouping_positions_over_a_spill_matches_a_grouper_holding_everything(examples_dir: Path) -> None:
    """`group_story_positions` (articles read from disk, vectors kept on disk) groups the sample corpus as an
    in-memory grouper fed the same articles in stream order does."""
    from storydesk.cluster import group_story_positions
    from storydesk.ingest import read_inputs
    from storydesk.spill import ArticleSpill

    articles, _ = read_inputs([str(examples_dir / "corpus")])
    cleaned = [clean_article(a) for a in articles]
    grouper = StoryGrouper()
    for article in sorted(cleaned, key=sort_key):
        grouper.add(article)
    expected = [[a.path for a in story] for story in grouper.refined()]
    assert len(expected) > 3
    with ArticleSpill() as spill:
        for article in cleaned:
            spill.append(article)
        positions = group_story_positions(spill)
    assert [[cleaned[p].path for p in story] for story in positions] == expected


def test_a_grouper_pickled_before_on_disk_existed_goes_on(corpus: list[Article]) -> None:
    """A stream state stored by an earlier version (no `on_disk`, `_added` or `_overlap`) restores and groups
    on."""
    grouper = StoryGrouper(remember=True)
    for article in sorted(corpus, key=sort_key)[:-1]:
        grouper.add(article)
    state = dict(grouper.__dict__)
    del state["on_disk"], state["_added"], state["_overlap"]
    old = StoryGrouper.__new__(StoryGrouper)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    last = sorted(corpus, key=sort_key)[-1]
    assert old.add(last) == grouper.add(last)
    assert ids(old.refined()) == ids(grouper.refined())


def test_a_feature_shared_by_many_stories_is_read_from_its_latest_ones() -> None:
    """Block purging: a feature's postings are read from the `block_postings` stories that took it up last,
    so an article's cost stays bounded when common features are shared by thousands of stories."""
    from storydesk.config import ClusterConfig

    def grouper_of(cap: int) -> StoryGrouper:
        grouper = StoryGrouper(ClusterConfig(block_postings=cap))
        for n in range(6):  # six stories sharing one word, each with words of its own
            text = "harbour " + " ".join(f"w{n}x{k}" for k in range(30))
            grouper.add(Article(id=f"a{n}", text=text, published=dt.date(2026, 1, 1 + n)))
        assert len(grouper.stories) == 6
        return grouper

    def candidates(grouper: StoryGrouper) -> list[str]:
        vector = grouper._vector(*grouper.featurizer.counts(Article(id="q", text="harbour")))
        return [grouper._stories[k].sid for k in grouper._candidates(vector)]

    assert candidates(grouper_of(1000)) == ["sa0", "sa1", "sa2"]  # equal overlap: the smaller ids
    assert candidates(grouper_of(2)) == ["sa4", "sa5"]


def test_candidates_are_the_stories_sharing_most_weight() -> None:
    """`_candidates` (per-story sums over the capped postings, a partition cut) picks what its definition
    says: per story, the summed weights of the blocking features it shares; the `shortlist` largest, ties
    to the smaller id. Random vocabularies small enough that stories share features and tie often; half
    the trials with enough stories that the lists hold many more entries than the shortlist needs."""
    from storydesk.config import ClusterConfig

    rng = random.Random(11)
    for trial in range(40):
        config = ClusterConfig(shortlist=rng.choice([1, 3, 5]), block_terms=rng.choice([3, 25]),
                               block_postings=rng.choice([4, 1000]), link_threshold=rng.choice([0.9, 2.0]))
        grouper = StoryGrouper(config)
        words = [f"w{k}" for k in range(rng.choice([8, 40]))]
        for n in range(rng.randint(1, 60) if trial % 2 else rng.randint(100, 300)):
            text = " ".join(rng.choices(words, k=rng.randint(1, 9)))
            grouper.add(Article(id=f"a{trial}x{n:02d}", text=text))
        query = Article(id="q", text=" ".join(rng.choices(words, k=6)))
        vector = grouper._vector(*grouper.featurizer.counts(query))
        overlap: dict[int, float] = {}
        seen = [t for t in vector.ids.tolist() if grouper._df[t] > 1][: config.block_terms]
        for term, weight in zip(seen, vector.weights[grouper._df[vector.ids] > 1].tolist(), strict=False):
            for story in grouper._postings[term][-config.block_postings :]:
                overlap[story] = overlap.get(story, 0.0) + weight
        expected = sorted(overlap, key=lambda k: (-overlap[k], grouper._stories[k].sid))[: config.shortlist]
        assert grouper._candidates(vector) == expected


def test_a_featurizer_pickled_with_a_plain_name_cache_features_as_before() -> None:
    """A store's stream state may hold a featurizer whose name cache was a plain dict: restored, it gives
    the same feature ids as the featurizer it was pickled from."""
    from storydesk.cluster import Featurizer
    from storydesk.config import ClusterConfig

    featurizer = Featurizer(ClusterConfig())
    featurizer.counts(Article(id="a1", text="Mayor Teodora Vance opened the Linden Street Bridge in Carrow."))
    state = {**pickle.loads(pickle.dumps(featurizer)).__dict__}
    state["_names"] = dict(state["_names"])
    del state["source"], state["_told"], state["_foreign"]  # pickled before keys were written by id
    old = Featurizer.__new__(Featurizer)
    old.__setstate__(state)
    later = Article(id="a2", text="Teodora Vance and The Carrow Council met Rafael Dunmore on the Bridge.")
    expected = featurizer.counts(later)
    assert all((a == b).all() for a, b in zip(old.counts(later), expected, strict=True))
    assert old.features.words == featurizer.features.words
    reader = Featurizer(ClusterConfig())
    assert reader.from_keys(old.keys(later))[1].tolist() == expected[1].tolist()


def test_dot_products_do_not_depend_on_the_blas_threads() -> None:
    """A story's mean cosine is the same whether numpy's BLAS may use one thread or all (OpenBLAS splits a
    dot product of more than 10,000 numbers across its threads, which changes the sum), and is `a @ b` up
    to that length."""
    from threadpoolctl import threadpool_limits

    from storydesk.cluster import dot

    rng = np.random.default_rng(1)
    for n in (3, 10_000, 10_001, 54_321, 200_000):
        for _ in range(20):
            a, b = rng.random(n), rng.random(n)
            everywhere = dot(a, b)
            with threadpool_limits(limits=1, user_api="blas"):
                assert dot(a, b) == everywhere, n
            if n <= 10_000:
                assert everywhere == float(a @ b)
            assert abs(everywhere - float(a @ b)) <= 1e-9 * abs(everywhere)

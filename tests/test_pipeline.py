from __future__ import annotations

from pathlib import Path

from storydesk.clean import clean_article
from storydesk.cluster import group_stories
from storydesk.config import Config
from storydesk.dedup import collapse_duplicates
from storydesk.ingest import read_inputs
from storydesk.pipeline import prepare, read_cleaned
from storydesk.spill import ArticleSpill


def test_prepare_groups_from_its_spill_what_the_in_memory_stages_group(examples_dir: Path) -> None:
    """The run's stories (articles spilled to disk, stages over positions, merged copies read back per
    story) are the stories of dedup + grouping over a list of the same cleaned articles."""
    corpus = str(examples_dir / "corpus")
    articles, _ = read_inputs([corpus])
    expected = group_stories(collapse_duplicates([clean_article(a) for a in articles]))
    groups, rejected = prepare([corpus], Config(), jobs=1)
    assert not rejected
    assert len(groups) == len(expected) > 3
    assert [len(g) for g in groups] == [len(s) for s in expected]
    assert [list(g) for g in groups] == expected
    assert list(groups[-1]) == expected[-1] and groups[0][-1] == expected[0][-1]


def test_read_cleaned_appends_to_the_container_it_is_given(examples_dir: Path) -> None:
    corpus = str(examples_dir / "corpus")
    listed, _ = read_cleaned([corpus], jobs=1)
    with ArticleSpill() as spill:
        spilled, _ = read_cleaned([corpus], jobs=1, into=spill)
        assert spilled is spill
        assert list(spill) == listed


def test_prepare_reports_the_progress_of_every_pass(examples_dir: Path) -> None:
    """Each pass of a long run (reading, cleaning, sketching copies, grouping, refining) reports progress
    and ends with done == total."""
    last: dict[str, tuple[int, int]] = {}
    groups, _ = prepare([str(examples_dir / "corpus")], Config(), jobs=1,
                        progress=lambda stage, done, total: last.__setitem__(stage, (done, total)))
    assert set(last) == {"read", "clean", "dedup", "group", "refine"}
    assert all(done == total > 0 for done, total in last.values())
    assert last["refine"][1] == sum(len(g) for g in groups)

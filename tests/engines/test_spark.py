"""`--engine spark` on a real local[2] Spark (Java 17): the same stories as an in-process run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.document import build_document

pytest.importorskip("pyspark")
pytestmark = pytest.mark.slow
BIN = Path(sys.executable).with_name("storydesk")


@pytest.fixture(scope="module")
def spark():
    from storydesk.engines.spark import session

    try:
        spark = session("local[2]")
    except Exception as error:  # no Java 17: `make java` installs it
        pytest.skip(f"no Spark here: {error}")
    yield spark
    spark.stop()


def test_spark_writes_the_same_stories_json_as_in_process(
    spark, tmp_path: Path, corpus_dir: Path, corpus_result
) -> None:
    """`storydesk run --engine spark` (stories streamed back a partition at a time and written as they
    come) against the in-process run: stories.json byte for byte apart from its time stamp, and the
    stories as Parquet."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [str(BIN), "run", str(corpus_dir), "--engine", "spark", "--master", "local[2]", "--no-store",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    written = (out / "stories.json").read_text(encoding="utf-8")
    stamp = json.loads(written)["generated_at"]
    expected = build_document(corpus_result, generated_at=stamp)
    assert written == json.dumps(expected, ensure_ascii=False, indent=2)
    assert sum(len(a.copies) for s in corpus_result.stories for a in s.articles) > 0  # so Spark's dedup ran
    rows = spark.read.parquet(str(out / "stories.parquet")).orderBy("n").collect()
    assert [r.id for r in rows] == [s.id for s in corpus_result.stories]
    assert json.loads(rows[0].story)["title"] == corpus_result.stories[0].title


def test_parquet_rows_read_as_jsonl_records(spark, tmp_path: Path) -> None:
    from storydesk.engines.spark import run_spark
    from storydesk.pipeline import run

    text = ("The council of Eastmark voted on Tuesday to close the old bridge after inspectors found deep "
            "cracks in two of its piers, the mayor said.")
    records = [{"title": "Bridge closed", "outlet": "Herald", "published": "2026-03-03", "text": text},
               {"title": "Bridge shut", "outlet": "Post", "published": "2026-03-04", "text": text},
               {"title": "Rejected", "outlet": "Post"}]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    spark.createDataFrame(records[:2]).write.parquet(str(tmp_path / "in.parquet"))
    local = run([str(jsonl)], jobs=1)
    distributed = run_spark([str(tmp_path / "in.parquet")], spark=spark)
    assert [s.id for s in distributed.stories] == [s.id for s in local.stories]
    assert [len(a.copies) for a in distributed.stories[0].articles] == [1]


def test_a_bucket_of_many_copies_collapses_as_in_process(spark, tmp_path: Path) -> None:
    """Buckets of three or more texts go through `dedup.join_bucket` on the workers: 40 copies of one
    story and a chain of edits (each copying the next, the ends apart) collapse as in process."""
    import random

    from storydesk.engines.spark import run_spark
    from storydesk.pipeline import run

    rng = random.Random(4)
    vocabulary = [f"w{n}" for n in range(3000)]
    story = [rng.choice(vocabulary) for _ in range(300)]
    texts = []
    for i in range(40):
        words = list(story)
        words[rng.randrange(300)] = f"edit{i}"
        texts.append(" ".join(words))
    chain = [rng.choice(vocabulary) for _ in range(300)]
    for _ in range(6):  # every step rewrites 4 words: neighbours are copies, the ends are not
        texts.append(" ".join(chain))
        for k in rng.sample(range(300), 4):
            chain[k] = rng.choice(vocabulary)
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps({"title": f"Report {n}", "outlet": f"Outlet {n}", "text": t}) + "\n"
                             for n, t in enumerate(texts)), encoding="utf-8")
    local, distributed = run([str(jsonl)], jobs=1), run_spark([str(jsonl)], spark=spark)

    def copies(result) -> list[tuple[str, list[str]]]:
        return [(a.id, sorted(c.id for c in a.copies)) for s in result.stories for a in s.articles]

    assert copies(distributed) == copies(local)
    assert sorted(len(c) + 1 for _, c in copies(local))[-2:] == [6, 40]


def test_the_driver_groups_alike_with_featurising_workers(spark, corpus_dir: Path) -> None:
    """With a threshold low enough for the sample corpus to start them, the driver's featurising workers
    (`engines.local.GroupingWorkers`) give the copies and stories of one process."""
    from storydesk.config import Config
    from storydesk.engines.spark import group_articles, read_clean
    from storydesk.pipeline import group_cleaned, read_cleaned

    config = Config().replace("engine", feature_batch=2, jobs=2, group_workers_from=2)
    articles, _ = read_clean(spark, [str(corpus_dir)], config)
    groups, _ = group_articles(spark, articles, config)
    articles.unpersist()
    cleaned, _ = read_cleaned([str(corpus_dir)], config, jobs=1)
    alone = group_cleaned(cleaned, config, jobs=1)
    assert (groups.copies, groups.stories) == (alone.copies, alone.stories)
    assert len(alone.stories) > 3

"""The pipeline inside Spark: `storydesk run --engine spark [--master local[2]] INPUT... --out DIR`.

The same stage functions as in-process, called from Spark's Python workers over Arrow batches
(`mapInPandas`, `applyInPandas`); model objects travel between them pickled in binary columns, so the
Spark code only moves and groups rows and never re-implements a stage:

1. read + clean: the driver lists the inputs as `storydesk run` walks them (same order, same names); one
   task per file reads it (`ingest.read_file`: text, HTML, JSON, JSONL line by line) and cleans each article.
   Parquet inputs (a file or a folder of part files) are rows of the JSONL record fields.
2. dedup: the banded MinHash of `storydesk.dedup` (same shingles, permutations and bands), computed per
   article on the workers; exact copies meet by a hash of their words, near ones by band key, candidate
   pairs are checked by exact shingle Jaccard on the workers; the few copy edges go to the driver, whose
   union-find gives each copy group its first member, and each group is merged (`dedup` rules) on a worker.
3. grouping: the streaming `StoryGrouper` is sequential by design (stable ids, date order), so the driver
   runs `cluster.group_stories` over the deduplicated articles.
4. analysis: one row per story, `analysis.story.analyse_story` on the workers; stories are written as
   Parquet (`DIR/stories.parquet`: id, title, article count, the story's stories.json object) and come
   back to the driver for the same stories.json and reports as an in-process run.

PySpark is an optional extra (`pip install 'storydesk[spark]'`) imported only here; Spark 4 needs Java 17
(`JAVA_HOME`, else the usual Debian location is tried).
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import json
import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from storydesk.config import Config
from storydesk.model import Article, Rejected, RunResult, Story

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

_JAVA_17 = "/usr/lib/jvm/java-17-openjdk-*"  # Debian's (a newer default JDK may be present: Spark 4 wants 17)


def session(master: str = "local[2]", *, partitions: int = 2) -> SparkSession:
    """A Spark session for storydesk (reused when one is running): UI off, loopback, few shuffle
    partitions (the row counts here are stories and copy pairs, not billions), Arrow batches."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ModuleNotFoundError("--engine spark needs PySpark: pip install 'storydesk[spark]'") from None
    found = sorted(glob.glob(_JAVA_17))
    if "JAVA_HOME" not in os.environ and found:
        os.environ["JAVA_HOME"] = found[0]
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master).appName("storydesk")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        .config("spark.executorEnv.PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(
    paths: Sequence[str], *, config: Config | None = None, spark: SparkSession | None = None,
    master: str = "local[2]", out: Path | None = None,
) -> RunResult:
    """`pipeline.run` on Spark: the same stories (and rejections) for the same inputs; with `out`, the
    stories are also written as Parquet to `out/stories.parquet`."""
    config = config or Config()
    spark = spark or session(master)
    articles, rejected = read_clean(spark, paths, config)
    deduplicated = collapse_duplicates(spark, articles, config)
    from storydesk.cluster import group_stories

    groups = group_stories(deduplicated, config.cluster)
    return RunResult(stories=analyse(spark, groups, config, out), rejected=rejected)


# 1. read + clean ----------------------------------------------------------------------------------------

_ROWS = "order long, seq long, ok boolean, payload binary"


def read_clean(spark: SparkSession, paths: Sequence[str], config: Config) -> tuple[DataFrame, list[Rejected]]:
    """Cleaned articles as rows (idx: their place in the in-process read order, payload: the pickled
    `Article`), and every rejected input, in the order `storydesk run` lists them."""
    from pyspark.sql import functions as F

    from storydesk.ingest.sources import _expand  # the walk `storydesk run` does, names as it gives them

    files: list[tuple[int, str]] = []
    early: list[tuple[int, Rejected]] = []
    parquet: list[tuple[int, str]] = []
    for order, source in enumerate(_expand([p for p in paths if not _is_parquet(p)])):
        if isinstance(source, Rejected):
            early.append((order, source))
        else:
            files.append((order, source))
    parquet = [(len(files) + len(early) + k, p) for k, p in enumerate(p for p in paths if _is_parquet(p))]
    frames = []
    if files:
        tasks = min(len(files), spark.sparkContext.defaultParallelism * 4)
        listing = spark.createDataFrame(files, "order long, name string").repartition(tasks)
        frames.append(listing.mapInPandas(_read_files(config), _ROWS))
    for order, path in parquet:
        table = spark.read.parquet(path)
        fields = [c for c in table.columns if c in _record_columns()]
        rows = table.select(*fields).rdd.zipWithIndex().map(
            lambda row_n, order=order: (order, row_n[1] + 1, row_n[0].asDict()))
        records = spark.createDataFrame(rows.map(lambda r: (r[0], r[1], pickle.dumps(r[2]))),
                                        "order long, seq long, record binary")
        frames.append(records.mapInPandas(_read_records(config, path), _ROWS))
    if not frames:
        return spark.createDataFrame([], "idx long, payload binary"), [r for _, r in early]
    rows = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
    for extra in frames[2:]:
        rows = rows.unionByName(extra)
    rows = rows.persist()
    bad = [(r.order, r.seq, pickle.loads(r.payload)) for r in rows.filter(~rows.ok).collect()]
    rejected = [r for *_, r in sorted([(o, 0, r) for o, r in early] + bad, key=lambda t: t[:2])]
    # idx orders as the in-process read does (input, then place in it): a copy group keeps its least idx.
    ranked = rows.filter(rows.ok).withColumn("idx", F.shiftleft("order", 32) + F.col("seq"))
    return ranked.select("idx", "payload").persist(), rejected


def _is_parquet(path: str) -> bool:
    return path.rstrip("/").endswith(".parquet")


def _record_columns() -> set[str]:
    from storydesk.ingest import RECORD_FIELDS

    return {"html", *itertools.chain.from_iterable(RECORD_FIELDS.values())}


def _emit(order: int, items: Iterator[Article | Rejected], config: Config) -> Iterator[tuple]:
    from storydesk.clean import clean_article

    for seq, item in enumerate(items, 1):
        if isinstance(item, Article):
            yield order, seq, True, pickle.dumps(clean_article(item, config.clean))
        else:
            yield order, seq, False, pickle.dumps(item)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=["order", "seq", "ok", "payload"])


def _read_files(config: Config):
    def read(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from storydesk.ingest.formats import read_file

        for batch in batches:
            rows = [r for order, name in zip(batch["order"], batch["name"], strict=True)
                    for r in _emit(int(order), read_file(Path(name), config), config)]
            yield _frame(rows)

    return read


def _read_records(config: Config, path: str):
    def read(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from storydesk.clean import clean_article
        from storydesk.ingest import read_record

        for batch in batches:
            rows = []
            for order, seq, raw in zip(batch["order"], batch["seq"], batch["record"], strict=True):
                record = {k: v for k, v in pickle.loads(raw).items() if v is not None}
                item = read_record(record, f"{path}#{seq}", config)
                ok = isinstance(item, Article)
                rows.append((int(order), int(seq), ok, pickle.dumps(clean_article(item, config.clean) if ok
                                                                    else item)))
            yield _frame(rows)

    return read


# 2. dedup -----------------------------------------------------------------------------------------------

def collapse_duplicates(spark: SparkSession, articles: DataFrame, config: Config) -> list[Article]:
    """`dedup.collapse_duplicates` of the rows, computed on the workers: one article per copy group, in
    order of each group's first member."""
    from pyspark.sql import functions as F

    from storydesk.dedup import _find, _union

    sketches = articles.mapInPandas(
        _sketch(config), "idx long, exact binary, shingles binary, bands array<binary>").persist()
    reps = sketches.groupBy("exact").agg(F.min("idx").alias("rep"))
    exact = sketches.join(reps, "exact").filter(F.col("idx") != F.col("rep")).select("idx", "rep")
    distinct = sketches.join(reps.select(F.col("rep").alias("idx")), "idx")
    buckets = (distinct.select("idx", F.posexplode("bands").alias("band", "key"))
               .groupBy("band", "key").agg(F.sort_array(F.collect_list("idx")).alias("members"))
               .filter(F.size("members") > 1))
    pairs = buckets.mapInPandas(_pairs, "a long, b long").distinct()
    left = distinct.select(F.col("idx").alias("a"), F.col("shingles").alias("sa"))
    right = distinct.select(F.col("idx").alias("b"), F.col("shingles").alias("sb"))
    near = pairs.join(left, "a").join(right, "b").mapInPandas(
        _similar(config.dedup.threshold), "a long, b long")
    edges = [(r.idx, r.rep) for r in exact.collect()] + [(r.a, r.b) for r in near.collect()]
    sketches.unpersist()
    touched = sorted({i for edge in edges for i in edge})  # the union-find of `dedup`, over copies only
    position = {i: k for k, i in enumerate(touched)}
    parent = list(range(len(touched)))
    for a, b in edges:
        _union(parent, position[a], position[b])
    roots = [(i, touched[_find(parent, position[i])]) for i in touched]
    mapping = spark.createDataFrame(roots or [(-1, -1)], "idx long, root long")
    rooted = articles.join(mapping, "idx", "left").withColumn("root", F.coalesce("root", "idx"))
    merged = rooted.groupBy("root").applyInPandas(_merge_group, "root long, payload binary")
    return [pickle.loads(r.payload) for r in merged.orderBy("root").collect()]


def _sketch(config: Config):
    def sketch(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        from storydesk.dedup import _band_keys, minhash_signatures, shingles
        from storydesk.text import Lexicon, words

        for batch in batches:
            lexicon = Lexicon()
            texts = [pickle.loads(p).text for p in batch["payload"]]
            sets = [shingles(lexicon.ids(t), lexicon, config.dedup.shingle) for t in texts]
            keys = _band_keys(minhash_signatures(sets, config.dedup.num_perm, config.dedup.seed),
                              config.dedup.threshold) if sets else []
            yield pd.DataFrame({
                "idx": batch["idx"],
                "exact": [hashlib.sha256("\x1f".join(words(t.lower())).encode()).digest() for t in texts],
                "shingles": [s.tobytes() for s in sets],
                "bands": [[band[n] for band in keys] for n in range(len(sets))],
            })

    return sketch


def _pairs(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Every pair of articles sharing a band bucket (the candidates `dedup` checks)."""
    import pandas as pd

    for batch in batches:
        pairs = [p for members in batch["members"] for p in itertools.combinations(members, 2)]
        yield pd.DataFrame(pairs, columns=["a", "b"], dtype="int64")


def _similar(threshold: float):
    def similar(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import numpy as np
        import pandas as pd

        from storydesk.dedup import _jaccard

        for batch in batches:
            sets = zip(batch["sa"], batch["sb"], strict=True)
            keep = [_jaccard(np.frombuffer(a, np.uint32), np.frombuffer(b, np.uint32)) >= threshold
                    for a, b in sets]
            yield pd.DataFrame({"a": batch["a"][keep], "b": batch["b"][keep]})

    return similar


def _merge_group(group: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    from storydesk.dedup import _merge

    members = [pickle.loads(p) for p in group.sort_values("idx")["payload"]]
    return pd.DataFrame({"root": [int(group["root"].iloc[0])], "payload": [pickle.dumps(_merge(members))]})


# 4. analysis --------------------------------------------------------------------------------------------

def analyse(
    spark: SparkSession, groups: list[list[Article]], config: Config, out: Path | None
) -> list[Story]:
    """`analyse_story` of every story on the workers, in the stories' order; Parquet in `out` if given."""
    if not groups:
        return []
    rows = [(n, len(g), pickle.dumps(g)) for n, g in enumerate(groups)]
    table = spark.createDataFrame(rows, "n long, size long, payload binary")
    tasks = min(len(groups), spark.sparkContext.defaultParallelism * 2)
    analysed = table.repartition(tasks, "n").mapInPandas(
        _analyse(config), "n long, id string, title string, articles long, story string, payload binary")
    if out is None:
        found = analysed.collect()
    else:
        target = str(Path(out) / "stories.parquet")
        analysed.write.mode("overwrite").parquet(target)
        found = spark.read.parquet(target).collect()
    return [pickle.loads(r.payload) for r in sorted(found, key=lambda r: r.n)]


def _analyse(config: Config):
    def analyse_batch(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        from storydesk.analysis.story import analyse_story
        from storydesk.document import story_to_dict

        for batch in batches:
            stories = [analyse_story(pickle.loads(p), config) for p in batch["payload"]]
            yield pd.DataFrame({
                "n": batch["n"], "id": [s.id for s in stories], "title": [s.title for s in stories],
                "articles": [len(s.articles) for s in stories],
                "story": [json.dumps(story_to_dict(s), ensure_ascii=False) for s in stories],
                "payload": [pickle.dumps(s) for s in stories],
            })

    return analyse_batch


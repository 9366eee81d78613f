"""The pipeline inside Spark: `storydesk run --engine spark [--master local[2]] INPUT... --out DIR`.

The same stage functions as in-process, called from Spark's Python workers over Arrow batches
(`mapInPandas`, `applyInPandas`); model objects travel between them pickled in binary columns, so the
Spark code only moves and groups rows and never re-implements a stage:

1. read + clean: the driver lists the inputs as `storydesk run` walks them (same order, same names); one
   task per file reads it (`ingest.read_file`: text, HTML, JSON, JSONL line by line) and cleans each article.
   Parquet inputs (a file or a folder of part files) are rows of the JSONL record fields.
2. dedup: the banded MinHash of `storydesk.dedup` (same shingles, permutations and bands), sketched as
   each article is read; exact copies meet in a bucket keyed by a hash of their words, near ones in a band
   bucket, and candidate pairs are checked by exact shingle Jaccard on the workers; the copy edges go to
   the driver, whose union-find (that of `dedup`) gives each copy group its first member and merges it.
3. grouping: the streaming `StoryGrouper` is sequential by design (stable ids, date order), so the driver
   runs it (`pipeline.group_copies`) over the articles, which it reads once into a temporary file
   (`ArticleSpill`): the driver keeps positions and sketches, never the corpus's texts. Worker processes
   on the driver's machine featurise the articles for it (`engines.local.GroupingWorkers`, as in-process):
   the grouping proper is the one sequential step, and in local mode the executors' cores are idle then.
4. analysis: the stories' members (numbers only) are joined to the article rows on the workers, one group
   a story (`applyInPandas`), its copies merged and `analyse_story` run inside the boundary
   (`boundary.analyse_guarded`, as in-process); stories are written as
   Parquet (`DIR/stories.parquet`: id, title, article count, the story's stories.json object) and come
   back to the driver a partition at a time, written out story by story to the same stories.json and
   reports as an in-process run.

PySpark is an optional extra (`pip install 'storydesk[spark]'`) imported only here; Spark 4 needs Java 17
(`JAVA_HOME`, else the usual Debian location is tried).
"""

from __future__ import annotations

import array
import bisect
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

    from storydesk.pipeline import StoryGroups

_JAVA_17 = "/usr/lib/jvm/java-17-openjdk-*"  # Debian's (a newer default JDK may be present: Spark 4 wants 17)


def session(master: str = "local[2]", *, partitions: int = 2, driver_memory: str = "4g") -> SparkSession:
    """A Spark session for storydesk (reused when one is running): UI off, loopback, few shuffle
    partitions (the row counts here are stories and copy pairs, not billions), Arrow batches, and the
    driver heap `driver_memory` (`engine.spark_driver_memory`; it takes effect only when this call starts
    the JVM, not under spark-submit, whose --driver-memory rules)."""
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
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
    )
    if "PYTHONPATH" in os.environ:  # a source checkout run in place: its workers import the same code
        builder = builder.config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(
    paths: Sequence[str], *, config: Config | None = None, spark: SparkSession | None = None,
    master: str = "local[2]", out: Path | None = None,
) -> RunResult:
    """`pipeline.run` on Spark: the same stories (and rejections) for the same inputs; with `out`, the
    stories are also written as Parquet to `out/stories.parquet`."""
    total, stories, rejected = iter_spark(paths, config=config, spark=spark, master=master, out=out)
    found = dict(stories)
    return RunResult(stories=[found[n] for n in range(total)], rejected=rejected)


def iter_spark(
    paths: Sequence[str], *, config: Config | None = None, spark: SparkSession | None = None,
    master: str = "local[2]", out: Path | None = None,
) -> tuple[int, Iterator[tuple[int, Story]], list[Rejected]]:
    """The number of stories, (index, story) of each as it reaches the driver (in any order, one
    partition at a time, so the driver never holds them all), and the rejections: what `storydesk run
    --engine spark` writes out story by story."""
    config = config or Config()
    spark = spark or session(master, driver_memory=config.engine.spark_driver_memory)
    articles, rejected = read_clean(spark, paths, config)
    groups, idx = group_articles(spark, articles, config)
    return len(groups), analyse(spark, articles, groups, idx, config, out), rejected


# 1. read + clean ----------------------------------------------------------------------------------------

#: A bucket of at most this many texts is checked pair by pair (at most 28 pairs, rows in a batch); a larger
#: one goes whole to `dedup.join_bucket`, one pandas call (~2 ms) that checks k copies k times, not k²/2.
_PAIRWISE_MAX = 8
_ROWS = "order long, seq long, ok boolean, payload binary, shingles binary, keys array<binary>"


def read_clean(spark: SparkSession, paths: Sequence[str], config: Config) -> tuple[DataFrame, list[Rejected]]:
    """Cleaned articles as rows (idx: their place in the in-process read order; payload: the pickled
    `Article`; shingles and keys: its dedup sketch), and every rejected input, in `storydesk run`'s order."""
    from pyspark.sql import functions as F

    from storydesk.ingest.sources import expand_paths  # the walk `storydesk run` does, its names

    files: list[tuple[int, str]] = []
    early: list[tuple[int, Rejected]] = []
    for order, source in enumerate(expand_paths([p for p in paths if not _is_parquet(p)])):
        if isinstance(source, Rejected):
            early.append((order, source))
        else:
            files.append((order, source))
    parquet = [(len(files) + len(early) + k, p) for k, p in enumerate(p for p in paths if _is_parquet(p))]
    frames = []
    if files:
        tasks = min(len(files), spark.sparkContext.defaultParallelism)
        listing = spark.createDataFrame(files, "order long, name string").repartition(tasks)
        frames.append(listing.mapInPandas(_read_files(config), _ROWS))
    for order, path in parquet:
        table = spark.read.parquet(path)
        fields = [c for c in table.columns if c in _record_columns()]
        rows = table.select(*fields).rdd.zipWithIndex().map(
            lambda row_n, order=order: (order, row_n[1] + 1, pickle.dumps(row_n[0].asDict())))
        records = spark.createDataFrame(rows, "order long, seq long, record binary")
        frames.append(records.mapInPandas(_read_records(config, path), _ROWS))
    if not frames:
        return spark.createDataFrame([], "idx long, payload binary, shingles binary, keys array<binary>"), [
            r for _, r in early]
    rows = frames[0]
    for extra in frames[1:]:
        rows = rows.unionByName(extra)
    rows = rows.persist()
    bad = [(r.order, r.seq, pickle.loads(r.payload)) for r in rows.filter(~rows.ok).collect()]
    # As `run` lists them: what could not be read in input order, then what could not be cleaned.
    found = [(o, 0, r) for o, r in early] + bad
    rejected = [r for *_, r in sorted(found, key=lambda t: (t[2].stage == "clean", t[0], t[1]))]
    # idx orders as the in-process read does (input, then place in it): a copy group keeps its least idx.
    ranked = rows.filter(rows.ok).withColumn("idx", F.shiftleft("order", 32) + F.col("seq"))
    return ranked.select("idx", "payload", "shingles", "keys"), rejected


def _is_parquet(path: str) -> bool:
    return path.rstrip("/").endswith(".parquet")


def _record_columns() -> set[str]:
    from storydesk.ingest import RECORD_FIELDS

    return {"html", *itertools.chain.from_iterable(RECORD_FIELDS.values())}


def _frame(rows: list[tuple[int, int, Article | Rejected]], config: Config) -> pd.DataFrame:
    """Rows of read items, each article cleaned (inside the boundary) and sketched for dedup (`_sketches`)."""
    import pandas as pd

    from storydesk.boundary import clean_guarded

    items = [clean_guarded(i, config) if isinstance(i, Article) else i for *_, i in rows]
    texts = [i.text for i in items if isinstance(i, Article)]
    sketches = iter(_sketches(texts, config))
    shingles, keys = zip(*[next(sketches) if isinstance(i, Article) else (b"", []) for i in items],
                         strict=True) if items else ((), ())
    return pd.DataFrame({
        "order": [r[0] for r in rows], "seq": [r[1] for r in rows],
        "ok": [isinstance(i, Article) for i in items], "payload": [pickle.dumps(i) for i in items],
        "shingles": list(shingles), "keys": list(keys),
    })


def _read_files(config: Config):
    def read(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from storydesk.boundary import guard_read
        from storydesk.ingest.formats import read_file

        for batch in batches:
            rows = [(int(order), seq, item) for order, name in zip(batch["order"], batch["name"], strict=True)
                    for seq, item in enumerate(guard_read(name, read_file(Path(name), config), config), 1)]
            yield _frame(rows, config)

    return read


def _read_records(config: Config, path: str):
    def read(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from storydesk.boundary import guard_read
        from storydesk.ingest import read_record

        for batch in batches:
            rows = []
            for order, seq, raw in zip(batch["order"], batch["seq"], batch["record"], strict=True):
                record = {k: v for k, v in pickle.loads(raw).items() if v is not None}
                name = f"{path}#{seq}"
                read = guard_read(name, (read_record(record, name, config) for _ in "1"), config)
                rows += [(int(order), int(seq), item) for item in read]
            yield _frame(rows, config)

    return read


# 2. dedup -----------------------------------------------------------------------------------------------

def _sketches(texts: list[str], config: Config) -> list[tuple[bytes, list[bytes]]]:
    """Per text: its sorted shingle hashes (uint32 bytes) and its bucket keys: one per MinHash band, as
    `dedup` bands them, then a hash of its words (exact copies meet there)."""
    from storydesk.dedup import band_keys, minhash_signatures, shingles
    from storydesk.text import Lexicon, words

    if not texts:
        return []
    lexicon = Lexicon()  # word hashes are CRC-32s, so shingles do not depend on which lexicon reads them
    sets = [shingles(lexicon.ids(t), lexicon, config.dedup.shingle) for t in texts]
    signatures = minhash_signatures(sets, config.dedup.num_perm, config.dedup.seed)
    bands = band_keys(signatures, config.dedup.threshold)
    exact = [hashlib.sha256("\x1f".join(words(t.lower())).encode()).digest() for t in texts]
    return [(s.tobytes(), [band[n] for band in bands] + [exact[n]]) for n, s in enumerate(sets)]


def group_articles(
    spark: SparkSession, articles: DataFrame, config: Config
) -> tuple[StoryGroups, array.array]:
    """The stories of the rows, as `pipeline.group_cleaned` finds them, and the row idx of each position.

    Dedup (`storydesk.dedup` rules): buckets, the pairs of each small bucket and their Jaccard, and each large
    bucket's groups (`dedup.join_bucket`, `_PAIRWISE_MAX`) on the workers; the same groups either way; the
    copy edges go to the driver, whose union-find (that of `dedup`) groups the copies. Grouping: the driver
    reads the articles once, in the in-process order and a partition at a time, into an `ArticleSpill` (its
    own temporary file) and runs `pipeline.group_copies` over it, so its memory holds positions and sketches,
    not the texts; from `[engine] group_workers_from` merged articles, `[engine] jobs` local processes
    featurise them for it (`engines.local.GroupingWorkers`). `articles` is persisted for `analyse`, which
    joins the texts to the stories on the workers and unpersists it."""
    from pyspark.sql import functions as F

    from storydesk.dedup import band_ranges, find_root, union
    from storydesk.engines.local import GroupingWorkers, job_count
    from storydesk.pipeline import group_copies
    from storydesk.spill import ArticleSpill

    articles = articles.persist()
    exact_key = len(band_ranges(config.dedup.threshold, config.dedup.num_perm))
    buckets = (articles.select("idx", F.posexplode("keys").alias("band", "key"))
               .groupBy("band", "key").agg(F.sort_array(F.collect_list("idx")).alias("members"))
               .filter(F.size("members") > 1))
    buckets = buckets.persist()  # read twice: its small buckets as pairs, its large ones as groups
    small = (F.col("band") == exact_key) | (F.size("members") <= _PAIRWISE_MAX)
    pairs = buckets.filter(small).mapInPandas(_pairs(exact_key), "a long, b long, exact boolean").persist()
    exact = pairs.filter("exact").select("a", "b")
    near = pairs.filter("not exact").select("a", "b").distinct()
    left = articles.select(F.col("idx").alias("a"), F.col("shingles").alias("sa"))
    right = articles.select(F.col("idx").alias("b"), F.col("shingles").alias("sb"))
    similar = near.join(left, "a").join(right, "b").mapInPandas(
        _similar(config.dedup.threshold), "a long, b long")
    found = exact.unionByName(similar)
    if buckets.filter(~small).limit(1).count():  # most corpora have none: no stages for them
        found = found.unionByName(
            buckets.filter(~small).select("members").distinct()  # copies share most of their bands
            .select("members", F.explode("members").alias("idx"))
            .join(articles.select("idx", "shingles"), "idx").groupBy("members")
            .applyInPandas(_bucket_copies(config.dedup.threshold), "a long, b long"))
    edges = [(r.a, r.b) for r in found.collect()]
    pairs.unpersist()
    buckets.unpersist()
    spill, idx = ArticleSpill(), array.array("q")  # position -> row idx, ascending: bisect finds a row
    for row in articles.select("idx", "payload").orderBy("idx").toLocalIterator():
        spill.append_pickled(row.payload)
        idx.append(row.idx)
    parent = list(range(len(idx)))
    for a, b in edges:
        union(parent, bisect.bisect_left(idx, a), bisect.bisect_left(idx, b))
    copies: dict[int, list[int]] = {}
    for n in range(len(idx)):
        copies.setdefault(find_root(parent, n), []).append(n)
    workers = job_count(config, None) if len(copies) >= config.engine.group_workers_from else 1
    with GroupingWorkers(config, workers) as pool:  # the executors idle while the driver groups
        # No forked refinement here: a fork of the driver would copy py4j's threads and its JVM socket.
        return group_copies(spill, list(copies.values()), config, featurize=pool), idx


def _pairs(exact_key: int):
    def pairs(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """Every candidate pair of each small bucket; an exact-copy bucket joins each member to its first (no
        check)."""
        import pandas as pd

        for batch in batches:
            rows = []
            for band, members in zip(batch["band"], batch["members"], strict=True):
                if band == exact_key:
                    rows += [(members[0], m, True) for m in members[1:]]
                else:
                    rows += [(a, b, False) for a, b in itertools.combinations(members, 2)]
            yield pd.DataFrame(rows, columns=["a", "b", "exact"]).astype({"a": "int64", "b": "int64"})

    return pairs


def _similar(threshold: float):
    def similar(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import numpy as np
        import pandas as pd

        from storydesk.dedup import jaccard

        for batch in batches:
            sets = zip(batch["sa"], batch["sb"], strict=True)
            keep = [jaccard(np.frombuffer(a, np.uint32), np.frombuffer(b, np.uint32)) >= threshold
                    for a, b in sets]
            yield pd.DataFrame({"a": batch["a"][keep], "b": batch["b"][keep]})

    return similar


def _bucket_copies(threshold: float):
    def copies(bucket: pd.DataFrame) -> pd.DataFrame:
        """Each member of one large bucket joined to the first of its group of copies, as
        `dedup.join_bucket` groups them in process (so a bucket of k copies costs about k checks)."""
        import numpy as np
        import pandas as pd

        from storydesk.dedup import CopyCheck, find_root, join_members

        bucket = bucket.sort_values("idx")
        rows = bucket["idx"].tolist()
        sets = [np.frombuffer(s, np.uint32) for s in bucket["shingles"]]
        parent = list(range(len(rows)))
        join_members(parent, range(len(rows)), CopyCheck(sets.__getitem__, threshold))
        roots = [find_root(parent, m) for m in range(len(rows))]
        joined = [(rows[root], rows[m]) for m, root in enumerate(roots) if root != m]
        return pd.DataFrame(joined, columns=["a", "b"], dtype="int64")

    return copies


# 4. analysis --------------------------------------------------------------------------------------------

def analyse(
    spark: SparkSession, articles: DataFrame, groups: StoryGroups, idx: array.array, config: Config,
    out: Path | None,
) -> Iterator[tuple[int, Story]]:
    """`analyse_story` of every story on the workers: the stories' members (story, place, copy, row idx:
    numbers only) are joined to the article rows there, so no text goes through the driver again; each
    story's copies are merged (`dedup.merge_copies`) and it is analysed inside the boundary. (index,
    story) come back to the driver one partition at a time (`toLocalIterator`), after being written as
    Parquet to `out` if given. `articles` is unpersisted once the stories are back."""
    import numpy as np
    import pandas as pd

    if not len(groups):
        articles.unpersist()
        return iter(())
    stories, places, copies, rows = (array.array("q") for _ in range(4))  # 32 bytes a report
    for n, story in enumerate(groups.stories):
        for k, merged in enumerate(story):
            for j, p in enumerate(groups.copies[merged]):
                stories.append(n)
                places.append(k)
                copies.append(j)
                rows.append(idx[p])
    columns = {"n": stories, "k": places, "j": copies, "idx": rows}
    frame = pd.DataFrame({name: np.frombuffer(c, np.int64) for name, c in columns.items()})
    table = spark.createDataFrame(frame)
    del stories, places, copies, rows, columns, frame
    analysed = (table.join(articles.select("idx", "payload"), "idx").groupBy("n")
                .applyInPandas(_analyse(config), _STORY_ROWS))
    if out is not None:
        target = str(Path(out) / "stories.parquet")
        analysed.write.mode("overwrite").parquet(target)
        analysed = spark.read.parquet(target)
    return _gathered(analysed, articles)


_STORY_ROWS = "n long, id string, title string, articles long, story string, payload binary"


def _gathered(analysed: DataFrame, articles: DataFrame) -> Iterator[tuple[int, Story]]:
    try:
        for row in analysed.select("n", "payload").toLocalIterator():
            yield row.n, pickle.loads(row.payload)
    finally:
        articles.unpersist()


def _analyse(config: Config):
    def analyse_story(rows: pd.DataFrame) -> pd.DataFrame:
        """One story's member rows → its analysed row (what `pipeline.StoryGroups` hands the analysis
        in-process: the merged articles in story order)."""
        import pandas as pd

        from storydesk.boundary import analyse_guarded
        from storydesk.dedup import merge_copies
        from storydesk.document import story_to_dict

        rows = rows.sort_values(["k", "j"])
        merged = [merge_copies([pickle.loads(p) for p in copy["payload"]])
                  for _, copy in rows.groupby("k", sort=True)]
        story = analyse_guarded(merged, config)
        return pd.DataFrame({
            "n": [int(rows["n"].iloc[0])], "id": [story.id], "title": [story.title],
            "articles": [len(story.articles)],
            "story": [json.dumps(story_to_dict(story), ensure_ascii=False)],
            "payload": [pickle.dumps(story)],
        })

    return analyse_story

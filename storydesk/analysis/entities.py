"""Named entities of a story, canonicalised across its reports.

Reports spell names differently, spaCy mislabels types, and scrapers leave debris, so one spaCy pass per
article yields raw mentions that are then grouped: exact names (quotes, possessives and a leading article
removed), a surname alone with its full name, an acronym with the expansion a report links it to, and a
misspelling with the right name when type and context agree. The canonical name is the full form the most
reports use; the type is the majority of spaCy labels and context words ("actress", "agency").
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from rapidfuzz.distance import JaroWinkler
from spacy.tokens import Doc, Span

from storydesk.config import EntitiesConfig
from storydesk.model import Article, Entity, Mention
from storydesk.text import words

if TYPE_CHECKING:
    from storydesk.analysis.context import StoryContext

LABELS = {
        "PERSON": "person",
        "ORG": "organisation",
        "GPE": "place",
        "LOC": "place",
        "FAC": "place",
        "WORK_OF_ART": "work",
        "EVENT": "event",
        "PRODUCT": "other",
}

# Context words that say what a name is: "actress X", "X, the director", "space agency X".
PERSON_ROLES = frozenset(
    {
        "actor", "actress", "administrator", "analyst", "astronaut", "author", "billionaire", "captain",
        "ceo", "chair", "chairman", "chairwoman", "chief", "coach", "commander", "cosmonaut", "director",
        "editor", "executive", "filmmaker", "founder", "governor", "head", "journalist", "lawyer", "leader",
        "manager", "master", "mayor", "minister", "moderator", "officer", "owner", "pilot", "player",
        "president", "producer", "professor", "representative", "reporter", "scientist", "senator", "singer",
        "spokesman",
        "spokesperson", "spokeswoman", "star", "writer",
    }
)
ORG_NOUNS = frozenset(
    {
        "agency", "airline", "bank", "broadcaster", "channel", "company", "corporation", "council",
        "department", "firm", "institute", "manufacturer", "ministry", "network", "newspaper", "organisation",
        "organization", "publisher", "startup", "studio", "university",
    }
)
# Nouns that say a name is a craft, not a person: "the trawler Marigold", "the ferry Queen Ann".
VESSEL_NOUNS = frozenset(
    {
        "aircraft", "barge", "boat", "cruiser", "ferry", "freighter", "liner", "rocket", "ship", "spacecraft",
        "tanker", "trawler", "vessel", "yacht",
    }
)
# Words of a title written before a name ("Fire Chief", "Councillor"): a role, never part of the name.
TITLES = PERSON_ROLES | frozenset(
    {
        "acting", "assistant", "commissioner", "councillor", "councilor", "councilman", "councilwoman",
        "deputy", "detective", "dr", "fire", "former", "general", "inspector", "interim", "judge", "marshal",
        "mr", "mrs", "ms", "prime", "senior", "sergeant", "sheriff", "sir", "skipper",
        "superintendent", "vice",
        # public offices written before a name: "City Clerk X", "District Attorney X", "Ambassador X"
        "ambassador", "attorney", "auditor", "chancellor", "clerk", "colonel", "constable", "envoy",
        "lieutenant", "premier", "prosecutor", "treasurer", "trooper",
    }
)
# Last words that make a name a place whatever spaCy says ("Quarry Road", "Gannet Rock").
PLACE_WORDS = frozenset(
    {
        "avenue", "boulevard", "bridge", "drive", "hall", "harbour", "harbor", "hospital", "hotel", "island",
        "lane", "park", "pier", "river", "road", "rock", "square", "street", "way",
    }
)
# Nouns after a name that make it a place: "the Eastside ward", "Brennick County district".
PLACE_AFTER = frozenset({"ward", "district", "neighborhood", "neighbourhood", "suburb", "borough", "province",
                         "region", "county", "parish", "township", "village"})
# Verbs whose agent or object holds a role: "directed by X", "starring X".
ROLE_VERBS = {
        "direct": "director",
        "star": "star",
        "pilot": "pilot",
        "lead": "leader",
        "chair": "chair",
        "coach": "coach",
        "found": "founder",
        "produce": "producer",
        "command": "commander",
        "head": "head",
}

_QUOTES = "\"'“”‘’«»@#"
_POSSESSIVE = re.compile(r"['’]s?$")
_GLUED = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_CREDIT = re.compile(
    r"©|\b(?:getty|shutterstock|afp|pa|ap)\s+images?\b|\bcourtesy of\b|\bvia (?:getty|wikimedia|reuters)"
    r"|\b(?:photo|image|picture)s?\s*(?:by|credit|:)|\bcredit\s*:",
    re.IGNORECASE,
)
# Capitalised abbreviations of common phrases that spaCy takes for organisations.
_NOT_NAMES = frozenset({"TBC", "TBA", "TBD", "ETA", "FAQ", "ASAP", "AKA", "DIY", "FYI", "RIP", "OMG"})


@dataclass
class _Raw:
    """One mention before grouping, with the evidence used to decide its group and type."""

    mention: Mention
    name: str
    label: str
    roles: set[str] = field(default_factory=set)
    org_context: bool = False
    #: Written right after a person's title ("council president X", "ferry captain X") or followed by
    #: "who": a person, whatever organisation or craft word stands further left.
    person_context: bool = False


def extract_entities(ctx: StoryContext) -> list[Entity]:
    """Canonical entities of a story, most salient first (more articles, then more mentions)."""
    config = ctx.config.entities
    raws = [r for a in ctx.articles for r in _raw_mentions(a, ctx.doc(a.id), config)]
    raws = _split_glued_names(_split_run_on_titles(raws))
    groups = _group(raws, config)
    groups = _recover_missed(ctx, groups, config)
    groups = _join(groups, _surname_match, config)  # full names found again place a shared surname
    common = {w for a in ctx.articles for w in words(a.text) if w.islower()}
    found = (_entity(g, config) for g in groups)
    entities = [e for e in found if e is not None and not _common_word(e, common)]
    entities.sort(key=lambda e: (-len(e.articles), -len(e.mentions), e.name))
    return entities


def _common_word(entity: Entity, common: set[str]) -> bool:
    """ "Warehouse", "Council": a common noun capitalised at the start of a sentence, or a bare title."""
    if all(w.lower() in TITLES for v in entity.variants for w in v.split()):
        return True  # "Fire Chief" alone is a title, not a name
    return all(" " not in v and not v.isupper() and v.lower() in common for v in entity.variants)


def span_roles(span: Span, window: int = 3) -> set[str]:
    """Role nouns a sentence attaches to a name: "director X" (up to `window` words before it), "X, CEO of
    Y", "directed by X"."""
    roles: set[str] = set()
    root = span.root
    left = span.start - 1
    while left >= 0 and span.doc[left].pos_ in ("NOUN", "ADJ") and span.start - left <= window:
        roles.add(span.doc[left].lemma_.lower())
        left -= 1
    roles.update(c.lemma_.lower() for c in root.children if c.dep_ == "appos")
    roles.update(t.lemma_.lower() for c in root.children if c.dep_ == "appos" for t in c.children
                 if t.dep_ == "compound")
    head = root.head
    if root.dep_ in ("appos", "compound") and head.pos_ in ("NOUN", "PROPN") and head.i not in range(
        span.start, span.end
    ):
        roles.add(head.lemma_.lower())
    if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_ in ROLE_VERBS:
        roles.add(ROLE_VERBS[head.head.lemma_])
    if root.dep_ == "dobj" and head.lemma_ == "star" and head.pos_ == "VERB":
        roles.add("star")
    return roles


def is_credit_line(text: str, max_words: int = 14) -> bool:
    """A photo credit or caption line ("© NAME/AGENCY via Getty Images"), whose names are not news."""
    return len(text.split()) <= max_words and bool(_CREDIT.search(text))


def _raw_mentions(article: Article, doc: Doc, config: EntitiesConfig) -> list[_Raw]:
    out: list[_Raw] = []
    for ent in _repair_spans(doc):
        label = LABELS.get(ent.label_)
        if label is None or "\n" in ent.text or _is_credit(article.text, ent.start_char, config):
            continue
        for span in _split_possessive(ent):
            raw = _make_raw(article, span, label, config)
            if raw is not None:
                out.append(raw)
    return out


def _repair_spans(doc: Doc) -> list[Span]:
    """spaCy cuts names short: take in a leading proper noun ("Ana" of "Ana Reyes", but not the "Acme" of
    "Acme Ana Reyes", a full name already), rejoin names linked by "for"/"of" ("Center for Cosmonaut
    Training") and names that are lists of bare capitalised words ("Red, Amber and Green")."""
    out: list[Span] = []
    for ent in doc.ents:
        prev = out[-1] if out else None
        start = ent.start
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and (
            prev is None or prev.end < start
        ) and not (ent.label_ == "PERSON" and ent.end - start >= 2):
            start -= 1
        end = _listed_name_end(doc, ent)
        ent = ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)
        if (prev is not None and ent.start == prev.end + 1 and doc[prev.end].lower_ in ("for", "of")
                and prev.label_ in ("ORG", "FAC", "GPE", "LOC") and ent.text[:1].isupper()):
            out[-1] = Span(doc, prev.start, ent.end, label=prev.label_)
            continue
        out.append(ent)
    return out


def _listed_name_end(doc: Doc, ent: Span) -> int:
    """Where a name made of listed words ends ("Red, Amber and Green", which spaCy cuts after "Red" or
    "and"): single capitalised words joined by commas and a last "and"/"&", none a name of its own."""
    if ent.label_ in ("PERSON", "NORP") or not _bare_capital(doc[ent.start], ent):
        return ent.end
    i = ent.start + 1
    while i + 1 < len(doc) and doc[i].text == "," and _bare_capital(doc[i + 1], ent):
        i += 2
    listed = i > ent.start + 1 and i + 1 < len(doc) and doc[i].lower_ in ("and", "&")
    if listed and _bare_capital(doc[i + 1], ent):
        return max(i + 2, ent.end)
    return ent.end


def _bare_capital(tok, ent: Span) -> bool:
    """A capitalised single word in no named entity other than `ent`."""
    return tok.is_title and tok.is_alpha and (not tok.ent_type_ or ent.start <= tok.i < ent.end)


def _split_possessive(ent: Span) -> list[Span]:
    """ "Elon Musk's SpaceX" is two names: the owner and the owned."""
    for tok in ent:
        if (tok.tag_ == "POS" or tok.lower_ in ("'s", "’s")) and tok.i + 1 < ent.end:
            return [ent.doc[ent.start : tok.i], ent.doc[tok.i + 1 : ent.end]]
    return [ent]


def _make_raw(article: Article, span: Span, label: str, config: EntitiesConfig) -> _Raw | None:
    roles = span_roles(span, config.title_words_before) if len(span) else set()
    if span.start and span.doc[span.start - 1].lower_ in VESSEL_NOUNS:
        roles.add(span.doc[span.start - 1].lower_)  # "the trawler X", also where the sentence is not tagged
    while len(span) > 1 and (span[0].lower_ in PERSON_ROLES or (label == "person" and span[0].tag_ == "NN")):
        roles.add(span[0].lower_)  # "Actress Jane Doe", "Winner Jane Doe": a role, not a name
        span = span[1:]
    while label != "person" and len(span) > 1 and span[-1].lower_ in TITLES - ORG_NOUNS:
        span = span[:-1]  # "Brennick County Fire Marshal": the county, then a title
    if label == "person":
        titled = [t.i for t in span if t.lower_ in TITLES]
        if titled and titled[-1] == span.end - 1:
            return None  # "Brennick County Fire Marshal": a title with no name
        if titled:  # "County Fire Marshal Ruth Abernathy": the name follows the last title word
            roles.update(t.lower_ for t in span if t.lower_ in PERSON_ROLES)
            span = span.doc[titled[-1] + 1 : span.end]
    name, start, end = _clean_surface(article.text, span.start_char, span.end_char)
    if not name or not any(c.isalpha() for c in name) or _is_glued(name, label, article.text):
        return None
    if name in _NOT_NAMES:
        return None
    mention = Mention(article.id, start, end, article.text[start:end])
    owned = span.start > 0 and span.doc[span.start - 1].tag_ == "POS"
    root = span.root
    employer = root.dep_ == "compound" and root.head.lemma_.lower() in PERSON_ROLES  # "Amazon CEO X"
    if employer:
        roles.discard(root.head.lemma_.lower())
    plural = span[-1].tag_ == "NNPS"  # "Eastmark Rovers have": a team or a company, not a person
    text = article.text
    if span.start_char > 0 and span.end_char < len(text) and text[span.start_char - 1] in "“\"‘" \
            and text[span.end_char] in "”\"’" and label != "person":
        roles.add("work")  # “Furious 7”: a title in quotation marks
    if span.end < len(span.doc) and span.doc[span.end].lower_ in PLACE_AFTER:
        roles.add("place")
    org_context = owned or employer or plural or bool(roles & ORG_NOUNS)
    before = span.doc[span.start - 1] if span.start else None
    titled = before is not None and before.lower_ in PERSON_ROLES | TITLES and before.lower_ not in ORG_NOUNS
    who = any(c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ == "who" for g in c.children)
              for c in root.children)
    person_context = (titled or who) and not plural and not owned
    return _Raw(mention, name, label, roles, org_context=org_context and not person_context,
                person_context=person_context)


def _clean_surface(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Strip quotes, a possessive and a lower-case leading "the"; offsets follow the kept text."""
    while start < end and (text[start] in _QUOTES or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _QUOTES or text[end - 1].isspace() or text[end - 1] in "-–"):
        end -= 1
    poss = _POSSESSIVE.search(text[start:end])
    if poss and poss.start() > 0:
        end = start + poss.start()
    lead = re.match(r"the\s+", text[start:end])
    if lead:
        start += lead.end()
    return " ".join(text[start:end].split()), start, end


def _is_credit(text: str, offset: int, config: EntitiesConfig) -> bool:
    """Whether the line around `offset` is a credit line. Its words are counted only up to the limit, so a
    report of one long line costs a bounded step per mention, not a split of the whole line."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = line_end if line_end >= 0 else len(text)
    most = config.credit_line_max_words
    if sum(1 for _ in itertools.islice(_NON_SPACE.finditer(text, line_start, line_end), most + 1)) > most:
        return False
    return is_credit_line(text[line_start:line_end], most)


_NON_SPACE = re.compile(r"\S+")


def _is_glued(name: str, label: str, text: str) -> bool:
    """Scraper debris such as "MuskElon": two words run together (but not "McQuarrie", "SpaceX")."""
    for match in _GLUED.finditer(name):
        if label == "person":
            return True
        piece = match.group()
        cut = next(i for i, c in enumerate(piece) if c.isupper() and i > 0)
        if re.search(rf"\b(?:{re.escape(piece[:cut])}|{re.escape(piece[cut:])})\b", text):
            return True
    return False


def _split_glued_names(raws: list[_Raw]) -> list[_Raw]:
    """ "Acme Jane Doe" (an organisation written right before a person) is two names when the story
    names the organisation or the person alone elsewhere."""
    labels = {r.name: r.label for r in raws}
    out: list[_Raw] = []
    for raw in raws:
        parts = raw.name.split()
        cut = next((k for k in range(1, len(parts) - 1) if raw.label == "person" and (
            labels.get(" ".join(parts[:k]), "person") != "person"
            or labels.get(" ".join(parts[k:])) == "person")), None)
        at = _word_offset(raw.mention.text, cut) if cut else None
        if at is None:
            out.append(raw)
            continue
        m = raw.mention
        head = m.text[:at].rstrip()
        tail = Mention(m.article_id, m.start + at, m.end, m.text[at:])
        owner = labels.get(" ".join(parts[:cut]), "organisation")
        out += [_Raw(Mention(m.article_id, m.start, m.start + len(head), head), " ".join(parts[:cut]), owner),
                _Raw(tail, " ".join(parts[cut:]), "person", raw.roles)]
    return out


def _word_offset(text: str, k: int) -> int | None:
    """Where the k-th word (from 0) of `text` starts, None when `text` is not that many words."""
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    return starts[k] if k < len(starts) else None


def _split_run_on_titles(raws: list[_Raw]) -> list[_Raw]:
    """ "Salyut 7 The Challenge" (a missing comma) is two works when "The Challenge" is named elsewhere."""
    names = {r.name for r in raws}
    out: list[_Raw] = []
    for raw in raws:
        cut = raw.name.rfind(" The ")
        if cut > 0 and raw.name[cut + 1 :] in names:
            m = raw.mention
            at = m.text.rfind(" The ")
            head = Mention(m.article_id, m.start, m.start + at, m.text[:at])
            tail = Mention(m.article_id, m.start + at + 1, m.end, m.text[at + 1 :])
            out += [_Raw(head, raw.name[:cut], raw.label), _Raw(tail, raw.name[cut + 1 :], raw.label)]
        else:
            out.append(raw)
    return out


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "mister"}


def _key(name: str) -> str:
    return _ARTICLE.sub("", name).casefold().replace(".", "")


def _initials(name: str) -> str:
    return "".join(w[0] for w in _ARTICLE.sub("", name).split() if w[0].isupper())


class _Groups:
    """Union-find over raw mentions."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def members(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())


def _group(raws: list[_Raw], config: EntitiesConfig) -> list[list[_Raw]]:
    uf = _Groups(len(raws))
    by_key: dict[str, int] = {}
    for i, raw in enumerate(raws):
        uf.union(i, by_key.setdefault(_key(raw.name), i))
    clusters = [[raws[i] for i in g] for g in uf.members()]
    clusters = _join(clusters, _surname_match, config)
    clusters = _join(clusters, _acronym_match, config)
    clusters = _join(clusters, _prefix_match, config)
    return _join(clusters, _misspelling_match, config)


class _Cluster(list):
    """Raw mentions joined so far, with what the joins ask of them computed once: a join compares every
    pair of clusters, and recomputing names, reports and kinds per pair made it the entity stage's main
    cost. A join never changes a cluster it compares (it builds new lists at the end)."""

    @cached_property
    def names(self) -> set[str]:
        return _names(self)

    @cached_property
    def keys(self) -> set[str]:
        return {_key(n) for n in self.names}

    @cached_property
    def articles(self) -> set[str]:
        return _articles(self)

    @cached_property
    def full_names(self) -> int:
        return _full_names(self)

    @cached_property
    def personish(self) -> bool:
        return _is_personish(self)

    @cached_property
    def memo(self) -> dict[str, object]:
        """What a match computes of this cluster alone within one join (e.g. whose surname it is)."""
        return {}


def _join(clusters: list[list[_Raw]], match: Callable[..., bool], config: EntitiesConfig) -> list[list[_Raw]]:
    """Union each cluster with the first larger cluster `match` accepts (in either order)."""
    ordered = sorted(map(_Cluster, clusters), key=lambda c: (-c.full_names, -len(c)))
    surnames = _surname_owners(ordered)
    uf = _Groups(len(ordered))
    for i, small in enumerate(ordered):
        for j in range(i):
            if match(small, ordered[j], surnames, config) or match(ordered[j], small, surnames, config):
                uf.union(i, j)
                break
    return [[r for i in g for r in ordered[i]] for g in uf.members()]


def _full_names(cluster: list[_Raw]) -> int:
    return sum(len(_bare(r.name).split()) > 1 for r in cluster)


def _bare(name: str) -> str:
    """A name without its honorific: "Mr. Smith" is a surname, not a full name that owns "Smith"."""
    first, _, rest = name.partition(" ")
    return rest if rest and first.casefold().rstrip(".") in _HONORIFICS else name


def _names(cluster: list[_Raw]) -> set[str]:
    return {r.name for r in cluster}


def _articles(cluster: list[_Raw]) -> set[str]:
    return {r.mention.article_id for r in cluster}


def _is_personish(cluster: list[_Raw]) -> bool:
    return any(r.label == "person" or r.roles & PERSON_ROLES for r in cluster)


def _surname_owners(clusters: list[_Cluster]) -> dict[str, list[_Cluster]]:
    """The person clusters holding a full name that ends in each word (by `_key`), once per join."""
    owners: dict[str, list[_Cluster]] = defaultdict(list)
    for cluster in clusters:
        if cluster.personish:
            for word in {_key(n.split()[-1]) for n in cluster.names if len(_bare(n).split()) > 1}:
                owners[word].append(cluster)
    return owners


def _surname_match(
    small: _Cluster, big: _Cluster, surnames: dict[str, list[_Cluster]], _config: EntitiesConfig
) -> bool:
    """A single word that is the last word of one person's full name joins that person (`_main_owner`)."""
    if small.full_names or not big.personish:
        return False
    if "owner" not in small.memo:
        words = {_key(_bare(n)) for n in small.names}
        lone = len(words) == 1 and (small.personish or not any(r.label == "place" for r in small))
        small.memo["owner"] = _main_owner(small, surnames.get(next(iter(words)), [])) if lone else None
    return small.memo["owner"] is big


def _main_owner(small: list[_Raw], owners: list[list[_Raw]]) -> list[_Raw] | None:
    """Whose surname a lone surname is: the one owner, or of relatives sharing it ("skipper Callum
    Fairweather" and "his nephew Ewan Fairweather") the one every report using the surname names in full
    first: news introduces the main person first and names a relative by first name."""
    if len(owners) == 1:
        return owners[0]
    chosen: Counter[int] = Counter()
    for article in _articles(small):
        lone = min(r.mention.start for r in small if r.mention.article_id == article)
        firsts = [(min(starts), i) for i, o in enumerate(owners)
                  if (starts := [r.mention.start for r in o if r.mention.article_id == article
                                 and r.mention.start < lone])]
        if not firsts:
            return None
        chosen[min(firsts)[1]] += 1
    if len(chosen) == 1:
        return owners[next(iter(chosen))]
    # Reports disagree (one names an analyst "Ryan Smith" first): the owner most reports choose, if it is
    # also the one most reports name in full.
    (best, votes), = chosen.most_common(1)
    reach = [len(_articles(o)) for o in owners]
    widest = reach[best] > max(r for i, r in enumerate(reach) if i != best)
    return owners[best] if 2 * votes > sum(chosen.values()) and widest else None


def _acronym_match(
    small: _Cluster, big: _Cluster, _surnames: dict[str, list[_Cluster]], config: EntitiesConfig
) -> bool:
    """ "ISS" joins "International Space Station" when a report names both."""
    shortest, longest = config.acronym_min_chars, config.acronym_max_chars
    acronyms = {n for n in small.names if n.isupper() and shortest <= len(n) <= longest and " " not in n}
    if not acronyms or len(small.names) != len(acronyms) or not small.articles & big.articles:
        return False
    return any(_initials(n) in acronyms for n in big.names if len(n.split()) > 1)


def _prefix_match(
    small: _Cluster, big: _Cluster, _surnames: dict[str, list[_Cluster]], _config: EntitiesConfig
) -> bool:
    """ "Gagarin Center" is short for "Gagarin Center for Cosmonaut Training" (spaCy often cuts at "for"),
    and "Department of Transportation" for the "Carrow Bay Department of Transportation"."""
    return small.full_names > 0 and all(
        any(b.startswith((a + " for ", a + " of ")) or (b.endswith(" " + a) and " of " in a)
            for b in big.names)
        for a in small.names
    )


def _misspelling_match(
    small: _Cluster, big: _Cluster, _surnames: dict[str, list[_Cluster]], config: EntitiesConfig
) -> bool:
    """A near-identical name in other reports with the same roles or company is the same name.

    Two close names written in full in one report, or given different roles, are different people.
    """
    if not small.full_names or not big.full_names or small.articles & big.articles:
        return False
    if small.personish != big.personish:
        return False
    score = max(JaroWinkler.similarity(a, b) for a in small.keys for b in big.keys)
    if score < config.name_similarity:
        return False
    roles_a = set().union(*(r.roles & PERSON_ROLES for r in small))
    roles_b = set().union(*(r.roles & PERSON_ROLES for r in big))
    if roles_a and roles_b:
        return bool(roles_a & roles_b)
    return True


def _recover_missed(ctx: StoryContext, groups: list[list[_Raw]], config: EntitiesConfig) -> list[list[_Raw]]:
    """Find names spaCy missed: known names, and misspelt surnames of people named in the same report."""
    taken = {(r.mention.article_id, i) for g in groups for r in g
             for i in range(r.mention.start, r.mention.end)}
    owners: dict[str, int] = {}
    surnames: dict[str, int] = {}
    for gi, group in enumerate(groups):
        for name in _names(group):
            owners.setdefault(name, gi)
            if len(name.split()) > 1 and _is_personish(group):
                surnames.setdefault(name.split()[-1], gi)
    full = sorted((n for n in owners if " " in n), key=len, reverse=True)
    pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in full)) if full else None

    def add(article_id: str, start: int, end: int, text: str, gi: int) -> None:
        if any((article_id, i) in taken for i in range(start, end)):
            return
        after = ctx.article(article_id).text[end : end + 20].split()
        roles = {"place"} if after and after[0].lower() in PLACE_AFTER else set()
        groups[gi].append(_Raw(Mention(article_id, start, end, text), text, groups[gi][0].label, roles))
        taken.update((article_id, i) for i in range(start, end))

    for article in ctx.articles:
        for match in pattern.finditer(article.text) if pattern else ():
            add(article.id, match.start(), match.end(), match.group(), owners[match.group()])
        present = {gi for gi, g in enumerate(groups) if article.id in _articles(g)}
        for tok in ctx.doc(article.id):
            if _proper(tok) and not _is_credit(article.text, tok.idx, config):
                gi = _lookup(tok.text, owners, surnames, present, config)
                if gi is not None:
                    add(article.id, tok.idx, tok.idx + len(tok.text), tok.text, gi)
    return groups


def _proper(tok) -> bool:
    """A proper noun by its tag, or (in sentences not tagged) a capitalised word inside a sentence."""
    if tok.pos_:
        return tok.pos_ == "PROPN" and tok.text[:1].isupper()
    return tok.is_title and tok.i > 0 and not tok.nbor(-1).is_punct and not tok.nbor(-1).is_space


def _lookup(
    word: str, owners: dict[str, int], surnames: dict[str, int], present: set[int], config: EntitiesConfig
) -> int | None:
    """The group a stray proper noun belongs to: a known name, or a (misspelt) surname of someone present."""
    if word in owners and (owners[word] in present or len(word) >= config.known_name_min_chars):
        return owners[word]
    if surnames.get(word) in present:
        return surnames[word]
    if len(word) < config.stray_name_min_chars:
        return None
    close = {gi for name, gi in surnames.items()
             if gi in present
             and JaroWinkler.similarity(word.lower(), name.lower()) >= config.name_similarity}
    return close.pop() if len(close) == 1 else None


def _entity(group: list[_Raw], config: EntitiesConfig) -> Entity | None:
    etype = _majority_type(group, config.context_vote)
    if etype is None:
        return None
    counts = Counter(r.name for r in group)
    per_article: dict[str, set[str]] = defaultdict(set)
    for r in group:
        per_article[_key(r.name)].add(r.mention.article_id)
    full = [n for n in counts if len(n.split()) > 1 and n.upper() != n] or list(counts)
    name = max(full, key=lambda n: (len(per_article[_key(n)]), counts[n], n[:1].isupper(), n))
    name = name if etype == "work" else _ARTICLE.sub("", name)
    mentions = sorted({(r.mention.article_id, r.mention.start): r.mention for r in group}.values(),
                      key=lambda m: (m.article_id, m.start))
    variants = Counter(m.text for m in mentions)
    articles = list(dict.fromkeys(m.article_id for m in mentions))
    digest = hashlib.blake2b(f"{etype}|{name}".encode(), digest_size=5).hexdigest()
    return Entity("e" + digest, name, etype, dict(variants), articles, mentions)


def _majority_type(group: list[_Raw], context_vote: int) -> str | None:
    """Type by votes of spaCy labels and context words ("the trawler X" is a craft: other); a "person"
    needs a full name or a role; a name ending in "Road" or "Bridge" is a place."""
    if any(len(n.split()) > 1 and n.split()[-1].lower() in PLACE_WORDS for n in _names(group)):
        return "place"
    votes: Counter[str] = Counter()
    for r in group:
        if "place" in r.roles:
            votes["place"] += context_vote
        elif "work" in r.roles:
            votes["work"] += context_vote
        elif r.person_context:
            votes["person"] += context_vote
        elif r.roles & VESSEL_NOUNS:
            votes["other"] += context_vote
        elif r.org_context:
            votes["organisation"] += context_vote
        elif r.roles & PERSON_ROLES:
            votes["person"] += context_vote
        else:
            votes[r.label] += 1
    if votes["person"] and not _full_names(group) and not any(
            r.roles & PERSON_ROLES or r.person_context for r in group):
        del votes["person"]
    return max(votes, key=lambda t: (votes[t], t)) if votes else None

"""Role claims: who holds which office or part, of what ("directed by X", "starring X", "X, CEO of Y",
"Fire Chief X", "X, who leads Y", "Y appointed X as head coach").

A claim's subject is the organisation, work or craft the sentence names for the role (after "of", before
the title as in "Rovers chairman X", as the verb's object, or the work a passive role verb is about), its
slot the title as written (lower case) and its value the person. A title with no organisation named
("Mayor X") gives a claim with no subject: alignment (`align.role_groups`) joins it to the same person's
claims that name one, and otherwise the sheet states the person's title alone. Words that only describe
("actress", "veteran cosmonaut") make a role only with their organisation or work named.
"""

from __future__ import annotations

from spacy.tokens import Token

from storydesk.analysis.entities import ROLE_VERBS, TITLES
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Entity

#: Titles of an office or of a part in a work: a role even when no organisation is named.
OFFICES = frozenset({
    "administrator", "captain", "ceo", "chair", "chairman", "chairwoman", "chairperson", "chief",
    "coach", "commander", "commissioner", "councillor", "councilor", "councilman", "councilwoman", "director",
    "executive", "founder", "general", "governor", "head", "leader", "manager", "marshal", "master", "mayor",
    "minister", "moderator", "owner", "pilot", "president", "producer", "secretary", "sheriff", "skipper",
    "spokesman", "spokesperson", "spokeswoman", "star", "superintendent", "host", "assistant", "attorney",
    "lawyer", "counsel", "agent", "ambassador", "auditor", "chancellor", "clerk", "colonel", "constable",
    "detective", "envoy", "inspector", "judge", "lieutenant", "officer", "premier", "prosecutor",
    "representative", "senator", "sergeant", "treasurer", "trooper",
})  # fmt: skip
# Titles that are a relation to a person ("Hayes' attorney, John Fuller"): their owner may be a person.
_FOR_PERSON = {"attorney", "lawyer", "counsel", "agent", "spokesman", "spokeswoman", "spokesperson",
               "assistant"}
_GENERIC_WORKS = {"movie", "film", "project", "picture", "pic", "series", "show", "book", "album",
                  "production"}
_CRAFT = {"spaceship", "spacecraft", "ship", "rocket", "capsule", "boat", "trawler", "vessel", "plane",
          "aircraft"}
_APPOINT = {"appoint", "name", "hire", "elect", "choose", "select", "install", "confirm"}
_STAY = {"stay", "remain", "continue", "serve", "return"}
# Words that name an organisation the report names in full nearby: "the league's president", "Council
# president X" after "the Carrow Bay City Council".
ORG_WORDS = frozenset({"league", "union", "club", "team", "council", "board", "party", "association",
                       "chamber", "committee", "agency", "department", "company", "commission", "court"})
# Objects of a role verb that stand for the story's organisation: "has coached the side".
_SIDES = {"side", "squad", "firm", "business", "group", "organisation", "organization"}
_FORMER = {"former", "ex", "acting", "interim", "outgoing", "incoming"}
_ROLE_VERBS = {**ROLE_VERBS, "host": "host", "skipper": "skipper", "moderate": "moderator", "own": "owner"}


@claim_reader("role")
def read_roles(reader: Reader) -> list[Claim]:
    """Who holds which office or part, of what: every pattern in the module docstring."""
    out: list[Claim] = []
    seen: set[tuple[int, str]] = set()
    for tok in reader.doc:
        person = reader.entity(tok)
        if person is None or person.type != "person" or tok.dep_ == "compound" or reader.in_quote(tok.idx):
            continue
        lead = tok
        while lead.dep_ == "conj" and lead.head.i != lead.i:
            lead = lead.head  # "stars Vin Diesel, Dwayne Johnson and Paul Walker": each is a star
        found = _roles_of(reader, tok, person)
        if lead.i != tok.i and (first := reader.entity(lead)) is not None and first.type == "person":
            found += [(s, o) for s, o in _roles_of(reader, lead, first) if s == "star"]
        for slot, subject in found:
            slot = " ".join(slot.split())
            if not slot or (tok.idx, slot) in seen:
                continue
            described = slot.split()[-1] not in OFFICES
            if subject is None and described:
                continue
            seen.add((tok.idx, slot))
            out.append(Claim(reader.article, subject, slot, "role", person.name, reader.sentence(tok.idx),
                             at=tok.idx))
    return out


def _roles_of(reader: Reader, tok: Token, person: Entity) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _ROLE_VERBS:
        verb = head.head
        found.append((_ROLE_VERBS[verb.lemma_.lower()], _thing(reader, _passive_subject(verb), person)))
    if tok.dep_ == "dobj" and head.lemma_.lower() == "star":
        subj = head.head if head.dep_ in ("acl", "conj", "advcl") else child(head, "nsubj")
        if subj is not None and subj.pos_ in ("VERB", "AUX") and head.dep_ == "conj":
            # "“Furious 7” is directed by James Wan and stars Vin Diesel": the first verb's subject
            subj = child(subj, "nsubj") or child(subj, "nsubjpass")
        found.append(("star", _thing(reader, subj, person)))
    verb = _role_verb(tok)
    obj = child(verb, "dobj") if verb is not None else None
    if verb is not None and obj is not None:
        thing = _thing(reader, obj, person)
        if thing or obj.lemma_.lower() in ORG_WORDS | _SIDES:
            found.append((_ROLE_VERBS[verb.lemma_.lower()], thing))
    found += _appointed(reader, tok, person)
    done = _hyphen_verb(tok)
    if done is not None:
        found.append((_ROLE_VERBS[done.lemma_.lower()], _thing(reader, done.head, person)))
    if tok.dep_ == "appos" and _title(head):
        found.append((_title(head), _owner(reader, head, person)))  # "Y's chief executive, X, said"
    for appos in (c for c in tok.children if c.dep_ == "appos"):
        title = _title(appos)
        if title:
            found.append((title, _owner(reader, appos, person)))
    found += _title_of_before(reader, tok, person) + _client_apposed(reader, tok, person)
    title, owner = _title_before(reader, tok, person)
    if title:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        named = _thing(reader, child(of, "pobj"), person) if of is not None else None
        found.append((title, owner or named))
    return found


def _hyphen_verb(tok: Token) -> Token | None:
    """ "The James Wan-directed film": the role verb glued to the name by a hyphen."""
    doc = tok.doc
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and doc[tok.i + 2].lemma_.lower() in _ROLE_VERBS:
        return doc[tok.i + 2]
    return None


def _passive_subject(verb: Token) -> Token | None:
    """What "directed by X" is about: the noun it describes, the passive subject, or the subject of the
    clause an opening participle belongs to ("Directed by X, the film follows ...")."""
    if verb.dep_ in ("acl", "relcl", "conj") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    subj = child(verb, "nsubjpass")
    if subj is not None:
        return subj
    if verb.dep_ == "advcl":
        return child(verb.head, "nsubj") or child(verb.head, "nsubjpass")
    return None


def _role_verb(tok: Token) -> Token | None:
    """The role verb a person is the agent of: "X leads the agency", "X, who chairs the board"."""
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _ROLE_VERBS and tok.head.pos_ == "VERB":
        return tok.head
    return next((c for c in tok.children if c.dep_ == "relcl" and c.lemma_.lower() in _ROLE_VERBS
                 and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)), None)


def _appointed(reader: Reader, tok: Token, person: Entity) -> list[tuple[str, str | None]]:
    """ "Y appointed X as head coach", "X will stay on as Z's assistant"."""
    verb = tok.head if tok.dep_ in ("dobj", "nsubjpass", "nsubj") else None
    if verb is None or verb.lemma_.lower() not in _APPOINT | _STAY:
        return []
    as_ = next((c for c in verb.children if c.lower_ == "as" and c.dep_ == "prep"), None)
    if as_ is None and tok.dep_ == "dobj":
        as_ = next((c for c in tok.children if c.lower_ == "as" and c.dep_ == "prep"), None)
    noun = child(as_, "pobj") if as_ is not None else None
    title = _title(noun) if noun is not None else ""
    if not title:
        return []
    owner = _owner(reader, noun, person)
    if owner is None and verb.lemma_.lower() in _APPOINT:
        subj = child(verb, "nsubj")
        owner = _thing(reader, subj, person) if subj is not None else None
    return [(title, owner)]


def _title(noun: Token) -> str:
    """The title a noun phrase gives ("the league's president", "CEO", "head coach", "director general"),
    lower case, without articles or adjectives of praise; "" when the noun is no title."""
    words = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and (
        t.lower_ in TITLES or (t.pos_ == "NOUN" and not t.ent_type_))]
    known = TITLES | OFFICES  # offices as well as person titles: "Hayes' attorney, John Fuller"
    last = noun.lemma_.lower() if noun.lemma_.lower() in known else noun.lower_
    if last not in known:
        return ""
    if last == "general" and words and words[-1].lower_ == "director":
        return "director general"
    return " ".join([*(w.lower_ for w in words if w.lower_ not in ("new", "veteran")), last])


def _title_before(reader: Reader, tok: Token, person: Entity) -> tuple[str, str | None]:
    """A title written before the name ("Fire Chief X", "Rovers chairman X", "NASA administrator X") and
    the organisation written before it."""
    doc = reader.doc
    start = min(t.i for t in tok.subtree if reader.entity(t) is person) if tok.i else tok.i
    i = start - 1
    title: list[str] = []
    while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod") and reader.entity(doc[i]) is None and (
            doc[i].lower_ in TITLES | ORG_WORDS or doc[i].pos_ == "NOUN" or (
                doc[i].pos_ == "PROPN" and doc[i].is_sent_start)):  # "Harbour master X" opening a sentence
        title.insert(0, doc[i].lower_)
        i -= 1
    if not title or title[-1] not in TITLES:
        return "", None
    owner = None
    if i >= 0 and doc[i].dep_ in ("compound", "poss", "nmod"):
        entity = reader.entity(doc[i])
        related = entity is not None and (entity.type != "person" or title[-1] in _FOR_PERSON)
        if entity is not None and entity is not person and related:
            owner = entity.name
            former = [doc[j].lower_ for j in range(max(0, i - 2), i) if doc[j].lower_ in _FORMER]
            if former and title[0] not in _FORMER:
                title.insert(0, former[0])  # "former Rovers captain X"
    if owner is None and title[0] in ORG_WORDS:
        owner = _named_before(reader, doc[start - len(title)])
        title = title[1:] if owner else title
    return " ".join(title), owner


def _title_of_before(reader: Reader, tok: Token, person: Entity) -> list[tuple[str, str | None]]:
    """ "The head of the state space corporation Roscosmos Dmitry Rogozin said": a title "of" an
    organisation whose name runs straight into the person's (no comma between)."""
    doc = reader.doc
    start = min(t.i for t in tok.subtree if reader.entity(t) is person)
    org = reader.entity(doc[start - 1]) if start else None
    if org is None or org.type != "organisation":
        return []
    i = start - 1
    while i >= 0 and reader.entity(doc[i]) is org:
        i -= 1
    for j in range(i, max(-1, i - 8), -1):
        if doc[j].is_punct or doc[j].pos_ in ("VERB", "AUX"):
            return []
        if doc[j].lower_ == "of" and j and doc[j - 1].lemma_.lower() in TITLES:
            return [(_title(doc[j - 1]) or doc[j - 1].lower_, org.name)]
    return []


def _client_apposed(reader: Reader, tok: Token, person: Entity) -> list[tuple[str, str | None]]:
    """ "The attorney for Cardell Hayes, John Fuller, said": the name set off after the client (the
    parse hangs it on the client) holds the title the client's phrase belongs to."""
    client = reader.entity(tok.head) if tok.dep_ == "appos" else None
    prep = tok.head.head
    if client is None or client is person or client.type != "person" or tok.head.dep_ != "pobj" or (
            prep.lower_ not in ("for", "of")):
        return []
    relation = prep.head.lemma_.lower()
    return [(_title(prep.head) or relation, client.name)] if relation in _FOR_PERSON else []


def _owner(reader: Reader, noun: Token, person: Entity) -> str | None:
    """Whose office a title noun names: "CEO of Y", "Y's chief executive", "the league's president"
    (the organisation the report named with that word), "Y CEO"."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "at", "for")), None)
    if of is not None:
        pobj = child(of, "pobj")
        client = reader.entity(pobj) if pobj is not None and noun.lemma_.lower() in _FOR_PERSON else None
        if client is not None and client is not person and client.type == "person":
            return client.name  # "the attorney for Cardell Hayes"
        found = _thing(reader, pobj, person)
        if found:
            return found
    relation = noun.lemma_.lower() in _FOR_PERSON
    for c in noun.children:
        if c.dep_ in ("poss", "compound"):
            entity = reader.entity(c)
            if entity is not None and entity is not person and (entity.type != "person" or relation):
                return entity.name
            if c.dep_ == "poss" and c.lower_ in ORG_WORDS:
                return _named_before(reader, c)
    return None


def _named_before(reader: Reader, noun: Token) -> str | None:
    """ "the league" after "the Carrow Bay League of Voters": the organisation named before whose name
    has the noun."""
    word = noun.lower_
    found = [e for s, _, e in reader.mentions if s < noun.idx + reader.config.org_word_chars
             and e.type == "organisation" and word in e.name.lower().split()]
    return found[0].name if len({e.name for e in found}) == 1 else None


def _thing(reader: Reader, tok: Token | None, person: Entity) -> str | None:
    """The organisation, work or craft `tok`'s phrase names ("the Soyuz spaceship" is the Soyuz), the work
    "the movie" refers back to, or the organisation named by "of"/"for" after a common noun ("the search
    for the coast guard's Northern Sector", "the local branch of the union")."""
    if tok is None:
        return None
    entity = reader.entity(tok)
    if entity is not None and entity is not person and entity.type != "person":
        return entity.name
    for c in sorted((c for c in tok.children if c.dep_ in ("poss", "appos", "compound")),
                    key=lambda c: ("poss", "appos", "compound").index(c.dep_)):
        entity = reader.entity(c)
        modifier_ok = c.dep_ != "compound" or tok.lemma_.lower() in _CRAFT or (
            entity is not None and entity.type in ("organisation", "work"))
        if entity is not None and entity is not person and entity.type != "person" and modifier_ok:
            return entity.name
        if entity is None and c.dep_ == "poss" and c.lower_ in ORG_WORDS:
            return _named_before(reader, c)
    lemma = tok.lemma_.lower()
    if lemma in _GENERIC_WORKS and any(c.lower_ in ("the", "this") for c in tok.children):
        return reader.recent_work(tok.idx)
    if tok.pos_ == "NOUN" and lemma not in _CRAFT:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        pobj = child(of, "pobj") if of is not None else None
        if pobj is not None:
            return _thing(reader, pobj, person)
    return None

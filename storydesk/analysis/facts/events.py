"""Event claims: what happened, with its actor, action, object, place and the people with it.

An event is a verb or noun of a known kind ("launch", "blast off", "destroyed", "found alive", "appointed
... as", "the debate") read from the parse: the actor is its subject (or the agent of a passive), the object
its object (or passive subject), places come from its prepositions ("from Baikonur", "on Gannet Rock", "to
the International Space Station") and companions from "with". A place "from" which something starts is its
site (one value: "from Baikonur" against "from the ISS" is a conflict), "to" a destination, anything else a
location (several can all be right). Joined verbs share their arguments ("was arrested and charged"),
and a charge's "with" phrase is its part "charge", not a killing of its own ("charged with murder").
Negated and conditional events ("will not reopen", "could close if") are not events. The time of an
event is the date fact of the same kind and subject (`dates`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Entity

# Verbs by the kind of event they report (lemmas).
VERB_EVENTS = {
    "launch": "launch", "blastoff": "launch", "liftoff": "launch",
    "release": "release", "premiere": "release",
    "reopen": "reopening", "close": "closure", "shut": "closure",
    "destroy": "destruction", "gut": "destruction", "level": "destruction", "raze": "destruction",
    "rescue": "rescue", "pluck": "rescue", "winch": "rescue", "locate": "rescue",
    "find": "discovery", "discover": "discovery",
    "disappear": "disappearance", "vanish": "disappearance",
    "appoint": "appointment", "name": "appointment", "hire": "appointment",
    "sack": "dismissal", "dismiss": "dismissal", "oust": "dismissal",
    "resign": "resignation", "approve": "approval",
    "sink": "sinking", "arrest": "arrest", "detain": "arrest", "charge": "charge", "indict": "charge",
    "convict": "conviction", "sentence": "sentencing", "kill": "killing", "murder": "killing",
    "shoot": "shooting", "stab": "stabbing", "crash": "crash", "collide": "crash", "attack": "attack",
    "acquire": "acquisition", "buy": "acquisition", "purchase": "acquisition",
    "elect": "election", "debate": "debate", "rule": "ruling", "overturn": "ruling",
}  # fmt: skip
# Verbs with a particle: "blast off", "lift off", "break out", "turn up" (a find), "step down".
PARTICLE_EVENTS = {
    ("blast", "off"): "launch", ("lift", "off"): "launch", ("take", "off"): "launch",
    ("blast", "into"): "launch", ("turn", "up"): "discovery", ("step", "down"): "resignation",
    ("tear", "through"): "destruction", ("strike", "down"): "ruling",
    ("rip", "through"): "destruction",
}  # fmt: skip
# Nouns that name an event (lemmas).
NOUN_EVENTS = {
    "launch": "launch", "liftoff": "launch", "blastoff": "launch", "takeoff": "launch",
    "fire": "fire", "blaze": "fire", "inferno": "fire", "explosion": "explosion",
    "debate": "debate", "election": "election", "reopening": "reopening", "closure": "closure",
    "premiere": "release", "crash": "crash", "shooting": "shooting", "earthquake": "earthquake",
    "killing": "killing", "murder": "killing", "death": "death", "ruling": "ruling", "arrest": "arrest",
}  # fmt: skip
FIRES = {"fire", "blaze", "inferno", "flame"}
VOYAGES = {"voyage", "mission", "expedition", "flight", "trip", "journey"}
_ALIVE = {"alive": "rescue", "safe": "rescue", "dead": "death"}
# Events only with a person as object: "shot a man", not "shot a film"; "charged the suspect".
_VICTIMS = {"shooting", "killing", "stabbing", "charge", "arrest", "conviction", "sentencing", "dismissal",
            "appointment"}
# What a launch launches besides named things: "launching the first all-civilian crew".
_LAUNCHED = {"crew", "actor", "actress", "filmmaker", "astronaut", "cosmonaut", "satellite", "rocket",
             "spacecraft", "probe", "mission", "people", "tourist", "passenger"}
# What takes off: "the rocket took off", "Cruise's feature will take off".
_FLYERS = {"rocket", "plane", "flight", "crew", "mission", "spacecraft", "feature", "film", "movie",
           "shuttle", "jet", "aircraft", "helicopter", "capsule"}
_COURTS = {"court", "judge", "justice", "tribunal", "panel", "jury"}
# Whose finding is a result, not a discovery: "a poll found Vance at 44 percent".
_STUDIES = {"poll", "survey", "study", "report", "review", "analysis", "research", "audit", "inquiry"}
# Verbs of intent: "ask the council to approve" is no approval yet.
_INTENT = {"ask", "want", "plan", "hope", "urge", "seek", "try", "aim", "propose", "promise", "threaten",
           "intend", "call", "vow", "pledge", "push"}
# Events of the story itself: whoever takes part, they are about the story's main subject.
STORY_EVENTS = {"debate", "reopening", "election", "ruling"}
# Kinds read for their date only: "the April election" is not news that an election happened.
DATE_ONLY = {"election"}
_MODALS = {"could", "might", "may", "would", "should"}
# Prepositions whose object places an event, by the slot the place fills.
_PLACE_PREPS = {"from": "site", "to": "destination", "into": "destination", "in": "location",
                "at": "location", "on": "location", "off": "location", "near": "location", "over": "location",
                "outside": "location", "inside": "location"}
_PLACE_TYPES = {"place", "organisation", "other"}
_VEHICLES = {"spaceship", "spacecraft", "rocket", "capsule", "ship", "boat", "plane", "aircraft",
             "helicopter", "ferry", "train", "bus"}
_WHEN = {"DATE", "TIME"}
_SERVICES = {"department", "service", "chief", "marshal", "station", "crew", "truck", "brigade", "police"}
_RELATIVE = {"that", "which", "who", "whom"}
# Event nouns whose "of" phrase is what the event happens to: "the launch of its Sputnik satellite".
_OF_OBJECT = {"launch", "closure", "reopening", "release", "shooting", "killing", "death", "arrest", "crash"}
# Words whose "with" or "of" phrase is a charge: "charged with murder", "guilty of", "a charge of".
_CHARGING = {"charge", "accuse", "convict", "indict", "guilty", "suspect", "count", "plead", "acquit"}
_QUANTIFIERS = {"most", "part", "all", "much", "some", "half", "rest"}


@dataclass
class Frame:
    """One event mention read from the parse."""

    kind: str
    trigger: Token
    actor: list[Token]
    objects: list[Token]


def triggers(reader: Reader, tokens: list[Token]) -> list[tuple[Token, str]]:
    """The event words of a sentence with their kind, in order."""
    found = []
    for t in tokens:
        kind = _kind(reader, t)
        if kind:
            found.append((t, kind))
    return found


def _kind(reader: Reader, t: Token) -> str | None:
    lemma = t.lemma_.lower()
    if t.dep_ in ("amod", "compound") and t.head.lemma_.lower() not in ("date", "day", "time"):
        return None  # "the closed bridge", "charging bay", "crash course": a state or a name, no event
    if t.pos_ in ("VERB", "AUX"):
        particle = next((c.lower_ for c in t.children if c.dep_ in ("prt", "prep")
                         and (lemma, c.lower_) in PARTICLE_EVENTS), None)
        if particle:
            kind = PARTICLE_EVENTS[(lemma, particle)]
        elif lemma in ("start", "begin") and about_voyage(t):
            return "launch"
        else:
            kind = VERB_EVENTS.get(lemma)
        if kind is None and lemma in ("report", "go") and any(
                c.lower_ == "missing" and c.dep_ in ("oprd", "acomp", "ccomp", "xcomp") for c in t.children):
            kind = "disappearance"  # "was reported missing", "went missing"
        if kind is None:
            return None
        if kind == "destruction" and _fire_subject(t):
            kind = "fire"
        if kind == "discovery":
            state = next((c.lower_ for c in t.children if c.dep_ in ("oprd", "acomp", "ccomp")
                          and c.lower_ in _ALIVE), None)
            obj = child(t, "dobj") or child(t, "nsubjpass")
            if obj is not None and obj.lemma_.lower() in ("body", "remains"):
                state = "dead"  # "Smith's body was found slumped"
            kind = _ALIVE[state] if state else kind
        if kind == "appointment" and lemma == "name" and not _as_title(t):
            return None
        return kind if _fits(reader, t, kind) else None
    if t.pos_ == "NOUN":
        if lemma in ("start", "beginning") and about_voyage(t):
            return "launch"  # "the start of the expedition is scheduled for ..."
        if lemma == "blast" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "off":
            return "launch"  # "the blast off date"
        kind = NOUN_EVENTS.get(lemma)
        if kind is not None and charged_with(t):
            return None
        if kind == "fire" and t.dep_ == "pobj" and t.head.lower_ == "under":
            return None  # "under fire for months": criticised, not burning
        if kind == "fire" and t.head.lemma_.lower() in VERB_EVENTS and t.dep_ == "nsubj":
            return None  # "the fire destroyed ...": read at the verb
        if kind == "fire" and (t.dep_ == "conj" or t.head.lemma_.lower() in _SERVICES or any(
                c.lemma_.lower() in _SERVICES for c in t.children)):
            return None  # "the Ipswich fire and police departments": a service, not a fire
        return kind
    return None


def _fits(reader: Reader, verb: Token, kind: str) -> bool:
    """Whether a verb's arguments make it that kind of event: a person shot, a work released, something
    launchable launched, a thing (not a poll result) found."""
    obj = shared(verb, "dobj") or shared(verb, "nsubjpass") or child(verb, "oprd")
    if obj is None and verb.dep_ == "acl":
        obj = verb.head
    entity = reader.entity(obj) if obj is not None else None
    if kind in _VICTIMS:
        person_nouns = obj is not None and obj.pos_ == "NOUN" and obj.lemma_.lower() in (
            "man", "woman", "people", "person", "suspect", "boy", "girl", "officer", "child", "player")
        return (entity is not None and entity.type == "person") or person_nouns or (
            obj is not None and obj.pos_ == "PRON")
    if kind == "release":
        return entity is not None and entity.type == "work"
    if kind == "launch" and obj is not None and obj.dep_ == "dobj":
        return entity is not None or obj.lemma_.lower() in _LAUNCHED
    if kind == "launch" and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children) and \
            verb.lemma_.lower() == "take":
        subj = child(verb, "nsubj")  # "the Hummer takes off after the SUV" is no launch
        flyer = reader.entity(subj) if subj is not None else None
        return subj is not None and (subj.lemma_.lower() in _FLYERS or (
            flyer is not None and flyer.type in ("person", "work")))
    if kind == "ruling":
        subj = child(verb, "nsubj")  # "a court ruled", "the judge ruled"; not "ruled out nothing"
        named = reader.entity(subj) if subj is not None else None
        court = subj is not None and (subj.lemma_.lower() in _COURTS or (
            named is not None and "court" in named.name.lower()))
        return court and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
    if kind == "discovery":
        subj = child(verb, "nsubj")
        study = subj is not None and subj.lemma_.lower() in _STUDIES
        return obj is not None and obj.pos_ in ("NOUN", "PROPN") and (
            entity is None or entity.type != "person") and not study
    return True


def shared(verb: Token, dep: str) -> Token | None:
    """A verb's argument, or the one it shares with a joined verb: "Hayes was arrested and charged" (the
    subject of both), "police arrested and charged Hayes" (the object of both). A joined verb with an
    auxiliary of its own is another predicate, not a share of the object: "until the bridge reopens and
    would launch a grant program" (the bridge does not reopen the program)."""
    own = child(verb, dep)
    if own is not None:
        return own
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if dep == "nsubj" and passive:
        return None
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and child(verb, "nsubj") is None and (
            child(verb, "nsubjpass") is None):
        found = shared(verb.head, dep)
        if found is None and dep == "nsubjpass" and passive:
            found = shared(verb.head, "nsubj")  # "Hayes stayed at the scene and was arrested"
        return found
    if dep == "dobj" and not passive and child(verb, "nsubjpass") is None:
        joined = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"
                       and child(c, "nsubj") is None and child(c, "aux") is None), None)
        return child(joined, "dobj") if joined is not None else None
    return None


def charged_with(tok: Token) -> bool:
    """ "charged with second-degree murder", "accused of killing", "on a charge of murder": the charge, not
    news that a killing happened."""
    prep = tok.head
    if tok.dep_ not in ("pobj", "pcomp") or prep.lower_ not in ("with", "of"):
        return False
    return prep.head.lemma_.lower() in _CHARGING


def about_voyage(tok: Token) -> bool:
    """ "the start of the expedition", "a mission scheduled to begin": start of a voyage, not of training."""
    near = [tok.head, tok.head.head, *tok.children, *(g for c in tok.children for g in c.children)]
    return any(t.lemma_.lower() in VOYAGES for t in near)


def _fire_subject(verb: Token) -> bool:
    subj = child(verb, "nsubj")
    if subj is not None and subj.lower_ in ("that", "which") and verb.dep_ == "relcl":
        subj = verb.head
    return subj is not None and subj.lemma_.lower() in FIRES


def _as_title(verb: Token) -> bool:
    """ "named X as head coach", "named X head coach": an appointment, not "named after"."""
    return any(c.lower_ == "as" for c in verb.children) or any(c.dep_ == "oprd" for c in verb.children)


def negated_or_conditional(tok: Token) -> bool:
    """ "will not reopen", "could close if ...": no event happened or is set."""
    node = tok
    for _ in range(2):
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) or (
                c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")) for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "ccomp") or node.head.i == node.i:
            break
        node = node.head
        if node.lemma_.lower() in _INTENT:
            return True
    return False


def frame(tok: Token, kind: str) -> Frame:
    """Actor and objects of the event word `tok`."""
    if tok.pos_ in ("VERB", "AUX"):
        actor = _with_conjuncts(shared(tok, "nsubj"))
        agent = next((child(c, "pobj") for c in tok.children if c.dep_ == "agent"), None)
        actor = actor or _with_conjuncts(agent)
        if actor and actor[0].lower_ in _RELATIVE and tok.dep_ == "relcl":
            actor = [tok.head]
        oprd = child(tok, "oprd")
        objects = _with_conjuncts(shared(tok, "dobj") or shared(tok, "nsubjpass") or (
            oprd if oprd is not None and oprd.pos_ in ("NOUN", "PROPN") else None))
        if objects and objects[0].lower_ in _RELATIVE and tok.dep_ == "relcl":
            objects = [tok.head]  # "the bridge, which was closed in February"
        through = next((child(c, "pobj") for c in tok.children if c.dep_ == "prep"
                        and c.lower_ in ("through", "off")), None)
        if not objects and kind in ("destruction", "fire") and through is not None:
            objects = [through]
        if not objects and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            objects = [tok.head]
        objects = [_unquantified(o) for o in objects]
        return Frame(kind, tok, actor, objects)
    owners = [c for c in tok.children if c.dep_ in ("poss", "compound") and c.ent_type_ not in _WHEN]
    of = next((child(c, "pobj") for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and kind in _OF_OBJECT:
        return Frame(kind, tok, owners, [of])
    verb = tok.head
    if tok.dep_ == "nsubj" and verb.pos_ == "VERB":
        return Frame(kind, tok, owners, _with_conjuncts(child(verb, "dobj")))
    if tok.dep_ == "pobj" and verb.head.pos_ == "VERB":
        return Frame(kind, tok, owners or _with_conjuncts(child(verb.head, "nsubj")), [])
    return Frame(kind, tok, owners, [])


def _with_conjuncts(tok: Token | None) -> list[Token]:
    return [tok, *tok.conjuncts] if tok is not None else []


def _unquantified(tok: Token) -> Token:
    """ "most of a warehouse" is the warehouse."""
    if tok.lemma_.lower() in _QUANTIFIERS:
        of = next((c for c in tok.children if c.lower_ == "of"), None)
        pobj = child(of, "pobj") if of is not None else None
        return pobj if pobj is not None else tok
    return tok


def phrase_entity(reader: Reader, tok: Token) -> Entity | None:
    """The entity a noun phrase names: its own, an appositive's, an owner's or compound's, or an "of"
    phrase's ("the crew of the trawler Marigold Ann")."""
    entity = reader.entity(tok)
    if entity is not None:
        return entity
    for c in tok.children:
        if c.dep_ in ("appos", "compound", "poss"):
            found = reader.entity(c)
            if found is None:
                continue
            owner_person = c.dep_ == "poss" and found.type == "person"
            if owner_person or (c.dep_ == "compound" and found.type == "place"):
                continue  # "Fairweather's nephew" is not Fairweather, "the Merrow River crossing" no river
            return found
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = child(of, "pobj") if of is not None else None
    if pobj is not None:
        return phrase_entity(reader, pobj)
    return named_by_noun(reader, tok)


def named_by_noun(reader: Reader, tok: Token) -> Entity | None:
    """ "the bridge" after "the Linden Street Bridge": the last entity named before whose name ends in
    the noun; "the city clerk": the one person of the story holding that title (`Reader.titled`)."""
    if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
        return None
    word = tok.lemma_.lower()
    found = [e for s, _, e in reader.mentions if s < tok.idx and e.name.lower().split()[-1:] == [word]]
    if found:
        return found[-1]
    holder = reader.titled.get(word)
    return next((e for _, _, e in reader.mentions if e.name == holder), None) if holder else None


def phrase(reader: Reader, tok: Token) -> str:
    """A noun phrase as a short label: an entity's canonical name, else its modifiers and noun ("cracked
    steel girder"), with the entity it belongs to ("Pellham Logistics distribution warehouse")."""
    entity = reader.entity(tok)
    if entity is not None:
        return entity.name
    mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod") and not c.like_num]
    words = []
    for m in mods:
        owner = reader.entity(m)
        name = owner.name if owner is not None else m.text
        if not words or words[-1] != name:
            words.append(name)
    label = " ".join([*words, tok.text])
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = child(of, "pobj") if of is not None else None
    inner = phrase_entity(reader, pobj) if pobj is not None else None
    return f"{label} of {inner.name}" if inner is not None else label


def subject_of(reader: Reader, fr: Frame) -> str | None:
    """Whom an event is about: the entity its object names (what was destroyed, who was appointed),
    else its actor's; a launch is its performers' work (`Reader.anchor`)."""
    if fr.kind in STORY_EVENTS:
        return None
    if fr.kind in ("launch", "release"):
        launched = [e for t in fr.objects if (e := phrase_entity(reader, t)) and e.type != "person"]
        return launched[0].name if launched else reader.anchor(fr.trigger)
    for tok in [*fr.objects, *fr.actor]:
        entity = phrase_entity(reader, tok)
        if entity is not None:
            return reader.works.get(entity.name, entity.name)
    return None


def places(reader: Reader, fr: Frame) -> list[tuple[str, str, Token]]:
    """(slot, place, where) for the event's places and vehicle: prepositions of the event word, of the
    verb a noun event depends on, and of its object."""
    heads = [fr.trigger, *(o for o in fr.objects)]
    if fr.trigger.pos_ not in ("VERB", "AUX") and fr.trigger.head.pos_ in ("VERB", "ADP"):
        heads.append(fr.trigger.head if fr.trigger.head.pos_ == "VERB" else fr.trigger.head.head)
    if fr.trigger.dep_ == "xcomp":
        heads.append(fr.trigger.head)
    out = []
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS):
            pobj = child(prep, "pobj")
            if pobj is None:
                continue
            if pobj.lemma_.lower() in _VEHICLES:
                entity = phrase_entity(reader, pobj)
                if entity is not None:
                    out.append(("vehicle", entity.name, pobj))
                continue
            entity = _place(reader, pobj)
            slot = _PLACE_PREPS[prep.lower_]
            name = entity.name if entity is not None else _proper_place(pobj) if slot != "location" else None
            if name:
                out.append((f"{fr.kind} {slot}", name, pobj))
    return out


def _proper_place(tok: Token) -> str | None:
    """ "from the Kourou spaceport": a proper name the recogniser missed, where something starts or goes."""
    names = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN" and t.ent_type_ not in _WHEN]
    if tok.pos_ == "PROPN" and tok.ent_type_ not in _WHEN and tok.is_title:
        return " ".join(t.text for t in [*names, tok])
    return " ".join(t.text for t in names) or None


def _place(reader: Reader, tok: Token) -> Entity | None:
    """A place a prepositional object names: itself, its name ("the Baikonur cosmodrome"), its owner or
    appositive, or "the edge of X"."""
    named = next((e for c in tok.lefts if c.dep_ == "compound" and (e := reader.entity(c))), None)
    entity = named or phrase_entity(reader, tok)
    if entity is not None and entity.type in _PLACE_TYPES:
        return entity
    return None


def companions(reader: Reader, fr: Frame) -> list[str]:
    """People with the event's actor: "blast off with cosmonaut X"."""
    out = []
    for prep in (c for c in fr.trigger.children if c.dep_ == "prep" and c.lower_ == "with"):
        for tok in _with_conjuncts(child(prep, "pobj")):
            entity = reader.entity(tok)
            if entity is not None and entity.type == "person":
                out.append(entity.name)
    return out


def _names(reader: Reader, toks: list[Token]) -> list[str]:
    """Labels of an event's actors or objects: a named one's name ("her challenger, X" is X)."""
    out = []
    for t in toks:
        if t.pos_ not in ("NOUN", "PROPN") or t.ent_type_ in _WHEN:
            continue
        entity = phrase_entity(reader, t) if reader.entity(t) is None and any(
            c.dep_ == "appos" for c in t.children) else None
        out.append(entity.name if entity is not None else phrase(reader, t))
    return out


@claim_reader("event")
def read_events(reader: Reader) -> list[Claim]:
    """Event mentions and the places they name: one event claim per kind and sentence."""
    out: list[Claim] = []
    for sent in reader.sents:
        seen: set[str] = set()
        for tok, kind in triggers(reader, reader.tokens(sent)):
            if kind in seen or kind in DATE_ONLY or negated_or_conditional(tok):
                continue
            seen.add(kind)
            fr = frame(tok, kind)
            subject = subject_of(reader, fr)
            actor, objects = _names(reader, fr.actor), _names(reader, fr.objects)
            people = [e.name for t in fr.actor if (e := reader.entity(t)) and e.type == "person"]
            parts = {"action": kind}
            if actor:
                parts["actor"] = ", ".join(actor)
            if objects:
                parts["object"] = ", ".join(objects)
            crime = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                          and (p := child(c, "pobj")) is not None), None) if kind == "charge" else None
            if crime is not None:
                words = list(crime.subtree)
                parts["charge"] = tok.doc[words[0].i : words[-1].i + 1].text
            found = places(reader, fr)
            for slot, place, _ in found:
                parts.setdefault("vehicle" if slot == "vehicle" else "place", place)
            with_ = [*people, *companions(reader, fr)] if kind == "launch" else companions(reader, fr)
            if with_:
                parts["with"] = ", ".join(dict.fromkeys(with_))
            value = " ".join(p for p in (parts.get("actor"), tok.text, parts.get("object")) if p)
            out.append(Claim(reader.article, subject, kind, "event", value, sent, at=tok.idx, parts=parts))
            for slot, place, where in found:
                if not slot.endswith((" location", "vehicle")):  # where it happened is a part of the event
                    out.append(Claim(reader.article, subject, slot, "place", place, sent, at=where.idx))
    return out

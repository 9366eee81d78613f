"""Recognisers for scraper debris: general shapes of page furniture, never strings of one site.

Two kinds: whole lines (share bars, photo credits, teasers, prompts) and runs inside a line (a hyperlinked
name glued to its link-preview teasers, boilerplate such as "Continue reading the main story"). Each rule
returns a short reason so cleaning stays auditable. Rules are conservative: real prose ends with a sentence
mark and is longer than furniture, and both facts are used to keep it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storydesk.config import CleanConfig

_UI_WORDS = (
    "share this article|share this story|share this|share on facebook|share on twitter|share on x|share via|"
    "share|shares|pin it|pin|tweet|tweets|email|e-mail|email this|print|print this page|print this article|"
    "follow|follow us|facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|messenger|flipboard|telegram|"
    "instagram|youtube|sms|copy link|copy|link copied|comments|comment|save|save article|bookmark|listen|"
    "gift this article|more|read more|menu|close|home|top|back to top|reset|text size|view comments"
)
_UI_LINE = re.compile(rf"^(?:[\W\d_]*\b(?:{_UI_WORDS})\b[\W\d_]*)+$", re.IGNORECASE)
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")

_BOILERPLATE = (
    r"advertisements?|ad|sponsored(?: content)?|skip advertisement|report this ad|story continues below|"
    r"story continues below advertisement|story continued below|continue reading(?: the main story| below)?|"
    r"advertisement continue reading the main story|please enable javascript to (?:watch|view) this \w+|"
    r"tweet with a location|this video is no longer available|watch the video above|scroll to continue"
)
_BOILERPLATE_LINE = re.compile(rf"^\W*(?:{_BOILERPLATE})\W*$", re.IGNORECASE)

_TEASER_LINE = re.compile(
    r"^\W*(?:read more|more|related(?: stories| articles| coverage)?|see also|also read|read also|also|"
    r"recommended|read next|more from [\w ]{1,30}|most read|trending|you may also like|you might also like|"
    r"further reading|more on this story|watch)\s*(?::|\||>|»|-|–|—)",
    re.IGNORECASE,
)
_CLICK_HERE = re.compile(r"^\W*click here\b", re.IGNORECASE)
_COOKIE = re.compile(
    r"\bcookies?\b.*\b(?:we use|this (?:web)?site uses|our (?:web)?site|you (?:agree|consent|accept)|"
    r"accept (?:all|cookies)|manage (?:preferences|cookies|settings)|cookie (?:policy|settings))\b|"
    r"\b(?:we use|this (?:web)?site uses) cookies\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"^\W*(?:subscribe|sign up|join|get|register|enter your email|already a subscriber|don't miss)\b.*"
    r"\b(?:newsletters?|inbox|subscription|subscribers?|updates|digital access)\b|"
    r"\b(?:sign up|subscribe)\b.*\b(?:our|the|free) (?:\w+ ){0,3}newsletters?\b",
    re.IGNORECASE,
)

_AGENCIES = (
    r"getty images|shutterstock|alamy|pa images|pa wire|pa media|ap photo|afp|reuters|epa(?:-efe)?|"
    r"wikimedia commons|bloomberg|associated press|xinhua|anadolu|sipa|rex features|istock"
)
_CREDIT_START = re.compile(  # the leading lookahead only makes the search fast: every form starts so
    r"(?=[©(cpi])(?:^|(?<=[a-z]))(?:©|\(c\)|copyright\b|photo:|photos:|photograph:|photographs:|picture:|image:|"
    r"illustration:|credit:|image credit:|photo credit:|photo by\b|photograph by\b|\(photo by\b|"
    r"courtesy of\b|courtesy:)",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(rf"(?:\b(?:via )?(?i:{_AGENCIES})|/ ?[A-Z]{{2,}}[\w&.-]*)\)?\s*$")
_CAPTION_MARK = re.compile(
    r"\((?:photos?|image|picture|credit)\b[^()]*\)|\([^()/]{2,60}/[^()/]{2,60}\)\s*$|"
    r"\b(?:image|media) (?:copyright|caption)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|co|ly|gl)/", re.IGNORECASE)
_FOLLOW = re.compile(
    r"^\W*(?:follow|like|subscribe|see more|reach|read or share|connect with|find us)\b", re.I
)
_NAME_SLASH_AGENCY = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} ?/ ?[A-Z][\w&. -]{1,40}$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")

# A hyperlinked name followed by the link's preview (the same name again, glued without a space, then
# teaser headlines) and a closing "MORE": e.g. "Jane DoeJane Q. DoeTeaser one Teaser two MORE".
_GLUE = re.compile(r"(?P<name>(?:[A-Z][a-z'’.-]*\s){0,3}[A-Z][a-z'’.-]*[a-z])(?=[A-Z])")
_MORE = re.compile(r"\sMORE\b")
_INLINE_BOILERPLATE = re.compile(
    r"(?=[ACS])(?:(?<=^)|(?<=[.!?\"”] ))(?:Advertisement(?: Continue reading the main story)?|"
    r"Continue reading the main story|Story Continued Below|Story continues below advertisement) (?=[A-Z\"“])"
)
_SUSPECT_NUMBER = re.compile(r"(?=0 )(?<![\d.,$€£¥])\b0 (?:million|billion|trillion)\b", re.IGNORECASE)


def line_reason(line: str, config: CleanConfig) -> str | None:
    """Why a whole line is debris, or None when it may be prose."""
    text = line.strip()
    if not text:
        return None
    n_words = len(text.split())
    if _SYMBOLS_ONLY.match(text):
        return "separator"
    if n_words <= config.share_bar_max_words and _UI_LINE.match(text):
        return "share-buttons"
    if _BOILERPLATE_LINE.match(text):
        return "advertisement"
    if n_words <= config.prompt_max_words and _COOKIE.search(text):
        return "cookie-prompt"
    if n_words <= config.prompt_max_words and _NEWSLETTER.search(text):
        return "newsletter-prompt"
    if n_words <= config.teaser_max_words and _CLICK_HERE.match(text):
        return "click-here"
    if n_words <= config.teaser_max_words and _TEASER_LINE.match(text):
        return "teaser"
    if ("/" in text or "ww." in text.lower()) and _URL.search(text):  # every URL form has one of them
        return "follow-prompt" if n_words <= config.follow_max_words and _FOLLOW.match(text) else None
    if _is_credit(text, n_words, config):
        return "photo-credit"
    return None


def _is_credit(text: str, n_words: int, config: CleanConfig) -> bool:
    """Photo credits are short, carry no sentence mark, and name a photographer or agency."""
    if n_words > config.credit_max_words or _SENTENCE_END.search(text):
        return False
    return bool(
        _CREDIT_START.search(text) or _NAME_SLASH_AGENCY.match(text) or re.fullmatch(_AGENCIES, text, re.I)
    ) or (
        n_words <= config.credit_tail_max_words
        and bool(_CREDIT_END.search(text))
        and ("/" in text or "via " in text.lower())
    )


def has_credit(line: str) -> bool:
    """Whether a line carries a photo credit or caption marker, as captions do and headlines do not:
    "(Photo: Jane Roe)", "(Jane Roe/Agency)", "Image caption ...", a trailing agency credit."""
    text = line.strip()
    return bool(_CREDIT_START.search(text) or _CAPTION_MARK.search(text) or _CREDIT_END.search(text))


def classify_lines(lines: list[str], config: CleanConfig) -> Iterator[str | None]:
    """A reason per line, in order (None for prose): furniture, repeats of an earlier line, and captions that
    reappear glued in front of a credit ("CaptionCourtesy of X"). Lazy, so a reader of the first lines
    only (a report's header) does not pay for the rest."""
    captions = {_glued_caption(line) for line in lines} - {""}
    seen: set[str] = set()
    for line in (raw.strip() for raw in lines):
        if not line:
            yield None
        elif line in seen:
            yield "repeated"
        elif line in captions:
            yield "caption"
        else:
            seen.add(line)
            yield line_reason(line, config)


def _glued_caption(line: str) -> str:
    match = _CREDIT_START.search(line)
    return line[: match.start()].strip() if match and match.start() > 0 else ""


def inline_runs(line: str, config: CleanConfig) -> Iterator[tuple[int, int, str]]:
    """(start, end, reason) of debris runs inside a line, in order and not overlapping."""
    runs = sorted([*_link_teasers(line, config), *_boilerplate(line)])
    last = 0
    for start, end, reason in runs:
        if start >= last:
            yield start, end, reason
            last = end


def _link_teasers(line: str, config: CleanConfig) -> Iterator[tuple[int, int, str]]:
    """Runs from a camel-case glue after a name up to the closing "MORE", when the name repeats after it."""
    if not _MORE.search(line):
        return
    for glue in _GLUE.finditer(line):
        name_words = glue.group("name").split()
        after = line[glue.end() :]
        more = _MORE.search(after)
        if not more or len(after[: more.start()].split()) > config.link_teaser_max_words:
            continue
        preview = after[: more.start()]
        head = " ".join(preview.split()[:6])
        surname, first = name_words[-1], name_words[0]
        if re.search(rf"\b{re.escape(surname)}", head) or preview.startswith(first[:4]):
            yield glue.end(), glue.end() + more.end(), "link-teaser"


def _boilerplate(line: str) -> Iterator[tuple[int, int, str]]:
    for match in _INLINE_BOILERPLATE.finditer(line):
        yield match.start(), match.end(), "advertisement"


def suspect_numbers(text: str) -> list[str]:
    """Phrases like "nearly 0 million": a currency symbol and its digits were probably lost in scraping."""
    return [" ".join([*text[: m.start()].split()[-3:], m.group()]) for m in _SUSPECT_NUMBER.finditer(text)]

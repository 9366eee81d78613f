"""Normalised values, so that reports writing the same amount differently compare equal.

"12-day" and "12 days" are one duration; "$200 million" and "$200-million" one sum of money; a month
("2021-10") agrees with a day inside it ("2021-10-05").
"""

from __future__ import annotations

import re

from storydesk.text import NUMBER_WORDS

UNCONFIRMED = "unconfirmed"

_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(NUMBER_WORDS)
_SPAN = rf"\b(?P<n>{_NUM})[\s-](?P<unit>minute|hour|day|week|month|year)s?\b(?![\s-]old)"
# "12 days", not "two days after the fire" (a time, not how long): `SPAN` reads both.
DURATION = re.compile(_SPAN + r"(?!\s+(?:ago|after|before|later|earlier))", re.IGNORECASE)
SPAN = re.compile(_SPAN, re.IGNORECASE)
MONEY = re.compile(
    r"(?P<cur>[$€£])\s?(?P<n>\d+(?:[.,]\d+)*)(?:[\s-](?P<scale>million|billion|thousand|trillion|bn|m)\b)?",
    re.IGNORECASE,
)
# "896 million pounds": a currency written as a word after a scale (a bare "200 pounds" is a weight).
MONEY_WORDS = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)*)[\s-](?P<scale>million|billion|thousand|trillion)\s(?P<cur>pounds|euros|dollars)\b",
    re.IGNORECASE,
)
_AGE_WORDS = "|".join(w for w, n in NUMBER_WORDS.items() if n < 100)
_AGE_NUM = rf"(?P<n>\d{{1,3}}|(?i:{_AGE_WORDS}))"
# "a 36-year-old", "the 24-year old student", "his four-year-old brother".
AGE = re.compile(rf"\b{_AGE_NUM}[-\s]year[-\s]old\b")
# "Rose is 29 years old", "Smith, who was 52 years old,": right after a name.
AGE_IS = re.compile(rf"^(?:\s+|,\s+who\s+)(?:is|was)\s+{_AGE_NUM}\s+years\s+old\b")
# "Jane Doe, 52, said", "Elijah, 3,": an age set off by commas right after a name.
AGE_AFTER_NAME = re.compile(r"^,\s*(?P<n>[1-9]\d?)(?=\s*[,;)]|\s*\.(?!\d))")
_SCALES = {"m": "million", "bn": "billion"}
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "dollars": "USD", "euros": "EUR", "pounds": "GBP"}


def number(text: str) -> str:
    """A number as digits: "twelve" -> "12", "1,200" -> "1200"."""
    text = text.lower()
    parts = text.split("-")
    if all(p in NUMBER_WORDS for p in parts):
        return str(sum(NUMBER_WORDS[p] for p in parts))
    return text.replace(",", "")


def duration(match: re.Match[str]) -> str:
    n = number(match.group("n"))
    unit = match.group("unit").lower()
    return f"{n} {unit}" + ("" if n == "1" else "s")


def money(match: re.Match[str]) -> str:
    """ "$200-million" -> "USD 200 million" (currency and scale kept, not multiplied out)."""
    scale = (match.group("scale") or "").lower()
    scale = _SCALES.get(scale, scale)
    currency = _CURRENCIES[match.group("cur").lower()]
    return " ".join(p for p in (currency, number(match.group("n")), scale) if p)


_BOUND = re.compile(r"^(more than|at least|nearly|up to|fewer than) (\d+(?:\.\d+)?)$")


def _interval(value: str, share: float) -> tuple[float, float] | None:
    """The numbers a count may be: "more than 90" is above 90, "nearly 100" a little under 100."""
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value), float(value)
    m = _BOUND.match(value)
    if m is None:
        return None
    n = float(m.group(2))
    return {"more than": (n, float("inf")), "at least": (n, float("inf")), "nearly": (n * (1 - share), n),
            "up to": (0.0, n), "fewer than": (0.0, n)}[m.group(1)]


def compatible_counts(a: str, b: str, share: float) -> bool:
    """Two counts that can both be right: equal, or a bound the other falls within ("more than 90" and
    "nearly 100"); two exact numbers never are unless equal."""
    if a == b:
        return True
    ia, ib = _interval(a, share), _interval(b, share)
    if ia is None or ib is None or (ia[0] == ia[1] and ib[0] == ib[1]):
        return False
    return max(ia[0], ib[0]) <= min(ia[1], ib[1])


def compatible(a: str, b: str) -> bool:
    """Equal values, a coarser date label that contains the finer one ("2021-10" and "2021-10-05"), or a
    name or state and its longer form ("Baikonur" and "Baikonur cosmodrome", "seeking" and "seeking a
    second term")."""
    if a == b:
        return True
    if _is_date(a) and _is_date(b):
        return a.startswith(b + "-") or b.startswith(a + "-")
    return not re.search(r"\d", a + b) and (a.startswith(b + " ") or b.startswith(a + " "))


def finer(a: str, b: str) -> str:
    """The more precise of two compatible values: an exact count over a bound, else the longer."""
    if _BOUND.match(a) and not _BOUND.match(b):
        return b
    if _BOUND.match(b) and not _BOUND.match(a):
        return a
    return a if len(a) >= len(b) else b


def _is_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value))


def age(n: str) -> str:
    """An age as digits: "four" -> "4"."""
    return str(NUMBER_WORDS[n.lower()]) if n[0].isalpha() else str(int(n))

"""Normalised values, so that reports writing the same amount differently compare equal.

"12-day" and "12 days" are one duration; "$200 million" and "$200-million" one sum of money; a month
("2021-10") agrees with a day inside it ("2021-10-05").
"""

from __future__ import annotations

import re

from storydesk.text import NUMBER_WORDS

UNCONFIRMED = "unconfirmed"

_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(NUMBER_WORDS)
DURATION = re.compile(
    rf"\b(?P<n>{_NUM})[\s-](?P<unit>minute|hour|day|week|month|year)s?\b(?!-old|\s+(?:ago|after|before|later|earlier))",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"(?P<cur>[$€£])\s?(?P<n>\d+(?:[.,]\d+)*)(?:[\s-](?P<scale>million|billion|thousand|trillion|bn|m)\b)?",
    re.IGNORECASE,
)
AGE = re.compile(r"\b(?P<n>\d{1,3})-year-old\b")
# "Jane Doe, 52, said": an age set off by commas right after a name.
AGE_AFTER_NAME = re.compile(r"^,\s*(?P<n>[1-9]\d)(?=\s*[,;)]|\s*\.(?!\d))")
_SCALES = {"m": "million", "bn": "billion"}
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}


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
    return " ".join(p for p in (_CURRENCIES[match.group("cur")], number(match.group("n")), scale) if p)


def compatible(a: str, b: str) -> bool:
    """Equal values, or a coarser date label that contains the finer one ("2021-10" and "2021-10-05")."""
    return a == b or (_is_date(a) and _is_date(b) and (a.startswith(b + "-") or b.startswith(a + "-")))


def finer(a: str, b: str) -> str:
    """The more precise of two compatible values."""
    return a if len(a) >= len(b) else b


def _is_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value))

"""Mojibake repair (ftfy) at the cost of the characters mojibake is made of, not of the whole text.

`ftfy.fix_encoding` returns a text unchanged unless `ftfy.badness.is_bad` finds a suspicious sequence, and
that search tries its long pattern at every position of the text: on news it was a quarter of reading and
cleaning. Every alternative of ftfy's pattern holds at least one character of its mojibake categories (or a
non-ASCII letter the pattern names), and no match is longer than a few characters, so `is_bad` is asked
only about the stretches around such characters: the same answer (tests/clean/test_mojibake.py checks it
against ftfy's own on random and real texts), reading only a few characters of a text whose quotes are
curly and none of one that is ASCII.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES

#: Characters either side of a suspect character searched with it. In ftfy 6.3 a match reaches at most two
#: characters from the nearest suspect one it holds ("a Ã " of `[a-z]\s?[ÃÂ][ ]`; the test has it); the
#: margin costs next to nothing.
_REACH = 8
#: The characters at least one of which every match of ftfy's pattern holds: its categories (the ranges as
#: written there) and the non-ASCII letters its alternatives name outright.
_SUSPECT = re.compile(
    "["
    + "".join(MOJIBAKE_CATEGORIES.values())
    + "".join(sorted({re.escape(c) for c in BADNESS_RE.pattern if ord(c) > 127}))
    + "]"
)


def looks_bad(text: str) -> bool:
    """`ftfy.badness.is_bad(text)`, searching only the stretches around suspect characters (merged when
    they overlap, so a Cyrillic or Greek text is searched about once, as ftfy would)."""
    start = end = -1
    for found in _SUSPECT.finditer(text):
        at = found.start()
        if at - _REACH > end:  # a stretch of its own: search the previous one
            if end >= 0 and BADNESS_RE.search(text, start, end):
                return True
            start = max(0, at - _REACH)
        end = at + _REACH + 1
    return end >= 0 and BADNESS_RE.search(text, start, end) is not None


def fix_encoding(text: str) -> str:
    """`ftfy.fix_encoding(text)`: the text itself when it does not look bad (ftfy's own first test)."""
    return ftfy.fix_encoding(text) if looks_bad(text) else text

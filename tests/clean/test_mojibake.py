"""The mojibake gate answers as ftfy's own test does, and repairs what ftfy repairs."""

from __future__ import annotations

import random
from pathlib import Path

import ftfy
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad

from storydesk.clean.mojibake import fix_encoding, looks_bad


def _suspects() -> str:
    """Every mojibake category (ranges spelled out) and the letters ftfy's pattern names outright."""
    chars = []
    for category in MOJIBAKE_CATEGORIES.values():
        k = 0
        while k < len(category):
            if k + 2 < len(category) and category[k + 1] == "-":
                chars.extend(map(chr, range(ord(category[k]), ord(category[k + 2]) + 1)))
                k += 3
            else:
                chars.append(category[k])
                k += 1
    return "".join(chars) + "ÃÂÎÐØÙàŒœ°×√≈‚вЂβ€āГВРСΒΓΞΟ"


#: ASCII letters, spaces and punctuation, and non-ASCII letters of no category: half of each random text.
_PLAIN = "abcxyzABCXYZ  \n.,?!'\"-0123456789ǅ字ʃ"


def test_random_texts_get_ftfys_answer() -> None:
    rng = random.Random(7)
    pools = (_suspects(), _PLAIN)
    bad = 0
    for _ in range(20_000):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 12)))
        padded = "x" * rng.randint(0, 30) + text + " word" * rng.randint(0, 5)
        for sample in (text, padded):
            assert looks_bad(sample) == is_bad(sample), repr(sample)
            bad += is_bad(sample)
    assert 1_000 < bad < 39_000  # both answers were exercised


def test_matches_reaching_furthest_from_their_suspect_character() -> None:
    for text in ("one a \u00c3 two", "one a\u00c2 two", "x \u0413\u045e\u0412\u0402\u0412\u2122s y"):
        assert is_bad(text) and looks_bad(text), repr(text)


def test_suspect_characters_far_apart_are_searched_each() -> None:
    clean = "He said \u201cno\u201d. " * 50  # curly quotes are suspects, not mojibake
    assert not looks_bad(clean) and not is_bad(clean)
    broken = clean + "The caf\u00c3\u00a9 reopened." + clean
    assert looks_bad(broken) and is_bad(broken)
    assert fix_encoding(broken) == ftfy.fix_encoding(broken)
    assert "caf\u00e9 reopened" in fix_encoding(broken)


def test_real_texts_get_ftfys_answer_and_repair(corpus_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.rglob("*")) if p.is_file()]
    texts += [t.encode("utf-8").decode("latin-1") for t in texts[:5]]  # mojibake of every accented letter
    assert len(texts) > 10
    for text in texts:
        assert looks_bad(text) == is_bad(text)
        assert fix_encoding(text) == ftfy.fix_encoding(text)


def test_ascii_and_empty_texts_are_left_alone() -> None:
    assert not looks_bad("") and fix_encoding("") == ""
    assert not looks_bad("plain ASCII news, 100% of it.")

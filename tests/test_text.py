"""storydesk.text: the vocabularies and per-word tables the dedup and grouping stages read in bulk."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from storydesk.text import Lexicon, Vocabulary, WordTable


def test_word_table_follows_a_growing_vocabulary() -> None:
    vocabulary = Vocabulary()
    table = WordTable(vocabulary, len, "int64")
    for n in range(5000):  # one new word a look-up, through several doublings of the array
        word = "w" * (1 + n % 7) + str(n)
        assert table[[vocabulary[word], vocabulary["w0"]]].tolist() == [len(word), 2]
    ids = np.arange(len(vocabulary.words))
    assert table[ids].tolist() == [len(w) for w in vocabulary.words]


def test_word_table_does_not_copy_itself_for_each_new_word() -> None:
    """The cost of a look-up after a new word is that word, not the table: a copy of the whole table each
    time made a million-report run quadratic."""
    vocabulary = Vocabulary()
    table = WordTable(vocabulary, len, "int64")
    table[[vocabulary["first"]]]
    backing = table._values
    for n in range(100):  # well inside the first allocation
        table[[vocabulary[f"new{n}"]]]
    assert table._values is backing


def test_word_table_pickles_its_known_values_only() -> None:
    lexicon = Lexicon()
    table = lexicon.table("length", len, "int64")
    ids = list(lexicon.ids("the quick brown fox"))
    table[ids]
    restored = pickle.loads(pickle.dumps(table))
    assert len(restored._values) == 4
    assert restored[ids].tolist() == [3, 5, 5, 3]
    restored._vocabulary["jumps"]
    assert restored[[4]].tolist() == [5]


def test_word_table_restores_a_state_pickled_before_it_grew_by_doubling() -> None:
    """A store's stream state holds tables pickled by earlier versions: `_values` exactly the known words."""
    vocabulary = Vocabulary()
    for word in ("alpha", "be"):
        vocabulary[word]
    table = WordTable.__new__(WordTable)
    table.__setstate__({"_vocabulary": vocabulary, "_fn": len, "_dtype": "int64",
                        "_values": np.array([5, 2], dtype=np.int64)})
    vocabulary["gamma"]
    assert table[[0, 1, 2]].tolist() == [5, 2, 5]


def test_lead_ids_are_the_first_ids_of_the_whole_text() -> None:
    """However a prefix cuts a text (inside a hyphenated or dotted word, after a Greek capital sigma, whose
    lower case depends on what follows, even past case-ignorable letters such as "ー"), the first `count` ids
    are those of the whole text."""
    rng = random.Random(5)
    pieces = ["word", "U.S.", "co-op", "O'Neil", "ΟΔΥΣΣΕΑΣ", "ΑΣ.'Β", "İstanbul", "42", "3.5", "--", "_x_",
              "\n\n", "  ", "é", "naïve", "ΣΑΣ'Σ", "long" * 12, "ΑΣ:" + "ー" * 21, "Β", "\u00a0"]
    for _ in range(300):
        seps = [" ", "", ". ", "-", "'"]
        text = "".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(0, 300)))
        count = rng.randint(0, 40)
        whole, lead = Lexicon(), Lexicon()
        expected = [whole.vocabulary.words[i] for i in whole.ids(text)[:count]]
        assert [lead.vocabulary.words[i] for i in lead.lead_ids(text, count)] == expected, (text, count)


def test_lead_ids_read_a_cached_text_without_tokenising_it_again() -> None:
    lexicon = Lexicon()
    text = "one two three four five six seven eight nine ten " * 30
    ids = lexicon.ids(text)
    size = len(lexicon.vocabulary)
    assert lexicon.lead_ids(text, 3).tolist() == ids[:3].tolist()
    assert len(lexicon.vocabulary) == size


def test_a_lead_of_negative_length_is_refused() -> None:
    with pytest.raises(ValueError, match="0 words or more"):
        Lexicon().lead_ids("some words", -1)


def test_ids_are_the_words_of_the_lower_cased_text_numbered_in_order_of_first_sight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ids` reads a text chunk by chunk through a cache of chunks; the result is the definition's: the
    words of `text.lower()` (`storydesk.text.words`), each numbered when first seen — the same vocabulary a
    token-by-token pass builds, also across texts, after the chunk cache starts over, and after a pickle
    round trip (the cache is not pickled)."""
    from storydesk import text as text_module

    rng = random.Random(9)
    pieces = ["Word", "U.S.-led", "co-op,", "O'Neil's", "ΟΔΥΣΣΕΑΣ", "—", "42", "3.5%", "_x_", "\n", "\u00a0",
              "\u2003", "naïve", "(said)", "...", "i.e.", "said.", "ΣΑΣ'Σ"]
    lexicon, reference = Lexicon(), Vocabulary()
    for n in range(300):
        seps = [" ", "", "\n", "\t", "\u3000"]
        text = "".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(0, 60)))
        expected = [reference[word] for word in text_module.words(text.lower())]
        assert lexicon.ids(text, cache=n % 2 == 0).tolist() == expected, text
        if n == 100:
            lexicon = pickle.loads(pickle.dumps(lexicon))
        if n == 200:  # from here the chunk cache starts over on every text
            monkeypatch.setattr(text_module, "_CHUNK_CACHE", 0)
    assert lexicon.vocabulary.words == reference.words

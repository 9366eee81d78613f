"""The claim readers by kind, spaCy-style: each kind's module registers its reader with `@claim_reader`.

`FactsConfig.kinds` names which run, in that order; "role" runs first in any case, as the other readers
need to know which work each person directs or stars in.
"""

from __future__ import annotations

from collections.abc import Callable

from storydesk.analysis.facts.reader import Claim, Reader

ClaimReader = Callable[[Reader], list[Claim]]

_READERS: dict[str, ClaimReader] = {}  # filled at import by the kind modules, never changed after


def claim_reader(kind: str) -> Callable[[ClaimReader], ClaimReader]:
    """Register `fn` as the reader of claims of `kind`."""

    def register(fn: ClaimReader) -> ClaimReader:
        if kind in _READERS:
            raise ValueError(f"a claim reader for {kind!r} is registered already")
        _READERS[kind] = fn
        return fn

    return register


def claim_readers(kinds: tuple[str, ...]) -> dict[str, ClaimReader]:
    """The registered readers of `kinds`, in that order; an unknown kind is an error naming the known."""
    unknown = [k for k in kinds if k not in _READERS]
    if unknown:
        raise ValueError(f"unknown claim kinds {unknown} (known: {', '.join(sorted(_READERS))})")
    return {k: _READERS[k] for k in kinds}

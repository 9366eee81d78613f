"""Ingest: files, folders, globs and JSONL on stdin in; `Article`s (extracted, not yet cleaned) and
`Rejected` inputs out, every input accounted for.

`sources` walks what the user named, `formats` turns bytes of each format into articles, `metadata` reads
what the top of a plain-text report says about it, `language` names its language.
"""

from storydesk.ingest.formats import RECORD_FIELDS, article_from_text, decode, read_data, read_record
from storydesk.ingest.sources import SUFFIXES, iter_inputs, read_inputs, unsupported

__all__ = [
    "RECORD_FIELDS",
    "SUFFIXES",
    "article_from_text",
    "decode",
    "iter_inputs",
    "read_data",
    "read_inputs",
    "read_record",
    "unsupported",
]

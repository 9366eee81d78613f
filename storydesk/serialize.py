"""Turn pipeline dataclasses into JSON-ready structures (dates as ISO strings)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any


def to_jsonable(obj: Any) -> Any:
    """Recursively convert dataclasses, dates, enums, tuples and sets into JSON types."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    return obj

"""Every fuzz seed and every crash the fuzzer ever found (fuzz/seeds, fuzz/crashes), replayed through its
target of fuzz/harnesses.py: a crash fixed once stays fixed. Needs no atheris."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
_spec = importlib.util.spec_from_file_location("harnesses", FUZZ / "harnesses.py")
assert _spec and _spec.loader
harnesses = importlib.util.module_from_spec(_spec)
sys.modules["harnesses"] = harnesses
_spec.loader.exec_module(harnesses)

CASES = sorted((target, path) for target in harnesses.TARGETS for kind in ("seeds", "crashes")
               for path in (FUZZ / kind / target).glob("*") if path.is_file())


@pytest.mark.parametrize(("target", "path"), CASES,
                         ids=[f"{t}/{p.parent.parent.name}/{p.name}" for t, p in CASES])
def test_replays_without_an_exception(target: str, path: Path) -> None:
    harnesses.TARGETS[target](path.read_bytes())


def test_every_target_has_seeds() -> None:
    assert {t for t, p in CASES if p.parent.parent.name == "seeds"} == set(harnesses.TARGETS)

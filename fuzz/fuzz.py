"""Run one fuzz target under atheris: `python fuzz/fuzz.py TARGET [libFuzzer flags]` (see `make fuzz`).

A crash is written to fuzz/crashes/TARGET/ (libFuzzer's artifact), where `tests/test_fuzz_regressions.py`
replays it ever after. libFuzzer prints executions per second as it runs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["storydesk"]):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harnesses import TARGETS


HERE = Path(__file__).resolve().parent


def main() -> None:
    name = sys.argv.pop(1)
    crashes = HERE / "crashes" / name
    crashes.mkdir(parents=True, exist_ok=True)
    corpus = Path(tempfile.mkdtemp(prefix=f"storydesk-fuzz-{name}-"))  # grows; the seeds stay as written
    for seed in (HERE / "seeds" / name).glob("*"):
        shutil.copy(seed, corpus)
        TARGETS[name](seed.read_bytes())  # warm up (lazy imports, models) before libFuzzer times units
    atheris.Setup([sys.argv[0], f"-artifact_prefix={crashes}/", *sys.argv[1:], str(corpus)], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()

# storydesk: `make run` and `make test` set everything up from nothing (Python 3.11 required).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: setup run test lint bench bench-scale fuzz eval eval-deps browser postgres java clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,eval,spark]'
	$(BIN)/python -m pip install -q --no-deps -c constraints.txt tilse==0.2.1
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/storydesk run examples/corpus --out $(OUT) --db $(OUT)/storydesk.sqlite

# Chromium drives the HTML report test; installed from Debian when we may (root), else that test skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium not installed (not root): the browser test will skip"; }

# A real PostgreSQL server for the service tests (started per test session as the postgres user on a free
# loopback port); installed from Debian when we may (root), else those tests skip.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || \
	  echo "postgresql not installed (not root): the PostgreSQL tests will skip"; }

# tilse's bundled ROUGE-1.5.5 perl script needs XML::DOM (Debian's libxml-dom-perl) for `storydesk eval timeline`.
eval-deps:
	@perl -MXML::DOM -e 1 2>/dev/null || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml-dom-perl >/dev/null) || \
	  echo "libxml-dom-perl not installed (not root): the ROUGE-1.5.5 tests will skip"; }

# Java 17 for PySpark 4 (storydesk run --engine spark and its test); installed from Debian when we may (root).
java:
	@ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) || \
	  echo "openjdk-17 not installed (not root): the Spark tests will skip"; }

test: setup browser eval-deps postgres java
	$(BIN)/ruff check storydesk storydesk_eval tests bench scripts fuzz
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check storydesk storydesk_eval tests bench scripts fuzz

# wrk (Debian) drives the service benchmark's reads; without it bench/service.py falls back to httpx clients.
bench: setup
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) || true; }
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/service.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/floor.py
	$(BIN)/python bench/stream.py
	$(BIN)/python bench/ingest.py

# Read + clean + dedup + grouping at 10k and 100k synthetic articles (1M with --sizes), in-process and on
# Spark local[2]; not part of make test.
bench-scale: setup java
	$(BIN)/python bench/scale.py

# Fuzzing (atheris, the fuzz extra; not part of `make test`): each target of fuzz/harnesses.py for FUZZ_SECONDS
# (the issue's goal run is FUZZ_SECONDS=1800); crashes land in fuzz/crashes/TARGET/, replayed by the tests.
FUZZ_SECONDS ?= 60
fuzz: setup
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[fuzz]'
	for target in ingest clean dates story; do \
	  $(BIN)/python fuzz/fuzz.py $$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache

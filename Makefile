# The commands people type. `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve build test check lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/techcurbs build

serve: build
	$(BIN)/techcurbs serve --host $(HOST) --port $(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check graph api tests benchmarks
	$(BIN)/ruff format --check graph api tests benchmarks

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

check: lint typecheck

test: $(TEST_STAMP) check
	$(BIN)/techcurbs build
	$(BIN)/python -m pytest
	# The API again, reading an Oxigraph server process on loopback through the remote SPARQL backend.
	TECHCURBS_TEST_BACKEND=oxigraph-server $(BIN)/python -m pytest tests/api -k "not w3c" -q

# The benchmark (benchmarks/run.py): ~12 minutes; BENCH_ARGS="--scales 10000 100000" for a partial run. scipy goes
# to a directory of its own, not the venv: the browser part compares the project as installed with scipy present.
bench: $(TEST_STAMP)
	$(BIN)/pip install -q rdflib-endpoint oxigraph httpx aiohttp psutil matplotlib playwright
	test -d /tmp/techcurbs-bench/scipy || $(BIN)/pip install -q --no-deps --target /tmp/techcurbs-bench/scipy scipy
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf var .mypy_cache .pytest_cache .ruff_cache

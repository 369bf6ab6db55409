# Common Ground — see README.md. Every target installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
# pytest exits 5 when it collected no tests; that is not a failure here.
PYTEST_OK := || [ $$? -eq 5 ]

.PHONY: demo test test-postgres browser-test lint typecheck bench bench-analysis bench-stakeholders bench-matching bench-match test-analysis install clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/commonground compile-translations

demo: install
	$(BIN)/commonground demo

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy commonground
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS) $(PYTEST_OK)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/commonground} \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS) $(PYTEST_OK)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

browser-test: install chromium
	$(BIN)/pytest -m browser -p no:xdist $(PYTEST_ARGS) $(PYTEST_OK)

# The urban profile's analysis at city scale: 1M buildings, 5,000 hazard zones, 500 areas.
bench-analysis: install
	$(BIN)/python -m bench.analysis.run $(BENCH_ARGS)

# The stakeholder network at scale: 5,000 organisations, 50,000 relationships in one coalition.
bench-stakeholders: install
	$(BIN)/python -m bench.stakeholders.run $(BENCH_ARGS)

# Marketplace matching: 5,000 × 5,000, then 100,000 needs × 50,000 offers across 50 cities.
bench-matching: install
	$(BIN)/python -m bench.matching.run $(BENCH_ARGS)

bench-match: bench-matching

test-analysis: install
	$(BIN)/pytest -p no:django --confcutdir=commonground/analysis commonground/analysis/tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy commonground

# One client per core (the latency a user sees), then 8 at once (saturation on a small machine).
bench: install
	$(BIN)/python bench/run.py --clients 2 $(BENCH_ARGS)
	$(BIN)/python bench/run.py --clients 8 $(BENCH_ARGS)

clean:
	rm -rf var test-artifacts bench/results

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# decide-exchange-model, the exchange model's GPL reference, pins numpy 1.23: a venv of its own, used
# by tests only as an oracle (tests/analysis/test_exchange.py), never imported by accord.
ORACLE := .venv-oracle
ORACLE_STAMP := $(ORACLE)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
DEMO_DB := sqlite:///out/accord.db

.PHONY: install system-deps demo test lint postgres bench clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(ORACLE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(ORACLE)
	$(ORACLE)/bin/pip install -q 'decide-exchange-model>=2022.1.28'
	touch $(ORACLE_STAMP)

# Chromium for the browser tests and the fonts the PDF needs come from the system's packages.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null; \
	  else echo "chromium not found: browser tests will skip (install Debian's chromium)"; fi; \
	fi

# Start the machine's PostgreSQL cluster if it is installed but stopped (CI machines have one).
postgres:
	@if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; \
	fi

demo: $(STAMP)
	mkdir -p out
	$(BIN)/accord case import examples/russia-ukraine-2025 --db $(DEMO_DB)
	$(BIN)/accord analyze russia-ukraine-2025 --db $(DEMO_DB) --as-of 2025-09-10 --format table
	$(BIN)/accord report russia-ukraine-2025 --db $(DEMO_DB) --out out
	@echo "briefing written to out/index.html, out/report.pdf, out/report.md"

# ruff's basic rules everywhere; mypy strict on case, store and analysis (pyproject.toml says which).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP) $(ORACLE_STAMP) system-deps postgres lint
	ACCORD_TEST_POSTGRES_URL=$${ACCORD_TEST_POSTGRES_URL:-$(PG_URL)} ACCORD_DECIDE_PYTHON=$(CURDIR)/$(ORACLE)/bin/python \
	  $(BIN)/python -m pytest -q -n 2

# The fuzzing suite's long run (tests/fuzz): FUZZ_EXAMPLES examples per test (default 1000), with shrinking.
fuzz: $(STAMP) postgres
	ACCORD_TEST_POSTGRES_URL=$${ACCORD_TEST_POSTGRES_URL:-$(PG_URL)} HYPOTHESIS_PROFILE=long \
	  $(BIN)/python -m pytest -q -n 2 -p no:cacheprovider --timeout=0 --hypothesis-show-statistics tests/fuzz

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(ORACLE) out accord.db

# Set-up is automatic: every target creates .venv from requirements.txt when it is missing or older.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build check lint test bench status watch clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/python -m reviewkit check

status: $(STAMP)
	$(BIN)/python -m reviewkit status

# Online: asks Crossref, PubMed and ClinicalTrials.gov what changed about what the site cites.
watch: $(STAMP)
	$(BIN)/python -m reviewkit watch

# Style and types (ruff, mypy; settings in pyproject.toml). `make test` runs them too (tests/test_lint.py).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/python tools/ensure_browser.py
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/search.py --sizes 10 100 1000

clean:
	rm -rf site .pytest_cache test-artifacts

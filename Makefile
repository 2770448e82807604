# Seloste: the README's commands. `make run` and `make test` set everything up by themselves.
PY := .venv/bin/python
CONTENT ?= content
OUT ?= site

.PHONY: setup run build test lint golden bench docs clean

setup:  ## create .venv, install Python, npm and Debian packages (idempotent)
	@scripts/setup.sh

run: setup  ## build the notice site from content/ and serve it with the request portal
	@$(PY) -m portal.demo --content $(CONTENT) --out $(OUT)

build: setup  ## build the notice site only: content/ -> site/
	@$(PY) build.py --content $(CONTENT) --out $(OUT)

test: setup  ## run the whole test suite (lint, unit, PostgreSQL, browser)
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@$(PY) -m pytest

lint: setup  ## ruff lint and format check
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

golden: setup  ## regenerate the golden site under tests/golden/ (review the diff!)
	@$(PY) -m tests.golden_tool regenerate

docs: setup  ## regenerate generated docs (content format, checks)
	@$(PY) -m notice.docs

bench: setup  ## run the benchmarks in bench/ (medians and ratios)
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:  ## remove built output and caches (never content/)
	rm -rf $(OUT) .pytest_cache .ruff_cache htmlcov .coverage

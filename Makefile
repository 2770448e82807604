# Seloste: the README's commands. `make run` and `make test` set everything up by themselves.
VENV ?= .venv
PY := $(VENV)/bin/python
CONTENT ?= content
OUT ?= site
INSTANCE ?= instance
# `make run` builds its own copy of the site, linked to the local portal, apart from `make build`'s.
DEMO_OUT ?= $(INSTANCE)/demo-site
PORT ?= 8000
SMTP_PORT ?= 8025

.PHONY: help setup setup-run setup-test setup-bench run build test lint golden golden-letters bench mutate docs lock clean

help:  ## list these commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: PORT=$(PORT) SMTP_PORT=$(SMTP_PORT) (make run), CONTENT=$(CONTENT), OUT=$(OUT)"

setup: setup-test  ## create .venv with runtime and test tools (idempotent)

setup-run:  ## runtime only: exactly the locked runtime packages and the Debian libraries
	@VENV=$(VENV) scripts/setup.sh run

setup-test:  ## runtime + test tools, Chromium, npm packages
	@VENV=$(VENV) scripts/setup.sh test

setup-bench:  ## test set-up + wrk
	@VENV=$(VENV) scripts/setup.sh bench

run: setup-run  ## build the notice site from content/ and serve it with the request portal
	@$(PY) -m portal.demo --content $(CONTENT) --out $(DEMO_OUT) --instance $(INSTANCE) --port $(PORT) --smtp-port $(SMTP_PORT)

build: setup-run  ## build the notice site only: content/ -> site/
	@$(PY) build.py --content $(CONTENT) --out $(OUT)

test: setup-test  ## run the whole test suite (lint, unit, PostgreSQL, browser)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(PY) -m pytest

lint: setup-test  ## ruff lint and format check
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

golden: setup-test  ## regenerate the golden site under tests/golden/ (review the diff!)
	@$(PY) -m tests.golden_tool regenerate

golden-letters: setup-test  ## regenerate the text of every letter under tests/golden/letters/ (review the diff!)
	@$(PY) -m tests.golden_letters regenerate

mutate: setup-test  ## mutation testing of the legal modules: table + bench/results/mutation.json (MUTATE="--module portal/core/duedates.py")
	@$(PY) scripts/mutate.py $(MUTATE)

docs: setup-test  ## regenerate generated docs (content format, checks)
	@$(PY) -m notice.docs

bench: setup-bench  ## run the benchmarks in bench/ (medians and ratios)
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) -m bench.$$(basename $$b .py) || exit 1; done

lock: setup-test  ## upgrade uv.lock on purpose (review the diff, then commit it)
	@.venv-tools/bin/uv lock --upgrade

clean:  ## remove built output and caches (never content/)
	rm -rf $(OUT) .pytest_cache .ruff_cache htmlcov .coverage

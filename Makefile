# The README's two commands: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test lint typecheck unit integration lab bench clean fresh-check netbox-cache

setup:
	@bash scripts/install-deps.sh

demo: setup
	$(BIN)/egovnet demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -m unit -q

# The NetBox tests run against a real NetBox in a Debian 13 root (tests/netbox/harness.py); its
# root and migrated database are cached by version, so this is quick once built.
netbox-cache: setup
	$(BIN)/python -m tests.netbox.harness warm

test: setup lint typecheck netbox-cache
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf .egovnet .mypy_cache .ruff_cache .pytest_cache

# CI: the README's two commands in a fresh Debian 12 root (scripts/fresh-check.sh).
fresh-check:
	@bash scripts/fresh-check.sh

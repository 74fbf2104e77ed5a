# ContainerStacks: `make dev` runs the local stack, `make test` runs every check. Both are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS_STAMP := $(VENV)/.deps-installed
PORT ?= 8000
export PORT

.PHONY: help venv deps docker dev test lint typecheck pytest fuzz clean

help:
	@echo "make dev    run the local stack on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test   ruff, mypy and pytest (unit, integration, e2e)"
	@echo "make fuzz   schemathesis against the local stack, 500 examples per operation (CS_FUZZ_EXAMPLES=...)"
	@echo "make deps   create $(VENV) and install requirements-dev.txt when it changed"
	@echo "make clean  remove caches (keeps $(VENV) and the local stack's data in .devstack/)"

venv: $(BIN)/python

# python3-venv is not part of a minimal Debian; install it when `python3 -m venv` fails.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" -ne 0 ]; then echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	}

deps: $(DEPS_STAMP)

$(DEPS_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

docker:
	@bash scripts/ensure-docker.sh

dev: deps docker
	$(BIN)/python -m devstack

lint: deps
	$(BIN)/ruff check .

typecheck: deps
	$(BIN)/mypy

pytest: deps docker
	$(BIN)/python -m pytest

test: lint typecheck pytest

# Long: every operation of the OpenAPI document, as a user and as the admin (tests/e2e/test_fuzz_api.py).
fuzz: deps docker
	CS_FUZZ_EXAMPLES=$${CS_FUZZ_EXAMPLES:-500} CS_FUZZ_BUDGET=$${CS_FUZZ_BUDGET:-3600} \
	  $(BIN)/python -m pytest tests/e2e/test_fuzz_api.py -q

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# ContainerStacks: `make dev` runs the local stack, `make test` runs every check. Both are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS_STAMP := $(VENV)/.deps-installed
PORT ?= 8000
export PORT

.PHONY: help venv deps docker dev test lint typecheck pytest clean

help:
	@echo "make dev    run the local stack on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test   ruff, mypy and pytest (unit, integration, e2e)"
	@echo "make deps   create $(VENV) and install requirements-dev.txt when it changed"
	@echo "make clean  remove caches (keeps $(VENV) and the local stack's data in .devstack/)"
	@echo "make synth STAGE=dev|prod    synthesize the AWS deployment into cdk.out/ and lint it (no AWS account needed)"
	@echo "make test-infra              synth dev+prod, cfn-lint, CDK assertion tests (part of make test)"
	@echo "make deploy STAGE=...        show what will be deployed, ask, deploy (needs AWS credentials)"
	@echo "make destroy STAGE=...       ask, delete the stack; keeps tables/backups/key/secrets unless DESTROY_DATA=yes"
	@echo "make admin STAGE=... ADMIN_EMAIL=...   create the first platform admin in a deployed stage"

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

test: lint typecheck pytest test-infra

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# ---------------------------------------------------------------- AWS deployment (infra/, README "Deploy to AWS")
# The CDK app has its own venv (the CDK libraries need Node at synth time, not the CDK CLI); the layer is built
# once per change of requirements.txt; `synth` runs the app directly (no CDK CLI), deploy/destroy use the pinned
# CLI through npx (infra/operate.py).
.PHONY: infra-deps layer synth test-infra deploy destroy admin
INFRA_VENV := infra/.venv
INFRA_BIN := $(INFRA_VENV)/bin
INFRA_STAMP := $(INFRA_VENV)/.deps-installed
STAGE ?= dev
DESTROY_DATA ?= no
ALARM_EMAIL ?=
CDK_CONTEXT = {"stage": "$(STAGE)", "destroy_data": "$(if $(filter yes,$(DESTROY_DATA)),true,false)", "alarm_email": "$(ALARM_EMAIL)"}
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 18,20

infra-deps: $(INFRA_STAMP)

$(INFRA_STAMP): infra/requirements.txt requirements.txt | $(BIN)/python
	@command -v node >/dev/null || { echo "The CDK libraries need Node.js (>= 18): apt-get install nodejs"; exit 1; }
	@test -x $(INFRA_BIN)/python || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_BIN)/python -m pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	@touch $@

layer: infra-deps
	$(INFRA_BIN)/python infra/packaging.py layer

synth: infra-deps layer
	rm -rf cdk.out
	CDK_OUTDIR=cdk.out CDK_CONTEXT_JSON='$(CDK_CONTEXT)' $(INFRA_BIN)/python infra/app.py
	$(INFRA_BIN)/cfn-lint --ignore-checks W3005 -- cdk.out/$(STAGE).template.json

test-infra: infra-deps layer
	$(INFRA_BIN)/python -m pytest tests/infra

deploy: synth
	$(INFRA_BIN)/python infra/operate.py deploy $(STAGE)

destroy: synth
	DESTROY_DATA=$(DESTROY_DATA) $(INFRA_BIN)/python infra/operate.py destroy $(STAGE)

admin: infra-deps
	$(INFRA_BIN)/python infra/operate.py admin $(STAGE)

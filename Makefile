# ContainerStacks: `make dev` runs the local stack, `make test` runs every check. Both are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS_STAMP := $(VENV)/.deps-installed
PORT ?= 8000
WEB_PORT ?= 5173
export PORT

# The web app (web/): npm packages from package-lock.json, the API client generated from the API's own
# OpenAPI document, the production build the local stack serves.
WEB_DEPS_STAMP := web/node_modules/.deps-installed
WEB_API_JSON := web/src/api/openapi.json
WEB_API_TYPES := web/src/api/schema.d.ts
WEB_BUILD := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public -type f -not -name 'schema.d.ts' -not -name 'openapi.json' 2>/dev/null) \
	web/index.html web/vite.config.ts web/tsconfig.json web/tsconfig.app.json

.PHONY: help venv deps docker node chromium dev test lint typecheck pytest fuzz clean \
	web-deps web-api web web-check web-size web-dev web-e2e FORCE

help:
	@echo "make dev      run the local stack (API and web app) on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test     ruff, mypy, the web app's checks (tsc, ESLint, Vitest, build, size), pytest (unit,"
	@echo "              integration, e2e including the browser tests)"
	@echo "make web-dev  the web app with hot reload on http://127.0.0.1:$(WEB_PORT), /api forwarded to"
	@echo "              the local stack on PORT (run \`make dev\` in another terminal)"
	@echo "make web-e2e  only the browser tests (Playwright + Debian's Chromium against a fresh local stack)"
	@echo "make fuzz     schemathesis against the local stack, 500 examples per operation (CS_FUZZ_EXAMPLES=...)"
	@echo "make deps     create $(VENV) and install requirements-dev.txt when it changed"
	@echo "make clean    remove caches (keeps $(VENV), web/node_modules and the local stack's data in .devstack/)"
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

node:
	@bash scripts/ensure-node.sh

chromium:
	@bash scripts/ensure-chromium.sh

# Playwright is a test library here: it never downloads a browser, the tests launch /usr/bin/chromium.
web-deps: $(WEB_DEPS_STAMP)

$(WEB_DEPS_STAMP): web/package.json web/package-lock.json | node
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Dumped from the code on every run (the file is only rewritten when the document changed), so a route or
# field that changes in the API regenerates the client types and breaks the web app's type check.
$(WEB_API_JSON): FORCE | $(DEPS_STAMP)
	@$(BIN)/python scripts/dump-openapi.py $@

$(WEB_API_TYPES): $(WEB_API_JSON) $(WEB_DEPS_STAMP)
	cd web && npm run --silent gen:api

web-api: $(WEB_API_TYPES)

$(WEB_BUILD): $(WEB_SOURCES) $(WEB_API_TYPES) $(WEB_DEPS_STAMP)
	cd web && npm run --silent build

web: $(WEB_BUILD)

web-check: $(WEB_API_TYPES)
	cd web && npm run --silent typecheck
	cd web && npm run --silent lint
	cd web && npm run --silent test

web-size: $(WEB_BUILD)
	cd web && npm run --silent size

web-dev: $(WEB_API_TYPES)
	@echo "web app with hot reload: http://127.0.0.1:$(WEB_PORT) (API: the local stack on http://127.0.0.1:$(PORT))"
	cd web && CS_API_URL=http://127.0.0.1:$(PORT) WEB_PORT=$(WEB_PORT) npm run --silent dev

web-e2e: deps docker chromium web
	$(BIN)/python -m pytest tests/e2e/test_web.py

FORCE:

dev: deps docker web
	$(BIN)/python -m devstack

lint: deps
	$(BIN)/ruff check .

typecheck: deps
	$(BIN)/mypy

pytest: deps docker chromium web
	$(BIN)/python -m pytest

test: lint typecheck web-check web-size pytest test-infra

# Long: every operation of the OpenAPI document, as a user and as the admin (tests/e2e/test_fuzz_api.py).
fuzz: deps docker
	CS_FUZZ_EXAMPLES=$${CS_FUZZ_EXAMPLES:-500} CS_FUZZ_BUDGET=$${CS_FUZZ_BUDGET:-3600} CS_FUZZ_SEED=$${CS_FUZZ_SEED:-$$RANDOM$$RANDOM} \
	  $(BIN)/python -m pytest tests/e2e/test_fuzz_api.py -q

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache web/test-results web/playwright-report
	find . -path ./$(VENV) -prune -o -path ./web/node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +
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

# Commonweal: `make demo` sets up and serves the demo borough; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := DJANGO_SETTINGS_MODULE=commonweal.settings.demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install build demo demo-load test bench lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json

install: $(STAMP) node_modules/.package-lock.json ## Create .venv and install Python and npm packages

build: install ## Compile the front end from npm packages and collect static files
	node frontend/build.mjs
	$(DEMO_ENV) $(BIN)/commonweal collectstatic --noinput --verbosity 0

demo-load: build ## Migrate the SQLite database and load the demo borough (idempotent)
	$(DEMO_ENV) $(BIN)/commonweal migrate --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/commonweal load_demo

demo: demo-load ## Set up everything and serve the demo borough on http://127.0.0.1:8000
	@echo "Serving the demo borough on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(DEMO_ENV) $(BIN)/commonweal serve --access-log --with-worker --bind $(HOST):$(PORT)

test: build ## Install what the tests need and run every test (unit, integration, browser)
	$(BIN)/pytest -n 2 --dist loadfile

bench: build ## Measure server times and throughput against baselines in the same run
	$(BIN)/python bench/run.py

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy commonweal

clean: ## Remove the virtual environment, built assets and the local database
	rm -rf $(VENV) node_modules commonweal/static/dist var

# Commonweal: `make demo` sets up and serves the demo borough; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := DJANGO_SETTINGS_MODULE=commonweal.settings.demo
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser tests' Chromium (tests/conftest.py reads the same variable).
CHROMIUM ?= $(or $(COMMONWEAL_CHROMIUM),/usr/bin/chromium)

.PHONY: help install build chromium demo demo-load test bench crawl lint clean

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

chromium: ## Install Chromium for the browser tests if it is missing (apt-get, as root); quiet when present
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "Browser tests will be skipped: no Chromium at $(CHROMIUM), and installing it needs root and apt-get (run: sudo apt-get install chromium)."; \
	else \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 \
	    || echo "Browser tests will be skipped: apt-get could not install chromium (no network or no package?)."; \
	fi

# worksteal: each worker takes half the tests in order and, when done, takes half of what the other has left, so
# both finish together. (loadfile ran files with the fewest tests last: the long one-test browser journeys kept one
# worker busy while the other sat idle.) A module's once-per-module data is loaded again only where it is split.
test: build chromium ## Install what the tests need (Chromium too) and run every test (unit, integration, browser)
	$(BIN)/pytest -n 2 --dist worksteal

bench: build ## Every benchmark at quick sizes (under 15 minutes), as ratios to baselines in the same run; BENCH_ARGS=--full for the issues' sizes
	$(BIN)/python bench/run.py $(BENCH_ARGS)

crawl: build ## Serve the demo borough and run axe on every page each role reaches, at desktop and phone widths
	$(BIN)/python bench/crawl.py

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy commonweal

clean: ## Remove the virtual environment, built assets and the local database
	rm -rf $(VENV) node_modules commonweal/static/dist var

# Meldcode-handboek: `make serve` and `make test` are all a new machine needs.
# Every target sets up what it needs: the virtual environment in .venv (pinned
# by requirements.lock), the npm packages (pinned by package-lock.json) and,
# for the tests, Debian's Chromium (the browser tests) and Java (the HTML check).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
# The engine that turns the pages into HTML: properdocs (default, D43), mkdocs or zensical (the same handbook).
ENGINE ?= properdocs

.PHONY: help setup build serve review test test-fast lint bench bench-quick chromium java lock clean publish dist linkcheck bench-serve screenshots

help:
	@echo "make serve   set up, build and serve the handbook at http://127.0.0.1:8000"
	@echo "make review ID=x  the review of an imported document at http://127.0.0.1:8001 (this computer only)"
	@echo "make test    set up and run every test (browser tests included)"
	@echo "make test-fast  the tests that need no built site and no browser (about a minute)"
	@echo "make lint    ruff over the Python code"
	@echo "make build   build the site into site/ (with a PDF per variant version); ENGINE=properdocs or zensical"
	@echo "make bench   print build, page-size, tool start-up and bytes (bench-quick: fewer runs)"
	@echo "make dist    build, check links, pack dist/meldcode-handboek-<edition>.tar.gz"
	@echo "make screenshots  build, then photograph pages for the README (screenshots/)"

$(VENV_STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime from GitHub when
# none is on the PATH; Java comes from Debian instead (`make java`). No other package we use
# has an install script.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV_STAMP) $(NODE_STAMP)

# The site (python -m generator build: the same as `mkdocs build`, `properdocs build` with
# ENGINE=properdocs, or Zensical's with ENGINE=zensical) with one PDF per variant version
# printed by Chromium (linked from the pages), built beside site/ and swapped in only when
# both succeeded: a failed build leaves the earlier site/ as it was. .build-cache/ keeps
# what the next build needs to make only what an edit of a variant changed (MkDocs and
# ProperDocs; D34).
BUILD_CACHE ?= .build-cache

build: setup chromium
	$(PY) -m generator build --engine $(ENGINE) --site-dir site --cache $(BUILD_CACHE) --pdfs

# MkDocs: `mkdocs serve --dirty` (an edit rebuilds what it changes, the page reloads), ProperDocs
# likewise (`properdocs serve --dirty`); Zensical: the built site, built again whole on an edit.
serve: build
	$(PY) -m generator serve --engine $(ENGINE)

# The review of an imported document (python -m generator import FILE --id ID): its blocks
# beside the handbook page, made again at every reload, at http://127.0.0.1:8001/ID.html, on
# this computer only; the page is .review/ID.html, never part of site/ (D42).
review: setup
	@test -n "$(ID)" || { echo "usage: make review ID=de-regenboog [VERSION=2024]"; exit 2; }
	$(PY) -m generator review $(ID) $(if $(VERSION),--version $(VERSION)) --serve

chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Chromium at $(CHROMIUM): install it with 'sudo apt-get install chromium'"; exit 1; \
	fi

# The Nu Html Checker (npm vnu-jar, tests/test_html.py) is a Java program: Debian's default
# Java runtime (/usr/share/man/man1 must exist for its install on slim images).
java:
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Java for the HTML check (apt-get install default-jre-headless)"; \
		mkdir -p /usr/share/man/man1; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "The HTML check needs Java (java on the PATH): install it with 'sudo apt-get install default-jre-headless'"; exit 1; \
	fi

# One pytest worker per core (pytest-xdist); the seed site is built once and shared.
PYTEST_WORKERS ?= auto

test: setup chromium java
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

# No Chromium, no built site, no PDFs: what a contributor runs before every commit.
test-fast: setup
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not site and not browser"

lint: setup
	$(BIN)/ruff check .

# BENCH_VARIANTS=5,1000,7000 (the default) sets the sizes of the build table.
bench: setup chromium
	$(PY) -m bench

# Only the seed build (no 1,000 or 7,000 variants), no PDFs, fewer runs (BENCH_RUNS, BENCH_THROTTLED_RUNS).
bench-quick: setup chromium
	$(PY) -m bench --quick

# The README's screenshots (a variant page and the comparison, laptop and phone),
# taken from the built site so they stay true.
screenshots: build
	$(PY) -m tools.screenshots site screenshots

# How long `mkdocs serve` takes to show an edited protocol with 1,000 variants.
bench-serve: setup
	$(PY) -m bench.serve_edit 1000

lock:
	$(PY) -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf site .site.* dist .pytest_cache $(BUILD_CACHE)

# Publish an edition with mike to the gh-pages branch of this repository
# (add PUSH=--push to push it): make publish EDITION=2026.2
EDITION ?=
publish: setup
	@test -n "$(EDITION)" || { echo "usage: make publish EDITION=2026.2"; exit 2; }
	PATH="$(CURDIR)/$(BIN):$$PATH" MELDCODE_EDITION=$(EDITION) MELDCODE_VERSION_PROVIDER=mike \
		$(BIN)/mike deploy $(PUSH) --update-aliases $(EDITION) latest
	$(BIN)/mike set-default $(PUSH) latest

# make dist [EDITION=2026.2]: build, check the links, then write
# dist/meldcode-handboek-<edition>.tar.gz with .gz/.br copies (README: Hosting).
ifneq ($(EDITION),)
export MELDCODE_EDITION := $(EDITION)
endif

dist: linkcheck
	$(PY) -m generator.release.dist site dist

linkcheck: build
	@mkdir -p dist
	$(PY) -m generator.release.linkcheck site --report dist/linkcheck.txt

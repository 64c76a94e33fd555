# Two commands on a fresh machine: `make demo` and `make test`.
# Needs Python 3.11+, Node.js with npm, Pango (libpango-1.0-0 and
# libpangoft2-1.0-0, for PDF reports) and, for the browser test, Chromium.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAO_VERSION ?= 8.0
SAO := .sao/package
# DB=sqlite (default, embedded) or DB=postgresql (server at PG_URI).
DB ?= sqlite
PG_URI ?= postgresql:///
DEMO_DB ?= water_demo
HOST ?= localhost
PORT ?= 8000
PREMISES ?= 2000
# Months of reads, bills and payments behind the demo district
HISTORY ?= 13
PYTEST_ARGS ?=

ifeq ($(DB),postgresql)
TEST_ENV := TRYTOND_DATABASE_URI=$(PG_URI) DB_NAME=test_water_utility
DEMO_DB_ARGS := --db-type postgresql --db-uri $(PG_URI)
else
TEST_ENV := TRYTOND_DATABASE_URI=sqlite:// DB_NAME=:memory:
DEMO_DB_ARGS := --db-type sqlite
endif

.PHONY: demo demo-build test install sao clean

$(VENV)/.installed: pyproject.toml
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
		echo "PDF reports need Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
		fi; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The web client: tryton-sao from npm ships a built dist/; its runtime
# dependencies are installed inside the unpacked package so index.html's
# node_modules/ paths resolve.  grunt-po2json (a dev dependency) pins an old
# grunt peer, hence --legacy-peer-deps.
$(SAO)/.installed:
	rm -rf .sao && mkdir -p .sao
	cd .sao && npm pack --silent tryton-sao@$(SAO_VERSION) && tar xzf tryton-sao-*.tgz
	cd $(SAO) && npm install --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error
	touch $@

sao: $(SAO)/.installed

# Build (or reuse) the demo district, then serve it with the web client.
demo: install sao
	$(PY) -m water_utility.demo $(DEMO_DB_ARGS) --database $(DEMO_DB) \
		--premises $(PREMISES) --history-months $(HISTORY) \
		--host $(HOST) --port $(PORT) --serve

# Build (or reuse) the demo district without starting the server.
demo-build: install sao
	$(PY) -m water_utility.demo $(DEMO_DB_ARGS) --database $(DEMO_DB) \
		--premises $(PREMISES) --history-months $(HISTORY) \
		--host $(HOST) --port $(PORT)

# The whole suite on SQLite (or DB=postgresql).  The scenario database cache
# is fresh for every run: a stale cache would hide changes to the module.
# On PostgreSQL the caches are template databases (copied in a fraction of
# a second, where a dump takes seconds to restore), dropped before and after.
ifeq ($(DB),postgresql)
test: install sao
	$(PY) -m water_utility.pg drop-test-caches $(PG_URI) && \
	trap '$(PY) -m water_utility.pg drop-test-caches $(PG_URI)' EXIT && \
	$(TEST_ENV) DB_CACHE=postgresql:// $(PY) -m pytest -p no:cacheprovider \
		-W ignore::DeprecationWarning --durations=15 $(PYTEST_ARGS) tests
else
test: install sao
	cache=$$(mktemp -d) && trap 'rm -rf "$$cache"' EXIT && \
	$(TEST_ENV) DB_CACHE=$$cache $(PY) -m pytest -p no:cacheprovider \
		-W ignore::DeprecationWarning --durations=15 $(PYTEST_ARGS) tests
endif

clean:
	rm -rf .demo .pytest_cache

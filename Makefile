# make run: a working web app on 127.0.0.1:8000 with demo data. make test: every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6.1 needs Python >= 3.12: take the first interpreter on this machine that has it.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
PG_URL ?= postgres://postgres@127.0.0.1:5432/cchc

.PHONY: run test venv lint test-sqlite test-postgres browser-deps migrate demo messages bench clean

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "Cần Python >= 3.12 (Django 6.1) / Python >= 3.12 is required"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $@

venv: $(VENV)/.installed

migrate: venv
	mkdir -p var
	$(BIN)/cchc compilemessages -v0 --ignore=.venv || true
	$(BIN)/cchc migrate -v0

demo: migrate
	$(BIN)/cchc load_demo

run: demo
	$(BIN)/cchc runserver 127.0.0.1:8000

messages: venv
	cd src/cchc && ../../$(BIN)/cchc makemessages -l vi -l en --ignore='*/tests/*'

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "chromium could not be installed: browser tests will fail"
	@command -v libreoffice >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null 2>&1; } || echo "libreoffice not installed: PDF rendering tests are skipped"

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	@# The import contract (pyproject.toml [tool.importlinter]): apps flow one way, views stay put.
	$(BIN)/lint-imports

test-sqlite: venv
	$(BIN)/cchc compilemessages -v0 --ignore=.venv
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider -m "not browser and not concurrency"
	@mkdir -p var
	@# Many requests at once in threads, each with its own connection: on a file too.
	env -u DATABASE_URL CCHC_TEST_SQLITE=$(CURDIR)/var/test-concurrency.sqlite3 \
		$(BIN)/pytest -q -p no:cacheprovider -m concurrency
	@# The browser tests' live server answers from several threads: on a file, as in production
	@# (an in-memory database is one connection that the threads would share).
	env -u DATABASE_URL CCHC_TEST_SQLITE=$(CURDIR)/var/test-browser.sqlite3 \
		$(BIN)/pytest -q -p no:cacheprovider -m browser

test-postgres: venv
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL pass"; DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not browser"; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL at 127.0.0.1:5432 does not answer, and CI requires it"; exit 1; \
	else echo "== PostgreSQL at 127.0.0.1:5432 does not answer: pass skipped"; fi

test: venv browser-deps lint test-sqlite test-postgres

bench: venv
	$(BIN)/python bench/stats.py

clean:
	rm -rf $(VENV) var/*.sqlite3 build src/*.egg-info

# Kring — the menu. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The web server and the settings (e-mailed links) must agree on the port.
export PORT
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

CHROMIUM ?= /usr/bin/chromium

.PHONY: run worker test browser lint format bench migrate demo clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Kring needs Python 3.11 ($(PYTHON)); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@# Compile the grouping engine once now (cached on disk): the first composition searches.
	$(BIN)/python -c "import engine.grouping; engine.grouping.warm_up()"
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

migrate: $(STAMP_RUN)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

## run: install, migrate SQLite in var/, load demo data, serve on http://127.0.0.1:$(PORT) with a worker
run: demo
	@echo "Kring: http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py serve --port $(PORT)

## worker: a background worker alone
worker: migrate
	$(BIN)/python manage.py db_worker --queue-name '*'

## browser: Debian's Chromium for the browser tests (installed when missing and we may)
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }

## test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(STAMP_DEV) browser
	$(BIN)/python -m pytest -n 2 -m "not browser"
	$(BIN)/python -m pytest -m browser

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP_DEV)
	$(BIN)/python bench/grouping_mdgplib.py
	$(BIN)/python bench/grouping_scale.py
	$(BIN)/python bench/scheduling.py
	@# Live sessions: 800 sockets on one server, then on two sharing Redis (127.0.0.1:6379).
	$(BIN)/python bench/live_fanout.py
	$(BIN)/python bench/live_fanout.py --servers 2

clean:
	rm -rf $(VENV) var

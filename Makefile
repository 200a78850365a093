# Training Hub — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
HTMX_VERSION ?= 2.0.4

.PHONY: run test install install-test migrate demo bench lint messages clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed static/vendor/htmx.min.js

install-test: $(VENV)/.installed-test

# HTMX is progressive enhancement only: fetched once from the npm registry when npm is present,
# served from /static (no CDN at run time). Pages work the same without it.
static/vendor/htmx.min.js:
	@mkdir -p static/vendor
	@if command -v npm >/dev/null 2>&1; then \
		tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null 2>&1 && \
		tar -xzf htmx.org-$(HTMX_VERSION).tgz) && cp $$tmp/package/dist/htmx.min.js $@ && rm -rf $$tmp \
		|| echo "htmx non scaricato: le pagine funzionano comunque senza JavaScript"; \
	else echo "npm non trovato: htmx non installato, le pagine funzionano comunque senza JavaScript"; fi

run: install
	TRAINING_HUB_MODE=$${TRAINING_HUB_MODE:-demo} $(BIN)/training-hub serve --demo --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -q

# The layers of DESIGN.md (import-linter contracts in pyproject.toml); CI runs it too.
lint: install-test
	$(BIN)/lint-imports

migrate: install
	$(BIN)/training-hub migrate

demo: install
	$(BIN)/training-hub demo

bench: install
	$(BIN)/python -m bench.run

# pybabel extract + update for each domain (one per feature, see training_hub/i18n_catalog.py), then
# lists the strings still to translate.
messages: install-test
	$(BIN)/python -m training_hub.i18n_catalog

clean-db:
	rm -f training_hub.sqlite3 training_hub.sqlite3-wal training_hub.sqlite3-shm

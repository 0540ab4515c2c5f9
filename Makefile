# Guichet: every target installs what it needs on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := guichet.config.settings
LOCALES := fr ro

.PHONY: install run test e2e lint messages compile-messages serve-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,semantic]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues are build output (.gitignore); babel compiles them without gettext.
compile-messages: $(VENV)/.installed
	@for lang in $(LOCALES); do \
	  $(BIN)/pybabel compile -D django -d src/guichet/locale -l $$lang || exit 1; \
	done

install: $(VENV)/.installed node_modules/.installed compile-messages

run: install
	DEBUG=1 $(BIN)/guichet migrate --no-input
	DEBUG=1 $(BIN)/guichet seed_demo
	DEBUG=1 $(BIN)/guichet runserver 127.0.0.1:8000

# The whole suite: SQLite by default, the database of DATABASE_URL when it is set.
test: install
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} FAST_PASSWORD_HASHER=1 \
	  $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

e2e: install
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} FAST_PASSWORD_HASHER=1 \
	  $(BIN)/pytest -p no:cacheprovider -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	SECRET_KEY=lint $(BIN)/mypy src

# Extract strings into the fr/ro catalogues (needs GNU gettext), then compile.
messages: install
	@command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	cd src/guichet && SECRET_KEY=messages ../../$(BIN)/guichet makemessages --no-obsolete \
	  $(foreach l,$(LOCALES),-l $(l)) -i 'help/content/*' --no-location
	$(MAKE) compile-messages

clean:
	rm -rf $(VENV) node_modules var/test-* .pytest_cache .mypy_cache .ruff_cache

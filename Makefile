# Guichet: every target installs what it needs on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := guichet.config.settings
LOCALES := fr nl ro

.PHONY: install system-packages run test e2e lint messages compile-messages clean

# Debian packages the portal and its tests use, as package:file-it-provides. Installed when
# missing and we are root; otherwise listed, and the tests needing one skip (fail under CI=true).
SYSTEM_PACKAGES := chromium:/usr/bin/chromium poppler-utils:/usr/bin/pdftotext gettext:/usr/bin/msgfmt \
	openssl:/usr/bin/openssl fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
	softhsm2:/usr/lib/softhsm/libsofthsm2.so nginx-light:/usr/sbin/nginx
# Test processes: one per core (pytest-xdist); TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

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

system-packages:
	@missing=""; for spec in $(SYSTEM_PACKAGES); do \
	  [ -e "$${spec#*:}" ] || missing="$$missing $${spec%%:*}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "NOTICE: missing system packages:$$missing (install them as root; their tests are skipped)"; \
	fi

run: install system-packages
	DEBUG=1 $(BIN)/guichet migrate --no-input
	DEBUG=1 $(BIN)/guichet seed_demo
	DEBUG=1 $(BIN)/guichet build_search_index
	DEBUG=1 $(BIN)/guichet runserver 127.0.0.1:8000

# The whole suite: SQLite by default, the database of DATABASE_URL when it is set.
# Tests run in one process each with DEBUG off: the in-process cache is said explicitly (settings).
test: install system-packages
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} CACHE_URL=$${CACHE_URL:-locmem:} FAST_PASSWORD_HASHER=1 \
	  $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) $(PYTEST_ARGS)

e2e: install system-packages
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} CACHE_URL=$${CACHE_URL:-locmem:} FAST_PASSWORD_HASHER=1 \
	  $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	@# Dead code: functions, methods, classes and imports nothing calls (model fields and template
	@# context, which vulture cannot follow, are not checked). Kept on purpose: vulture_whitelist.py.
	@! $(BIN)/vulture | grep -E "unused (function|method|class|import|property)"
	SECRET_KEY=lint CACHE_URL=locmem: $(BIN)/mypy src

# Extract strings into the fr/nl/ro catalogues (needs GNU gettext), then compile.
messages: install system-packages
	cd src/guichet && SECRET_KEY=messages ../../$(BIN)/guichet makemessages --no-obsolete \
	  $(foreach l,$(LOCALES),-l $(l)) -i 'help/content/*' --no-location
	$(MAKE) compile-messages

clean:
	rm -rf $(VENV) node_modules var/test-* .pytest_cache .mypy_cache .ruff_cache

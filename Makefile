# event-ops: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install messages run test test-sqlite test-postgres lint browser check-deploy bench clean

$(BIN)/eventops: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# Compiled catalogs (.mo, not checked in) for the visitors' languages.
install: $(BIN)/eventops
	$(BIN)/python scripts/messages.py --compile-only

# The gettext catalogs (event_ops/locale): the .pot and nl/en .po from the (nl, en) tuples,
# the translators' catalogs updated (a changed Dutch text becomes fuzzy), all compiled.
messages: $(BIN)/eventops
	$(BIN)/python scripts/messages.py

run: install
	$(BIN)/eventops migrate
	$(BIN)/eventops demo
	$(BIN)/eventops serve --host 127.0.0.1 --port 8000

# Headless Chromium for the browser tests, from Debian's packages (never a downloaded build).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: /usr/bin/chromium missing (apt-get install chromium); browser tests will skip"; fi; \
	fi

# The example deployment files (deploy/): caddy validate, nginx -t, systemd-analyze verify.
# The validators come from Debian's packages, installed here when missing (as root).
check-deploy: install
	@if ! command -v caddy >/dev/null || ! command -v nginx >/dev/null || ! command -v openssl >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy nginx openssl >/dev/null; \
	  else echo "check-deploy needs caddy, nginx and openssl (apt-get install caddy nginx openssl)"; exit 1; fi; \
	fi
	@command -v systemd-analyze >/dev/null || { echo "check-deploy needs systemd-analyze (systemd)"; exit 1; }
	VENV=$(VENV) sh deploy/check.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: install browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-postgres: install
	EVENTOPS_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"

test: lint check-deploy test-sqlite test-postgres

bench: install
	$(BIN)/python -m benchmarks.registration

clean:
	rm -rf $(VENV) var

# Newsdesk: `make serve` runs the app on http://127.0.0.1:8000 with the sample data; `make test` runs
# every test. Both create the virtualenv they need; running them again is safe and fast.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: serve test venv browser data bench-import bench-web clean

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(INSTALLED)

# Sample data into the SQLite database (db.sqlite3): reference data, then every article in fixtures/.
data: venv
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 $(BIN)/python manage.py import_articles fixtures

serve: data
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests need Debian's Chromium; install it when we can (root with apt), fail loudly if not.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  fi; }
	@test -x $(CHROMIUM) || { echo "ERROR: $(CHROMIUM) is missing: install Debian's chromium package (apt-get install chromium) to run the browser tests." >&2; exit 1; }

# Runs on the database DATABASE_URL names (SQLite when unset).
test: venv browser
	SECRET_KEY=$${SECRET_KEY:-check-only} $(BIN)/python manage.py check
	$(BIN)/python -m pytest

bench-import: venv
	$(BIN)/python scripts/bench_import.py

bench-web: venv
	$(BIN)/python scripts/bench_web.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles

# Newsdesk: `make serve` runs the app on http://127.0.0.1:8000 with the sample data; `make test` runs
# every test. Both create the virtualenv they need; running them again is safe and fast.
# The interpreter the virtualenv is made with: the system's python3 (Debian's, built with
# profile-guided optimisation and LTO) when it is 3.11 or newer and can make virtualenvs, else the
# python3 on PATH. The importer is pure Python: on Debian's build it needs a quarter less CPU than
# on an interpreter built without those optimisations, such as pyenv's default build.
SYSTEM_PYTHON := /usr/bin/python3
PYTHON ?= $(shell $(SYSTEM_PYTHON) -c 'import ensurepip, sys, venv; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(SYSTEM_PYTHON) || echo python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
# The Redis database the views' tests use as the shared cache (each test's keys have a prefix of
# their own, so runs sharing it never clash).
TEST_CACHE_URL ?= redis://127.0.0.1:6379/1

.PHONY: serve test venv browser redis data bench-import bench-web clean

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

# The views' tests run once more with the cache in Redis; start a local Redis when there is none.
REDIS_PING = $(BIN)/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" $(TEST_CACHE_URL)
redis: venv
	@$(REDIS_PING) 2>/dev/null || { \
	  if command -v redis-server >/dev/null; then \
	    echo "Starting a local Redis for the cache tests..."; \
	    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; sleep 1; \
	  fi; }
	@$(REDIS_PING) 2>/dev/null || { echo "ERROR: no Redis at $(TEST_CACHE_URL): install Debian's redis-server package, or set TEST_CACHE_URL." >&2; exit 1; }

# Runs on the database DATABASE_URL names (SQLite when unset), then the views' tests again with
# the cache in Redis, as when several app servers share one (CACHE_URL).
test: venv browser redis
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=$${SECRET_KEY:-check-only} $(BIN)/python manage.py check
	$(BIN)/python -m pytest
	CACHE_URL=$(TEST_CACHE_URL) $(BIN)/python -m pytest -q tests/test_views_*.py

bench-import: venv
	$(BIN)/python scripts/bench_import.py

bench-web: venv
	$(BIN)/python scripts/bench_web.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles

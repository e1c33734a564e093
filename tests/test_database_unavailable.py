"""When the database is read-only or cannot be opened, pages answer 503 saying so, not a bare 500.

Each case runs the site in a subprocess against a database made unavailable for real: a SQLite
file opened read-only by SQLite itself (`mode=ro`: the tests run as root, which file permissions
would not stop), a file that cannot be opened, a PostgreSQL database whose transactions are all
read-only, and a PostgreSQL server that is not there.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, InterfaceError, InternalError, OperationalError, connection

from statements.middleware import is_database_unavailable, server_error

ROOT = Path(__file__).resolve().parents[1]
UNSET = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "CACHE_DIR")

# Serves the requests through Django's test client, in a fresh process whose only database is
# DATABASE_NAME (a SQLite URI) or DATABASE_URL, and prints status and body of each.
SERVE = """
import json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
django.setup()
from django.conf import settings
# As in tests/conftest.py: the source static files rather than collectstatic's manifest.
settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if os.environ.get("DATABASE_NAME"):
    settings.DATABASES["default"]["NAME"] = os.environ["DATABASE_NAME"]
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
answers = []
for method, url, data in json.loads(sys.argv[1]):
    response = getattr(client, method)(url, data)
    answers.append([response.status_code, response.content.decode()])
print(json.dumps(answers))
"""


def environment(**extra):
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {**clean, "SECRET_KEY": "test-only", "SECURE_SSL_REDIRECT": "False", **extra}


def serve(requests, **env):
    result = subprocess.run(
        [sys.executable, "-c", SERVE, json.dumps(requests)],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    """A migrated SQLite database with one curator, written by another process and closed."""
    path = tmp_path_factory.mktemp("readonly") / "newsdesk.sqlite3"
    env = environment(DATABASE_URL=f"sqlite:///{path}")
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        [
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_user('curator', password='the-right-password', is_staff=True)",
        ],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120)
    return path


def assert_database_unavailable_page(answer):
    status, body = answer
    assert status == 503
    assert "The database is unavailable" in body


def test_a_read_only_database_still_serves_pages_but_a_login_is_a_503_that_says_so(sqlite_file):
    login = {"username": "curator", "password": "the-right-password"}
    quotes, login_page, logged_in = serve(
        [
            ["get", "/quotes/", {}],
            ["get", "/admin/login/", {}],
            ["post", "/admin/login/?next=/admin/", login],
        ],
        DATABASE_NAME=f"file:{sqlite_file}?mode=ro",
    )
    assert quotes[0] == 200
    assert login_page[0] == 200
    assert_database_unavailable_page(logged_in)


def test_a_database_that_cannot_be_opened_makes_every_page_a_503_that_says_so(tmp_path):
    missing = tmp_path / "no-such-folder" / "newsdesk.sqlite3"
    login = {"username": "curator", "password": "the-right-password"}
    answers = serve(
        [["get", "/", {}], ["get", "/quotes/?q=ceasefire", {}], ["post", "/admin/login/", login]],
        DATABASE_NAME=f"file:{missing}?mode=ro",
    )
    for answer in answers:
        assert_database_unavailable_page(answer)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on the PostgreSQL test database")
def test_a_read_only_postgresql_database_serves_pages_but_a_login_is_a_503(transactional_db):
    # As on a standby, or a database an operator made read-only: every transaction is read-only.
    User.objects.create_user("curator", password="the-right-password", is_staff=True)
    db = connection.settings_dict
    read_only = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?options=" + quote(
        "-c default_transaction_read_only=on"
    )
    login = {"username": "curator", "password": "the-right-password"}
    quotes, logged_in = serve(
        [["get", "/quotes/", {}], ["post", "/admin/login/?next=/admin/", login]], DATABASE_URL=read_only
    )
    assert quotes[0] == 200
    assert_database_unavailable_page(logged_in)


def test_a_postgresql_server_that_does_not_answer_makes_pages_a_503():
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    home, healthz = serve(
        [["get", "/", {}], ["get", "/healthz", {}]],
        DATABASE_URL="postgres://postgres@127.0.0.1:9/newsdesk",
        CONN_MAX_AGE="0",
    )
    assert_database_unavailable_page(home)
    assert healthz[0] == 503


@pytest.mark.parametrize(
    "error, unavailable",
    [
        (OperationalError("attempt to write a readonly database"), True),
        (OperationalError("unable to open database file"), True),
        (OperationalError("database is locked"), True),
        (OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed'), True),
        (InterfaceError("connection already closed"), True),
        (InternalError("cannot execute INSERT in a read-only transaction"), True),
        # A query the schema cannot answer is a bug or a missing migration: a 500 with its traceback.
        (OperationalError("no such table: statements_quote"), False),
        (OperationalError('near "FROM": syntax error'), False),
        (DataError("value too long for type character varying(200)"), False),
        (IntegrityError("UNIQUE constraint failed: statements_speaker.slug"), False),
    ],
    ids=str,
)
def test_which_database_errors_mean_the_database_is_unavailable(error, unavailable):
    assert is_database_unavailable(error) is unavailable


def test_a_database_failure_outside_any_view_is_the_503_page_too(rf):
    # Django calls handler500 while handling the exception, e.g. the session failing to save.
    request = rf.get("/")
    try:
        raise OperationalError("attempt to write a readonly database")
    except OperationalError:
        response = server_error(request)
    assert_database_unavailable_page([response.status_code, response.content.decode()])
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500

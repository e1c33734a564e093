import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Variables the test run sets that a production environment would not have.
UNSET = (
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "CACHE_URL",
    "CACHE_DIR",
)
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k8#Vq2!pX9zR4mL7wT1yB6nC3dF0gH5jK8lQ2sA9xE4uI7oP1rZ6tY3vN0bM5cW2",
    "ALLOWED_HOSTS": "newsdesk.example.org",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    result = subprocess.run(
        [sys.executable, "-c", "import newsdesk.wsgi"],
        cwd=ROOT,
        env={**clean, "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
    assert manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0").returncode != 0


def test_production_switches_can_be_turned_off_for_plain_http_on_loopback():
    code = "from django.conf import settings as s; print('switches', s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    result = manage("shell", "-c", code, **PRODUCTION_ENV, SECURE_SSL_REDIRECT="False")
    assert "switches False True" in result.stdout


@pytest.mark.django_db
def test_healthz_reports_the_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_cache_dir_shares_the_cache_between_processes(tmp_path):
    code = (
        "from django.core.cache import caches; caches['default'].set('shared', 'by every worker'); "
        "print(caches['default'].__class__.__name__)"
    )
    result = manage("shell", "-c", code, **PRODUCTION_ENV, CACHE_DIR=str(tmp_path))
    assert result.stdout.split()[-1] == "FileBasedCache", result.stderr
    other = manage(
        "shell",
        "-c",
        "from django.core.cache import cache; print(cache.get('shared'))",
        **PRODUCTION_ENV,
        CACHE_DIR=str(tmp_path),
    )
    assert other.stdout.strip().endswith("by every worker"), other.stderr


@pytest.mark.parametrize(
    "name, value",
    [
        ("SECURE_SSL_REDIRECT", "flase"),
        ("DEBUG", "yes please"),
        ("CACHE_TIMEOUT", "5m"),
        ("AXES_FAILURE_LIMIT", "five"),
    ],
)
def test_a_setting_that_is_not_a_yes_no_or_a_number_stops_the_start(name, value):
    result = manage("check", **{**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be" in result.stderr and repr(value) in result.stderr


def test_yes_no_settings_take_the_usual_words():
    code = (
        "from django.conf import settings as s; "
        "print('switches', s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        **PRODUCTION_ENV,
        SECURE_SSL_REDIRECT="off",
        SESSION_COOKIE_SECURE="No",
        CSRF_COOKIE_SECURE=" 1 ",
    )
    assert "switches False False True" in result.stdout, result.stderr


def test_the_login_lockout_limits_come_from_the_environment():
    code = (
        "from django.conf import settings as s; print('lockout', s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    assert "lockout 5 0:15:00" in manage("shell", "-c", code, **PRODUCTION_ENV).stdout
    result = manage("shell", "-c", code, **PRODUCTION_ENV, AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60")
    assert "lockout 3 1:00:00" in result.stdout, result.stderr


def test_cache_url_shares_the_cache_between_app_servers_through_redis():
    prefix = f"test-settings-{os.getpid()}"
    env = {**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/1", "CACHE_KEY_PREFIX": prefix}
    code = (
        "from django.core.cache import cache; cache.set('shared', 'by every server', 30); "
        "print(cache._cache.__class__.__name__)"
    )
    result = manage("shell", "-c", code, **env)
    assert result.stdout.split()[-1] == "RedisCacheClient", result.stderr
    other = manage("shell", "-c", "from django.core.cache import cache; print(cache.get('shared'))", **env)
    assert other.stdout.strip().endswith("by every server"), other.stderr


def test_a_cache_url_that_is_not_redis_stops_the_start():
    result = manage("check", **PRODUCTION_ENV, CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0 and "CACHE_URL must be a Redis URL" in result.stderr


def test_only_the_browser_tests_allow_database_calls_beside_an_event_loop():
    # Set by tests/e2e/conftest.py for the browser tests alone; elsewhere Django's check stands.
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ

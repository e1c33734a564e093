import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Variables the test run sets that a production environment would not have.
UNSET = ("SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
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
        [sys.executable, "-c", "import newsdesk.wsgi"], cwd=ROOT, env={**clean, "DEBUG": "0"},
        capture_output=True, text=True, timeout=120,
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
    other = manage("shell", "-c", "from django.core.cache import cache; print(cache.get('shared'))",
                   **PRODUCTION_ENV, CACHE_DIR=str(tmp_path))
    assert other.stdout.strip().endswith("by every worker"), other.stderr


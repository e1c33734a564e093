"""Brute-force protection of the admin login (django-axes, settings AXES_*)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def curator(db):
    return User.objects.create_user("curator", password="the-right-password", is_staff=True)


def log_in(client, password, username="curator"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_right_password_logs_a_curator_in(client, curator):
    response = log_in(client, "the-right-password")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_the_lockout_page(
    client, curator, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert log_in(client, "guess").status_code == 200  # the login form again, with its error
    locked = log_in(client, "guess")
    assert locked.status_code == 429

    response = log_in(client, "the-right-password")
    assert response.status_code == 429
    assert b"Account locked" in response.content
    assert b"15 minutes" in response.content
    assert client.get("/admin/").status_code == 302  # not logged in


def test_the_lockout_is_for_that_username_not_for_others(client, curator):
    User.objects.create_user("colleague", password="another-password", is_staff=True)
    for _ in range(5):
        log_in(client, "guess")
    assert log_in(client, "another-password", username="colleague").status_code == 302


def test_an_admin_reset_lets_the_curator_in_again(client, curator):
    for _ in range(5):
        log_in(client, "guess")
    assert log_in(client, "the-right-password").status_code == 429
    call_command("axes_reset_username", "curator")
    assert log_in(client, "the-right-password").status_code == 302


def test_failed_attempts_are_listed_in_the_admin_for_a_superuser_to_delete(client, curator):
    for _ in range(5):
        log_in(client, "guess")
    admin = User.objects.create_superuser("root", password="pw-for-tests-only")
    client.force_login(admin)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert b"curator" in response.content

"""What every response tells the browser, and requests refused at the door."""

import re

import pytest
from django.contrib.auth.models import User


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/quotes/?q=ceasefire", "/admin/login/"])
def test_pages_allow_only_this_sites_scripts_styles_and_images(client, url):
    response = client.get(url)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no CDN
    assert directives["style-src"] == ["'self'"]  # no inline style
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_pages_deny_the_camera_microphone_location_payment_and_usb(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_pages_refuse_framing_sniffing_and_leaking_the_address(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/about/", "/speakers/", "/events/"])
def test_our_pages_have_no_inline_script_or_style_that_the_policy_would_block(client, url):
    content = client.get(url).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert not re.search(r"<style|\sstyle=", content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/quotes/?q=%00",
        "/quotes/?country=%00RUS",
        "/quotes/?%00=1",
        "/speakers/?q=a%00b",
        "/quotes/?format=csv&q=%00",
    ],
)
def test_a_nul_anywhere_in_the_query_string_is_a_bad_request(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_a_bad_request(client):
    User.objects.create_user("curator", password="the-right-password", is_staff=True)
    response = client.post("/admin/login/", {"username": "curator\x00", "password": "the-right-password"})
    assert response.status_code == 400

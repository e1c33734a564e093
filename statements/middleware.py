"""Requests the site refuses before any view runs, and the page shown when the database is down."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views import defaults

NUL = "\x00"

logger = logging.getLogger(__name__)

# SQLite reports a query the schema cannot answer (a missing migration, a bug) as an
# OperationalError too: that is a 500 with its traceback, not an unavailable database.
SCHEMA_ERRORS = ("no such table", "no such column", "syntax error", 'near "')


def contains_nul(query_dict):
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class RefuseNulMiddleware:
    """A NUL character is never part of a search, a filter value or a form field here. Refused at
    the door with a 400, it never reaches a query, where PostgreSQL rejects it with a DataError (a
    500) and SQLite would compare it silently. (A path with a NUL matches no URL pattern: a 404.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if contains_nul(request.GET) or contains_nul(request.POST):
            return HttpResponseBadRequest(
                "A NUL character in the address or form.", content_type="text/plain"
            )
        return self.get_response(request)


def is_database_unavailable(exc):
    """The database cannot be reached, opened or written (a read-only SQLite file or folder, a
    PostgreSQL standby, a server that is down): not a bug in a query, so the visitor is told to
    come back later."""
    if not isinstance(exc, (DatabaseError, InterfaceError)):
        return False
    message = str(exc).lower()
    if isinstance(exc, (OperationalError, InterfaceError)):
        return not any(words in message for words in SCHEMA_ERRORS)
    return any(words in message for words in ("read-only", "readonly", "read only"))


def database_unavailable_response(exc):
    logger.error("The database is unavailable: %s: %s", exc.__class__.__name__, exc)
    # Rendered without a request: context processors (the user, the session) would ask the database.
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "60"
    return response


class DatabaseUnavailableMiddleware:
    """A view or template that fails because the database is unavailable answers 503 with a page
    saying so, as /healthz does, instead of a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response(exception)
        return None


def server_error(request):
    """handler500: the same 503 for a database failure outside any view (a middleware saving the
    session, say); Django's plain 500 otherwise."""
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable_response(exception)
    return defaults.server_error(request)


class PrivateForSessionsMiddleware:
    """A response to a browser with a session (a logged-in editor) may hold what only staff see
    (the "Edit" links): `Cache-Control: private`, so no shared cache keeps it for someone else.
    Reads the cookie, not the user, so it costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
        return response

"""Whole quote-list pages for visitors who are not signed in, kept until anything they show changes.

A list a visitor asks for again (the front page, a shared link, the back button) is the same page
for everyone who is not signed in, and rendering it costs 40-55 ms of CPU at a million quotes.
A kept page is found by:

- the data's stamp (counting.stamp: the last change the database's triggers logged, and the
  highest quote id): an import, a quote rejected, retagged or given another speaker, an article's
  outlet, a renamed topic or country;
- a content token, renewed whenever a model of this app is saved or deleted, or its many-to-many
  links change (Django's signals): an editor's change in the admin to anything a page shows;
- the page's address.
So a kept page is never older than the data it shows. Staff, exports, anything but a plain HTML
page, and a page counted with SQL while the counting index is still being built (its facets are of
a sample) are never kept.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse

from statements import counting

TOKEN_KEY = "pages:content-token"


def content_token():
    """The token of the content as of the last change an editor made (a new one when none is
    kept, after a restart with a local cache or a cache that dropped it)."""
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(TOKEN_KEY, token, timeout=None)
        token = cache.get(TOKEN_KEY, token)
    return token


def content_changed(sender, **kwargs):
    """A signal receiver (apps.py): a model of this app was saved, deleted or relinked."""
    if sender._meta.app_label == "statements":
        cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def page_key(request):
    """The key a visitor's page is kept by, or None when the database cannot say its stamp."""
    if not counting.has_change_log():
        return None
    try:
        with connection.cursor() as cursor:
            last_change, max_id = counting.stamp(cursor)
    except DatabaseError:
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pages:{content_token()}:{last_change}:{max_id}:{address}"


def kept_for_visitors(view):
    """Keeps the pages `view` gives visitors who are not signed in (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE or request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            getattr(request, "keep_page", True)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies  # a page that sets a cookie is that visitor's
            and content_type.startswith("text/html")
        ):
            cache.set(key, (response.content, content_type))
        return response

    return wrapped

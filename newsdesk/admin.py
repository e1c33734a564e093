"""The curation admin's site and its login protection.

Only the admin has logins, so the lockout after repeated wrong passwords (django-axes) lives here.
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseBadRequest
from django.shortcuts import render

# Every model's primary key is a BigAutoField: a selected row id outside this range, or not a
# number at all, can name no row, and would fail inside the database query (an overflow on SQLite,
# a type error everywhere) instead of being refused.
LARGEST_ROW_ID = 2**63 - 1


def is_row_id(value):
    return value.isascii() and value.isdigit() and 0 < int(value) <= LARGEST_ROW_ID


class NewsdeskAdminSite(admin.AdminSite):
    site_header = "Newsdesk curation"
    site_title = "Newsdesk admin"

    def admin_view(self, view, cacheable=False):
        """Every admin page refuses an action on a selection that is not a list of row ids (a
        hand-made POST): the changelist would otherwise pass them to `pk__in` and fail with a 500."""

        @wraps(view)
        def checked_view(request, *args, **kwargs):
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
            if not all(is_row_id(value) for value in selected):
                return HttpResponseBadRequest("The selection must be row ids.", content_type="text/plain")
            return view(request, *args, **kwargs)

        return super().admin_view(checked_view, cacheable)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check that the username and address are not locked out, for logins through a
    request (the admin's login form). A login without a request (a script, the test client) has no
    address to lock out, and is left to the next backend instead of being refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out login sees (AXES_LOCKOUT_CALLABLE): that the account is locked, for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Account locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }
    # Rendered now: django-axes returns it from a middleware, after the view stage.
    return render(request, "admin/locked_out.html", context, status=429)

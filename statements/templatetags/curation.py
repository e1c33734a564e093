"""The staff-only "Edit" link on public pages, to the admin page that changes what the page shows.

Only `user.is_staff` decides, which the footer's "Curation" link reads already: no query is added
for anyone (an anonymous visitor's user is read without one). Pages that read the user vary on the
session cookie (Django's SessionMiddleware says so in `Vary: Cookie`), and PrivateForSessions marks
every response to a logged-in browser private, so no shared cache hands a staff page to the public.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def edit_link(context, obj, label="Edit"):
    user = context.get("user")
    if obj is None or user is None or not user.is_staff:
        return ""
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html(
        '<a class="edit-link" href="{}" rel="nofollow">{}'
        '<span class="visually-hidden"> this {} in the admin</span></a>',
        url,
        label,
        meta.verbose_name,
    )

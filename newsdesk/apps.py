from django.contrib.admin.apps import AdminConfig


class NewsdeskAdminConfig(AdminConfig):
    """django.contrib.admin, with newsdesk.admin.NewsdeskAdminSite as `admin.site`."""

    default_site = "newsdesk.admin.NewsdeskAdminSite"

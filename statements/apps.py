from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statements"
    verbose_name = "Statements"

    def ready(self):
        from statements import lookups  # noqa: F401 - registers the `any` lookup
        from statements.signals import create_editors_group

        post_migrate.connect(create_editors_group, sender=self)

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statements"
    verbose_name = "Statements"

    def ready(self):
        from statements import lookups  # noqa: F401 - registers the `any` lookup
        from statements.counting import install_triggers
        from statements.signals import create_editors_group

        post_migrate.connect(create_editors_group, sender=self)
        # After every migrate: on SQLite a migration that rebuilds a table drops its triggers.
        post_migrate.connect(install_triggers, sender=self)

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save


class StatementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statements"
    verbose_name = "Statements"

    def ready(self):
        from statements import lookups  # noqa: F401 - registers the `any` lookup
        from statements.counting import install_triggers
        from statements.models import Quote
        from statements.pagecache import content_changed
        from statements.signals import create_editors_group, regroup_changed_quote, remember_grouping_fields

        post_migrate.connect(create_editors_group, sender=self)
        # After every migrate: on SQLite a migration that rebuilds a table drops its triggers.
        post_migrate.connect(install_triggers, sender=self)
        # An editor's change to a quote regroups it (statement grouping).
        pre_save.connect(remember_grouping_fields, sender=Quote)
        post_save.connect(regroup_changed_quote, sender=Quote)
        # Any change an editor makes renews the token the quote lists kept for visitors go by.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid=f"pages-{id(signal)}")

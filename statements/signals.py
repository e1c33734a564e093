from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

# Permissions beyond a model's view/add/change/delete. Merging speakers deletes all but one, yet
# editors may not delete a speaker on its own (its quotes would lose their speaker).
EXTRA_PERMISSIONS = {"speaker": [("merge", "Can merge speakers")]}

EDITOR_PERMISSIONS = {
    "quote": ["view", "change", "delete"],
    "quoteevent": ["view", "add", "change", "delete"],
    "speaker": ["view", "add", "change", "merge"],
    "article": ["view", "change"],
    "event": ["view", "add", "change", "delete"],
    "topic": ["view", "add", "change"],
    "organisation": ["view", "add", "change"],
    "country": ["view"],
}


def create_editors_group(sender, **kwargs):
    """The "Editors" group: curate quotes, speakers, events and topics; never users or settings."""
    for model, extras in EXTRA_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="statements", model=model)
        for action, name in extras:
            Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": name}
            )
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="statements", codename__in=codenames)
    group.permissions.add(*permissions)


# --- statements: an editor's change to a quote regroups it (ingest/grouping.py) -------------------

# What a quote's statement depends on: who, what and when decide the grouping; review status and
# kind decide which report is the primary one.
GROUPING_FIELDS = ("speaker_id", "text", "said_on", "status", "kind")


def remember_grouping_fields(sender, instance, raw=False, **kwargs):
    """pre_save: the quote's grouping fields as stored, for regroup_changed_quote to compare."""
    if raw or instance.pk is None:
        return
    instance._grouping_before = sender.objects.filter(pk=instance.pk).values_list(*GROUPING_FIELDS).first()


def regroup_changed_quote(sender, instance, created, raw=False, **kwargs):
    """post_save: a quote whose speaker, words or date an editor changed is grouped again; one
    whose status or kind changed gets its statement summed up again (a rejected report is never
    the one a statement is listed by). The importer writes in bulk and sends no signal."""
    from statements.ingest.store import refresh_statements, regroup_quote

    before = getattr(instance, "_grouping_before", None)
    if created or raw or before is None:
        return
    now = tuple(getattr(instance, field) for field in GROUPING_FIELDS)
    if now == before:
        return
    if now[:3] != before[:3]:
        regroup_quote(instance)
    elif instance.statement_id:
        refresh_statements([instance.statement_id])

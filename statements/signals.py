from django.contrib.auth.models import Group, Permission

EDITOR_PERMISSIONS = {
    "quote": ["view", "change", "delete"],
    "quoteevent": ["view", "add", "change", "delete"],
    "speaker": ["view", "add", "change"],
    "article": ["view", "change"],
    "event": ["view", "add", "change", "delete"],
    "topic": ["view", "add", "change"],
    "organisation": ["view", "add", "change"],
    "country": ["view"],
}


def create_editors_group(sender, **kwargs):
    """The "Editors" group: curate quotes, speakers, events and topics; never users or settings."""
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="statements", codename__in=codenames)
    group.permissions.add(*permissions)

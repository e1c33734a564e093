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

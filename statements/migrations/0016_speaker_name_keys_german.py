from django.db import migrations

from statements import names


def refill_keys(apps, schema_editor):
    """The name keys again, now that German transliterations (Konaschenkow, Gorbatschow) share
    the English ones' keys (statements/names.py)."""
    Speaker = apps.get_model("statements", "Speaker")
    SpeakerNameKey = apps.get_model("statements", "SpeakerNameKey")
    SpeakerNameKey.objects.all().delete()
    rows = []
    for pk, name, aliases in Speaker.objects.values_list("pk", "name", "aliases").iterator(chunk_size=2000):
        rows += [SpeakerNameKey(speaker_id=pk, key=key) for key in names.name_keys(name, aliases or [])]
        if len(rows) >= 5000:
            SpeakerNameKey.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    SpeakerNameKey.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0015_speaker_name_keys"),
    ]

    operations = [
        migrations.RunPython(refill_keys, migrations.RunPython.noop),
    ]

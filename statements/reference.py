"""Curated reference data: countries, organisations, topics and events.

The JSON files in fixtures/reference/ seed the database; after that the admin owns the rows. Loading
therefore only creates what is missing (matched by code, name or slug) and never changes a row an
editor may have edited. The importer calls `seed_reference_data` itself, so `import_articles` works
right after `migrate`, and two importers may start at once (they take turns: take_import_lock).

- seed_reference_data(): fixtures/reference/*.json -> the rows the database lacks.
- reference_for_extraction(): the database's rows -> the pipeline's Reference (pipeline.py).
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from statements.ingest.pipeline import Reference
from statements.ingest.store import take_import_lock
from statements.models import Country, Event, Organisation, Topic, unique_slug

REFERENCE_FILES = ("actors.json", "topics.json", "events.json")


def read_json(path):
    path = Path(path)
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def seed_reference_data(directory=None, update_topic_rules=False):
    """Creates the missing reference rows. Returns {"countries": n, ...} of rows created.

    `update_topic_rules` also replaces the tagging rules (keywords, co-mentions, exclusions) of
    the topics that exist with the file's, for an upgrade that improved them; names and
    descriptions stay as editors left them."""
    directory = Path(directory or settings.NEWSDESK_REFERENCE_DIR)
    # Two importers starting at once on a new database would both find a country missing and
    # both insert it: the second waits for the first here, then finds every row there.
    take_import_lock()
    created = {"countries": 0, "organisations": 0, "topics": 0, "events": 0}
    actors = read_json(directory / "actors.json") or {}

    countries = {c.code: c for c in Country.objects.all()}
    for item in actors.get("countries", []):
        if item["code"] not in countries:
            countries[item["code"]] = Country.objects.create(
                code=item["code"],
                name=item["name"],
                slug=unique_slug(Country, item["name"]),
                aliases=item.get("aliases", []),
            )
            created["countries"] += 1

    organisations = {o.name: o for o in Organisation.objects.all()}
    parents = []
    for item in actors.get("organisations", []):
        if item["name"] not in organisations:
            organisations[item["name"]] = Organisation.objects.create(
                name=item["name"],
                slug=unique_slug(Organisation, item["name"]),
                aliases=item.get("aliases", []),
                kind=item.get("kind") or Organisation.Kind.OTHER,
                country=countries.get(item.get("country")),
            )
            created["organisations"] += 1
            if item.get("parent"):
                parents.append((item["name"], item["parent"]))
    for name, parent in parents:
        if parent in organisations:
            Organisation.objects.filter(pk=organisations[name].pk).update(parent=organisations[parent])

    topics = {t.slug: t for t in Topic.objects.all()}
    topic_items = read_json(directory / "topics.json") or []
    for item in topic_items:
        if item["slug"] not in topics:
            topics[item["slug"]] = Topic.objects.create(
                slug=item["slug"],
                name=unique_topic_name(item["name"]),
                description=item.get("description", ""),
                editor_notes=item.get("editor_notes", ""),
                keywords=item.get("keywords", []),
                weak_keywords=item.get("weak_keywords", []),
                all_of=item.get("all_of", []),
                none_of=item.get("none_of", []),
                proposes_events=item.get("proposes_events", True),
            )
            created["topics"] += 1
    if update_topic_rules:
        for item in topic_items:
            Topic.objects.filter(slug=item["slug"]).update(
                keywords=item.get("keywords", []),
                weak_keywords=item.get("weak_keywords", []),
                all_of=item.get("all_of", []),
                none_of=item.get("none_of", []),
            )
    # Parents: a topic without one gets the file's (topics made before the taxonomy had levels
    # join it); a parent an editor chose is kept.
    for item in topic_items:
        topic, parent = topics[item["slug"]], topics.get(item.get("parent"))
        if parent is not None and topic.parent_id is None and parent.parent_id is None and topic != parent:
            if not topic.children.exists():
                Topic.objects.filter(pk=topic.pk).update(parent=parent)

    existing_events = set(Event.objects.values_list("slug", flat=True))
    for item in read_json(directory / "events.json") or []:
        if item["slug"] in existing_events:
            continue
        event = Event.objects.create(
            slug=item["slug"],
            title=item["title"],
            date=datetime.date.fromisoformat(item["date"]),
            description=item.get("description", ""),
            kind=item.get("kind") or Event.Kind.OTHER,
            keywords=item.get("keywords", []),
            status=Event.Status.CONFIRMED,
        )
        event.countries.set([countries[c] for c in item.get("countries", []) if c in countries])
        event.organisations.set(
            [organisations[o] for o in item.get("organisations", []) if o in organisations]
        )
        event.topics.set([topics[t] for t in item.get("topics", []) if t in topics])
        created["events"] += 1
    return created


def unique_topic_name(name):
    """The file's name for a new topic, or, when an editor already gave a topic that name, the
    name with a number (names are unique)."""
    candidate, number = name, 2
    while Topic.objects.filter(name=candidate).exists():
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def reference_for_extraction():
    """The pipeline's view of the reference data as it is in the database now."""
    countries = [{"code": c.code, "name": c.name, "aliases": c.aliases} for c in Country.objects.all()]
    organisations = [
        {
            "name": o.name,
            "aliases": o.aliases,
            "kind": o.kind,
            "country": o.country.code if o.country else None,
            "parent": o.parent.name if o.parent else None,
        }
        # Only reviewed organisations: those an import created (needs_review) would otherwise
        # change what a later import extracts, and importing in two runs would differ from one.
        for o in Organisation.objects.filter(needs_review=False).select_related("country", "parent")
    ]
    topics = [
        {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "parent": t.parent.slug if t.parent else None,
            "keywords": t.keywords,
            "weak_keywords": t.weak_keywords,
            "all_of": t.all_of,
            "none_of": t.none_of,
            "proposes_events": t.proposes_events,
        }
        for t in Topic.objects.select_related("parent")
    ]
    events = [
        {
            "slug": e.slug,
            "title": e.title,
            "date": e.date.isoformat(),
            "description": e.description,
            "kind": e.kind,
            "countries": [c.code for c in e.countries.all()],
            "organisations": [o.name for o in e.organisations.all()],
            "topics": [t.slug for t in e.topics.all()],
            "keywords": e.keywords,
        }
        for e in Event.objects.filter(status=Event.Status.CONFIRMED).prefetch_related(
            "countries", "organisations", "topics"
        )
    ]
    office_holders = read_json(Path(settings.NEWSDESK_REFERENCE_DIR) / "office_holders.json") or []
    return Reference.from_dicts(countries, organisations, topics, events, office_holders)

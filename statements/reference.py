"""Curated reference data: countries, organisations, topics and events.

The JSON files in fixtures/reference/ seed the database; after that the admin owns the rows. Loading
therefore only creates what is missing (matched by code, name or slug) and never changes a row an
editor may have edited. The importer calls `seed_reference_data` itself, so `import_articles` works
right after `migrate`, and two importers may start at once (they take turns: take_import_lock).

- seed_reference_data(): fixtures/reference/*.json -> the rows the database lacks.
- reference_for_extraction(): the database's rows -> the pipeline's Reference (pipeline.py).
"""

import collections
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from statements.ingest.pipeline import Reference
from statements.ingest.store import take_import_lock
from statements.models import Country, Event, Organisation, Topic, unique_slug
from statements.pagecache import content_changed

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
    actors = read_json(directory / "actors.json") or {}
    countries, new_countries = seed_countries(actors.get("countries", []))
    organisations, new_organisations = seed_organisations(actors.get("organisations", []), countries)
    topics, new_topics = seed_topics(read_json(directory / "topics.json") or [], update_topic_rules)
    new_events = seed_events(read_json(directory / "events.json") or [], countries, organisations, topics)
    created = {
        "countries": new_countries,
        "organisations": new_organisations,
        "topics": new_topics,
        "events": new_events,
    }
    if any(created.values()):
        content_changed(sender=Country)  # what each save did: bulk_create() sends no post_save
    return created


# Each seed_* inserts the rows the database lacks in one bulk_create (a new database lacks some 450).


def seed_countries(items):
    """({code: Country} of every country, how many of `items` were created)."""
    countries = {c.code: c for c in Country.objects.all()}
    slugs = {c.slug for c in countries.values()}
    new = []
    for item in items:
        if item["code"] not in countries:
            countries[item["code"]] = country = Country(
                code=item["code"],
                name=item["name"],
                slug=unique_slug(Country, item["name"], taken=slugs),
                aliases=item.get("aliases", []),
            )
            new.append(country)
    Country.objects.bulk_create(new)
    return countries, len(new)


def seed_organisations(items, countries):
    """({name: Organisation} of every organisation, how many of `items` were created)."""
    organisations = {o.name: o for o in Organisation.objects.all()}
    slugs = {o.slug for o in organisations.values()}
    new, parents = [], []
    for item in items:
        if item["name"] not in organisations:
            organisations[item["name"]] = organisation = Organisation(
                name=item["name"],
                slug=unique_slug(Organisation, item["name"], taken=slugs),
                aliases=item.get("aliases", []),
                kind=item.get("kind") or Organisation.Kind.OTHER,
                country=countries.get(item.get("country")),
            )
            new.append(organisation)
            if item.get("parent"):
                parents.append((organisation, item["parent"]))
    Organisation.objects.bulk_create(new)
    # A parent is set once both are saved: it may come later in the file.
    children = []
    for organisation, parent in parents:
        if parent in organisations:
            organisation.parent = organisations[parent]
            children.append(organisation)
    Organisation.objects.bulk_update(children, ["parent"])
    return organisations, len(new)


def seed_topics(items, update_topic_rules):
    """({slug: Topic} of every topic, how many of `items` were created); see seed_reference_data
    for `update_topic_rules`."""
    topics = {t.slug: t for t in Topic.objects.all()}
    names = {t.name for t in topics.values()}
    new = []
    for item in items:
        if item["slug"] not in topics:
            topics[item["slug"]] = topic = Topic(
                slug=item["slug"],
                name=unique_topic_name(item["name"], names),
                description=item.get("description", ""),
                editor_notes=item.get("editor_notes", ""),
                keywords=item.get("keywords", []),
                weak_keywords=item.get("weak_keywords", []),
                all_of=item.get("all_of", []),
                none_of=item.get("none_of", []),
                proposes_events=item.get("proposes_events", True),
            )
            new.append(topic)
    Topic.objects.bulk_create(new)
    if update_topic_rules:
        for item in items:
            Topic.objects.filter(slug=item["slug"]).update(
                keywords=item.get("keywords", []),
                weak_keywords=item.get("weak_keywords", []),
                all_of=item.get("all_of", []),
                none_of=item.get("none_of", []),
            )
    # Parents: a topic without one gets the file's (topics made before the taxonomy had levels
    # join it); a parent an editor chose is kept. A topic that has children stays a broad area.
    had_children = {t.parent_id for t in topics.values() if t.parent_id is not None}
    parent_of = {}  # topic -> the broad area it joins
    for item in items:
        topic, parent = topics[item["slug"]], topics.get(item.get("parent"))
        if parent is not None and topic.parent_id is None and parent.parent_id is None and topic != parent:
            if topic.pk not in had_children and all(area != topic for area in parent_of.values()):
                parent_of[topic.pk] = parent
    joining = collections.defaultdict(list)  # broad area -> its new topics
    for pk, parent in parent_of.items():
        joining[parent].append(pk)
    for parent, pks in joining.items():
        Topic.objects.filter(pk__in=pks).update(parent=parent)
    return topics, len(new)


def unique_topic_name(name, taken):
    """The file's name for a new topic, or, when an editor already gave a topic that name, the
    name with a number (names are unique). `taken`: the names topics have; the new one joins it."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    taken.add(candidate)
    return candidate


def seed_events(items, countries, organisations, topics):
    """Creates the confirmed events of `items` the database lacks, with their countries,
    organisations and topics (by code, name and slug); how many."""
    existing = set(Event.objects.values_list("slug", flat=True))
    new = [
        (
            Event(
                slug=item["slug"],
                title=item["title"],
                date=datetime.date.fromisoformat(item["date"]),
                description=item.get("description", ""),
                kind=item.get("kind") or Event.Kind.OTHER,
                keywords=item.get("keywords", []),
                status=Event.Status.CONFIRMED,
            ),
            item,
        )
        for item in items
        if item["slug"] not in existing
    ]
    Event.objects.bulk_create([event for event, _ in new])
    for field, column, rows in (
        ("countries", "country_id", countries),
        ("organisations", "organisation_id", organisations),
        ("topics", "topic_id", topics),
    ):
        through = getattr(Event, field).through  # the table of the links
        through.objects.bulk_create(
            through(event_id=event.pk, **{column: pk})
            for event, item in new
            for pk in {rows[key].pk for key in item.get(field, []) if key in rows}
        )
    return len(new)


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

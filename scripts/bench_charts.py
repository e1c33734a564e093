"""What the volume-over-time charts cost at scale (issue 20, item 7), for first views nobody asked for.

    .venv/bin/python scripts/bench_charts.py DATABASE_URL [--combinations 40] [--seed 1]

In this process, as a server worker would: builds the counting index from DATABASE_URL (e.g. a
database scripts/bench_web.py built), then, each URL requested once with an empty cache:

1. the chart's counting alone (charts.list_volume: the list's matching ids intersected with each
   period's set), for --combinations new country + topic + year combinations, in ms;
2. the pages with their chart, through Django's test client, each URL once with the cache as a
   server keeps it: quote lists of other new combinations, searches, topic, country and event
   pages, and comparisons of two countries; p50 / p95 / max of the page and of its chart
   (charts.for_list timed inside the request).

Prints one line per figure. Run it on a quiet machine, or compare two runs made one after the other.
"""

import argparse
import functools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url):
    os.environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY="benchmark-only-secret",
        DEBUG="0",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("CACHE_DIR", None)
    os.environ.pop("CACHE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # the source files, as in the tests: whitenoise's manifest needs a collectstatic first
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def percentile(samples, share):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(share * (len(samples) - 1))))]


def report(name, samples):
    print(
        f"{name:<44} n={len(samples):<3} p50 {statistics.median(samples):7.1f} ms"
        f"  p95 {percentile(samples, 0.95):7.1f} ms  max {max(samples):7.1f} ms",
        flush=True,
    )


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url")
    parser.add_argument("--combinations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup(args.database_url)

    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import setup_test_environment

    from statements import charts, counting
    from statements.filters import QuoteFilter
    from statements.models import Event, Quote

    setup_test_environment()  # the test client's context capture; the settings stay as they are
    build_ms, index = timed(counting.current_index, True)
    print(f"counting index: {len(index.all):,} quotes, built in {build_ms / 1000:.1f} s", flush=True)

    # Busy values first, as facet links offer them: from the index, no GROUP BY over the quotes.
    countries = sorted(index.by_country, key=lambda key: -len(index.by_country[key]))[:30]
    topics = sorted(index.by_topic, key=lambda key: -len(index.by_topic[key]))[:20]
    years = sorted(index.by_year)[-10:]
    codes = [index.countries[key][0] for key in countries if key in index.countries]
    slugs = [index.topics[key][0] for key in topics if key in index.topics]
    rng = random.Random(args.seed)
    combos = rng.sample(
        [(c, t, y) for c in codes for t in slugs for y in years],
        min(args.combinations, len(codes) * len(slugs) * len(years)),
    )

    def query(country, topic, year):
        return f"country={country}&topic={topic}&said_after={year}-01-01&said_before={year}-12-31"

    counting_ms = []
    for country, topic, year in combos:
        filterset = QuoteFilter(
            QueryDict(query(country, topic, year)), queryset=Quote.objects.visible_to(None)
        )
        counting.matches_for(filterset)  # the matches, which the page's facets need anyway
        elapsed, volume = timed(charts.list_volume, filterset)
        assert volume is not None, "the index did not answer"
        counting_ms.append(elapsed)
    report("chart counting, country+topic+year", counting_ms)
    unfiltered = QuoteFilter(QueryDict(""), queryset=Quote.objects.visible_to(None))
    counting.matches_for(unfiltered)
    report("chart counting, every quote", [timed(charts.list_volume, unfiltered)[0] for _ in range(5)])

    # Pages: each URL once (a first view of its combination), the cache kept as a server keeps it
    # (menus warm after the first page); the chart's share timed inside each request.
    chart_ms = []
    real_for_list = charts.for_list

    def timed_for_list(*args, **kwargs):
        elapsed, result = timed(functools.partial(real_for_list, *args, **kwargs))
        chart_ms.append(elapsed)
        return result

    charts.for_list = timed_for_list
    client = Client()
    client.get("/quotes/")  # menus and labels, as on a server that has served a page

    def pages(name, paths):
        page_ms, chart_ms[:] = [], []
        for path in paths:
            elapsed, response = timed(client.get, path)
            assert response.status_code == 200, (path, response.status_code)
            assert response.context.get("chart") is not None or "sides" in response.context, path
            page_ms.append(elapsed)
        report(f"{name}: page", page_ms)
        report(f"{name}: its chart", list(chart_ms))

    fresh = combos[len(combos) // 2 :] or combos
    pages("quote list, new country+topic+year", [f"/quotes/?{query(*c)}" for c in fresh[:20]])
    words = ["ceasefire", "sanctions", "government", "nuclear", "election", "oil", "talks", "minister"]
    pages("quote list, search", [f"/quotes/?q={word}" for word in words])
    pages("topic page", [f"/topics/{slug}/" for slug in slugs[:10]])
    pages("country page", [f"/countries/{code.lower()}/" for code in codes[:10]])
    events = list(Event.objects.filter(status="confirmed").values_list("slug", flat=True)[:10])
    pages("event page", [f"/events/{slug}/" for slug in events])
    pairs = [(a[0], b[0]) for a, b in zip(fresh, reversed(fresh)) if a[0] != b[0]][:10]
    compare_ms = [timed(client.get, f"/compare/?a={a}&b={b}&said_after=2010-01-01")[0] for a, b in pairs]
    report("comparison of two countries: page", compare_ms)


if __name__ == "__main__":
    main()

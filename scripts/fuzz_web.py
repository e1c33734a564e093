"""Hostile query strings against a running Newsdesk (say gunicorn with DEBUG off), counting statuses.

    DATABASE_URL=... .venv/bin/python scripts/fuzz_web.py --base http://127.0.0.1:8000 [--requests 5000] [--seed N]

The same seeded generator as tests/test_fuzz.py (tests/fuzzing.py), over every public page. Slugs,
codes and ids that exist are read from the server's database (the same DATABASE_URL), so real
filters run too. Prints the count of each status and every URL that got a 5xx or no answer, and
exits 1 if there was any.
"""

import argparse
import os
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def site_values():
    """(known parameter values, [(path, parameters it reads, weight)]) from the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ.setdefault("SECRET_KEY", "fuzz-only-secret")
    import django

    django.setup()
    from statements.models import Article, Country, Event, Organisation, Quote, Speaker, Topic
    from tests.fuzzing import LIST_PARAMETERS

    def some(model, field, n=3):
        return [str(value) for value in model.objects.order_by("?").values_list(field, flat=True)[:n]]

    known = {
        "speaker": some(Speaker, "slug"),
        "organisation": some(Organisation, "slug"),
        "country": some(Country, "code"),
        "mentions": some(Country, "code") + some(Organisation, "slug"),
        "topic": some(Topic, "slug"),
        "event": some(Event, "slug"),
        "source": some(Article, "source"),
        "q": ["ceasefire", "said", '"foreign minister"', "sanctions -russia", "talks OR negotiations"],
        "page": ["1", "2", "3"],
    }
    urls = [
        ("/", LIST_PARAMETERS, 4),
        ("/quotes/", LIST_PARAMETERS, 8),
        ("/quotes/feed/", LIST_PARAMETERS, 5),
        ("/speakers/", ["q", "page"], 2),
    ]
    for path in ("/articles/", "/events/", "/topics/", "/organisations/", "/countries/", "/about/"):
        urls.append((path, ["page"], 1))
    for model in (Speaker, Article, Event, Topic, Organisation, Country, Quote):
        for row in model.objects.order_by("?")[:2]:
            urls.append((row.get_absolute_url(), LIST_PARAMETERS if model is Speaker else ["page"], 1))
    return known, urls


def fetch(url, timeout):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except Exception as exc:  # a dropped connection, a timeout: the worst answer of all
        return f"no answer: {exc.__class__.__name__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    from tests.fuzzing import Fuzzer

    known, urls = site_values()
    fuzzer = Fuzzer(args.seed, known)
    statuses, failures = Counter(), []
    began = time.perf_counter()
    for _ in range(args.requests):
        path, names, _ = fuzzer.random.choices(urls, weights=[weight for *_, weight in urls])[0]
        url = f"{args.base}{path}?{fuzzer.query(names)}"
        status = fetch(url, args.timeout)
        statuses[status] += 1
        if not isinstance(status, int) or status >= 500:
            failures.append((status, url))
    elapsed = time.perf_counter() - began
    print(f"seed {args.seed}: {args.requests} requests in {elapsed:.0f} s")
    for status, count in sorted(statuses.items(), key=lambda item: str(item[0])):
        print(f"  {status}: {count}")
    for status, url in failures:
        print(f"{status} {url[:500]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""How the article page's time grows with the number of quotes in one article.

    .venv/bin/python scripts/bench_article_page.py [--sizes 1000,2000,4000,8000] [--repeat 3]

Builds a throwaway SQLite database (or uses $DATABASE_URL), one article per size with that many
paragraphs, each holding one attributed quote, and times GET /articles/<pk>/ through Django's test
client (best of --repeat), printing the time and the page's size. Linear growth means the time per
quote stays flat from one size to the next.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django():
    scratch = tempfile.mkdtemp(prefix="bench-article-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # the source files, as the tests serve them: the manifest storage needs collectstatic
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)


def make_article(size):
    from statements.models import Article, Quote, Speaker

    speaker, _ = Speaker.objects.get_or_create(
        slug="bench-spokesman", defaults={"name": "Bench Spokesman", "role": "spokesman"}
    )
    paragraphs, spans = [], []
    offset = 0
    for i in range(size):
        words = f"We will keep talking about the ceasefire, statement number {i},"
        paragraph = f"“{words}” the spokesman said on day {i % 28 + 1}."
        start = offset + 1
        spans.append((start, start + len(words), words))
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2
    body = "\n\n".join(paragraphs)
    article = Article.objects.create(
        external_id=f"bench-{size}-{time.time_ns()}",
        title=f"An article of {size} quotes",
        source="Bench",
        published=datetime.date(2016, 10, 4),
        body=body,
        content_hash=str(hash(body)),
    )
    Quote.objects.bulk_create(
        Quote(article=article, speaker=speaker, text=words, start=start, end=end, said_on=article.published)
        for start, end, words in spans
    )
    return article


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    client = Client()
    print(f"{'quotes':>8} {'seconds':>8} {'ms/1k quotes':>13} {'KiB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        article = make_article(size)
        best = None
        for _ in range(args.repeat):
            began = time.perf_counter()
            response = client.get(article.get_absolute_url())
            elapsed = time.perf_counter() - began
            assert response.status_code == 200, response.status_code
            best = elapsed if best is None else min(best, elapsed)
        print(f"{size:>8} {best:>8.3f} {best * 1e6 / size:>13.1f} {len(response.content) / 1024:>8.0f}")


if __name__ == "__main__":
    main()

import uuid

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Production uses whitenoise's manifest storage, which needs `collectstatic`; tests serve the
    # source files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty cache: cached facet counts never leak from one test's data
    into another's. A shared Redis cache is not flushed (another run may be using it): each test
    gets keys of its own instead."""
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def pages_rendered_every_time(settings):
    """Tests read what a view put in its template's context, which a kept page has none of: the
    page cache for visitors (statements/pagecache.py) is on only in its own tests."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def fresh_counting_index():
    """Each test's process-wide counting index starts empty: a test's rolled-back quotes would
    otherwise stay in it, and the next test may reuse their ids."""
    from statements import counting

    counting.holder.forget()
    yield
    counting.holder.forget()

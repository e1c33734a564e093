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
def empty_cache():
    """Each test starts with an empty cache: cached facet counts never leak from one test's data
    into another's."""
    from django.core.cache import cache

    cache.clear()

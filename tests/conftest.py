import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Production uses whitenoise's manifest storage, which needs `collectstatic`; tests serve the
    # source files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

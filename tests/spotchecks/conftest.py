import pytest
from django.utils import translation

from tests.factories.spotchecks import make_world


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request under /en/ activates English for the thread; later tests must not inherit it."""
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """Services' messages are asserted in English; pages (zh-hans by default) in Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return make_world()

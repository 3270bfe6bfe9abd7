import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _clear_own_cache_keys(cache=None):
    """Forget this run's cached state. On Redis only the keys under this run's prefix go (the
    database may hold other programs' keys); an in-process cache is this process's own."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"] if cache is None else cache
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    fallback = getattr(cache, "_fallback", None)  # lms.resilience.cache: this process's own
    if fallback is not None:
        fallback.clear()
    client = cache._cache.get_client(write=True)
    prefix = cache.key_prefix
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_caches():
    """Rate limits and other cached state must not leak between tests."""
    from django.utils import translation

    from assessments.paper import fragments_forget
    from assessments.services.integrity import networks_forget

    _clear_own_cache_keys()
    networks_forget()  # the exam networks this process keeps beside the cache
    fragments_forget()  # the exam page's question fragments, likewise
    yield
    # A request under /en/ leaves English active in this thread; later tests expect the default.
    translation.deactivate()


@pytest.fixture
def org(db):
    from tests.factories.organisations import OrganisationFactory

    return OrganisationFactory()


@pytest.fixture
def other_org(db):
    from tests.factories.organisations import OrganisationFactory

    return OrganisationFactory(name="另一家企业有限公司")


def pytest_collection_modifyitems(items):
    """Transactional tests (browser journeys) flush every table afterwards, taking the data that
    migrations create (the Wagtail home page, role groups) with them: restore it before each."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            item.add_marker(
                pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False
            )
        elif marker is None and "transactional_db" in getattr(item, "fixturenames", ()):
            # a fixture asked for real transactions (the PgBouncer tests): the same restore
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the serialized test data where every connection wrapper finds it.

    Django keeps it on the connection object, but a browser journey (Playwright's greenlets and
    their context variables) leaves the main thread with a fresh wrapper that lacks it, and the
    transactional tests after it would start from an empty database. A class attribute
    survives that.
    """
    from django.db import connections

    saved = {}
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
            saved[alias] = contents
    yield
    # A transactional test flushes every table when it ends. With --reuse-db the next run would
    # keep that empty database, and serialize it as "the data migrations made": Wagtail's root
    # page and the role groups would be gone for every test of every later run. Put back what
    # the migrations made before the database is kept.
    with django_db_blocker.unblock():
        from wagtail.models import Page

        for alias, contents in saved.items():
            if not Page.objects.using(alias).filter(depth=1).exists():
                connections[alias].creation.deserialize_db_from_string(contents)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request):
    """SQLite's flush after a transactional test deletes row by row, which the audit log's and
    the ledger's append-only triggers refuse (PostgreSQL truncates, which the triggers allow):
    there, empty them with the triggers briefly lifted."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    append_only = [
        ("audit_auditentry", "audit_auditentry_no_delete", "the audit log is append-only"),
        # A signed commitment letter or a result enters the compliance ledger.
        (
            "records_ledgerentry",
            "records_ledgerentry_no_delete",
            "the compliance ledger is append-only",
        ),
    ]
    with connection.cursor() as cursor:
        for table, trigger, message in append_only:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"CREATE TRIGGER {trigger} BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )

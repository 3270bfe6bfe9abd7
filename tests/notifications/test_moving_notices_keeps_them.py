"""Moving notices from learning to their own app keeps every notice, with its id, text and
read state; spot-check draw notices, which borrowed learning's "assigned", get their kind."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lms.notifications.models import Notification
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

BEFORE = [("learning", "0004_notification_kind_records")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def test_the_migration_keeps_every_notice(org):
    if connection.vendor != "postgresql":
        pytest.skip("schema changes inside the test's transaction need PostgreSQL")
    user = person(org).user
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("learning", "Notification")
    read = timezone.now()
    rows = [
        old.objects.create(
            user_id=user.pk,
            key="enrolment:1:2026-11-20:overdue-w0",
            kind="overdue",
            subject="课程已逾期：数据合规",
            body="请尽快完成。",
            link="/learn/",
            read_at=read,
        ),
        old.objects.create(
            user_id=user.pk,
            key="spotcheck:3:4",
            kind="assigned",
            subject="您被随机抽中",
        ),
        old.objects.create(
            user_id=user.pk,
            key="assigned:1:5",
            kind="assigned",
            subject="新的必修课程：反垄断",
        ),
    ]
    with connection.cursor() as cursor:  # run the deferred foreign-key checks before DDL
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    _migrate(None)

    moved = {n.pk: n for n in Notification.objects.filter(user=user)}
    assert sorted(moved) == sorted(row.pk for row in rows)
    overdue, drawn, assigned = (moved[row.pk] for row in rows)
    assert (overdue.kind, overdue.subject, overdue.body, overdue.link, overdue.read_at) == (
        "overdue",
        "课程已逾期：数据合规",
        "请尽快完成。",
        "/learn/",
        read,
    )
    assert overdue.params is None
    assert drawn.kind == "spotcheck_drawn" and assigned.kind == "assigned"
    newer = Notification.objects.create(user=user, key="after", kind="due", subject="新")
    assert newer.pk > max(moved), "ids continue after the copied ones"

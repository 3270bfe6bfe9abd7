"""Deployed behind PgBouncer in transaction mode (deploy/pgbouncer.ini), the ORM's transactions,
row locks, iteration and the answer save work: a real pgbouncer in front of the test database,
started from the deploy file on a free port, with fewer server connections than clients."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from assessments import services
from assessments.models import AttemptItem, QuestionKind
from lms.organisations.models import ComplianceRole, Organisation
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

ROOT = Path(__file__).resolve().parent.parent
POOL = 2  # server connections: fewer than the clients of the tests below

pytestmark = [
    pytest.mark.skipif(shutil.which("pgbouncer") is None, reason="pgbouncer is not installed"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bouncer_ini(deploy_ini: str, *, database: str, host: str, port: int, listen: int, run: Path):
    """deploy/pgbouncer.ini with the test database, a free port, trust auth and files in `run`:
    every pooling setting as deployed, but a pool of POOL."""
    overrides = {
        "listen_port": str(listen),
        "auth_type": "trust",
        "auth_file": str(run / "userlist.txt"),
        "logfile": str(run / "pgbouncer.log"),
        "pidfile": str(run / "pgbouncer.pid"),
        "default_pool_size": str(POOL),
        "min_pool_size": "0",
        "reserve_pool_size": "0",
    }
    lines = []
    section = ""
    for line in deploy_ini.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        elif section == "[databases]" and stripped and not stripped.startswith(";"):
            line = f"{database} = host={host} port={port} dbname={database}"
        elif "=" in stripped and not stripped.startswith(";"):
            key = stripped.split("=", 1)[0].strip()
            if key in overrides:
                line = f"{key} = {overrides.pop(key)}"
        lines.append(line)
    assert not overrides, f"deploy/pgbouncer.ini lost settings: {overrides}"
    return "\n".join(lines) + "\n"


@pytest.fixture
def bouncer(transactional_db):
    """Every connection of this process (and its threads) goes through pgbouncer meanwhile."""
    if connection.vendor != "postgresql":
        pytest.skip("PgBouncer sits in front of PostgreSQL")
    params = connection.settings_dict
    listen = _free_port()
    run = Path(tempfile.mkdtemp(prefix="hegui-pgbouncer-"))
    (run / "userlist.txt").write_text(f'"{params["USER"]}" ""\n')
    (run / "pgbouncer.ini").write_text(
        bouncer_ini(
            (ROOT / "deploy" / "pgbouncer.ini").read_text(),
            database=params["NAME"],
            host=params["HOST"] or "127.0.0.1",
            port=int(params["PORT"] or 5432),
            listen=listen,
            run=run,
        )
    )
    command = ["pgbouncer", str(run / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        for path in [run, *run.iterdir()]:
            shutil.chown(path, "postgres")
        command += ["-u", "postgres"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", listen), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"pgbouncer did not start: {process.stderr.read().decode()}")
    saved = {key: params.get(key) for key in ("PORT", "DISABLE_SERVER_SIDE_CURSORS")}
    connection.close()
    params.update(PORT=str(listen), DISABLE_SERVER_SIDE_CURSORS=True)
    try:
        yield {"port": listen, "user": params["USER"], "database": params["NAME"]}
    finally:
        connection.close()
        params.update(saved)
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(run, ignore_errors=True)


def transactions_through(bouncer) -> int:
    """Transactions pgbouncer has served for the test database (its admin console)."""
    with psycopg.connect(
        host="127.0.0.1",
        port=bouncer["port"],
        user=bouncer["user"],
        dbname="pgbouncer",
        autocommit=True,
        prepare_threshold=None,
    ) as admin:
        rows = admin.execute("SHOW STATS").fetchall()
        names = [column.name for column in admin.execute("SHOW STATS").description]
    stats = [dict(zip(names, row, strict=True)) for row in rows]
    return sum(s["total_xact_count"] for s in stats if s["database"] == bouncer["database"])


def in_threads(count: int, work) -> list:
    errors: list = []

    def run(n: int) -> None:
        try:
            work(n)
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_production_settings_behind_pgbouncer_turn_server_side_cursors_off():
    code = (
        "from lms.settings import base; "
        "print(base.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1:6432/hegui"}
    behind = subprocess.run(
        [sys.executable, "-c", code], env={**env, "PGBOUNCER": "1"}, capture_output=True, text=True
    )
    direct = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert behind.stdout.strip() == "True", behind.stderr
    assert direct.stdout.strip() == "False", direct.stderr


def test_transactions_commit_and_roll_back_through_pgbouncer(bouncer):
    before = transactions_through(bouncer)
    with transaction.atomic():
        Organisation.objects.filter(pk=-1).exists()
        kept = person(Organisation.objects.create(name="经过连接池的企业", credit_code="X1")).user
        try:
            with transaction.atomic():
                Organisation.objects.create(name="回滚的企业", credit_code="X2")
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
    try:
        with transaction.atomic():
            Organisation.objects.create(name="整体回滚的企业", credit_code="X3")
            raise RuntimeError("roll back the transaction")
    except RuntimeError:
        pass
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "经过连接池的企业" in names
    assert not names & {"回滚的企业", "整体回滚的企业"}
    assert kept.pk
    assert transactions_through(bouncer) > before


def test_many_clients_share_a_small_pool(bouncer):
    orgs = [
        Organisation.objects.create(name=f"并发企业{n}", credit_code=f"C{n}")
        for n in range(3 * POOL)
    ]

    def work(n: int) -> None:
        for round_ in range(1, 6):
            with transaction.atomic():
                org = Organisation.objects.select_for_update().get(pk=orgs[n].pk)
                org.name = f"并发企业{n}-{round_}"
                org.save(update_fields=["name"])

    assert in_threads(3 * POOL, work) == []
    names = set(
        Organisation.objects.filter(name__startswith="并发企业").values_list("name", flat=True)
    )
    assert names == {f"并发企业{n}-5" for n in range(3 * POOL)}


def test_a_row_lock_lasts_its_whole_transaction_through_pgbouncer(bouncer):
    org = Organisation.objects.create(name="加锁的企业", credit_code="L1")
    locked, release = threading.Event(), threading.Event()

    def hold(n: int) -> None:
        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=org.pk)
            locked.set()
            release.wait(20)

    holder = threading.Thread(target=lambda: in_threads(1, hold))
    holder.start()
    assert locked.wait(20)
    with pytest.raises(DatabaseError), transaction.atomic():
        Organisation.objects.select_for_update(nowait=True).get(pk=org.pk)
    release.set()
    holder.join(timeout=30)
    with transaction.atomic():
        assert Organisation.objects.select_for_update(nowait=True).get(pk=org.pk).pk == org.pk


def test_iterating_a_large_query_works_without_server_side_cursors(bouncer):
    Organisation.objects.bulk_create(
        Organisation(name=f"遍历企业{n}", credit_code=f"I{n}") for n in range(25)
    )
    names = [
        o.name
        for o in Organisation.objects.filter(name__startswith="遍历企业").iterator(chunk_size=4)
    ]
    assert len(names) == 25


def test_answers_are_saved_through_pgbouncer(bouncer, client):
    org = Organisation.objects.create(name="考试企业", credit_code="E1")
    learners = [person(org, role=ComplianceRole.NONE).user for _ in range(3)]
    bank = make_bank(org)
    fill_bank(bank, count=6, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(
        bank, sections=[{"count": 4, "points": Decimal(5), "kind": QuestionKind.SINGLE}]
    )
    exam = make_exam(org, blueprint=blueprint, users=learners, time_limit_minutes=30)
    attempts = [services.attempt_start(exam=exam, user=user) for user in learners]
    first = attempts[0].items.order_by("position").first()

    client.force_login(learners[0])
    response = client.post(
        reverse("assessments:response_save", args=[attempts[0].pk]),
        data=json.dumps({"question": first.question_id, "answer": ["B"], "seq": 3}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content

    def save(n: int) -> None:
        attempt = attempts[n]
        for seq, item in enumerate(attempt.items.all(), start=10):
            services.response_save(
                attempt_id=attempt.pk,
                user_id=attempt.user_id,
                question_id=item.question_id,
                answer=["C"],
                seq=seq,
            )

    assert in_threads(len(attempts), save) == []
    stored = AttemptItem.objects.filter(attempt__in=attempts)
    assert stored.count() == 12
    assert all(item.answer == ["C"] and item.seq >= 10 for item in stored)

"""How many certificate PDFs a second Celery renders on this machine (target: at least 20).

With REDIS_URL set, a real prefork worker (2 processes, one per core) is started against Redis
and the database of DATABASE_URL (use PostgreSQL; SQLite serialises the writes), N render
tasks are queued at once and the clock runs until every result is back. Without REDIS_URL the
tasks run in this process, eagerly, which measures the rendering alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_certs REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/certificate_pdfs.py [N]
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from certificates import services  # noqa: E402
from certificates.models import Certificate, CertificateTemplate  # noqa: E402
from certificates.tasks import render_certificate_pdf  # noqa: E402
from lms.celery import app  # noqa: E402
from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import Organisation  # noqa: E402

QUEUE = "certificates-bench"
BENCH_ORG_CODE = credit_code.complete("91330100MA2BENCH1")
WORKER_PROCESSES = 2


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    ids = _make_certificates(count)
    try:
        if os.environ.get("REDIS_URL"):
            seconds = _through_worker(ids)
            how = f"Celery prefork worker ({WORKER_PROCESSES} processes) on Redis"
        else:
            seconds = _in_process(ids)
            how = "in-process (no REDIS_URL: eager tasks, rendering alone)"
        rendered = Certificate.objects.filter(pk__in=ids, pdf_rendered_at__isnull=False).count()
        assert rendered == count, f"only {rendered} of {count} PDFs were rendered"
        print(f"{count} certificate PDFs in {seconds:.2f} s through {how}")
        print(f"{count / seconds:.1f} PDFs/s (target ≥ 20)")
    finally:
        _clean_up()


def _make_certificates(count: int) -> list[int]:
    """Fresh certificates of a bench organisation kept between runs (the audit log that
    mentions it is append-only, so it is reused rather than deleted)."""
    from django.contrib.auth import get_user_model

    _clean_up()
    organisation, _ = Organisation.objects.get_or_create(
        credit_code=BENCH_ORG_CODE, defaults={"name": "基准测试企业有限公司", "sector": "other"}
    )
    template, _ = CertificateTemplate.objects.get_or_create(
        issuing_organisation=organisation,
        title="合规管理人员资格证书",
        defaults={
            "wording": "兹证明{name}同志参加《{title}》考核，成绩{score}分，准予认定合格。"
            "有效期至{expires}。",
            "signer_name": "王建国",
            "signer_title": "首席合规官",
        },
    )
    ids = []
    with transaction.atomic():
        for n in range(count):
            holder, _ = get_user_model().objects.get_or_create(
                email=f"bench-{n}@bench.invalid", defaults={"full_name": f"测试{n}号"}
            )
            certificate = services.certificate_issue(
                holder=holder,
                kind=Certificate.Kind.COURSE_COMPLETION,
                source=None,
                template=template,
                title="反商业贿赂合规培训",
                score=90,
            )
            ids.append(certificate.pk)
        # Issuing queues a rendering after commit; the bench queues its own, timed, instead.
        transaction.get_connection().run_on_commit.clear()
    return ids


def _in_process(ids: list[int]) -> float:
    render_certificate_pdf.apply(args=[ids[0]])  # fonts loaded once per process
    started = time.monotonic()
    for pk in ids:
        render_certificate_pdf.apply(args=[pk])
    return time.monotonic() - started


def _through_worker(ids: list[int]) -> float:
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "-Q",
            QUEUE,
            "-c",
            str(WORKER_PROCESSES),
            "-P",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"certbench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        app.conf.task_always_eager = False
        warm = [render_certificate_pdf.apply_async(args=[pk], queue=QUEUE) for pk in ids[:4]]
        for result in warm:
            result.get(timeout=120)
        started = time.monotonic()
        results = [render_certificate_pdf.apply_async(args=[pk], queue=QUEUE) for pk in ids]
        for result in results:
            result.get(timeout=300)
        return time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _clean_up() -> None:
    for certificate in Certificate.objects.filter(organisation__credit_code=BENCH_ORG_CODE):
        if certificate.pdf:
            certificate.pdf.storage.delete(certificate.pdf.name)
        certificate.delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

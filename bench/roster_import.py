"""How long a 10,000-row roster import takes with full validation (< 20 s on PostgreSQL).

Each run makes a fresh enterprise and an xlsx file of ROWS people over 12 nested departments
and 8 positions, then times, through the same service the admin and the command use:
  1. the dry run (the admin's preview),
  2. the import itself (10,000 accounts and memberships, roles, audit entries, one signal),
  3. importing the same file again (everything unchanged),
  4. everyone moved to another department (10,000 updates),
  5. the file with one bad row at the end (nothing imported, that row named).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_roster \\
        .venv/bin/python bench/roster_import.py [ROWS]
"""

import datetime as dt
import os
import secrets
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
from django.db import connection  # noqa: E402

from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import Organisation, Staff  # noqa: E402
from lms.organisations.roster.importing import roster_import  # noqa: E402
from tests.organisations.files.roster import HEADERS, xlsx_bytes  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
LIMIT_SECONDS = 20
DEPARTMENTS = [
    "总部/法务合规部",
    "总部/财务部",
    "总部/人力资源部",
    "华东分公司/销售部",
    "华东分公司/采购部",
    "华南分公司/销售二部",
    "华南分公司/运营部",
    "技术中心/平台研发部",
]
POSITIONS = ["员工", "采购专员", "部门经理", "财务专员", "销售", "工程师", "运营专员", "客服"]


def roster_rows(run: str) -> list[list]:
    start = dt.date(2015, 1, 1)
    rows = []
    for n in range(ROWS):
        values = {
            "姓名": f"员工{n}",
            "工号": f"R{n:06d}",
            "部门": DEPARTMENTS[n % len(DEPARTMENTS)],
            "岗位": POSITIONS[(n * 7) % len(POSITIONS)],
            "入职日期": (start + dt.timedelta(days=n % 3000)).isoformat(),
            "邮箱": f"p{n}.{run}@roster-bench.example.cn",
            "手机": f"139{n:08d}",
        }
        rows.append([values[h] for h in HEADERS])
    return rows


def timed(label: str, **kwargs):
    started = time.perf_counter()
    result = roster_import(**kwargs)
    seconds = time.perf_counter() - started
    problems = (
        f", problems on rows {[p.row for p in result.problems][:5]}" if result.problems else ""
    )
    print(
        f"{label:<38} {seconds:6.2f} s  (created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}{problems})"
    )
    return seconds, result


def main() -> None:
    call_command("migrate", verbosity=0)
    run = secrets.token_hex(3)
    org = Organisation.objects.create(
        name=f"花名册基准企业{run}",
        credit_code=credit_code.complete(f"91330100MA{secrets.randbelow(10**7):07d}"),
        sector="online_platform",
        region_code="330100",
    )
    rows = roster_rows(run)
    started = time.perf_counter()
    data = xlsx_bytes(rows)
    print(
        f"{connection.vendor}; {ROWS:,} rows, xlsx of {len(data) / 1e6:.1f} MB built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    timed(
        "dry run (the admin's preview)",
        organisation=org,
        data=data,
        file_name="b.xlsx",
        dry_run=True,
    )
    seconds, result = timed("import", organisation=org, data=data, file_name="b.xlsx")
    assert result.imported and Staff.objects.filter(organisation=org).count() == ROWS
    timed("same file again", organisation=org, data=data, file_name="b.xlsx")
    moved = [[*r[:2], DEPARTMENTS[(n + 1) % len(DEPARTMENTS)], *r[3:]] for n, r in enumerate(rows)]
    timed(
        "everyone moved to another department",
        organisation=org,
        data=xlsx_bytes(moved),
        file_name="m.xlsx",
    )
    bad = [*moved[:-1], [*moved[-1][:5], "broken@", moved[-1][6]]]
    timed("one bad row at the end", organisation=org, data=xlsx_bytes(bad), file_name="c.xlsx")
    verdict = "OK" if seconds < LIMIT_SECONDS else "TOO SLOW"
    print(f"roster import of {ROWS:,} rows: {seconds:.2f} s (limit {LIMIT_SECONDS} s) {verdict}")


if __name__ == "__main__":
    main()

"""Spot-check draw over 1,000,000 staff in 50,000 enterprises (target: under 5 s).

Times the pure draw (hegui-spotcheck-draw/1) over an in-memory population snapshot: the
population hash, the pre-commit checks, a risk-weighted draw of 1 % of the enterprises with
staff per role and inspectors after recusal, and the verification re-run.

    .venv/bin/python bench/spotcheck_draw.py

Not timed here: building the snapshot from the database at commit. That is two queries
(`values_list` of enterprise ids and grades, then of staff id, organisation and role for the
scope) streaming about 1,000,000 small tuples, roughly 1-3 s on PostgreSQL for this size, paid
once per campaign at the commit.
"""

import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.spotchecks import draw  # noqa: E402 (pure: needs no Django)

ENTERPRISES = 50_000
STAFF_PER_ENTERPRISE = 20  # 1 head, 4 full-time and 15 part-time administrators
INSPECTORS = 60


def population() -> dict:
    rng = random.Random(2026)
    staff, next_id = {}, 1
    for e in range(1, ENTERPRISES + 1):
        roles = {}
        for role, count in (("head", 1), ("admin_full", 4), ("admin_part", 15)):
            roles[role] = list(range(next_id, next_id + count))
            next_id += count
        staff[str(e)] = roles
    recusals = sorted(
        [[rng.randrange(1, INSPECTORS + 1), rng.randrange(1, ENTERPRISES + 1)] for _ in range(500)]
    )
    return {
        "algorithm": draw.ALGORITHM,
        "enterprises": [[e, "ABCD"[rng.randrange(4)]] for e in range(1, ENTERPRISES + 1)],
        "staff": staff,
        "inspectors": list(range(1, INSPECTORS + 1)),
        "recusals": recusals,
        "params": {
            "enterprises": ENTERPRISES // 100,
            "roles": {"head": 1, "admin_full": 2, "admin_part": 3},
            "inspectors": 2,
            "weighting": "risk_grade",
            "weights": draw.RISK_GRADE_WEIGHTS,
        },
    }


def main() -> None:
    snapshot = population()
    staff = sum(len(ids) for roles in snapshot["staff"].values() for ids in roles.values())
    seed = secrets.token_hex(32)
    started = time.perf_counter()
    population_hash = draw.population_hash(snapshot)
    problems = draw.problems(snapshot)
    result = draw.draw(seed=seed, snapshot=snapshot)
    drawn_at = time.perf_counter()
    record = {
        "seed": seed,
        "seed_hash": draw.seed_hash(seed),
        "snapshot": snapshot,
        "population_hash": population_hash,
        "result": result,
    }
    verdict = draw.verify(record).verdict
    verified_at = time.perf_counter()
    people = sum(len(ids) for e in result["enterprises"] for ids in e["staff"].values())
    print(f"population: {ENTERPRISES:,} enterprises, {staff:,} staff, {INSPECTORS} inspectors")
    print(
        f"drawn: {len(result['enterprises']):,} enterprises, {people:,} people; problems: {problems}"
    )
    print(f"hash + checks + draw: {drawn_at - started:.2f} s (target < 5 s)")
    print(f"verification re-run: {verified_at - drawn_at:.2f} s -> {verdict}")


if __name__ == "__main__":
    main()

"""The spot-check draw (双随机): a pure, portable function of a seed and a population snapshot.

No database, no Django: anyone holding a campaign's published record can re-run it with the
Python standard library alone (`python assessments/spotchecks/draw.py record.json`).

Algorithm `hegui-spotcheck-draw/1`:

1. Every random number comes from HMAC-SHA256(key=seed, message=label), where the label names
   the stage, its context and the item, e.g. ``enterprise|4711`` or ``staff|4711|head|90210``.
   The first 8 bytes, read big-endian, give an integer U in [0, 2**64).
2. Enterprises: without weighting, the `n` enterprises with the smallest U are drawn (a
   uniform sample without replacement). With risk-grade weighting, each enterprise gets a
   weight w from its grade (the snapshot names the weights) and the `n` enterprises with the
   largest Efraimidis–Spirakis key u**(1/w), u = (U + 0.5) / 2**64, are drawn; the keys are
   compared exactly in integers (u1**(1/w1) > u2**(1/w2) ⇔ V1**w2 · 2**(65·w1) >
   V2**w1 · 2**(65·w2) with V = 2U + 1), so the result never depends on floating point.
3. Staff: for each drawn enterprise and each role (in sorted order), the `k` staff members with
   the smallest U among that enterprise's staff in that role.
4. Inspectors: for each drawn enterprise, the `m` inspectors with the smallest U among the pool
   less those recused from that enterprise.

Ties in U (probability about 2**-64) fall back to the smaller id, so the order is total.
The population hash is SHA-256 over the snapshot's canonical JSON (sorted keys, no spaces,
UTF-8); the seed hash is SHA-256 over the seed's hex text.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import math
import sys
from dataclasses import dataclass
from functools import total_ordering

ALGORITHM = "hegui-spotcheck-draw/1"
RISK_GRADE_WEIGHTS = {"A": 1, "B": 2, "C": 3, "D": 4}


class DrawRefused(ValueError):
    """The request cannot be met by the population; `problems` says why, for people."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__("; ".join(code for code, _ in problems))
        self.problems = problems  # (code, params) pairs; the caller words them


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_hash(seed: str) -> str:
    return sha256_hex(seed.encode("ascii"))


def population_hash(snapshot: dict) -> str:
    return sha256_hex(canonical_json(snapshot))


def _u(key: bytes, label: str) -> int:
    return int.from_bytes(hmac.new(key, label.encode(), hashlib.sha256).digest()[:8], "big")


def _smallest(key: bytes, prefix: str, ids: list[int], k: int) -> list[int]:
    """The k ids with the smallest U (uniform sample without replacement), in drawn order."""
    return [i for _, i in heapq.nsmallest(k, ((_u(key, f"{prefix}|{i}"), i) for i in ids))]


@total_ordering
@dataclass(frozen=True, eq=False)
class _EsKey:
    """An Efraimidis–Spirakis key u**(1/w), compared exactly; ties fall to the smaller id."""

    v: int  # 2U + 1, so u = v / 2**65 lies strictly inside (0, 1)
    w: int
    item: int

    def _cmp(self, other: _EsKey) -> int:
        left = self.v**other.w << (65 * self.w)
        right = other.v**self.w << (65 * other.w)
        if left != right:
            return 1 if left > right else -1
        return (self.item < other.item) - (self.item > other.item)

    def __eq__(self, other):
        return self._cmp(other) == 0

    def __lt__(self, other):
        return self._cmp(other) < 0


def _weighted(key: bytes, ids_weights: list[tuple[int, int]], k: int) -> list[int]:
    keys = (_EsKey(2 * _u(key, f"enterprise|{i}") + 1, w, i) for i, w in ids_weights)
    return [key.item for key in heapq.nlargest(k, keys)]


def resolve_enterprise_count(*, mode: str, value: int, scope_size: int) -> int:
    """A number is taken as is; a percentage rounds up and is at least one."""
    if mode == "percent":
        return max(1, math.ceil(scope_size * value / 100))
    return value


def problems(snapshot: dict) -> list[tuple[str, dict]]:
    """Why this snapshot cannot be drawn as asked (checked before the seed is committed)."""
    params = snapshot["params"]
    enterprises = snapshot["enterprises"]
    found: list[tuple[str, dict]] = []
    if not enterprises:
        return [("empty_scope", {})]
    wanted = params["enterprises"]
    if wanted < 1:
        found.append(("too_few_enterprises_asked", {}))
    if wanted > len(enterprises):
        found.append(("too_many_enterprises", {"asked": wanted, "available": len(enterprises)}))
    for role, count in sorted(params["roles"].items()):
        short = [
            eid
            for eid, _grade in enterprises
            if len(snapshot["staff"].get(str(eid), {}).get(role, [])) < count
        ]
        if short:
            found.append(("too_few_staff", {"role": role, "count": count, "enterprise_ids": short}))
    per_enterprise = params["inspectors"]
    if per_enterprise:
        pool = set(snapshot["inspectors"])
        recused: dict[int, set[int]] = {}
        for inspector, enterprise in snapshot["recusals"]:
            recused.setdefault(enterprise, set()).add(inspector)
        short = [
            eid
            for eid, _grade in enterprises
            if len(pool - recused.get(eid, set())) < per_enterprise
        ]
        if len(pool) < per_enterprise:
            found.append(("pool_too_small", {"asked": per_enterprise, "available": len(pool)}))
        elif short:
            found.append(
                ("pool_too_small_after_recusal", {"asked": per_enterprise, "enterprise_ids": short})
            )
    return found


def draw(*, seed: str, snapshot: dict) -> dict:
    """The selection for this seed and population. Raises DrawRefused if it cannot be met."""
    found = problems(snapshot)
    if found:
        raise DrawRefused(found)
    if snapshot.get("algorithm") != ALGORITHM:
        raise ValueError(f"unknown algorithm {snapshot.get('algorithm')!r}")
    key = bytes.fromhex(seed)
    params = snapshot["params"]
    if params.get("weighting") == "risk_grade":
        weights = params["weights"]
        chosen = _weighted(
            key, [(e, weights[g]) for e, g in snapshot["enterprises"]], params["enterprises"]
        )
    else:
        chosen = _smallest(
            key, "enterprise", [e for e, _ in snapshot["enterprises"]], params["enterprises"]
        )
    chosen.sort()
    recused: dict[int, set[int]] = {}
    for inspector, enterprise in snapshot["recusals"]:
        recused.setdefault(enterprise, set()).add(inspector)
    result = []
    for enterprise in chosen:
        staff_by_role = snapshot["staff"].get(str(enterprise), {})
        staff = {
            role: sorted(
                _smallest(key, f"staff|{enterprise}|{role}", staff_by_role.get(role, []), count)
            )
            for role, count in sorted(params["roles"].items())
        }
        eligible = [i for i in snapshot["inspectors"] if i not in recused.get(enterprise, set())]
        inspectors = sorted(
            _smallest(key, f"inspector|{enterprise}", eligible, params["inspectors"])
        )
        result.append({"enterprise": enterprise, "staff": staff, "inspectors": inspectors})
    return {"algorithm": ALGORITHM, "enterprises": result}


@dataclass(frozen=True)
class Verification:
    seed_matches: bool
    population_matches: bool
    result_matches: bool

    @property
    def ok(self) -> bool:
        return self.seed_matches and self.population_matches and self.result_matches

    @property
    def verdict(self) -> str:
        return "MATCH" if self.ok else "MISMATCH"


def verify(record: dict) -> Verification:
    """Re-run a published record: {seed, seed_hash, snapshot, population_hash, result}."""
    seed = record.get("seed") or ""
    seed_ok = bool(seed) and seed_hash(seed) == record.get("seed_hash")
    population_ok = population_hash(record["snapshot"]) == record.get("population_hash")
    try:
        rerun = draw(seed=seed, snapshot=record["snapshot"]) if seed else None
    except (DrawRefused, ValueError):
        rerun = None
    result_ok = rerun is not None and canonical_json(rerun) == canonical_json(record.get("result"))
    return Verification(seed_ok, population_ok, result_ok)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python draw.py RECORD.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        record = json.load(handle)
    outcome = verify(record)
    print(f"seed hash:       {'ok' if outcome.seed_matches else 'DIFFERENT'}")
    print(f"population hash: {'ok' if outcome.population_matches else 'DIFFERENT'}")
    print(f"draw result:     {'ok' if outcome.result_matches else 'DIFFERENT'}")
    print(outcome.verdict)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

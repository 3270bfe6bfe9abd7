"""The pure draw: deterministic, fair over many seeds, and refusing what cannot be met."""

import hashlib
import json
from collections import Counter

import pytest
from scipy.stats import chisquare

from assessments.spotchecks import draw


def snapshot(
    *,
    enterprises=10,
    per_role=None,
    inspectors=(),
    recusals=(),
    asked=3,
    roles=None,
    inspectors_each=0,
    weighting="none",
    grades=None,
):
    per_role = per_role or {"head": 1, "admin_full": 3}
    ents = [[e, (grades or {}).get(e, "B")] for e in range(1, enterprises + 1)]
    staff = {
        str(e): {
            role: [e * 1000 + r * 100 + n for n in range(count)]
            for r, (role, count) in enumerate(sorted(per_role.items()))
        }
        for e in range(1, enterprises + 1)
    }
    return {
        "algorithm": draw.ALGORITHM,
        "enterprises": ents,
        "staff": staff,
        "inspectors": sorted(inspectors),
        "recusals": sorted([list(r) for r in recusals]),
        "params": {
            "enterprises": asked,
            "roles": roles if roles is not None else {"admin_full": 2},
            "inspectors": inspectors_each,
            "weighting": weighting,
            "weights": draw.RISK_GRADE_WEIGHTS,
        },
    }


SEED = "ab" * 32


def test_same_seed_and_population_give_the_same_draw():
    snap = snapshot(inspectors=[1, 2, 3, 4], inspectors_each=2)
    assert draw.draw(seed=SEED, snapshot=snap) == draw.draw(
        seed=SEED, snapshot=json.loads(json.dumps(snap))
    )


def test_a_known_seed_gives_a_pinned_result():
    # Pins the algorithm: any change to hegui-spotcheck-draw/1 must change its name instead.
    result = draw.draw(seed=SEED, snapshot=snapshot(enterprises=20, asked=3))
    assert [e["enterprise"] for e in result["enterprises"]] == PINNED_ENTERPRISES


PINNED_ENTERPRISES = [4, 9, 15]


def test_different_seeds_draw_differently():
    snap = snapshot(enterprises=50, asked=5)
    draws = {
        tuple(e["enterprise"] for e in draw.draw(seed=f"{s:064x}", snapshot=snap)["enterprises"])
        for s in range(20)
    }
    assert len(draws) > 15


def test_draws_staff_of_each_role_from_the_drawn_enterprise_only():
    snap = snapshot(per_role={"head": 2, "admin_full": 5}, roles={"head": 1, "admin_full": 3})
    for e in draw.draw(seed=SEED, snapshot=snap)["enterprises"]:
        eid = e["enterprise"]
        assert len(e["staff"]["head"]) == 1 and len(e["staff"]["admin_full"]) == 3
        assert set(e["staff"]["admin_full"]) <= set(snap["staff"][str(eid)]["admin_full"])
        assert len(set(e["staff"]["admin_full"])) == 3


def test_a_recused_inspector_is_never_drawn_for_that_enterprise():
    recusals = [(1, e) for e in range(1, 11)] + [(2, 3)]
    snap = snapshot(inspectors=[1, 2, 3, 4], recusals=recusals, inspectors_each=2, asked=10)
    for s in range(50):
        for e in draw.draw(seed=f"{s:064x}", snapshot=snap)["enterprises"]:
            assert 1 not in e["inspectors"]
            if e["enterprise"] == 3:
                assert e["inspectors"] == [3, 4]


def test_uniform_draw_is_fair_over_many_seeds():
    n, k, runs = 20, 4, 4000
    snap = snapshot(enterprises=n, asked=k, roles={})
    counts = Counter()
    for s in range(runs):
        seed = hashlib.sha256(str(s).encode()).hexdigest()
        counts.update(e["enterprise"] for e in draw.draw(seed=seed, snapshot=snap)["enterprises"])
    observed = [counts[e] for e in range(1, n + 1)]
    assert sum(observed) == runs * k
    assert chisquare(observed).pvalue > 0.001


def test_staff_draw_is_fair_over_many_seeds():
    snap = snapshot(enterprises=1, asked=1, per_role={"admin_full": 8}, roles={"admin_full": 2})
    counts = Counter()
    for s in range(4000):
        seed = hashlib.sha256(f"staff{s}".encode()).hexdigest()
        counts.update(draw.draw(seed=seed, snapshot=snap)["enterprises"][0]["staff"]["admin_full"])
    assert chisquare(list(counts.values())).pvalue > 0.001


def test_risk_grade_weighting_draws_in_proportion_to_the_weights():
    grades = {1: "A", 2: "B", 3: "C", 4: "D", 5: "D", 6: "A"}
    snap = snapshot(enterprises=6, asked=1, roles={}, weighting="risk_grade", grades=grades)
    runs = 6000
    counts = Counter()
    for s in range(runs):
        seed = hashlib.sha256(f"w{s}".encode()).hexdigest()
        counts.update(e["enterprise"] for e in draw.draw(seed=seed, snapshot=snap)["enterprises"])
    weights = [draw.RISK_GRADE_WEIGHTS[grades[e]] for e in range(1, 7)]
    expected = [runs * w / sum(weights) for w in weights]
    observed = [counts[e] for e in range(1, 7)]
    assert chisquare(observed, expected).pvalue > 0.001
    assert counts[4] > 2.5 * counts[1]


def test_asking_more_enterprises_than_the_scope_has_is_refused():
    with pytest.raises(draw.DrawRefused) as exc:
        draw.draw(seed=SEED, snapshot=snapshot(enterprises=3, asked=4))
    assert exc.value.problems == [("too_many_enterprises", {"asked": 4, "available": 3})]


def test_an_empty_scope_is_refused():
    assert draw.problems(snapshot(enterprises=0)) == [("empty_scope", {})]


def test_asking_more_people_of_a_role_than_an_enterprise_has_is_refused():
    snap = snapshot(per_role={"head": 1}, roles={"head": 2}, enterprises=2, asked=1)
    assert draw.problems(snap) == [
        ("too_few_staff", {"role": "head", "count": 2, "enterprise_ids": [1, 2]})
    ]


def test_an_inspector_pool_too_small_after_recusal_is_refused():
    snap = snapshot(inspectors=[1, 2], recusals=[(1, 2)], inspectors_each=2, enterprises=3)
    assert draw.problems(snap) == [
        ("pool_too_small_after_recusal", {"asked": 2, "enterprise_ids": [2]})
    ]
    snap = snapshot(inspectors=[1], inspectors_each=2)
    assert draw.problems(snap) == [("pool_too_small", {"asked": 2, "available": 1})]


def test_percentage_rounds_up_and_is_at_least_one():
    assert draw.resolve_enterprise_count(mode="percent", value=10, scope_size=95) == 10
    assert draw.resolve_enterprise_count(mode="percent", value=1, scope_size=5) == 1
    assert draw.resolve_enterprise_count(mode="number", value=7, scope_size=5) == 7


def _record(snap, seed=SEED):
    return {
        "seed": seed,
        "seed_hash": draw.seed_hash(seed),
        "snapshot": snap,
        "population_hash": draw.population_hash(snap),
        "result": draw.draw(seed=seed, snapshot=snap),
    }


def test_verify_says_match_for_an_honest_record_and_mismatch_for_a_tampered_one():
    snap = snapshot(inspectors=[1, 2, 3], inspectors_each=1)
    record = _record(snap)
    assert draw.verify(record).verdict == "MATCH"

    swapped = json.loads(json.dumps(record))
    swapped["result"]["enterprises"][0]["enterprise"] = 99
    assert draw.verify(swapped).verdict == "MISMATCH"
    assert not draw.verify(swapped).result_matches

    other_seed = dict(record, seed="cd" * 32)
    assert not draw.verify(other_seed).seed_matches

    shrunk = json.loads(json.dumps(record))
    shrunk["snapshot"]["enterprises"].pop()
    assert not draw.verify(shrunk).population_matches


def test_the_command_line_verifier_needs_only_the_record(tmp_path, capsys):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(_record(snapshot())), encoding="utf-8")
    assert draw.main(["draw.py", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("MATCH")

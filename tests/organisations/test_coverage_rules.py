"""The staffing coverage rules, a pure function: no database."""

from datetime import date

from lms.organisations.coverage import (
    DepartmentFacts,
    GapKind,
    OrganisationFacts,
    group_coverage,
    on_track,
    organisation_coverage,
    target_due,
)


def dept(pk, name, admins, business=True):
    return DepartmentFacts(id=pk, name=name, is_business=business, part_time_admins=admins)


def org(pk, name, *, parent=None, key=False, ccos=0, departments=(), group_level=None):
    return OrganisationFacts(
        id=pk,
        name=name,
        parent_id=parent,
        is_key_subsidiary=key,
        chief_compliance_officers=ccos,
        departments=tuple(departments),
        is_group_level=group_level,
    )


def test_a_group_without_a_chief_compliance_officer_is_a_red_flag():
    result = organisation_coverage(org(1, "集团"))
    assert result.needs_cco
    assert [g.kind for g in result.gaps] == [GapKind.NO_CCO]
    assert result.gaps[0].is_red
    assert result.cco.percent == 0


def test_a_subsidiary_needs_a_chief_compliance_officer_only_when_it_is_a_key_one():
    assert not organisation_coverage(org(2, "子公司", parent=1)).needs_cco
    assert organisation_coverage(org(2, "子公司", parent=1, key=True)).needs_cco


def test_a_non_key_subsidiary_seen_as_the_root_of_its_own_report_still_needs_no_cco():
    result = group_coverage(2, [org(2, "子公司", parent=None, group_level=False)])
    assert not result.organisations[0].needs_cco
    assert result.cco.required == 0


def test_business_departments_need_one_or_two_part_time_administrators():
    result = organisation_coverage(
        org(
            1,
            "集团",
            ccos=1,
            departments=[
                dept(1, "财务部", 1),
                dept(2, "采购部", 0),
                dept(3, "运营部", 3),
                dept(4, "法务合规部", 0, business=False),
            ],
        )
    )
    kinds = {(g.kind, g.department_name) for g in result.gaps}
    assert kinds == {(GapKind.NO_ADMIN, "采购部"), (GapKind.TOO_MANY_ADMINS, "运营部")}
    assert result.administrators.required == 3
    assert result.administrators.filled == 2
    too_many = next(g for g in result.gaps if g.kind == GapKind.TOO_MANY_ADMINS)
    assert not too_many.is_red


def test_the_group_rolls_up_its_subsidiaries_transitively_and_ignores_others():
    facts = [
        org(1, "集团", ccos=1, departments=[dept(1, "财务部", 1)]),
        org(2, "置业", parent=1, key=True, departments=[dept(2, "运营部", 0)]),
        org(3, "置业物业", parent=2, key=False, departments=[dept(3, "客服部", 1)]),
        org(9, "别的企业", ccos=0),
    ]
    result = group_coverage(1, facts)
    assert [o.facts.name for o in result.organisations] == ["集团", "置业", "置业物业"]
    # posts: CCO 集团 (filled) + CCO 置业 (missing) + 3 departments (2 filled)
    assert (result.posts.required, result.posts.filled) == (5, 3)
    assert result.posts.percent == 60
    assert result.red_flags == 2
    assert {g.organisation_name for g in result.gaps} == {"置业"}


def test_a_subsidiarys_report_never_includes_its_parent_or_siblings():
    facts = [
        org(1, "集团", ccos=1),
        org(2, "置业", parent=1, key=True),
        org(3, "建设", parent=1, key=True),
    ]
    result = group_coverage(2, facts)
    assert [o.facts.name for o in result.organisations] == ["置业"]


def test_nothing_required_reads_as_full_coverage():
    result = group_coverage(2, [org(2, "子公司", parent=1)])
    assert result.posts.percent == 100


def test_the_plans_targets_85_by_end_2023_and_100_by_end_2024():
    assert target_due(date(2023, 6, 1)).percent == 85
    assert target_due(date(2023, 12, 31)).percent == 85
    assert target_due(date(2024, 1, 1)).percent == 100
    assert target_due(date(2026, 12, 1)).percent == 100
    assert on_track(85, date(2023, 11, 1))
    assert not on_track(85, date(2024, 3, 1))
    assert on_track(100, date(2025, 1, 1))

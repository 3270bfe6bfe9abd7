"""The page-rights rule on its own (no database): where a person who is not a platform
administrator may use the page permissions their role holds."""

from content.page_permissions import PageRights, page_rights

COURSES = {"000100010001": 7, "000100010002": 8, "000100010003": None}
INDEX = "00010001"


def rights(path, *, index=False, admin_of=(7,)):
    return page_rights(
        page_path=path,
        is_course_index=index,
        course_owners=COURSES,
        admin_org_ids=frozenset(admin_of),
    )


def test_own_organisations_course_and_its_lessons():
    assert rights("000100010001") == PageRights(on_page=True, on_children=True)
    assert rights("0001000100010004") == PageRights(on_page=True, on_children=True)


def test_another_organisations_course_and_its_lessons():
    assert rights("000100010002") == PageRights(on_page=False, on_children=False)
    assert rights("0001000100020001") == PageRights(on_page=False, on_children=False)


def test_a_platform_wide_course_is_nobodys_but_the_platforms():
    assert rights("000100010003") == PageRights(on_page=False, on_children=False)
    assert rights("0001000100030001", admin_of=(7, 8)) == PageRights(False, False)


def test_a_course_index_takes_new_courses_but_is_not_changed():
    assert rights(INDEX, index=True) == PageRights(on_page=False, on_children=True)


def test_other_pages_are_left_alone():
    assert rights("0001") == PageRights(on_page=False, on_children=False)
    assert rights("00010002") == PageRights(on_page=False, on_children=False)  # regulations


def test_without_an_organisation_to_administer_no_course_is_theirs():
    assert rights("000100010001", admin_of=()) == PageRights(False, False)

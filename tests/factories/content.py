"""Course, lesson, regulation and curriculum pages built in code, under the site's home page."""

import itertools

from wagtail.models import Page

from content.models import (
    CourseIndexPage,
    CoursePage,
    Curriculum,
    CurriculumCourse,
    LessonPage,
    RegulationIndexPage,
    RegulationPage,
)

_serial = itertools.count(1)


def home_page() -> Page:
    """The site's home page; rebuilt when a transactional test's flush removed the migration's."""
    home = Page.objects.filter(depth=2).first()
    if home is not None:
        return home.specific
    from wagtail.models import Locale, Site

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="合规学院", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "合规学院"},
    )
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home_page().add_child(instance=CourseIndexPage(title="课程", slug="courses"))
    return index


def regulation_index() -> RegulationIndexPage:
    index = RegulationIndexPage.objects.first()
    if index is None:
        index = home_page().add_child(
            instance=RegulationIndexPage(title="法规库", slug="regulations")
        )
    return index


def course(
    *, title: str | None = None, lessons: int = 2, owner=None, minimum_seconds: int = 0, **fields
) -> CoursePage:
    n = next(_serial)
    page = CoursePage(
        title=title or f"测试课程{n}",
        slug=f"course-{n}",
        summary=fields.pop("summary", "课程简介"),
        owner_organisation=owner,
        **fields,
    )
    course_index().add_child(instance=page)
    for i in range(1, lessons + 1):
        lesson(page, title=f"第{i}课", minimum_seconds=minimum_seconds)
    return page


def lesson(
    course_page: CoursePage, *, title: str | None = None, minimum_seconds: int = 0, body=None
):
    n = next(_serial)
    page = LessonPage(
        title=title or f"课时{n}",
        slug=f"lesson-{n}",
        minimum_seconds=minimum_seconds,
        body=body or [{"type": "rich_text", "value": "<p>合规管理人员应当熟悉相关法律法规。</p>"}],
    )
    course_page.add_child(instance=page)
    return page


def regulation(*, title: str = "测试法规", **fields) -> RegulationPage:
    n = next(_serial)
    page = RegulationPage(
        title=title,
        slug=f"regulation-{n}",
        issuing_authority=fields.pop("authority", "市场监管总局"),
        **fields,
    )
    regulation_index().add_child(instance=page)
    return page


def curriculum(*, courses, owner=None, name: str | None = None, **fields) -> Curriculum:
    item = Curriculum.objects.create(
        name=name or f"培训方案{next(_serial)}", owner_organisation=owner, **fields
    )
    for order, c in enumerate(courses):
        CurriculumCourse.objects.create(curriculum=item, course=c, sort_order=order)
    return item

import pytest
from django.core.exceptions import ValidationError

from content.models import CourseIndexPage, CoursePage, LessonPage, RegulationClause
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def test_a_learner_sees_a_course_with_its_facts_and_lessons(client, learner, course):
    course.credit_hours = 2
    course.estimated_minutes = 45
    course.domains.add("反商业贿赂")
    course.save_revision().publish()
    client.force_login(learner.user)
    page = client.get(course.url).content.decode()
    assert "新员工合规必修课" in page
    assert "反商业贿赂" in page and "45" in page
    assert page.count('class="lesson-list"') == 1
    assert "第1课" in page and "第3课" in page


def test_course_pages_ask_strangers_to_sign_in(client, course):
    response = client.get(course.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_learner_of_another_organisation_gets_404_on_a_private_course(
    client, org, other_org, course
):
    private = cf.course(title="云集内部数据保护课", owner=org, lessons=1)
    lesson = LessonPage.objects.child_of(private).first()
    outsider = person(other_org)
    client.force_login(outsider.user)
    assert client.get(private.url).status_code == 404
    assert client.get(lesson.url).status_code == 404
    assert client.get(course.url).status_code == 200  # platform-wide courses stay open
    index = client.get(cf.course_index().url).content.decode()
    assert "云集内部数据保护课" not in index
    insider = person(org)
    client.force_login(insider.user)
    assert client.get(private.url).status_code == 200
    assert "云集内部数据保护课" in client.get(cf.course_index().url).content.decode()


def test_search_finds_courses_and_regulations_but_not_others_private_courses(
    client, org, other_org
):
    cf.course(title="网络交易平台合规管理主体责任", summary="平台企业合规负责人的职责")
    cf.course(title="平台内部合规手册", owner=other_org, summary="平台企业内部课程")
    reg = cf.regulation(title="关于推动网络交易平台企业落实合规管理主体责任的指导意见")
    RegulationClause.objects.create(page=reg, number="（五）", text="合规负责人主要承担下列职责")
    client.force_login(person(org).user)
    page = client.get("/search/", {"q": "平台"}).content.decode()
    assert "网络交易平台合规管理主体责任" in page
    assert "关于推动网络交易平台企业落实合规管理主体责任的指导意见" in page
    assert "平台内部合规手册" not in page
    # the old address, from bookmarks and e-mails, still finds the same results
    moved = client.get("/learn/search/", {"q": "平台"})
    assert moved.status_code == 301
    assert moved["Location"] == "/search/?q=%E5%B9%B3%E5%8F%B0"


def test_a_regulation_page_shows_its_facts_and_clauses(client, learner):
    reg = cf.regulation(
        title="市国资委监管企业合规管理工作方案", document_number="国资发〔2023〕1号"
    )
    for n, (number, text) in enumerate([("1.", "企业主要负责人……"), ("2.", "各企业应当……")]):
        RegulationClause.objects.create(
            page=reg,
            number=number,
            heading="二、重点任务\n(一)落实合规管理责任",
            text=text,
            sort_order=n,
        )
    page = client.get(reg.url).content.decode()
    assert "国资发〔2023〕1号" in page
    assert page.count("落实合规管理责任") == 1 and page.count("二、重点任务") == 1
    assert "各企业应当……" in page


def test_page_types_keep_the_tree_sane():
    assert CoursePage.can_create_at(cf.course_index())
    assert not CoursePage.can_create_at(cf.regulation_index())
    assert not LessonPage.can_create_at(cf.course_index())
    assert CourseIndexPage.can_create_at(cf.home_page())
    assert LessonPage.subpage_types == []


def test_a_video_block_needs_a_file_or_an_embed():
    from content.blocks import VideoBlock

    with pytest.raises(ValidationError):
        VideoBlock().clean({"title": "x", "file": None, "embed": None})

"""The regulator portal, the enterprise's view and the public page, and who may see what."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.spotchecks import services
from assessments.spotchecks.models import Campaign, DrawnEnterprise, DrawnPerson, Rectification
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import person
from tests.factories.spotchecks import make_campaign, make_world, run_to_drawn

pytestmark = pytest.mark.django_db


def closed(world, **fields) -> Campaign:
    campaign = run_to_drawn(world, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.campaign_start(campaign=campaign, actor=world.officer)
    return services.campaign_close(campaign=campaign, actor=world.officer)


def test_a_regulator_creates_commits_and_draws_through_the_portal(client, world):
    client.force_login(world.officer)
    now = timezone.localtime()
    response = client.post(
        reverse("spotchecks:campaign_new"),
        {
            "title": "网络交易平台合规人员抽查",
            "scope_sectors": ["online_platform"],
            "scope_region_prefix": "3301",
            "enterprise_count_mode": "number",
            "enterprise_count_value": "2",
            "weighting": "risk_grade",
            "role_admin_full": "1",
            "inspectors_per_enterprise": "1",
            "blueprint": world.blueprint.pk,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "pass_mark": "60",
            "verdict_rule": "all_pass",
            "verdict_min_percent": "80",
            "rectification_days": "30",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.roles == {"admin_full": 1} and campaign.weighting == "risk_grade"
    page = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk]))
    assert page.context["scope_size"] == 4 and page.context["problems"] == []

    client.post(reverse("spotchecks:campaign_commit", args=[campaign.pk]))
    public = client.get(reverse("spotchecks:public_detail", args=[campaign.pk]))
    assert campaign.draw.seed_hash in public.content.decode()
    assert campaign.draw.seed not in public.content.decode()

    client.post(reverse("spotchecks:campaign_draw", args=[campaign.pk]))
    page = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk]))
    assert page.context["verification"].verdict == "MATCH"
    assert len(page.context["progress"]) == 2


def test_a_form_asking_too_much_shows_why_and_commit_is_refused(client, world):
    client.force_login(world.officer)
    campaign = make_campaign(world, enterprise_count_value=9)
    page = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk]))
    assert "要求抽取9家企业，但范围内只有4家。" in page.context["problems"]
    response = client.post(reverse("spotchecks:campaign_commit", args=[campaign.pk]), follow=True)
    assert "要求抽取9家企业" in response.content.decode()
    english = client.get(f"/en/spotchecks/{campaign.pk}/")
    assert "You asked for 9 enterprises but the scope has only 4." in english.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_editing_a_committed_campaign_is_refused(client, world):
    client.force_login(world.officer)
    campaign = make_campaign(world)
    services.campaign_commit(campaign=campaign, actor=world.officer)
    response = client.post(
        reverse("spotchecks:campaign_edit", args=[campaign.pk]), {"title": "x"}, follow=True
    )
    assert "范围和数量不能再修改" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.title != "x"


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("spotchecks:campaign_list", []),
        ("spotchecks:campaign_new", []),
        ("spotchecks:dashboard", []),
        ("spotchecks:recusals", []),
    ],
)
def test_enterprise_people_cannot_open_regulator_pages(client, world, url_name, args):
    head = world.heads[world.enterprises[0].pk]
    client.force_login(head)
    assert client.get(reverse(url_name, args=args)).status_code == 403


def test_an_enterprise_user_cannot_reach_a_campaign_or_act_on_it(client, world):
    campaign = make_campaign(world)
    client.force_login(world.heads[world.enterprises[0].pk])
    for name in ("campaign_detail", "campaign_edit", "campaign_export", "campaign_progress"):
        assert client.get(reverse(f"spotchecks:{name}", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("spotchecks:campaign_commit", args=[campaign.pk])).status_code == 403


def test_a_regulator_cannot_reach_another_regulators_campaign_or_jurisdiction(client, world):
    other = make_world(enterprises=1, region="440100")
    campaign = make_campaign(world)
    client.force_login(other.officer)
    assert client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("spotchecks:campaign_draw", args=[campaign.pk])).status_code == 404
    # the form offers only its own jurisdiction: another's enterprise is not a valid choice
    response = client.post(
        reverse("spotchecks:campaign_new"),
        {"title": "越界", "include": [world.enterprises[0].pk]},
    )
    assert response.status_code == 200
    assert "include" in response.context["form"].errors


def test_the_compliance_head_sees_the_firm_was_drawn_and_who_but_not_other_firms(client, world):
    campaign = run_to_drawn(world, enterprise_count_value=4)
    mine, theirs = DrawnEnterprise.objects.filter(campaign=campaign)[:2]
    head = world.heads[mine.enterprise_id]
    client.force_login(head)
    listing = client.get(reverse("spotchecks:enterprise_list"))
    assert list(listing.context["draws"]) == [mine]
    detail = client.get(reverse("spotchecks:enterprise_detail", args=[mine.pk]))
    drawn_name = DrawnPerson.objects.filter(drawn_enterprise=mine).first().user.full_name
    assert drawn_name in detail.content.decode()
    question_stem = world.blueprint.bank.questions.first().stem
    assert question_stem not in detail.content.decode()
    assert client.get(reverse("spotchecks:enterprise_detail", args=[theirs.pk])).status_code == 404


def test_a_plain_employee_cannot_see_the_firms_spot_checks(client, world):
    learner = person(world.enterprises[0], role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(learner.user)
    assert client.get(reverse("spotchecks:enterprise_list")).status_code == 403


def test_another_firms_rectification_is_404_and_the_own_firm_answers_it(client, world):
    campaign = closed(world, enterprise_count_value=2)
    first, second = Rectification.objects.filter(drawn_enterprise__campaign=campaign)
    head = world.heads[first.drawn_enterprise.enterprise_id]
    client.force_login(head)
    assert client.get(reverse("spotchecks:rectification", args=[second.pk])).status_code == 404

    url = reverse("spotchecks:rectification", args=[first.pk])
    bad = client.post(
        url, {"text": "整改", "attachments": [SimpleUploadedFile("a.exe", b"MZ", "x/y")]}
    )
    assert bad.status_code == 400
    assert "a.exe 的文件类型不允许" in bad.content.decode()
    good = client.post(
        url,
        {
            "text": "整改完成",
            "attachments": [SimpleUploadedFile("r.pdf", b"%PDF-1.4", "application/pdf")],
        },
    )
    assert good.status_code == 302
    attachment = first.reports.get().attachments.get()
    download = reverse("spotchecks:rectification_attachment", args=[first.pk, attachment.pk])
    assert client.get(download).status_code == 200

    client.force_login(world.heads[second.drawn_enterprise.enterprise_id])
    assert client.get(download).status_code == 404

    client.force_login(world.officer)
    client.post(url, {"decision": "accept", "comment": ""})
    first.refresh_from_db()
    assert first.status == "accepted"


def test_the_public_page_shows_verdicts_and_the_record_without_personal_data(client, world):
    campaign = closed(world, enterprise_count_value=2)
    response = client.get(reverse("spotchecks:public_detail", args=[campaign.pk]))
    html = response.content.decode()
    assert response.context["verification"].verdict == "MATCH"
    assert "MATCH" in html and campaign.draw.seed in html
    for drawn in DrawnEnterprise.objects.filter(campaign=campaign):
        assert drawn.enterprise.name in html
    for p in DrawnPerson.objects.filter(campaign=campaign).select_related("user"):
        assert p.user.full_name not in html and p.user.email not in html

    record = client.get(reverse("spotchecks:public_record", args=[campaign.pk])).json()
    from assessments.spotchecks import draw as pure_draw

    assert pure_draw.verify(record).verdict == "MATCH"
    assert "full_name" not in str(record) and "@" not in str(record)

    export = client.get(reverse("spotchecks:public_export", args=[campaign.pk]))
    book = load_workbook(BytesIO(export.content))
    assert book.sheetnames[0] and book.worksheets[0].max_row == 3  # header + 2 firms
    assert all(
        p.user.full_name not in str(list(book.worksheets[0].values))
        for p in DrawnPerson.objects.all()
    )


def test_the_public_record_of_a_running_campaign_withholds_the_population(client, world):
    campaign = run_to_drawn(world)
    record = client.get(reverse("spotchecks:public_record", args=[campaign.pk])).json()
    assert record["seed_hash"] and record["snapshot"] is None and record["result"] is None
    draft = make_campaign(world)
    assert client.get(reverse("spotchecks:public_detail", args=[draft.pk])).status_code == 404


def test_the_regulator_export_and_dashboard(client, world):
    campaign = closed(world, enterprise_count_value=2)
    client.force_login(world.officer)
    export = client.get(reverse("spotchecks:campaign_export", args=[campaign.pk]))
    book = load_workbook(BytesIO(export.content))
    assert len(book.sheetnames) == 3 and book.worksheets[1].max_row == 3  # header + 2 people
    dashboard = client.get(reverse("spotchecks:dashboard"))
    data = dashboard.context["data"]
    assert data.open_rectifications == 2
    assert [(r.checked, r.passed) for r in data.by_sector] == [(2, 0)]
    assert "<svg" in dashboard.content.decode()


def test_a_drawn_person_sees_the_spot_check_and_a_link_to_the_exam(client, world):
    campaign = run_to_drawn(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.campaign_start(campaign=campaign, actor=world.officer)
    drawn = DrawnPerson.objects.filter(campaign=campaign).first()
    client.force_login(drawn.user)
    page = client.get(reverse("spotchecks:my_spot_checks"))
    campaign.refresh_from_db()
    assert reverse("assessments:exam_start", args=[campaign.exam_id]) in page.content.decode()

"""A notice is written when it is read: in English under /en/, in Chinese otherwise, and its
e-mail in the language the recipient chose (else Chinese). Notices from before keep their text."""

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from lms.notifications.models import Notification
from lms.notifications.services import notification_send
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

OVERDUE = {"course": "数据合规", "due": "2026-11-20"}


@pytest.fixture
def learner(org):
    return person(org, role=ComplianceRole.NONE).user


def test_a_notice_reads_in_english_for_an_english_reader_and_in_chinese_for_a_chinese_one(
    client, learner
):
    cf.course(title="数据合规")  # the site's home page, where unread notices show too
    notification_send(user=learner, key="overdue:1", kind="overdue", params=OVERDUE, link="/learn/")
    client.force_login(learner)

    chinese = client.get("/notifications/").content.decode()
    assert "必修课程“数据合规”已于 2026-11-20 到期，尚未完成" in chinese
    assert "已逾期" in chinese and "was due" not in chinese
    assert 'href="/learn/"' in chinese

    english = client.get("/en/notifications/").content.decode()
    assert "The mandatory course “数据合规” was due on 2026-11-20" in english
    assert "Overdue" in english and "已逾期" not in english
    assert 'href="/en/learn/"' in english, "the link leads to the page in the reader's language"

    home = client.get("/en/").content.decode()
    assert 'id="panel-notices"' in home and "Course overdue: 数据合规" in home


def test_the_e_mail_is_in_the_language_the_recipient_chose_else_in_chinese(learner, org):
    other = person(org, role=ComplianceRole.NONE).user
    UserProfile.objects.create(user=learner, preferred_language="en")

    notification_send(user=learner, key="overdue:en", kind="overdue", params=OVERDUE)
    notification_send(user=other, key="overdue:zh", kind="overdue", params=OVERDUE)

    english, chinese = mail.outbox
    assert english.to == [learner.email] and english.subject.startswith("Course overdue")
    assert "was due on 2026-11-20" in english.body
    assert chinese.to == [other.email] and chinese.subject.startswith("课程已逾期")
    # the notice keeps the platform's wording too, for whatever cannot render it
    assert Notification.objects.get(key="overdue:en").subject.startswith("课程已逾期")


def test_a_notice_from_before_params_existed_still_shows_its_text(client, learner):
    Notification.objects.create(
        user=learner, key="old", kind="assigned", subject="新的必修课程：旧课程", body="旧正文"
    )
    Notification.objects.create(
        user=learner, key="gone", kind="no_longer_registered", subject="某通知"
    )
    client.force_login(learner)
    for url in ("/notifications/", "/en/notifications/"):
        page = client.get(url).content.decode()
        assert "新的必修课程：旧课程" in page and "旧正文" in page and "某通知" in page
    assert "no_longer_registered" not in client.get("/notifications/").content.decode()
    assert "Notice" in client.get("/en/notifications/").content.decode()


def test_a_notice_whose_params_its_kind_cannot_read_shows_the_text_it_was_sent_with(
    client, learner
):
    Notification.objects.create(
        user=learner,
        key="odd",
        kind="overdue",
        params={"unexpected": 1},
        subject="课程已逾期：某课",
    )
    client.force_login(learner)
    assert "课程已逾期：某课" in client.get("/en/notifications/").content.decode()


def test_marking_all_as_read_clears_the_badge_and_the_old_address_still_leads_here(client, learner):
    notification_send(user=learner, key="overdue:1", kind="overdue", params=OVERDUE)
    client.force_login(learner)
    assert client.get("/learn/notifications/").url == "/notifications/"
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()

"""Every kind of notice is written out in English and in Chinese (no database: renderers are
pure), and none leaves an English sentence in the Chinese text."""

import re

import pytest
from django.utils import translation

from lms.notifications import kinds

SAMPLES = {
    "assigned": {
        "courses": [{"title": "数据合规", "due": "2026-12-31"}, {"title": "反垄断", "due": None}]
    },
    "before_due": {"course": "数据合规", "due": "2026-12-31"},
    "due": {"course": "数据合规", "due": "2026-12-31"},
    "overdue": {"course": "数据合规", "due": "2026-11-20"},
    "escalation": {
        "person": "张三",
        "department": "商家管理部",
        "course": "数据合规",
        "due": "2026-11-20",
    },
    "roster": {
        "failed": False,
        "file": "2026年花名册",
        "organisation": "云集优选",
        "created": 3,
        "updated": 1,
        "unchanged": 9,
        "error": "",
    },
    "exam": {"title": "2026年度合规考试", "closes": "2026-12-31 18:00"},
    "pre_appointment_exam": {
        "title": "任前考试",
        "position": "合规负责人",
        "closes": "2026-12-31 18:00",
    },
    "spotcheck_drawn": {
        "title": "2026年抽查",
        "regulator": "杭州市市场监督管理局",
        "closes": "2026-12-31 18:00",
    },
    "spotcheck_failed": {
        "title": "2026年抽查",
        "regulator": "杭州市市场监督管理局",
        "enterprise": "云集优选",
        "passed": 1,
        "drawn": 3,
    },
    "rectification_demanded": {
        "title": "2026年抽查",
        "regulator": "杭州市市场监督管理局",
        "enterprise": "云集优选",
        "deadline": "2027-01-31",
    },
    "rectification_returned": {
        "title": "2026年抽查",
        "regulator": "杭州市市场监督管理局",
        "enterprise": "云集优选",
        "comment": "缺少签到表",
    },
    "certificate": {
        "name": "张三",
        "serial": "HG-2026-000001",
        "title": "合规管理员证书",
        "date": "2027-01-31",
    },
    "records": {
        "step": "reported",
        "nature": "未按规定审核商家资质",
        "date": "2026-11-20",
        "due": "2026-11-27",
    },
}
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}\b")


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_a_kind_reads_in_english_and_in_chinese(code):
    kind = kinds.get(code)
    assert kind is not None, f"{code} is not registered"
    with translation.override("en"):
        english = " ".join(kind.render(SAMPLES[code]))
        label = str(kind.label)
    with translation.override("zh-hans"):
        chinese = " ".join(kind.render(SAMPLES[code]))
        chinese_label = str(kind.label)
    assert english != chinese and label != chinese_label
    assert not ENGLISH_WORDS.findall(chinese), chinese
    assert not ENGLISH_WORDS.findall(chinese_label)

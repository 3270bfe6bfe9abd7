"""The text a holder acknowledges is made from plain values (no database)."""

from django.utils import translation

from lms.dutylists import text


def test_the_text_lists_the_duties_with_their_basis_and_the_holder():
    with translation.override("zh-hans"):
        rendered = text.render(
            organisation="测试云集有限公司",
            position="采购专员",
            version=2,
            duties=[
                text.Duty(
                    "不收受回扣。", clauses=("《反不正当竞争法》第七条",), domains=("反商业贿赂",)
                ),
                text.Duty("审核供应商资质。"),
            ],
            name="钱采购",
            employee_number="YJ-088",
            date="2026年3月1日",
        )
    lines = rendered.splitlines()
    assert "采购专员" in lines[0] and "2" in lines[0]
    assert lines[1] == "一、不收受回扣。"
    assert "《反不正当竞争法》第七条" in lines[2] and "反商业贿赂" in lines[3]
    assert lines[4] == "二、审核供应商资质。"
    assert "钱采购" in rendered and "YJ-088" in rendered and lines[-1] == "2026年3月1日"


def test_items_past_ten_are_numbered_in_digits():
    assert text.ordinal(1) == "一" and text.ordinal(10) == "十" and text.ordinal(11) == "11"

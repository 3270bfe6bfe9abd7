"""Numbers, yes/no and choice codes read as words (lms/display.py), never as Python prints them."""

from decimal import Decimal

from django.utils import translation

from lms import display


def test_a_decimal_score_reads_as_written_on_paper():
    assert display.number(Decimal("1E+1")) == "10"
    assert display.number(Decimal("7.50")) == "7.5"
    assert display.number(Decimal("0.00")) == "0"
    assert display.number(2.5) == "2.5"
    assert display.number(3) == "3"


def test_yes_no_and_nothing_read_in_the_readers_language():
    with translation.override("zh-hans"):
        assert display.for_people(True) == "是"
        assert display.for_people(False) == "否"
    with translation.override("en"):
        assert display.for_people(True) == "Yes"
    assert display.for_people(None) == display.EMPTY


def test_a_list_of_choice_codes_reads_as_their_labels():
    class Field:
        class base_field:
            choices = [("online_platform", "网络平台"), ("finance", "金融")]

    assert display.for_people(["online_platform", "finance"], Field) == "网络平台、金融"
    assert display.for_people([], Field) == display.EMPTY

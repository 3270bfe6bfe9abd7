"""Checking unified social credit codes: a pure function, no database."""

import pytest

from lms.organisations import credit_code


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91110000600037341L", " 91350100m000100y43 "],
)
def test_a_valid_code_is_accepted_and_normalised(code):
    assert credit_code.validate(code) == code.strip().upper()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M00010OY43", "character"),  # letter O is not in the alphabet
        ("91A50100M000100Y43", "region"),
    ],
)
def test_a_bad_code_is_refused_with_its_reason(code, reason):
    with pytest.raises(credit_code.CreditCodeError) as exc:
        credit_code.validate(code)
    assert exc.value.reason == reason


def test_every_single_character_typo_is_caught():
    good = "91350100M000100Y43"
    for i in range(17):
        for ch in credit_code.ALPHABET:
            if ch == good[i]:
                continue
            typo = good[:i] + ch + good[i + 1 :]
            if typo[2:8].isdigit():
                with pytest.raises(credit_code.CreditCodeError):
                    credit_code.validate(typo)


def test_complete_appends_the_right_check_character():
    assert credit_code.complete("91350100M000100Y4") == "91350100M000100Y43"
    assert credit_code.region_of("91350100M000100Y43") == "350100"

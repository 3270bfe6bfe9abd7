"""Serial numbers and their check character, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import serials

years = st.integers(min_value=2000, max_value=2099)
numbers = st.integers(min_value=1, max_value=10**8 - 1)


def test_a_serial_has_year_number_and_check_character():
    serial = serials.format_serial(year=2026, number=12345)
    assert serial.startswith("HG-2026-00012345-")
    assert serials.parse(serial) == serial


def test_known_check_characters_stay_stable():
    # Published serials must verify forever: pin the computation to hand-checked values.
    # 2026 00000001: 2*1 + 0*3 + 2*9 + 6*27 + 1*(3^11 mod 31 = 13) = 195 = 6*31 + 9
    # → value 31 - 9 = 22 → "N" (the alphabet skips I and O)
    assert serials.format_serial(year=2026, number=1) == "HG-2026-00000001-N"
    assert (
        serials.format_serial(year=2026, number=12345) == "HG-2026-00012345-5"
    )  # 491 = 15*31 + 26 → 5


def test_typed_carelessly_it_still_parses():
    serial = serials.format_serial(year=2026, number=42)
    sloppy = " " + serial.lower().replace("-", "－") + " "
    assert serials.parse(sloppy) == serial


@pytest.mark.parametrize("text", ["", "HG-2026-123-K", "XX-2026-00012345-K", "HG202600012345K"])
def test_malformed_serials_are_refused_as_format_errors(text):
    with pytest.raises(serials.SerialError) as exc:
        serials.parse(text)
    assert exc.value.reason == "format"


def test_a_wrong_check_character_is_refused():
    serial = serials.format_serial(year=2026, number=12345)
    for wrong in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if wrong == serial[-1]:
            continue
        with pytest.raises(serials.SerialError) as exc:
            serials.parse(serial[:-1] + wrong)
        assert exc.value.reason == "check"


@given(years, numbers)
def test_every_single_mistyped_digit_is_caught(year, number):
    digits = f"{year:04d}{number:08d}"
    check = serials.check_character(digits)
    for position in range(len(digits)):
        for replacement in "0123456789":
            if replacement != digits[position]:
                changed = digits[:position] + replacement + digits[position + 1 :]
                assert not serials.is_check_valid(changed, check)


@given(years, numbers)
def test_every_swap_of_neighbouring_digits_is_caught(year, number):
    digits = f"{year:04d}{number:08d}"
    check = serials.check_character(digits)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert not serials.is_check_valid(swapped, check)


def test_numbers_out_of_range_are_refused():
    with pytest.raises(serials.SerialError):
        serials.format_serial(year=2026, number=10**8)

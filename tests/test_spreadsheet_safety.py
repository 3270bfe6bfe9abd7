"""Exports never hand Excel or WPS a formula; importing an export gives back the same values."""

from hypothesis import given
from hypothesis import strategies as st

from lms.spreadsheets import neutralise_cell, restore_cell

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1",
]


def test_every_formula_trigger_is_neutralised():
    for payload in PAYLOADS:
        assert neutralise_cell(payload) == "'" + payload
    assert neutralise_cell("张三") == "张三"
    assert neutralise_cell(42) == 42


@given(st.text())
def test_the_round_trip_is_exact(text):
    assert restore_cell(neutralise_cell(text)) == text


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula(text):
    assert not neutralise_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))

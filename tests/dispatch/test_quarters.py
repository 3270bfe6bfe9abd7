"""Calendar quarters (pure, no database): bounds, the quarter just ended, what an address may
name."""

from datetime import date

from lms.dispatch.quarters import Quarter, last_closed, parse_quarter, quarter_of, quarters_of_year


def test_a_quarter_knows_its_first_and_last_day():
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter(2024, 1).contains(date(2024, 2, 29))
    assert Quarter(2026, 4).end == date(2026, 12, 31)
    assert not Quarter(2026, 2).contains(date(2026, 7, 1))
    assert Quarter(2026, 4).following() == Quarter(2027, 1)


def test_the_quarter_just_ended_and_the_quarters_begun():
    assert quarter_of(date(2026, 12, 1)) == Quarter(2026, 4)
    assert last_closed(date(2026, 12, 1)) == Quarter(2026, 3)
    assert last_closed(date(2026, 1, 1)) == Quarter(2025, 4)
    assert [q.quarter for q in quarters_of_year(2026, date(2026, 5, 2))] == [1, 2]
    assert len(quarters_of_year(2025, date(2026, 5, 2))) == 4


def test_only_a_real_quarter_is_read_from_an_address():
    assert parse_quarter("2026-Q3") == Quarter(2026, 3)
    assert parse_quarter("2026-q1") == Quarter(2026, 1)
    for text in ("", None, "2026-Q5", "2026-Q0", "二〇二六-Q1", "2026-Q²", "1999-Q1", "2026"):
        assert parse_quarter(text) is None, text

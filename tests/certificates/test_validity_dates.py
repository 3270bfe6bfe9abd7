from datetime import date

from certificates.dates import add_months, expiry_for


def test_twelve_months_later_is_the_same_day_next_year():
    assert expiry_for(date(2026, 3, 5), 12) == date(2027, 3, 5)


def test_a_month_without_the_day_ends_on_its_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_no_validity_means_no_expiry():
    assert expiry_for(date(2026, 3, 5), 0) is None

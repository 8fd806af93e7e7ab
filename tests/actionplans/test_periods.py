import datetime as dt

from actionplans import periods


def test_financial_year_runs_april_to_march_with_paper_label():
    period = periods.containing("financial_year", dt.date(2023, 2, 10))
    assert (period.start, period.end, period.label) == (
        dt.date(2022, 4, 1), dt.date(2023, 3, 31), "2022-23")


def test_quarter_and_month_labels():
    assert periods.containing("quarter", dt.date(2021, 5, 2)).label == "2021 Q2"
    assert periods.containing("month", dt.date(2019, 1, 31)).label == "2019-01"


def test_last_closed_period_is_the_one_before_today():
    today = dt.date(2025, 1, 15)
    assert periods.last_closed("month", today).label == "2024-12"
    assert periods.last_closed("calendar_year", today).label == "2024"
    assert periods.last_closed("financial_year", today).label == "2023-24"
    assert periods.last_closed("quarter", today).label == "2024 Q4"


def test_months_in_a_year_is_twelve():
    assert periods.months_in(periods.containing("financial_year", dt.date(2022, 6, 1))) == 12

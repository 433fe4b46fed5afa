"""Dutch dates: one small module, the same words as CLDR (babel) writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.model.dates import build_date, nl_date


def test_known_dates_as_a_dutch_reader_writes_them():
    assert nl_date(dt.date(2019, 1, 1)) == "1 januari 2019"
    assert nl_date(dt.date(2018, 10, 30)) == "30 oktober 2018"
    assert nl_date(dt.date(2021, 9, 1)) == "1 september 2021"
    assert nl_date(None) == ""


def test_every_day_of_a_leap_year_matches_babel():
    from babel.dates import format_date  # installed with mkdocs-material; only the test uses it

    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        assert nl_date(day) == format_date(day, format="long", locale="nl")
        day += dt.timedelta(days=1)


def test_build_date_option_then_environment_then_today(monkeypatch):
    monkeypatch.delenv("MELDCODE_BUILD_DATE", raising=False)
    assert build_date() == dt.date.today()
    monkeypatch.setenv("MELDCODE_BUILD_DATE", "2025-03-04")
    assert build_date() == dt.date(2025, 3, 4)
    assert build_date("2020-02-29") == dt.date(2020, 2, 29)
    monkeypatch.setenv("MELDCODE_BUILD_DATE", "2021-02-30")
    with pytest.raises(ValueError, match="MELDCODE_BUILD_DATE.*'2021-02-30' is not a date"):
        build_date()

"""Dates as a Dutch reader writes them, and the one day a build is "today".

Kept apart and free of dependencies so that the checks can word their
messages without loading a rendering library.
"""

from __future__ import annotations

import datetime as dt
import os

BUILD_DATE_ENV = "MELDCODE_BUILD_DATE"

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def nl_date(value: dt.date | None) -> str:
    """'1 januari 2019': the long Dutch form (as CLDR's nl 'long' format)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def nl_month(value: dt.date | None) -> str:
    """'augustus 2024': a month as a Dutch heading writes it."""
    return f"{MONTHS[value.month - 1]} {value.year}" if value else ""


def build_date(option: str | None = None) -> dt.date:
    """The day to build or check as: the given option, else $MELDCODE_BUILD_DATE, else today.

    Resolved once by each adapter (MkDocs plugin, command line) and passed down.
    """
    value = option or os.environ.get(BUILD_DATE_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{BUILD_DATE_ENV} or build_date: '{value}' is not a date as YYYY-MM-DD") from None

"""Days as the playbook writes them (`YYYY-MM-DD`, UTC), and the arithmetic its reviews need."""

from __future__ import annotations

import datetime
import os
import re

from playbook.content.errors import PlaybookError


def add_months(day: str, months: int) -> str:
    """`add_months("2026-01-31", 1)` → `"2026-02-28"`."""
    year, month, dom = (int(part) for part in day.split("-"))
    month0 = month - 1 + months
    year, month = year + month0 // 12, month0 % 12 + 1
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    dom = min(dom, (first_of_next - datetime.timedelta(days=1)).day)  # not `calendar`: 2 ms to import
    return f"{year:04d}-{month:02d}-{dom:02d}"


def plus_days(day: str, days: int) -> str:
    """`plus_days("2026-01-30", 5)` → `"2026-02-04"`."""
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


def build_date() -> str:
    """Today in UTC, or the day SOURCE_DATE_EPOCH names, so a rebuild of one commit can match byte for byte.

    UTC, as MkDocs dates its sitemap: the local time zone of the build machine changes nothing.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def today() -> str:
    """Today on this machine's calendar, for commands a person runs (`playbook bump`)."""
    return datetime.date.today().isoformat()


def check_date(day: str, option: str = "--date") -> str:
    """`day` if it is a real YYYY-MM-DD date, else a clear error."""
    try:
        valid = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)) and bool(datetime.date.fromisoformat(day))
    except ValueError:
        valid = False
    if not valid:
        raise PlaybookError(f"{option} must be a date like 2026-01-05, got '{day}'")
    return day

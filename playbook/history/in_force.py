"""When each version of each standard was in force, from git history and `effective` dates.

Feeds the "In force on a date" page, the data its date picker reads (`api/in-force.json`) and the
Atom feed of changes as they take effect.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

from playbook.content.catalog import Catalog
from playbook.content.model import Standard
from playbook.content.status import BINDING
from playbook.history.snapshots import History
from playbook.site.markup import link, table, text
from playbook.site.urls import archived_uri, page_url

IN_FORCE_DATA = "api/in-force.json"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """From `start` until the next period, this version of a standard held, with this status."""

    start: str
    """The first day, `YYYY-MM-DD`."""
    version: str
    status: str
    url: str
    """The version's page, site-relative: archived, or the standard's own for the current version."""
    src: str
    """The source path of that page, for links from generated Markdown."""


@dataclass(frozen=True)
class Timeline:
    """One standard's periods, in the order they began."""

    id: str
    title: str
    url: str
    src: str
    periods: tuple[Period, ...]

    def on(self, day: str) -> Period | None:
        """The period that held on `day` (an ISO date), or None before the first."""
        found = None
        for period in self.periods:
            if period.start <= day:
                found = period
        return found


def timelines(catalog: Catalog, history: History, today: str) -> list[Timeline]:
    """For each standard, the dates from which each of its versions and statuses held.

    A version coming into force does so on its `effective` date; if that date was carried over
    from the version before (`playbook bump` leaves it), not before the day it was committed.
    Other moves (a deprecation, say) count from the day they were committed, and a working-tree
    change not yet committed from `today`. An `effective` date moved while the version still awaited
    it is taken at its new value; once a version is in force, a later edit of the date does not
    rewrite the days it applied.
    """
    out = []
    for s in catalog.of_kind(Standard):
        h = history.of(s.id)
        states = [(snap.data, snap.date) for snap in h.snapshots]
        if not states or states[-1][0] != s.doc.data:
            states.append((s.doc.data, today if h.snapshots else ""))
        rows: list[Period] = []
        archived = {v.version for v in h.versions if v.version != s.version}
        last: tuple[str, str] | None = None
        in_force_since = ""  # the effective date of the last state in force
        awaited: int | None = None  # the row of a version approved but not yet in force
        for data, committed in states:
            version, status = str(data.get("version", "")), str(data.get("status", ""))
            effective = str(data.get("effective") or "")
            if not _DAY.fullmatch(effective):
                effective = ""  # an unchecked commit's value: the feed and the date picker need a date
            if last == (version, status):
                if (
                    awaited is not None
                    and effective
                    and effective != in_force_since
                    and committed < rows[awaited].start
                ):
                    rows[awaited] = dataclasses.replace(rows[awaited], start=effective)  # moved before it came
                    in_force_since = effective
                continue
            awaited = None
            was_in_force = last is not None and last[0] == version and last[1] in BINDING
            comes_into_force = status in BINDING and not was_in_force
            start = committed
            if comes_into_force and effective:
                # a date carried over from the version before is not this one's: it binds from its commit
                start = effective if effective != in_force_since else max(effective, committed)
            if status in BINDING:
                in_force_since = effective
            if start:
                src, url = archived_uri(s, version) if version in archived else (s.src_uri, page_url(s.src_uri))
                rows.append(Period(start, version, status, url, src))
                if comes_into_force and start > committed:
                    awaited = len(rows) - 1
            last = (version, status)
        rows.sort(key=lambda r: r.start)  # stable: moves on the same day keep their commit order
        out.append(Timeline(s.id, s.title, page_url(s.src_uri), s.src_uri, tuple(rows)))
    return out


def in_force_json(standards: list[Timeline], today: str) -> str:
    """The data the date picker reads: site-relative URLs, no source paths."""
    public = [
        {
            "id": t.id,
            "title": t.title,
            "url": t.url,
            "periods": [{"from": p.start, "version": p.version, "status": p.status, "url": p.url} for p in t.periods],
        }
        for t in standards
    ]
    return json.dumps({"built": today, "standards": public}, sort_keys=True, ensure_ascii=False) + "\n"


def in_force_page(standards: list[Timeline], today: str, missing: str) -> str:
    """The "in force on a date" page: today's answer as a table, and a date picker for any other day."""
    out = "# In force on a date\n\n"
    out += (
        "Which version of each standard applied on a given day: pick a date. A version applies from its "
        "effective date until the next version takes effect or the standard is retired or superseded. "
        "Changes that take effect are also published as an [Atom feed](feed.xml).\n\n"
    )
    if missing:
        out += f'!!! warning "No version history"\n\n    {text(missing)}: only current versions are known.\n\n'
    out += (
        '<div class="pb-in-force" markdown>\n\n<label for="pb-in-force-date">Date</label> '
        f'<input type="date" id="pb-in-force-date" name="pb-in-force-date" class="pb-date">\n\n'
        f'<div id="pb-in-force-result" markdown>\n\nOn **{today}** (the day this site was built):\n\n'
    )
    rows: list[tuple[str, ...]] = []
    for t in standards:
        state = t.on(today)
        if state is None:
            continue
        rows.append((link(f"{t.id} {t.title}", "/" + t.src), link(state.version, "/" + state.src), text(state.status)))
    out += table(("Standard", "Version", "Status"), rows) + "\n</div>\n\n</div>\n"
    return out

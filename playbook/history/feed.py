"""An Atom feed of changes that take effect: new versions in force, deprecations, supersessions,
retirements. Entry dates come from `effective` (or the day a move was committed), so a reader
subscribed to the feed hears of a rule when it starts to bind, not when someone typed it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from playbook.content.catalog import Catalog
from playbook.content.status import IN_FORCE, Status
from playbook.history.compare import changelog_entry
from playbook.history.in_force import Period, Timeline
from playbook.history.snapshots import History

FEED_PATH = "feed.xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 allows nowhere, not even written as references (https://www.w3.org/TR/xml/#charsets)."""
_NO_SITE_URL = "urn:pmo-playbook"
"""What Atom ids start with when mkdocs.yml sets no site_url: an id must be an absolute IRI."""
EVENTS: dict[str, str | None] = {
    Status.ACTIVE: "takes effect",
    Status.TRIAL: "goes on trial",
    Status.DEPRECATED: "is deprecated",
    Status.SUPERSEDED: "is superseded",
    Status.RETIRED: "is retired",
    Status.DRAFT: None,
    Status.PROPOSED: None,
    Status.REJECTED: None,
    Status.WITHDRAWN: None,
}
"""What the feed says when a standard reaches each status; None: not news to readers (it never applied)."""


def _xml(value: str) -> str:
    """Text for XML: escaped, and without the characters XML 1.0 forbids outright (YAML can carry them)."""
    return escape(_NOT_XML.sub("", value))


def _entry(base: str, standard: Timeline, period: Period, summary: str) -> str:
    status, version, day = period.status, period.version, period.start
    name = f"{standard.id} {standard.title}"
    heading = f"{name} v{version} {EVENTS[status]}" if status in IN_FORCE else f"{name} {EVENTS[status]}"
    url = base + period.url
    # the standard's own URL never moves; without a site URL, a name rather than a relative path
    where = f"{base}{standard.url}#" if base else f"{_NO_SITE_URL}:{standard.id}:"
    entry_id = f"{where}{version}-{status}-{day}"  # the day too: a deprecation taken back, then made again
    return (
        "  <entry>\n"
        f"    <id>{_xml(entry_id)}</id>\n"
        f"    <title>{_xml(heading)}</title>\n"
        f"    <updated>{_xml(day)}T00:00:00Z</updated>\n"
        f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>\n'
        f"    <summary>{_xml(summary or heading)}</summary>\n"
        "  </entry>\n"
    )


def atom_feed(catalog: Catalog, history: History, standards: list[Timeline], site_url: str, today: str) -> str:
    """The feed XML, newest entry first; byte-identical for the same content and history."""
    base = site_url if site_url.endswith("/") else (site_url + "/" if site_url else "")
    entries: list[tuple[str, str, str]] = []
    for standard in standards:
        sid = standard.id
        for period in standard.periods:
            if EVENTS.get(period.status) is None:
                continue
            data = _data_of(catalog, history, sid, period.version)
            entry = changelog_entry(data, period.version) or {}
            summary = str(entry.get("summary", "")) if period.status in IN_FORCE else ""
            successor = catalog.superseded_by.get(sid) if period.status == Status.SUPERSEDED else None
            if successor:
                summary = f"Replaced by {catalog.by_id[successor].label}."
            entries.append((period.start, sid, _entry(base, standard, period, summary)))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    updated = entries[0][0] if entries else today
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{_xml(base + FEED_PATH) if base else _NO_SITE_URL + ':changes'}</id>\n"
        "  <title>Playbook changes that take effect</title>\n"
        f"  <updated>{updated}T00:00:00Z</updated>\n"
        f'  <link rel="self" href={quoteattr(base + FEED_PATH)}/>\n'
        "  <author><name>PMO</name></author>\n" + "".join(e[2] for e in entries) + "</feed>\n"
    )


def _data_of(catalog: Catalog, history: History, sid: str, version: str) -> Mapping[str, Any]:
    past = history.of(sid).version(version)
    if past is not None:
        return past.last.data
    return catalog.by_id[sid].doc.data

"""What every generated download says about where it came from: template id, version, the date of
that version (from its changelog, never the wall clock) and the template's short link on the site
(`<site>/TPL-007/`, which survives renames because ids never change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from playbook.content.errors import PlaybookError
from playbook.content.model import Template

GENERATOR = "PMO Playbook"
"""Author and last editor of generated Office files, in place of a person or a machine name."""


@dataclass(frozen=True)
class Stamp:
    """The provenance written into every file generated for one template."""

    id: str
    title: str
    version: str
    date: str
    url: str

    @property
    def line(self) -> str:
        """`TPL-007 RAID log · v1.2.0 · 2026-01-10 · https://…/TPL-007/`."""
        return " · ".join(filter(None, (f"{self.id} {self.title}", f"v{self.version}", self.date, self.url)))

    @property
    def created(self) -> dt.datetime:
        """The version date at 00:00 UTC (naive: both Office libraries write it as UTC)."""
        return dt.datetime.fromisoformat(self.date)


def version_date(template: Template) -> str:
    """`YYYY-MM-DD`: the changelog date of the template's current version."""
    for entry in template.changelog:
        if entry.version == template.version:
            return entry.date
    raise PlaybookError(f"{template.doc.display}: no changelog entry for version {template.version}")


def properties(template: Template, stamp: Stamp, **more: str) -> dict[str, Any]:
    """Document properties for docx and xlsx, by the attribute names both libraries use, plus `more`.

    Texts are cut at 255 characters, the limit of core properties that python-docx enforces.
    """
    props = {
        "title": template.title,
        "subject": stamp.line,
        "identifier": template.id,
        "version": template.version,
        "keywords": ", ".join((template.id, f"v{template.version}", stamp.date, *template.tags)),
        "category": "PMO Playbook template",
        "last_modified_by": GENERATOR,
        "created": stamp.created,
        "modified": stamp.created,
        **more,
    }
    return {name: value[:255] if isinstance(value, str) else value for name, value in props.items()}

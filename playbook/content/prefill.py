"""Pre-filled rows a template takes from other entities (`fill`): a ceremony's timed agenda, the
lifecycle's activities and RACI. Computed from the catalog at build time, never written in files,
so a template's downloads always say what the playbook says."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from playbook.content.catalog import Catalog
from playbook.content.model import Cell, Ceremony, Fill, Lifecycle, Template

FIELDS = {
    "agenda": ("start", "item", "minutes"),
    "activities": ("activity", "phase", "responsible", "accountable", "consulted", "informed"),
}
"""The fields each source gives a row, for `cells`."""


def filled(template: Template, catalog: Catalog) -> Template:
    """`template` with the rows its fills name added after the rows written in it."""
    if template.fill is None and not any(section.fill for section in template.sections):
        return template
    sections = tuple(
        dataclasses.replace(s, rows=s.rows + fill_rows(s.fill, catalog)) if s.fill else s for s in template.sections
    )
    rows = template.rows + (fill_rows(template.fill, catalog) if template.fill else ())
    return dataclasses.replace(template, sections=sections, rows=rows)


def fill_rows(fill: Fill, catalog: Catalog) -> tuple[Mapping[str, Cell], ...]:
    """The rows one fill gives: each a value by column name (validation has checked the ids)."""
    found = _agenda(fill, catalog) if fill.agenda else _activities(fill, catalog)
    return tuple(found)


def _agenda(fill: Fill, catalog: Catalog) -> Iterator[dict[str, Cell]]:
    ceremony = catalog.by_id.get(fill.agenda)
    if not isinstance(ceremony, Ceremony):
        return
    start: int | None = 0  # unknown after an item without minutes
    for entry in ceremony.agenda:
        item, minutes = (entry, None) if isinstance(entry, str) else (entry.item, entry.minutes)
        values: dict[str, Cell] = {
            "start": "" if start is None else f"{start // 60}:{start % 60:02d}",
            "item": item,
            "minutes": "" if minutes is None else minutes,
        }
        start = None if start is None or minutes is None else start + minutes
        yield {column: values[name] for column, name in fill.cells.items()}


def _activities(fill: Fill, catalog: Catalog) -> Iterator[dict[str, Cell]]:
    lifecycle = catalog.by_id.get(fill.activities)
    if not isinstance(lifecycle, Lifecycle):
        return

    def titles(roles: tuple[str, ...]) -> str:
        return ", ".join(catalog.by_id[r].title if r in catalog.by_id else r for r in roles)

    for phase in lifecycle.phases:
        for activity in phase.activities:
            raci = activity.raci
            values: dict[str, Cell] = {
                "activity": activity.title,
                "phase": phase.title,
                "responsible": titles(raci.R),
                "accountable": titles((raci.A,)),
                "consulted": titles(raci.C),
                "informed": titles(raci.I),
            }
            row = {column: values[name] for column, name in fill.cells.items()}
            row.update((column, raci.letters(role)) for column, role in fill.letters.items())
            yield row

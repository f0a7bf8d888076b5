"""The validated playbook as one object: entities by id, and everything derived from them.

Reverse links, successors and next review dates are computed here, once, and never
written in content files.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .model import KINDS, Entity, Glossary, Lifecycle, Phase, Standard
from .references import references


def add_months(day: str, months: int) -> str:
    """`add_months("2026-01-31", 1)` → `"2026-02-28"`."""
    year, month, dom = (int(part) for part in day.split("-"))
    month0 = month - 1 + months
    year, month = year + month0 // 12, month0 % 12 + 1
    dom = min(dom, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{dom:02d}"


@dataclass(frozen=True)
class Catalog:
    """Every valid entity, with lookups and derived links."""

    entities: tuple[Entity, ...]
    by_id: Mapping[str, Entity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entities})

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> Catalog:
        """A catalog of `entities`, ordered by kind then id."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        return cls(tuple(sorted(entities, key=lambda e: (order[e.kind], e.id))))

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, by id."""
        return [e for e in self.entities if e.kind == kind]

    @cached_property
    def lifecycle(self) -> Lifecycle | None:
        found = self.of_kind("Lifecycle")
        return found[0] if found else None  # type: ignore[return-value]

    @cached_property
    def glossary(self) -> Glossary | None:
        found = self.of_kind("Glossary")
        return found[0] if found else None  # type: ignore[return-value]

    @cached_property
    def phases(self) -> Mapping[str, Phase]:
        """Lifecycle phases by id."""
        return {p.id: p for p in self.lifecycle.phases} if self.lifecycle else {}

    @cached_property
    def referenced_by(self) -> Mapping[str, tuple[str, ...]]:
        """For each id, the ids of entities that name it anywhere (derived backlinks)."""
        links: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities:
            for _path, target, _kind in references(entity.doc.data):
                if target != entity.id:
                    links[target].add(entity.id)
        return {target: tuple(sorted(sources)) for target, sources in links.items()}

    @cached_property
    def superseded_by(self) -> Mapping[str, str]:
        """For each standard named in another's `supersedes`, the newest successor's id."""
        result: dict[str, str] = {}
        for standard in self.of_kind("Standard"):
            for old in standard.supersedes:  # type: ignore[attr-defined]
                result[old] = max(result.get(old, standard.id), standard.id)
        return result

    def current_successor(self, standard_id: str) -> str | None:
        """The standard to use instead of `standard_id`: its successor's successor, and so on."""
        seen = {standard_id}
        successor = self.superseded_by.get(standard_id)
        while successor in self.superseded_by and self.superseded_by[successor] not in seen:
            if getattr(self.by_id.get(successor), "status", "") not in ("superseded", "deprecated", "retired"):
                break
            seen.add(successor)
            successor = self.superseded_by[successor]
        return successor

    def next_review(self, standard: Standard) -> str:
        """The date the standard is next due for review, or '' when it has no review cycle."""
        if not (standard.last_reviewed and standard.review_every):
            return ""
        return add_months(standard.last_reviewed, standard.review_every)

    def url(self, target: str) -> str:
        """Docs-absolute link target for an id, a phase id or `STD-004#R3`: `/standards/x.md#r3`."""
        entity_id, _, anchor = target.partition("#")
        if entity_id in self.by_id:
            base = "/" + self.by_id[entity_id].src_uri
            return f"{base}#{anchor.lower()}" if anchor else base
        if entity_id in self.phases and self.lifecycle:
            return f"/{self.lifecycle.src_uri}#{entity_id}"
        raise KeyError(target)

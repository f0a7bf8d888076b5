"""The validated playbook as one object: entities by id, and everything derived from them.

Reverse links, successors and next review dates are computed here, once, and never
written in content files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, overload

from playbook.content.dates import add_months
from playbook.content.model import KINDS, Entity, Glossary, Lifecycle, Organisation, Phase, PmoModel, Standard
from playbook.content.references import document_references
from playbook.content.status import BINDING, PHASED_OUT

E = TypeVar("E", bound=Entity)


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

    @cached_property
    def _by_kind(self) -> Mapping[str, list[Entity]]:
        found: dict[str, list[Entity]] = {kind: [] for kind in KINDS}
        for entity in self.entities:
            found[entity.kind].append(entity)
        return found

    @overload
    def of_kind(self, kind: type[E]) -> list[E]: ...
    @overload
    def of_kind(self, kind: str) -> list[Entity]: ...
    def of_kind(self, kind: type[Entity] | str) -> list[Any]:
        """Entities of one kind, by id: `of_kind(Standard)` is a list of Standard."""
        return list(self._by_kind[kind if isinstance(kind, str) else kind.__name__])

    @cached_property
    def lifecycle(self) -> Lifecycle | None:
        found = self.of_kind(Lifecycle)
        return found[0] if found else None

    @cached_property
    def glossary(self) -> Glossary | None:
        found = self.of_kind(Glossary)
        return found[0] if found else None

    @cached_property
    def organisation(self) -> Organisation | None:
        """The organisation's profile, when the playbook has one."""
        found = self.of_kind(Organisation)
        return found[0] if found else None

    @cached_property
    def pmo_model(self) -> PmoModel | None:
        """The PMO model the organisation runs, when its profile names one."""
        model = self.by_id.get(self.organisation.pmo_model) if self.organisation else None
        return model if isinstance(model, PmoModel) else None

    @cached_property
    def phases(self) -> Mapping[str, Phase]:
        """Lifecycle phases by id."""
        return {p.id: p for p in self.lifecycle.phases} if self.lifecycle else {}

    @cached_property
    def referenced_by(self) -> Mapping[str, tuple[str, ...]]:
        """For each id, the ids of entities that name it anywhere (derived backlinks)."""
        links: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities:
            for _path, target, _kind in document_references(entity.doc):
                if target != entity.id:
                    links[target].add(entity.id)
        return {target: tuple(sorted(sources)) for target, sources in links.items()}

    @cached_property
    def superseded_by(self) -> Mapping[str, str]:
        """For each standard named in another's `supersedes`, the newest successor's id."""
        result: dict[str, str] = {}
        for standard in self.of_kind(Standard):
            for old in standard.supersedes:
                result[old] = max(result.get(old, standard.id), standard.id)
        return result

    def current_successor(self, standard_id: str) -> str | None:
        """The standard to use instead of `standard_id`: its successor's successor, and so on."""
        seen = {standard_id}
        successor = self.superseded_by.get(standard_id)
        while successor is not None and successor in self.superseded_by and self.superseded_by[successor] not in seen:
            if getattr(self.by_id.get(successor), "status", "") not in PHASED_OUT:
                break
            seen.add(successor)
            successor = self.superseded_by[successor]
        return successor

    def next_review(self, standard: Standard) -> str:
        """The date the standard is next due for review, or '' when it has no review cycle or binds no
        one (a draft, or a superseded standard: nothing to review)."""
        every = standard.review_every or (self.organisation.review_every if self.organisation else 0)
        if not (standard.last_reviewed and every) or standard.status not in BINDING:
            return ""
        return add_months(standard.last_reviewed, every)

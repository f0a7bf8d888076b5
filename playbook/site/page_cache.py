"""Entity pages kept from one `playbook serve` rebuild to the next, made again only when they may differ.

A page is made from its entity, its rendered body, its history links and what it shows of other
entities. Those show only an entity's *face*: its fields but the INNER ones, plus the backlinks
and successors the catalog derives. So an edit to a standard's summary or requirements makes its
own page again, and the pages that show other entities' inner fields (ALWAYS_MADE), not the other
thousand; any other edit changes the face and makes every page again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.model import Entity
from playbook.site.exports import own_fields
from playbook.site.pages import entity_page
from playbook.site.urls import VersionLinks

INNER: Mapping[str, frozenset[str]] = {"Standard": frozenset({"summary", "requirements", "changelog"})}
"""Fields of each kind that no other entity's page shows, but those of ALWAYS_MADE."""
ALWAYS_MADE = frozenset({"Principle"})
"""Kinds whose pages show other entities' inner fields: a principle lists its standards' summaries."""


def _face(entity: Entity) -> int:
    """A digest of what other pages may show of `entity`, kept with its document while it is unchanged."""
    kept = entity.doc.kept.get(_face)
    if kept is None or kept[0] is not entity:
        inner = INNER.get(entity.kind, frozenset())
        shown = {k: v for k, v in own_fields(entity).items() if k not in inner}
        kept = entity.doc.kept[_face] = (entity, hash(json.dumps(shown, sort_keys=True, default=str)))
    return int(kept[1])


def catalog_face(catalog: Catalog) -> int:
    """A digest of every entity's face and of the links the catalog derives from all of them."""
    return hash(
        (
            tuple((e.id, e.src_uri, _face(e)) for e in catalog.entities),
            tuple(catalog.referenced_by.items()),
            tuple(catalog.superseded_by.items()),
        )
    )


class PageCache:
    """The entity pages of the last build, each with what it was made from."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[Any, ...], str]] = {}
        self.made = 0
        """Pages made (not taken from the cache) by the last `pages` call."""

    def pages(
        self, catalog: Catalog, bodies: Mapping[str, str], versions: Mapping[str, VersionLinks]
    ) -> dict[str, str]:
        """Each entity's page Markdown by id, as `entity_page` makes it; unchanged ones from the last call."""
        face = catalog_face(catalog)
        kept, self._kept, self.made = self._kept, {}, 0
        for entity in catalog.entities:
            body = bodies.get(entity.id, "")
            key = (entity, body, versions.get(entity.id), face)
            old = kept.get(entity.id)
            if old is not None and entity.kind not in ALWAYS_MADE and _same(old[0], key):
                self._kept[entity.id] = old
                continue
            self._kept[entity.id] = (key, entity_page(catalog, entity, body, versions))
            self.made += 1
        return {entity_id: page for entity_id, (_key, page) in self._kept.items()}


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    # the entity by identity: `serve` keeps the entities of files not edited, and an edited file's is new
    return old[0] is new[0] and old[1:] == new[1:]

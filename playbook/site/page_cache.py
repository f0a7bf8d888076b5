"""Entity pages kept from one `playbook serve` rebuild to the next, made again only when they may differ.

A page is made from its entity, its rendered body, its history links and what it shows of other
entities: their faces (`faces.py`). So an edit to a standard's summary or requirements makes its
own page again, and the pages that show other entities' inner fields (ALWAYS_MADE), not the other
thousand; any other edit changes the face and makes every page again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.content.catalog import Catalog
from playbook.site.faces import catalog_face
from playbook.site.pages import entity_page
from playbook.site.urls import VersionLinks

ALWAYS_MADE = frozenset({"Principle"})
"""Kinds whose pages show other entities' inner fields: a principle lists its standards' summaries."""


class PageCache:
    """The entity pages of the last build, each with what it was made from."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[Any, ...], str]] = {}
        self.made = 0
        """Pages made (not taken from the cache) by the last `pages` call."""

    def pages(
        self, catalog: Catalog, bodies: Mapping[str, str], versions: Mapping[str, VersionLinks], keep: bool = True
    ) -> dict[str, str]:
        """Each entity's page Markdown by id, as `entity_page` makes it; unchanged ones from the last call.
        Without `keep` (a build, which makes each page once), every page is made and nothing kept."""
        if not keep:
            self._kept, self.made = {}, len(catalog.entities)
            return {e.id: entity_page(catalog, e, bodies.get(e.id, ""), versions) for e in catalog.entities}
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

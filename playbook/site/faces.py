"""What pages show of entities, as digests: `playbook serve` makes again only what an edit changed.

A page shows an entity's *face*: its fields but the INNER ones, plus the backlinks and successors
the catalog derives. The pages that list requirements across standards (checklists, phase pages)
show more: each standard's requirements and the date of its latest version. An edit to a
standard's summary changes neither; an edit to its requirements changes the listings only.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from playbook.content.catalog import Catalog
from playbook.content.model import Entity, Standard
from playbook.site.exports import own_fields

INNER: Mapping[str, frozenset[str]] = {"Standard": frozenset({"summary", "requirements", "changelog"})}
"""Fields of each kind that no other entity's page shows, but those of ALWAYS_MADE (page_cache.py)."""


def _face(entity: Entity) -> int:
    """A digest of what other pages may show of `entity`, kept with its document while it is unchanged."""
    kept = entity.doc.kept.get(_face)
    if kept is None or kept[0] is not entity:
        inner = INNER.get(entity.kind, frozenset())
        shown = {k: v for k, v in own_fields(entity).items() if k not in inner}
        kept = entity.doc.kept[_face] = (entity, hash(json.dumps(shown, sort_keys=True, default=str)))
    return int(kept[1])


_FACES: list[tuple[Catalog, int]] = []
"""The face of the last catalog asked for: every page of one build asks of the same catalog."""


def catalog_face(catalog: Catalog) -> int:
    """A digest of every entity's face and of the links the catalog derives from all of them."""
    if not (_FACES and _FACES[0][0] is catalog):
        face = hash(
            (
                tuple((e.id, e.src_uri, _face(e)) for e in catalog.entities),
                tuple(catalog.referenced_by.items()),
                tuple(catalog.superseded_by.items()),
            )
        )
        _FACES[:] = [(catalog, face)]
    return _FACES[0][1]


def listing_face(catalog: Catalog) -> tuple[Any, ...]:
    """What pages listing requirements across standards may show: every entity's face, and each
    standard's requirements and latest version's date. Compared, not hashed: the requirements of a
    standard not edited are the same objects as before, which tuples compare by identity first."""
    standards = catalog.of_kind(Standard)
    return (catalog_face(catalog), tuple((s.id, s.requirements, s.changelog[:1]) for s in standards))


Made = TypeVar("Made")

_KEEPING = [False]


def keep_listings(on: bool) -> None:
    """Whether `per_listing` keeps what it made for the next call (`playbook serve`); a build makes each
    listing once and would only pay for the catalog's face (0.1 s at 1,000 standards)."""
    _KEEPING[0] = on


def per_listing(make: Callable[..., Made]) -> Callable[..., Made]:
    """`make(catalog, *args)`, kept while the catalog's `listing_face` stays the same: `playbook serve`
    rebuilding after an edit to one standard's summary makes these pages again only for new args."""
    kept: dict[tuple[Any, ...], Made] = {}
    face: list[tuple[Any, ...]] = []

    @functools.wraps(make)
    def made(catalog: Catalog, *args: Any) -> Made:
        if not _KEEPING[0]:
            return make(catalog, *args)
        listing = listing_face(catalog)
        if not (face and face[0] == listing):
            face[:] = [listing]
            kept.clear()
        if args not in kept:
            kept[args] = make(catalog, *args)
        return kept[args]

    return made

"""Page metadata for the builder: the search boost and the tags of each entity page."""

from __future__ import annotations

import json

from playbook.content.catalog import Catalog
from playbook.content.model import Entity
from playbook.content.status import IN_FORCE, Status
from playbook.site.tag_pages import tag_name


def kind_tag(kind: type[Entity]) -> str:
    """The tag of every page of a kind: its name in the singular ("Ceremonies" is "Ceremony", not "Ceremonie")."""
    title = kind.plural
    return title.removesuffix("ies") + "y" if title.endswith("ies") else title.removesuffix("s")


def page_tags(catalog: Catalog, entity: Entity) -> list[str]:
    """Tags for the tag index pages: kind, status, phases, roles, then the entity's own tags by their names.

    Only ids, fixed words and the profile's tag names: Material writes tag names into HTML without
    escaping them; ids are limited by the schemas to letters, digits and hyphens, and tag names
    may not hold `<`, `>`, `&` or `"`.
    """
    tags = [kind_tag(type(entity))]
    if hasattr(entity, "status"):
        tags.append(f"status: {entity.status}")
    phases = getattr(entity, "phases", ()) or getattr(getattr(entity, "applies_to", None), "phases", ())
    tags += [f"phase: {p}" for p in phases if p in catalog.phases]
    roles = getattr(getattr(entity, "applies_to", None), "roles", ()) or getattr(entity, "audience", ())
    tags += [f"role: {r}" for r in roles if r in catalog.by_id]
    return list(dict.fromkeys([*tags, *(tag_name(catalog, tag) for tag in entity.tags)]))


SEARCH_BOOST = {"Role": 3, "Ceremony": 2.03, "PmoModel": 2.03, "Standard": 2.02, "Template": 2.01, "Principle": 2}
"""Entity pages outrank prose pages (boost 1). The hundredths only break ties on the title, which
are common (a ceremony, its standard and its template all called "kickoff"): the page that is the
thing named first, then the rule, then the document, then the rest. Too small to beat a better title.
A principle is among the rest: it often shares its words with the standard that puts it into practice
("single source of truth"), which is what a reader must follow, and which lists it under "Referenced by".

Roles weigh more: people look for what applies to them by their role's name, yet role names sit in
the RACI text of nearly every page, which makes their words count for little in the ranking. At
the hundredths, "project lead" listed "KPI-004 Percentage of projects green" (a rarer word,
"projects") above the Project lead page. A role named in a query now comes first, also for a single
word of its name ("budget": Budget owner, then Budget tracking)."""


OUT_OF_FORCE = 0.25
"""The share of its weight a page keeps in search while its entity is not in force (a draft, a superseded
standard, a retired template): "status" found the superseded STD-006 before STD-007, which replaced it."""


def front_matter(catalog: Catalog, entity: Entity) -> str:
    """Page metadata: a search boost (see SEARCH_BOOST; a quarter of it out of force) and tags."""
    boost = SEARCH_BOOST.get(entity.kind, 2)
    status = getattr(entity, "status", Status.ACTIVE)
    if status not in IN_FORCE:
        boost = round(boost * OUT_OF_FORCE, 4)
    meta = {"search": {"boost": boost}, "tags": page_tags(catalog, entity)}
    # JSON is YAML too, and writing it is fifty times faster than yaml.safe_dump: 0.4 s a 1,000 pages
    return "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n"

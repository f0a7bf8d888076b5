"""Navigation for generated pages, grouped so `navigation.prune` keeps every page small."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Entity, Role, Standard
from playbook.content.status import NAV_ORDER
from playbook.site.checklists import INDEX, checklist_uri
from playbook.site.context import status_note
from playbook.site.indexes import REQUIREMENTS_PAGE, REVIEW_DUE_PAGE
from playbook.site.phase_pages import phase_uri


def nav_title(label: str) -> str:
    """`label` as a nav title, which MkDocs and Material treat as HTML, not text.

    Material prints nav titles unescaped (partials/nav-item.html), so a title from YAML is
    escaped; it also prints them into <title> through `striptags`, which unescapes once, so a
    zero-width space keeps an escaped `</title>` from closing the element there.
    """
    return html.escape(label, quote=True).replace("&lt;/", "&lt;\u200b/")


def page_title(title: object) -> str:
    """A title MkDocs took as HTML (front matter, a first heading, mkdocs.yml's nav) as a guarded nav title.

    Entities are read first, so `# A &amp; B` shows `A & B`; a title already made by `nav_title` comes
    back unchanged, never escaped twice.
    """
    return nav_title(html.unescape(str(title)))


def _item(entity: Entity, marked: bool = True) -> dict[str, str]:
    """The entity by its label, with its status when not in force (`STD-006 Monthly status (superseded)`)
    unless `marked` is false: in a group named for the status."""
    note = status_note(entity) if marked else ""
    return {nav_title(entity.label + (f" ({note})" if note else "")): entity.src_uri}


def _chunks(entities: list[Entity], size: int, marked: bool = True) -> list[Any]:
    """Entities as nav items, split into id ranges of at most `size` when there are more."""
    if len(entities) <= size:
        return [_item(e, marked) for e in entities]
    return [
        {f"{part[0].id} – {part[-1].id}": [_item(e, marked) for e in part]}
        for part in (entities[i : i + size] for i in range(0, len(entities), size))
    ]


READER_ORDER = (
    "Organisation", "Guide", "Lifecycle", "Standard", "Principle", "Template", "Role", "Kpi", "Ceremony",
    "PmoModel", "Glossary",
)  # fmt: skip
"""The kinds in the reader's nav: whom to ask, how to start, then the rules and tools of the work,
then the reference."""


def kind_sections(catalog: Catalog, group_size: int) -> list[Any]:
    """The checklists, then one nav section per kind present: its index page, then its entities.

    Every page is titled here, index pages too: a dirty rebuild (`playbook serve`) reads only the
    pages it writes again, and a page not read has no title of its own for its neighbours' footer
    links ("Previous: None")."""
    sections: list[Any] = []
    roles: list[Role] = catalog.of_kind(Role)
    if roles and catalog.of_kind("Standard"):
        sections.append(
            {"Checklists": [{"Checklists": INDEX}, *({nav_title(r.title): checklist_uri(r)} for r in roles)]}
        )
    for kind in READER_ORDER:
        cls = KINDS[kind]
        entities = catalog.of_kind(kind)
        if not entities:
            continue
        if kind == "Lifecycle" and catalog.lifecycle is not None:  # its overview, then a page per phase
            phases = [{nav_title(ph.title): phase_uri(ph)} for ph in catalog.lifecycle.phases]
            overview = {nav_title(catalog.lifecycle.title): catalog.lifecycle.src_uri}
            sections.append({cls.plural: [overview, *phases]})
            continue
        if len(entities) == 1 and entities[0].src_uri.endswith("/index.md"):
            sections.append({cls.plural: entities[0].src_uri})
            continue
        children: list[Any] = [{cls.plural: f"{cls.section}/index.md"}]
        if kind == "Standard":
            children.append({"All requirements": REQUIREMENTS_PAGE})
        if kind == "Standard" and len(entities) > group_size:
            standards = catalog.of_kind(Standard)
            for status in NAV_ORDER:
                group: list[Entity] = [s for s in standards if s.status == status]
                if group:
                    children.append({status.capitalize(): _chunks(group, group_size, marked=False)})
        else:
            children += _chunks(entities, group_size)
        sections.append({cls.plural: children})
    return sections


EDITORS = "For playbook editors"
"""The nav section, last, for whoever changes the playbook; everything before it is for its readers."""
EDITOR_PAGES = {"CLI reference": "editors/cli.md", "Validation codes": "editors/validation.md"}
"""The engine's own reference pages, shipped with it, so every site shows those of the version it was built with."""
EDITOR_DOCS = Path(__file__).parents[1] / "editors"
"""Where the engine keeps those pages' Markdown (`playbook/editors/`)."""
IN_FORCE_PAGE = "in-force.md"
HEALTH_PAGE = "health.md"
EDITOR_REPORTS = {"In force on a date": IN_FORCE_PAGE, "Playbook health": HEALTH_PAGE, "Reviews due": REVIEW_DUE_PAGE}
"""The pages the build makes for editors, last in their section."""


def site_nav(hand_written: list[Any], sections: list[Any]) -> list[Any]:
    """The whole nav: the hand-written pages, the kinds' `sections`, then one section for editors.

    A section of mkdocs.yml's nav titled "For playbook editors" (editing the playbook, its
    process) moves to the end and gets the engine's reference pages and the editors' reports
    (in force, health, reviews due) after its own.
    """
    readers = [item for item in hand_written if not (isinstance(item, dict) and EDITORS in item)]
    editors = [child for item in hand_written if isinstance(item, dict) and EDITORS in item for child in item[EDITORS]]
    pages = [*editors, *({title: uri} for title, uri in (EDITOR_PAGES | EDITOR_REPORTS).items())]
    return [*readers, *sections, {EDITORS: pages}]

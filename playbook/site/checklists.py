"""What each role must do, phase by phase: a checklist page per role (`/checklists/project-lead/`).

A requirement is on a role's list when its standard is in force and applies under the organisation's
PMO model, and either the requirement names the role as who acts ("The project lead MUST …"), or it
names no role that way and its standard applies to the role: the standard names the role in
`applies_to.roles`, or, naming no role, applies to a lifecycle phase in which the role is Responsible
or Accountable for an activity. What another role must do is on that role's list, not this one's.
Each requirement is listed under the first phase its standard applies to (the others are named), or
under "Throughout the project" when it applies to every phase; strongest level first, linked to its
anchor. The boxes can be ticked; the reader's browser keeps them (assets/checklists.js).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.levels import LEVELS
from playbook.content.model import PmoModel, Requirement, Role, Standard
from playbook.content.status import IN_FORCE, Status
from playbook.downloads.checklist_rows import Row, checklist_md
from playbook.downloads.names import FOLDER
from playbook.site.context import PageContext
from playbook.site.faces import per_listing
from playbook.site.markup import link, table, text
from playbook.site.urls import link_target, page_url, source_uri

SECTION = "checklists"
INDEX = f"{SECTION}/index.md"
TAILORING_DATA = "api/checklists.json"
"""The data the tailoring form on the checklists' page reads (assets/tailor.js)."""
THROUGHOUT = "Throughout the project"
"""The group of requirements whose standard names no phase."""


@dataclass(frozen=True)
class Item:
    """One requirement on a role's checklist."""

    standard: Standard
    requirement: Requirement
    phase: str
    """The id of the first phase the standard applies to; '' for every phase."""
    also: tuple[str, ...]
    """The ids of the other phases it applies to."""


def checklist_uri(role: Role) -> str:
    """The page of one role's checklist, such as `checklists/project-lead.md`."""
    return f"{SECTION}/{role.slug}.md"


def items(catalog: Catalog, role: Role, acting: Acting | None = None, model: str | None = None) -> list[Item]:
    """Every requirement in force that applies to `role`, by phase in lifecycle order, strongest first
    (`acting`: the roles' names as made for another role already), under the PMO model `model`: by
    default the organisation's, '' for any model."""
    order = [phase.id for phase in catalog.lifecycle.phases] if catalog.lifecycle else []
    phases_acting = _acting_phases(catalog, role.id)
    if model is None:
        model = catalog.organisation.pmo_model if catalog.organisation else ""
    acting = Acting(catalog) if acting is None else acting
    found = []
    for standard in catalog.of_kind(Standard):
        applies = standard.applies_to
        if standard.status not in IN_FORCE or (model and not _under(standard, model)):
            continue
        phases = [p for p in order if p in applies.phases]
        # the roles it names, or, naming none, those acting in its phases
        standard_applies = (
            role.id in applies.roles if applies.roles else any(p in phases_acting for p in phases or order)
        )
        # a standard of every phase (or of none named) binds throughout: one group, not the first phase's
        first, also = (phases[0], tuple(phases[1:])) if phases and len(phases) < len(order) else ("", ())
        for requirement in standard.requirements:
            who = acting(requirement.text)
            if who == role.id or (who is None and standard_applies):
                found.append(Item(standard, requirement, first, also))
    rank = {phase: i for i, phase in enumerate(["", *order])}
    return sorted(found, key=lambda i: (rank[i.phase], LEVELS.index(i.requirement.level), i.standard.id, _n(i)))


class Acting:
    """The role a requirement's text names as who acts, at its start ("The project lead", "Team
    members"), if any; read once per text, whichever roles' lists it is on."""

    def __init__(self, catalog: Catalog):
        roles = sorted(catalog.of_kind(Role), key=lambda r: -len(r.title))  # "PMO lead" is not read as "PMO"
        self._names = [
            (re.compile(rf"(?:(?:the|each|every|a|an|all|any)\s+)?{re.escape(r.title)}s?\b", re.IGNORECASE), r.id)
            for r in roles
        ]
        self._read: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        if text not in self._read:
            self._read[text] = next((role for pattern, role in self._names if pattern.match(text)), None)
        return self._read[text]


def _n(item: Item) -> int:
    return int(item.requirement.id[1:]) if item.requirement.id[1:].isdigit() else 0


def _acting_phases(catalog: Catalog, role: str) -> set[str]:
    """The phases in which `role` is Responsible or Accountable for an activity."""
    if catalog.lifecycle is None:
        return set()
    return {
        phase.id
        for phase in catalog.lifecycle.phases
        for activity in phase.activities
        if role == activity.raci.A or role in activity.raci.R
    }


_LISTS: list[tuple[Catalog, dict[str, list[Item]]]] = []
"""The lists of the last catalog asked for: the pages, the downloads and the tailoring data of one build."""


def checklists(catalog: Catalog, model: str | None = None) -> dict[str, list[Item]]:
    """Each role's checklist by role id, under the PMO model `model` (by default the organisation's, ''
    for any); empty without roles or standards. Made once per catalog: the pages, the downloads and
    the tailoring data of a build all ask."""
    if not (_LISTS and _LISTS[0][0] is catalog):
        roles = catalog.of_kind(Role)
        acting = Acting(catalog)
        every = {role.id: items(catalog, role, acting, model="") for role in roles} if catalog.of_kind(Standard) else {}
        _LISTS[:] = [(catalog, every)]
    every = _LISTS[0][1]
    if model is None:
        model = catalog.organisation.pmo_model if catalog.organisation else ""
    if not model:
        return every
    return {role: [i for i in found if _under(i.standard, model)] for role, found in every.items()}


def _under(standard: Standard, model: str) -> bool:
    """Whether a standard applies under the PMO model `model` (one naming no model applies under all)."""
    return not standard.applies_to.models or model in standard.applies_to.models


@per_listing
def checklist_pages(catalog: Catalog) -> dict[str, str]:
    """The checklists' index and each role's checklist, by source path; none without roles or standards."""
    lists = checklists(catalog)
    if not lists:
        return {}
    p = PageContext(catalog)
    roles = catalog.of_kind(Role)
    pages = {INDEX: _index(p, roles, lists)}
    pages |= {checklist_uri(role): _page(p, role, lists[role.id]) for role in roles}
    return pages


def download_stem(role: Role) -> str:
    """Where a role's checklist files go, without their extension: `downloads/checklists/project-lead`."""
    return f"{FOLDER}/checklists/{role.slug}"


def rows(catalog: Catalog, found: list[Item], site_url: str) -> list[Row]:
    """A checklist's items as the rows of its downloads, each with the full address of its requirement."""
    return [
        Row(
            f"{i.standard.id} {i.requirement.id}",
            i.requirement.level,
            catalog.phases[i.phase].title if i.phase else THROUGHOUT,
            i.requirement.text,
            f"{site_url.rstrip('/')}/{page_url(i.standard.src_uri)}#{i.requirement.id.lower()}" if site_url else "",
        )
        for i in found
    ]


_FILES: dict[str, tuple[tuple[Row, ...], str, bytes, bytes]] = {}
"""Each role's checklist files by role id, with the rows and day they were made from: `serve` makes
them again only when the role's list changes."""


def checklist_paths(catalog: Catalog) -> list[str]:
    """Where `checklist_files` puts its files, known without making them."""
    if not checklists(catalog):
        return []
    roles = catalog.of_kind(Role)
    return [*(f"{download_stem(r)}.{ext}" for r in roles for ext in ("xlsx", "md")), TAILORING_DATA]


@per_listing
def checklist_files(catalog: Catalog, site_url: str) -> list[tuple[str, str | bytes]]:
    """(site path, content) of each role's self-assessment sheet and Markdown checklist, and the
    tailoring data. A sheet is dated by its newest standard's version, so builds on other days match."""
    from playbook.downloads.self_assessment import self_assessment_xlsx  # openpyxl: only to make the files

    lists = checklists(catalog)
    if not lists:
        return []
    found: list[tuple[str, str | bytes]] = []
    for role in catalog.of_kind(Role):
        made = tuple(rows(catalog, lists[role.id], site_url))
        day = max((i.standard.changelog[0].date for i in lists[role.id] if i.standard.changelog), default="1980-01-01")
        kept = _FILES.get(role.id)
        if kept is None or kept[0] != made or kept[1] != day:
            title = f"Checklist: {role.title}"
            kept = _FILES[role.id] = (made, day, self_assessment_xlsx(title, made, day), checklist_md(title, made))
        found += [(f"{download_stem(role)}.xlsx", kept[2]), (f"{download_stem(role)}.md", kept[3])]
    return [*found, (TAILORING_DATA, tailoring_data(catalog))]


def tailoring_data(catalog: Catalog) -> str:
    """api/checklists.json: every requirement in force with the roles that carry it, its phases and PMO
    models, for the page that tailors a checklist in the reader's browser (assets/tailor.js)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for role, carried in checklists(catalog, model="").items():
        for item in carried:
            s, r = item.standard, item.requirement
            entry = found.setdefault(
                (s.id, r.id),
                {
                    "ref": f"{s.id} {r.id}",
                    "level": r.level,
                    "text": r.text,
                    "url": f"{page_url(s.src_uri)}#{r.id.lower()}",
                    "phase": item.phase,
                    "phases": list(s.applies_to.phases),
                    "models": list(s.applies_to.models),
                    "trial": s.status == Status.TRIAL,
                    "roles": [],
                },
            )
            entry["roles"].append(role)
    order = {phase: i for i, phase in enumerate(["", *catalog.phases])}
    listed = sorted(found.values(), key=lambda e: (order.get(e["phase"], 0), LEVELS.index(e["level"]), e["ref"]))
    data = {
        "model": catalog.organisation.pmo_model if catalog.organisation else "",
        "models": [{"id": m.id, "title": m.title} for m in catalog.of_kind(PmoModel)],
        "phases": [{"id": ph.id, "title": ph.title} for ph in catalog.phases.values()],
        "roles": [{"id": r.id, "title": r.title} for r in catalog.of_kind(Role)],
        "throughout": THROUGHOUT,
        "items": listed,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def _index(p: PageContext, roles: list[Role], lists: dict[str, list[Item]]) -> str:
    rows = []
    for role in roles:
        found = lists[role.id]
        musts = sum(1 for i in found if i.requirement.level in ("MUST", "MUST NOT"))
        rows.append((link(role.title, "/" + checklist_uri(role)), str(len(found)), str(musts)))
    out = "# Checklists\n\n"
    out += (
        "What the playbook requires of each role, phase by phase: every requirement of a standard in force "
        "that applies to the role, MUST first. Open yours, tick what your project does; your browser "
        "remembers the ticks.\n\n"
    )
    out += table(("Role", "Requirements", "MUST or MUST NOT"), rows) + "\n"
    return out + (
        "## Tailor a checklist for your project {#tailor}\n\n"
        "Choose your role, your PMO model and the phases your project is in: the list below follows, and "
        "downloads as Markdown or as a spreadsheet (CSV). It is made in your browser; nothing is sent anywhere.\n\n"
        '<div id="pb-tailor" class="pb-tailor"><p><em>Tailoring needs JavaScript; each role\'s checklist above '
        "has the whole list.</em></p></div>\n"
    )


def _page(p: PageContext, role: Role, found: list[Item]) -> str:
    out = f"# Checklist: {text(role.title)}\n\n"
    out += (
        f"Every requirement in force that the {text(_in_sentence(role.title))} carries out, by lifecycle phase, "
        f"MUST first; what other roles must do is on their checklists. Tick what your project does: your "
        f"browser remembers the ticks on this device. The role: {p.ref(role.id)}.\n\n"
    )
    if not found:
        return out + "No requirement in force applies to this role.\n"
    stem = download_stem(role)
    out += (
        f'To fill in or share: [Excel self-assessment (.xlsx)](/{source_uri(stem + ".xlsx")}){{ download="{role.slug}.xlsx" }}'
        f" (a status, evidence and comment per requirement) · [Markdown (.md)](/{source_uri(stem + '.md')})"
        f'{{ download="{role.slug}.md" }}. To choose your phases and PMO model, [tailor a checklist](index.md#tailor).\n\n'
    )
    phase = None
    for item in found:
        if item.phase != phase:
            phase = item.phase
            title = p.catalog.phases[phase].title if phase else THROUGHOUT
            out += f"\n## {text(title)}\n\n"
        out += _line(p, item)
    return out


def _in_sentence(title: str) -> str:
    """A title inside a sentence: "project lead", but "PMO lead" (an acronym keeps its capitals)."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def _line(p: PageContext, item: Item) -> str:
    s, r = item.standard, item.requirement
    target = link_target(p.catalog, f"{s.id}#{r.id}")
    also = f" *(also: {', '.join(text(p.catalog.phases[x].title) for x in item.also)})*" if item.also else ""
    trial = " *(on trial: binds the projects trying it)*" if s.status == Status.TRIAL else ""
    return f"- [ ] **{r.level}** {link(f'{s.id} {r.id}', target)}{trial}: {text(r.text)}{also}\n"

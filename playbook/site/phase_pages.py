"""A page per lifecycle phase (`/lifecycle/planning/`): everything a project does in it, in one place.

Its gate and criteria, its activities with who does them, the templates it produces and the
meetings held in it, then the standards in force that name the phase and their requirements,
MUST first. Standards that apply throughout the project are counted, not repeated on every phase:
the checklists list them.
"""

from __future__ import annotations

from playbook.content.catalog import Catalog
from playbook.content.levels import LEVELS
from playbook.content.model import Ceremony, Phase, Role, Standard, Template
from playbook.content.status import IN_FORCE, Status
from playbook.site.context import PageContext
from playbook.site.faces import per_listing
from playbook.site.markup import bullets, bullets_md, link, table, text
from playbook.site.urls import link_target

SECTION = "lifecycle"


def phase_uri(phase: Phase) -> str:
    """The source path of a phase's page, such as `lifecycle/planning.md`."""
    return f"{SECTION}/{phase.id}.md"


def activities_table(p: PageContext, phase: Phase) -> str:
    """The phase's activities, each with its Responsible, Accountable, Consulted and Informed roles."""
    rows = [
        (text(a.title), p.refs(a.raci.R), p.ref(a.raci.A), p.refs(a.raci.C), p.refs(a.raci.I)) for a in phase.activities
    ]
    return table(("Activity", "Responsible", "Accountable", "Consulted", "Informed"), rows) + "\n"


@per_listing
def phase_pages(catalog: Catalog) -> dict[str, str]:
    """Each phase's page by source path; none without a lifecycle."""
    if catalog.lifecycle is None:
        return {}
    p = PageContext(catalog)
    model = catalog.organisation.pmo_model if catalog.organisation else ""
    phases = catalog.lifecycle.phases
    in_force = [
        s
        for s in catalog.of_kind(Standard)
        if s.status in IN_FORCE and not (model and s.applies_to.models and model not in s.applies_to.models)
    ]
    # a standard naming every phase, or none, applies throughout: counted on each page, listed on none
    throughout = sum(1 for s in in_force if not s.applies_to.phases or len(set(s.applies_to.phases)) >= len(phases))
    return {phase_uri(ph): _page(p, ph, in_force, throughout) for ph in phases}


def _page(p: PageContext, ph: Phase, in_force: list[Standard], throughout: int) -> str:
    catalog = p.catalog
    lifecycle = catalog.lifecycle
    assert lifecycle is not None
    order = [x.id for x in lifecycle.phases]
    out = f"# {text(ph.title)}\n\n{text(ph.summary)}\n\n"
    out += f"Phase {order.index(ph.id) + 1} of {len(order)} of the {link('project lifecycle', '/' + lifecycle.src_uri)}"
    out += f"; it ends at the gate: **{text(ph.gate)}**.\n\n" if ph.gate else ".\n\n"
    out += f"## Entry criteria\n\n{bullets(ph.entry_criteria)}\n## Exit criteria\n\n{bullets(ph.exit_criteria)}\n"
    out += "## Activities\n\n" + activities_table(p, ph)
    templates = list(
        dict.fromkeys(
            [
                *ph.deliverables,
                *(t.id for t in catalog.of_kind(Template) if ph.id in t.phases and t.status != Status.RETIRED),
            ]
        )
    )
    if templates:
        out += f"## Templates\n\n{bullets_md(p.ref(t) for t in templates)}\n"
    meetings = [c.id for c in catalog.of_kind(Ceremony) if ph.id in c.phases]
    if meetings:
        out += f"## Meetings\n\n{bullets_md(p.ref(c) for c in meetings)}\n"
    named = [s for s in in_force if ph.id in s.applies_to.phases and len(set(s.applies_to.phases)) < len(order)]
    out += "## Standards\n\n"
    if named:
        out += bullets_md(p.ref(s.id) + (" *(on trial)*" if s.status == Status.TRIAL else "") for s in named) + "\n"
    else:
        out += "No standard in force names this phase alone.\n\n"
    if throughout and catalog.of_kind(Role):
        out += (
            f"{throughout} more apply throughout the project, in this phase as in every other: each role's "
            f"{link('checklist', '/checklists/index.md')} lists them.\n\n"
        )
    requirements = sorted(
        ((s, r) for s in named for r in s.requirements), key=lambda sr: (LEVELS.index(sr[1].level), sr[0].id)
    )
    if requirements:
        lines = [
            f"- **{r.level}** {link(f'{s.id} {r.id}', link_target(catalog, f'{s.id}#{r.id}'))}"
            f"{' *(on trial)*' if s.status == Status.TRIAL else ''}: {text(r.text)}\n"
            for s, r in requirements
        ]
        out += "## Requirements\n\nOf the standards above, strongest first.\n\n" + "".join(lines) + "\n"
    return out

"""Generated Markdown for entity pages: one builder per kind.

Everything from YAML passes through `markup.text`, so content cannot inject markup;
the Markdown body has already been through the sandbox and is inserted as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.formulas import in_words, parse
from playbook.content.levels import LEVELS
from playbook.content.model import (
    Band,
    Cell,
    Ceremony,
    Column,
    Entity,
    Glossary,
    Guide,
    Kpi,
    Lifecycle,
    PmoModel,
    Principle,
    Role,
    Standard,
    Template,
)
from playbook.content.prefill import filled
from playbook.content.status import IN_FORCE, POINTS_TO_SUCCESSOR, Status
from playbook.downloads.names import file_name
from playbook.site.checklists import checklist_uri
from playbook.site.context import PageContext, admonition, requirement_block
from playbook.site.diagrams import lifecycle_flowchart, mermaid
from playbook.site.front_matter import front_matter
from playbook.site.markup import bullets, bullets_md, link, table, text
from playbook.site.organisation import binding_box, contact_markdown, model_statement, organisation_page
from playbook.site.phase_pages import activities_table, phase_uri
from playbook.site.urls import VersionLinks, download_href, link_target

BANNERS: dict[str, tuple[str, str, str] | None] = {
    Status.ACTIVE: None,
    Status.DRAFT: ("warning", "Draft", "This standard is a draft under discussion; it does not bind projects yet."),
    Status.PROPOSED: (
        "info",
        "Proposed",
        "This standard is proposed and awaiting approval; it does not bind projects yet.",
    ),
    Status.TRIAL: (
        "tip",
        "In trial",
        "This standard is being trialled; follow it on trial projects and send feedback to the owner.",
    ),
    Status.DEPRECATED: ("warning", "Deprecated", "This standard is being phased out."),
    Status.SUPERSEDED: ("danger", "Superseded", "This standard no longer applies."),
    Status.RETIRED: ("danger", "Retired", "This standard was retired and no longer applies."),
    Status.REJECTED: ("failure", "Rejected", "This proposal was rejected; it never applied."),
    Status.WITHDRAWN: ("failure", "Withdrawn", "This proposal was withdrawn; it never applied."),
}
"""The admonition (kind, title, message) a standard's page opens with in each status; none when active."""


def standard_page(p: PageContext, s: Standard, body: str) -> str:
    out = p.heading(s)
    banner = BANNERS[s.status]
    if banner is not None:
        kind, title, message = banner
        successor = p.catalog.current_successor(s.id)
        if successor and s.status in POINTS_TO_SUCCESSOR:
            message += f" Use {p.ref(successor)} instead."
        if s.status_reason:
            message += f" Why: {text(s.status_reason)}"
        out = out.replace("\n\n", "\n\n" + admonition(kind, title, message), 1)
    applies = s.applies_to
    out += p.facts(
        [
            ("Status", text(s.status)),
            (
                "Version",
                text(s.version) + (f" ({link('history', p.versions[s.id].history)})" if s.id in p.versions else ""),
            ),
            ("Effective", text(s.effective)),
            ("Last reviewed", text(s.last_reviewed)),
            ("Next review due", text(p.catalog.next_review(s))),
            ("Owner", p.ref(s.owner)),
            ("Maintainers", text(", ".join(s.maintainers))),
            ("PMO models", p.refs(applies.models) if applies.models else ""),
            ("Phases", p.refs(applies.phases) if applies.phases else ""),
            ("Roles", p.refs(applies.roles) if applies.roles else ""),
            ("Supersedes", p.refs(s.supersedes) if s.supersedes else ""),
            ("Superseded by", p.ref(p.catalog.superseded_by[s.id]) if s.id in p.catalog.superseded_by else ""),
            (
                "Imported",
                f"from {text(s.imported_from.source)} on {text(s.imported_from.date)}" if s.imported_from else "",
            ),
        ]
    )
    out += binding_box(p.catalog, s)
    out += "## Requirements\n\n"
    for r in s.requirements:
        notes = [f"Rationale: {text(r.rationale)}"] if r.rationale else []
        if r.evidence:
            notes.append(f"Evidence: {p.refs(r.evidence)}")
        if r.since:
            notes.append(f"Since v{text(r.since)}")
        out += requirement_block(r.id, r.level, r.text, notes, guidance=r.guidance, anchors=r.anchors)
    out += p.body(body)
    return out + p.related(s.related) + p.referenced_by(s) + p.changelog(s)


FORMAT_NAMES = {"docx": "Word", "xlsx": "Excel", "md": "Markdown", "csv": "CSV"}


def download_buttons(t: Template) -> str:
    """One button per format, each file named with id and version; retired templates get none."""
    if t.status == Status.RETIRED:
        return ""
    # `download`: a Markdown or CSV file is saved under its name, not opened as a page of text
    buttons = [
        f'[{FORMAT_NAMES[fmt]} (.{fmt})]({download_href(t, fmt)}){{ .md-button download="{file_name(t, fmt)}" }}'
        for fmt in t.outputs
    ]
    note = f"Each file is stamped with {text(t.id)}, version {text(t.version)} and its date."
    return "## Download\n\n" + " ".join(buttons) + f"\n\n{note}\n\n"


TEMPLATE_BANNERS: dict[str, tuple[str, str, str]] = {
    Status.DRAFT: ("warning", "Draft", "This template is a draft: it may change before it is approved."),
    Status.DEPRECATED: (
        "warning",
        "Deprecated",
        "This template is being phased out; use it only to finish work begun with it.",
    ),
    Status.RETIRED: ("danger", "Retired", "This template was retired: its downloads are withdrawn."),
}
"""The admonition (kind, title, message) a template's page opens with in each status but active."""


def template_page(p: PageContext, t: Template, body: str) -> str:
    out = p.heading(t)
    if t.status in TEMPLATE_BANNERS:
        kind, title, message = TEMPLATE_BANNERS[t.status]
        out = out.replace("\n\n", "\n\n" + admonition(kind, title, message), 1)
    out += download_buttons(t)
    out += p.facts(
        [
            ("Status", text(t.status)),
            ("Version", text(t.version)),
            ("Format", text(t.format)),
            ("Downloads", text(", ".join(t.outputs))),
            ("Owner", p.ref(t.owner)),
            ("Used in phases", p.refs(t.phases) if t.phases else ""),
        ]
    )
    shown = filled(t, p.catalog)  # with the rows its downloads take from ceremonies and the lifecycle
    if shown.sections:
        out += "## Sections\n\n"
        for section in shown.sections:
            out += f"### {text(section.heading)}\n\n{text(section.prompt)}\n\n"
            if section.table:
                out += _rows_table(section.table, section.rows or ({},)) + "\n"
    if t.columns:
        rows = [
            (text(c.name), text(c.type), text(", ".join(c.allowed)), "yes" if c.required else "", _column_note(c))
            for c in t.columns
        ]
        out += "## Columns\n\n" + table(("Column", "Type", "Allowed values", "Required", "Description"), rows) + "\n"
        names = [c.name for c in t.columns]
        if shown.rows:
            out += (
                "## Pre-filled rows\n\nEvery copy starts with these rows.\n\n" + _rows_table(names, shown.rows) + "\n"
            )
        if t.examples:
            note = "The Excel file shows them in grey italics, for you to replace; the CSV file leaves them out."
            out += f"## Example rows\n\n{note}\n\n" + _rows_table(names, t.examples) + "\n"
    return out + p.body(body) + p.referenced_by(t) + p.changelog(t)


TOTALS = {"sum": "Totalled.", "formula": "Totalled by its formula over the totals."}


def _column_note(c: Column) -> str:
    """The column's description, then how it is computed, totalled and coloured, in words."""
    notes = [c.description]
    if c.formula:
        notes.append(f"Computed: {in_words(parse(c.formula))}.")
    notes.append(TOTALS.get(c.total, ""))
    if c.colours:
        notes.append("Coloured: " + ", ".join(f"{value} {name}" for value, name in c.colours.items()) + ".")
    if c.bands:
        notes.append("Coloured: " + "; ".join(_band_words(b, c.type == "percent") for b in c.bands) + ".")
    return text(" ".join(n for n in notes if n))


def _band_words(band: Band, percent: bool) -> str:
    def shown(value: float) -> str:
        return f"{value * 100:g}%" if percent else f"{value:g}"

    if band.min is not None:
        return f"{band.colour} from {shown(band.min)}"
    if band.max is not None:
        return f"{band.colour} up to {shown(band.max)}"
    return f"{band.colour} otherwise"


def _rows_table(headings: Sequence[str], rows: Sequence[Mapping[str, Cell]]) -> str:
    """A table of rows written in a template or taken from another entity, every value escaped."""
    return table([text(h) for h in headings], [[text(str(row.get(h, ""))) for h in headings] for row in rows])


def model_page(p: PageContext, m: PmoModel, body: str) -> str:
    out = p.heading(m)
    if p.catalog.pmo_model is m:
        out += admonition("success", "The model run here", model_statement(p.catalog))
    out += p.facts([("Axis", text(m.axis)), ("Control level", text(m.control_level)), ("Owner", p.ref(m.owner))])
    out += f"## What the PMO does\n\n{bullets(m.responsibilities)}\n"
    out += f"## Best for\n\n{bullets(m.best_for)}\n## Watch out for\n\n{bullets(m.watch_out_for)}\n"
    rows = [(f"**{level}**", text(m.binding[level].effect), text(m.binding[level].note)) for level in LEVELS]
    out += "## How requirements bind\n\n" + table(("Level", "Effect", "In practice"), rows) + "\n"
    return out + p.body(body) + p.referenced_by(m, ("Standard",))


def lifecycle_page(p: PageContext, life: Lifecycle, body: str) -> str:
    out = p.heading(life)
    out += mermaid(lifecycle_flowchart(life)) + "\n"
    out += "| Phase | Gate |\n|---|---|\n" + "".join(
        f"| [{text(ph.title)}](#{ph.id}) | {text(ph.gate)} |\n" for ph in life.phases
    )
    out += "\nThe [RACI matrix](#raci-matrix) below shows every activity against every role.\n\n"
    for ph in life.phases:
        out += f"## {text(ph.title)} {{#{ph.id}}}\n\n{text(ph.summary)}\n\n"
        out += f"**Entry criteria**\n\n{bullets(ph.entry_criteria)}\n"
        out += f"**Exit criteria{(' — ' + text(ph.gate)) if ph.gate else ''}**\n\n{bullets(ph.exit_criteria)}\n"
        if ph.deliverables:
            out += f"**Deliverables:** {p.refs(ph.deliverables)}\n\n"
        out += activities_table(p, ph)
        everything = link(f"{ph.title}: its standards, requirements, templates and meetings", "/" + phase_uri(ph))
        out += f"{everything}\n\n"
    return out + raci_matrix(p, life) + p.body(body)


def raci_matrix(p: PageContext, life: Lifecycle) -> str:
    """Activities × roles, each cell the role's letters (R, A, C, I) for that activity."""
    roles = [
        r.id for r in p.catalog.of_kind(Role) if any(a.raci.letters(r.id) for ph in life.phases for a in ph.activities)
    ]
    headers = ["Phase", "Activity", *(link(p.label(r), link_target(p.catalog, r)) for r in roles)]
    rows = [
        (text(ph.title), text(a.title), *(a.raci.letters(r) for r in roles))
        for ph in life.phases
        for a in ph.activities
    ]
    legend = "R = Responsible (does the work), A = Accountable (signs off), C = Consulted, I = Informed.\n\n"
    return (
        "## RACI matrix {#raci-matrix}\n\n"
        + legend
        + '<div class="pb-raci" markdown>\n\n'
        + table(headers, rows)
        + "\n</div>\n\n"
    )


def role_activities(p: PageContext, role: str) -> str:
    """The lifecycle activities that name `role`, with its letters."""
    life = p.catalog.lifecycle
    if life is None:
        return ""
    rows = [
        (p.ref(ph.id), text(a.title), a.raci.letters(role))
        for ph in life.phases
        for a in ph.activities
        if a.raci.letters(role)
    ]
    return "## In the lifecycle\n\n" + table(("Phase", "Activity", "Role"), rows) + "\n" if rows else ""


def role_page(p: PageContext, r: Role, body: str) -> str:
    out = p.heading(r)
    out += p.facts([("Reports to", p.ref(r.reports_to) if r.reports_to else "")])
    out += f"## Responsibilities\n\n{bullets(r.responsibilities)}\n"
    standards = sorted(  # in force first; the others say what they are
        (s for s in p.catalog.of_kind(Standard) if r.id in s.applies_to.roles),
        key=lambda s: (s.status not in IN_FORCE, s.id),
    )
    if standards:
        out += f"## Standards that apply to this role\n\n{bullets_md(p.ref_marked(s.id) for s in standards)}\n"
        out += f"What the role must do, requirement by requirement: [its checklist](/{checklist_uri(r)}).\n\n"
    attends = [c.id for c in p.catalog.of_kind(Ceremony) if r.id in (c.facilitator, *c.attendees)]
    if attends:
        out += f"## Meetings\n\n{bullets_md(p.ref(c) for c in attends)}\n"
    return out + role_activities(p, r.id) + p.body(body) + p.referenced_by(r, ("Template", "Kpi", "Guide", "Role"))


def kpi_page(p: PageContext, k: Kpi, body: str) -> str:
    out = p.heading(k)
    out += p.facts(
        [
            ("Definition", text(k.definition)),
            ("Formula", text(k.formula)),
            ("Unit", text(k.unit)),
            ("Direction", text(k.direction)),
            ("Target", text(k.target)),
            ("Cadence", text(k.cadence)),
            ("Data source", text(k.data_source)),
            ("Owner", p.ref(k.owner)),
        ]
    )
    th = k.thresholds
    out += (
        "## Thresholds\n\n" + table(("Green", "Amber", "Red"), [(text(th.green), text(th.amber), text(th.red))]) + "\n"
    )
    return out + p.related(k.related) + p.body(body) + p.referenced_by(k)


def ceremony_page(p: PageContext, c: Ceremony, body: str) -> str:
    out = p.heading(c)
    out += p.facts(
        [
            ("Purpose", text(c.purpose)),
            ("Cadence", text(c.cadence)),
            ("Duration", f"{c.duration} minutes"),
            ("Facilitator", p.ref(c.facilitator)),
            ("Attendees", p.refs(c.attendees)),
            ("Inputs", p.refs(c.inputs) if c.inputs else ""),
            ("Outputs", p.refs(c.outputs) if c.outputs else ""),
            ("Phases", p.refs(c.phases) if c.phases else ""),
        ]
    )
    items = (text(i) if isinstance(i, str) else f"{text(i.item)} ({i.minutes} minutes)" for i in c.agenda)
    out += "## Agenda\n\n" + "".join(f"{n}. {item}\n" for n, item in enumerate(items, 1)) + "\n"
    return out + p.body(body) + p.referenced_by(c)


def glossary_page(p: PageContext, g: Glossary, body: str) -> str:
    """The terms A to Z, under a heading per letter, with a line of letters to jump from."""
    out = p.heading(g)
    groups: dict[str, list[Any]] = {}
    for term in sorted(g.terms, key=lambda t: t.term.casefold()):
        first = term.term[:1].upper()
        groups.setdefault(first if first.isalpha() else "0–9", []).append(term)
    anchors = {  # ids in ASCII whatever the letter: `#letter-r`, `#letter-3` for an Å
        letter: f"letter-{letter.lower() if letter.isascii() and letter.isalpha() else i}"
        for i, letter in enumerate(groups)
    }
    jumps = " ".join(f'<a href="#{anchors[letter]}">{text(letter)}</a>' for letter in groups)
    out += f'<p class="pb-az">{jumps}</p>\n\n'
    for letter, terms in groups.items():
        out += f"## {text(letter)} {{#{anchors[letter]}}}\n\n"
        for term in terms:
            name = text(term.term) + (f" ({text(term.abbr)})" if term.abbr else "")
            see = f" See {', '.join(p.ref_marked(t) for t in term.see)}." if term.see else ""
            out += f"{name}\n:   {text(term.definition)}{see}\n\n"
    return out + p.body(body)


def duration(minutes: int) -> str:
    """How long, as people say it: `50 minutes`, `1½ hours`, `30 hours` (to the half hour past 90 minutes)."""
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    halves = round(minutes / 30)
    whole, half = divmod(halves, 2)
    return f"{whole}{'½' if half else ''} hours"


def _reading(p: PageContext, target: str) -> str:
    """A link to what a step has the reader read; a standard out of force is marked, and its successor named."""
    entity = p.catalog.by_id.get(target)
    status = getattr(entity, "status", None)
    if not isinstance(entity, Standard) or status is None or status in IN_FORCE:
        return p.ref_marked(target)  # a draft template, a standard on trial: said so
    successor = p.catalog.current_successor(target)
    instead = f"; read {p.ref(successor)} instead" if successor else ""
    return f"{p.ref(target)} *({text(status)}{instead})*"


def guide_page(p: PageContext, g: Guide, body: str) -> str:
    """The steps in order; a guide whose steps name their week is a plan, grouped by week, each with its time."""
    out = p.heading(g)
    total = sum(step.minutes for step in g.steps)
    weeks = max((step.week for step in g.steps), default=0)
    span = f" over {weeks} week{'s' if weeks != 1 else ''}" if weeks else ""
    out += p.facts([("For", p.refs(g.audience)), ("Time", f"about {duration(total)}{span}" if total else "")])
    out += p.body(body).replace("## Guidance", "## Before you start", 1)
    out += _contacts(p)
    week, level = 0, "##"
    for i, step in enumerate(g.steps, 1):
        if step.week and step.week != week:
            week, level = step.week, "###"
            time = sum(s.minutes for s in g.steps if s.week == week)
            out += f"## Week {week}\n\n" + (f"*About {duration(time)} this week.*\n\n" if time else "")
        out += f"{level} Step {i}: {text(step.title)}\n\n"
        if step.minutes:
            out += f"*About {duration(step.minutes)}.*\n\n"
        if step.read:
            out += f"**Read:** {', '.join(_reading(p, target) for target in step.read)}\n\n"
        out += "".join(f"- [ ] {text(item)}\n" for item in step.do) + "\n"
    return out


def _contacts(p: PageContext) -> str:
    """Whom to ask, as the organisation's profile names them; '' without one."""
    org = p.catalog.organisation
    if org is None or not org.contacts:
        return ""
    rows = [
        (p.ref(c.role), contact_markdown(c, example=org.example)) for c in org.contacts if c.role in p.catalog.by_id
    ]
    return "## Whom to ask\n\n" + table(("Role", "Contact"), rows) + "\n" if rows else ""


def principle_page(p: PageContext, pr: Principle, body: str) -> str:
    out = p.heading(pr)
    out += admonition("quote pb-statement", "The principle", text(pr.statement))  # set larger in playbook.css
    out += p.facts([("Owner", p.ref(pr.owner))])
    out += f"## Rationale\n\n{text(pr.rationale)}\n\n"
    if pr.implications:
        out += f"## Implications\n\n{bullets(pr.implications)}\n"
    standards = [s for s in map(p.catalog.by_id.get, pr.standards) if isinstance(s, Standard)]
    if standards:
        items = (
            p.ref(s.id) + ("" if s.status in IN_FORCE else f" ({text(s.status)})") + f": {text(s.summary)}"
            for s in standards
        )
        out += f"## Put into practice by\n\n{bullets_md(items)}\n"
    return out + p.related(pr.related) + p.body(body) + p.referenced_by(pr)


BUILDERS: dict[str, Callable[[PageContext, Any, str], str]] = {
    "Principle": principle_page,
    "Standard": standard_page,
    "Template": template_page,
    "PmoModel": model_page,
    "Lifecycle": lifecycle_page,
    "Role": role_page,
    "Kpi": kpi_page,
    "Ceremony": ceremony_page,
    "Glossary": glossary_page,
    "Organisation": organisation_page,
    "Guide": guide_page,
}
"""The page builder of each kind; it takes an entity of that kind."""


def entity_page(catalog: Catalog, entity: Entity, body: str, versions: Mapping[str, VersionLinks] | None = None) -> str:
    """The Markdown of one entity's page; `body` is its already-rendered Markdown body."""
    return front_matter(catalog, entity) + BUILDERS[entity.kind](PageContext(catalog, versions), entity, body)

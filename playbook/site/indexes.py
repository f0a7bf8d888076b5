"""Pages about many entities at once: one index per kind, the PMO model comparison and the health page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from playbook.content.catalog import Catalog
from playbook.content.dates import plus_days
from playbook.content.levels import LEVELS
from playbook.content.model import KINDS, Kpi, PmoModel, Principle, Standard, Template
from playbook.content.review import WITHIN_DAYS, due_for_review, review_state
from playbook.content.status import IN_FORCE, Status
from playbook.downloads.names import FOLDER, file_name
from playbook.site.context import PageContext, admonition
from playbook.site.diagrams import mermaid, pie
from playbook.site.faces import per_listing
from playbook.site.markup import link, table, text
from playbook.site.organisation import model_statement
from playbook.site.urls import download_href, link_target

STRENGTH = {"enforced": 4, "expected": 3, "advised": 2, "optional": 1}
REVIEW_DUE_PAGE = "review-due.md"
REQUIREMENTS_PAGE = "requirements.md"
"""Every requirement in force on one page, linked to its anchor."""


def _cell(items: tuple[str, ...]) -> str:
    return "<br>".join(text(i) for i in items)


def _models_index(p: PageContext) -> str:
    models: list[PmoModel] = p.catalog.of_kind(PmoModel)
    out = admonition("success", "The model run here", model_statement(p.catalog)) if p.catalog.pmo_model else ""
    out += "PMO models differ on two axes: how much **control** the PMO has over projects, and who **staffs** it.\n\n"
    for axis, heading in (
        ("control", "Control: how much authority the PMO has"),
        ("staffing", "Staffing: who runs the PMO"),
    ):
        group = [m for m in models if m.axis == axis]
        if not group:
            continue
        rows = [("Control level", *(text(m.control_level or "—") for m in group))] if axis == "control" else []
        rows += [
            ("What the PMO does", *(_cell(m.responsibilities) for m in group)),
            ("Best for", *(_cell(m.best_for) for m in group)),
            ("Watch out for", *(_cell(m.watch_out_for) for m in group)),
        ]
        out += f"## {heading}\n\n" + table(("", *(p.ref(m.id) for m in group)), rows) + "\n"
    rows = [(f"**{level}**", *(text(m.binding[level].effect) for m in models)) for level in LEVELS]
    out += "## How requirement levels bind\n\n" + table(("Level", *(p.ref(m.id) for m in models)), rows) + "\n"
    out += "## Which standards bind under each model\n\n"
    out += (
        "Each cell gives the strongest effect the standard's requirements have under the model, "
        "and how many requirements it has at each level. A standard that names no models applies under all.\n\n"
    )
    rows = []
    for s in p.catalog.of_kind(Standard):
        if s.status not in IN_FORCE:
            continue
        counts = Counter(r.level for r in s.requirements)
        summary = ", ".join(f"{counts[level]} {level}" for level in LEVELS if counts[level])
        cells = []
        for m in models:
            if s.applies_to.models and m.id not in s.applies_to.models:
                cells.append("—")
                continue
            effect = max((m.binding[level].effect for level in counts), key=STRENGTH.__getitem__)
            cells.append(f"**{text(effect)}** ({summary})")
        rows.append((p.ref(s.id), *cells))
    return out + table(("Standard", *(p.ref(m.id) for m in models)), rows)


def _kpi_catalogue(p: PageContext) -> str:
    rows = [
        (
            p.ref(k.id),
            text(k.target),
            text(k.thresholds.green),
            text(k.thresholds.amber),
            text(k.thresholds.red),
            text(k.cadence),
            text(k.unit),
        )
        for k in p.catalog.of_kind(Kpi)
    ]
    return table(("KPI", "Target", "Green", "Amber", "Red", "Cadence", "Unit"), rows)


def _standards_index(p: PageContext) -> str:
    rows = [
        (p.ref(s.id), text(s.status), text(s.version), p.ref(s.owner), text(p.catalog.next_review(s)))
        for s in p.catalog.of_kind(Standard)
    ]
    return table(("Standard", "Status", "Version", "Owner", "Next review"), rows)


def _templates_index(p: PageContext) -> str:
    catalog, templates = p.catalog, p.catalog.of_kind(Template)
    rows = [
        (
            p.ref(t.id),
            text(t.format),
            " ".join(f'[.{f}]({download_href(t, f)}){{ download="{file_name(t, f)}" }}' for f in t.outputs),
            text(t.version),
        )
        for t in templates
        if t.status != Status.RETIRED
    ]
    zips = " · ".join(
        f"[{text(catalog.phases[ph].title)}](/{FOLDER}/phase-{ph}.zip)"
        for ph in catalog.phases
        if any(ph in t.phases or t.id in catalog.phases[ph].deliverables for t in templates)
    )
    body = table(("Template", "Format", "Downloads", "Version"), rows)
    return body + f"\n[All templates (.zip)](/{FOLDER}/playbook-templates.zip){{ .md-button }}\n\nBy phase: {zips}\n"


@per_listing
def requirements_page(catalog: Catalog) -> str:
    """Every requirement of the standards in force, each linked to its anchor, strongest level first within
    a standard as the standard orders them; left out of search, where each standard already finds them."""
    standards = [s for s in catalog.of_kind(Standard) if s.status in IN_FORCE]
    rows = [
        (link(f"{s.id} {r.id}", link_target(catalog, f"{s.id}#{r.id}")), f"**{text(r.level)}**", text(r.text))
        for s in standards
        for r in s.requirements
    ]
    count = f"{len(rows)} requirements of {len(standards)} standards in force"
    intro = (
        f"{count}. Standards not in force (drafts, proposals, deprecated, superseded or retired ones) are left out;"
        " their own pages list theirs. As a spreadsheet: [requirements.csv](/api/requirements.csv)"
        " (every standard, with its status); as data: [requirements.json](/api/requirements.json).\n\n"
    )
    listing = table(("Requirement", "Level", "Text"), rows) if rows else "*No standard is in force yet.*\n"
    return '---\n{"search": {"exclude": true}}\n---\n# All requirements\n\n' + intro + listing


def _principles_index(p: PageContext) -> str:
    rows = [(p.ref(pr.id), text(pr.statement)) for pr in p.catalog.of_kind(Principle)]
    return table(("Principle", "Statement"), rows)


_INDEXES: dict[str, Callable[[PageContext], str]] = {
    "Principle": _principles_index,
    "Standard": _standards_index,
    "Template": _templates_index,
    "PmoModel": _models_index,
    "Kpi": _kpi_catalogue,
}
"""Kinds whose index is more than a list of names and summaries."""


@per_listing
def index_page(catalog: Catalog, kind: str) -> str:
    """The index of one kind: a table of every entity, or a comparison where one helps more."""
    p = PageContext(catalog)
    if kind in _INDEXES:
        body = _INDEXES[kind](p)
    else:
        body = table(("Name", "Summary"), [(p.ref(e.id), text(e.summary)) for e in catalog.of_kind(kind)])
    return f"# {KINDS[kind].plural}\n\n{body}"


@per_listing
def health_page(catalog: Catalog, today: str) -> str:
    """For the PMO lead: standards by status and by review state, and the list behind the charts."""
    p = PageContext(catalog)
    standards = catalog.of_kind(Standard)
    states = {s.id: review_state(catalog, s, today) for s in standards}
    by_status = Counter(s.status for s in standards)
    by_state = Counter(states.values())
    order = ("overdue", f"due within {WITHIN_DAYS} days", "current", "no review cycle")
    listed = sorted(standards, key=lambda s: (order.index(states[s.id]), catalog.next_review(s) or "9999", s.id))
    listing = table(
        ("Standard", "Status", "Owner", "Next review", "Review state"),
        [
            (
                p.ref(s.id),
                text(s.status),
                p.ref(s.owner),
                text(catalog.next_review(s)),
                f"**{states[s.id]}**" if states[s.id] == "overdue" else states[s.id],
            )
            for s in listed
        ],
    )
    intro = (
        f"# Playbook health\n\nThe state of the standards on {today}: what is in force, and what is due for review. "
        f"A standard is due within {WITHIN_DAYS} days when its next review falls before {plus_days(today, WITHIN_DAYS)}. "
        f"[Reviews due](/{REVIEW_DUE_PAGE}) lists them with their owners.\n\n"
    )
    if not standards:  # no charts of nothing
        return intro + 'This playbook has no standards yet: `playbook new standard --title "…"` writes one.\n'
    return (
        intro
        + mermaid(pie("Standards by status", sorted(by_status.items())))
        + "\n"
        + mermaid(pie("Review state", [(state, by_state[state]) for state in order]))
        + "\n## Every standard\n\n"
        + listing
    )


@per_listing
def review_due_page(catalog: Catalog, today: str) -> str:
    """For owners and maintainers: the standards whose review has passed or falls within 30 days."""
    p = PageContext(catalog)
    rows = [
        (
            p.ref(r.id),
            text(r.next_review),
            "**overdue**" if r.overdue else "due",
            p.ref(r.owner),
            text(", ".join(r.maintainers) or "—"),
        )
        for r in due_for_review(catalog, today)
    ]
    intro = (
        f"# Reviews due\n\nStandards whose next review date had passed on {today}, the day this site was built, "
        f"or falls by {plus_days(today, WITHIN_DAYS)}. The owner confirms the standard is current and sets "
        "`last_reviewed`; `playbook report review-due` gives the same list at any time.\n\n"
    )
    if not rows:
        return intro + "*No standard is due for review.*\n"
    return intro + table(("Standard", "Next review", "State", "Owner", "Maintainers"), rows)

"""The starter playbook in `standards/` is complete, valid, cross-linked and builds."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS
from playbook.content.status import IN_FORCE
from playbook.content.validate import validate_tree

from .conftest import ROOT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = validate_tree(ROOT / "standards")
    assert [str(d) for d in result.diagnostics] == []
    return Catalog.of(result.entities)


def test_every_kind_is_present(catalog):
    assert {e.kind for e in catalog.entities} == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "minimum"),
    [
        ("Standard", 15),
        ("Template", 12),
        ("PmoModel", 5),
        ("Role", 8),
        ("Kpi", 10),
        ("Ceremony", 6),
        ("Guide", 3),
        ("Principle", 3),
    ],
)
def test_minimum_counts(catalog, kind, minimum):
    assert len(catalog.of_kind(kind)) >= minimum


def test_models_cover_both_axes(catalog):
    assert {m.id for m in catalog.of_kind("PmoModel")} >= {
        "supportive",
        "controlling",
        "directive",
        "internal",
        "external",
    }


def test_lifecycle_has_five_phases_and_25_activities(catalog):
    phases = catalog.lifecycle.phases
    assert [p.id for p in phases] == ["initiation", "planning", "execution", "monitoring-control", "closing"]
    assert sum(len(p.activities) for p in phases) >= 25


def test_standards_show_every_banner(catalog):
    statuses = Counter(s.status for s in catalog.of_kind("Standard"))
    assert statuses["active"] > len(catalog.of_kind("Standard")) / 2
    for status in ("draft", "trial", "deprecated", "superseded"):
        assert statuses[status] >= 1, status


def test_standards_have_three_to_eight_requirements_and_a_body(catalog):
    for s in catalog.of_kind("Standard"):
        assert 3 <= len(s.requirements) <= 8, s.id
        assert {r.level for r in s.requirements} & {"MUST", "SHOULD", "MAY"}, s.id
        assert all(r.rationale for r in s.requirements), s.id
        assert s.doc.body and len(s.doc.body.split()) >= 150, s.id


def test_every_template_is_named_by_a_standard(catalog):
    for t in catalog.of_kind("Template"):
        sources = catalog.referenced_by.get(t.id, ())
        assert any(catalog.by_id[s].kind == "Standard" for s in sources), t.id


def test_every_principle_is_put_into_practice_by_standards_in_force(catalog):
    for principle in catalog.of_kind("Principle"):
        statuses = [catalog.by_id[s].status for s in principle.standards]
        assert len(statuses) >= 2 and all(status in IN_FORCE for status in statuses), principle.id


def test_every_role_appears_in_the_raci(catalog):
    in_raci = {
        r for p in catalog.lifecycle.phases for a in p.activities for r in (*a.raci.R, a.raci.A, *a.raci.C, *a.raci.I)
    }
    assert {r.id for r in catalog.of_kind("Role")} <= in_raci


def test_glossary_has_50_terms_each_used_elsewhere(catalog):
    terms = catalog.glossary.terms
    assert len(terms) >= 50
    corpus = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "standards").rglob("*")
        if p.suffix in (".yaml", ".md") and "glossary" not in p.parts
    ).lower()
    for term in terms:
        names = [term.term] + ([term.abbr] if term.abbr else [])
        assert any(re.search(rf"\b{re.escape(n.lower())}\b", corpus) for n in names), term.term


def test_guides_for_new_pm_pmo_setup_and_editors(catalog):
    guides = {g.id: g for g in catalog.of_kind("Guide")}
    titles = " ".join(g.title.lower() for g in guides.values())
    assert "first 30 days" in titles and "setting up a pmo" in titles and "editing" in titles
    setup = next(g for g in guides.values() if "setting up" in g.title.lower())
    assert len(setup.steps) == 8 and all(step.read for step in setup.steps)


def test_repository_site_builds(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    build(config)  # strict: a broken link or anchor anywhere is an error
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / "lifecycle" / "index.html").is_file()
    assert (site / "STD-007" / "index.html").is_file()


_CADENCE = {
    r"every (?:two|2) weeks|fortnight(?:ly)?|biweekly": "every two weeks",
    r"every week|weekly": "every week",
    r"every month|monthly": "every month",
}
_TOPICS = {"RAID": r"\bRAID\b", "status report": r"\bstatus reports?\b"}


def _cadences(text: str) -> set[str]:
    return {said for pattern, said in _CADENCE.items() if re.search(pattern, text, re.IGNORECASE)}


def test_the_lifecycle_standards_and_guides_give_one_cadence_for_each_recurring_task(catalog):
    # where a lifecycle activity, a requirement or a guide's step names a task and how often, they agree
    said: dict[str, dict[str, set[str]]] = {topic: {} for topic in _TOPICS}
    texts = [(f"lifecycle {a.id}", a.title) for phase in catalog.lifecycle.phases for a in phase.activities]
    texts += [  # what a standard in force requires or recommends; a MAY is an allowed exception ("weekly while red")
        (f"{s.id} {r.id}", r.text)
        for s in catalog.of_kind("Standard")
        if s.status in IN_FORCE
        for r in s.requirements
        if r.level != "MAY"
    ]
    texts += [
        (f"{g.id} step {i}", item)
        for g in catalog.of_kind("Guide")
        for i, st in enumerate(g.steps, 1)
        for item in st.do
    ]
    for where, text in texts:
        for topic, pattern in _TOPICS.items():
            if re.search(pattern, text, re.IGNORECASE):
                for cadence in _cadences(text):
                    said[topic].setdefault(cadence, set()).add(where)
    assert said["RAID"] and said["status report"]  # the check compares something
    assert {topic: found for topic, found in said.items() if len(found) > 1} == {}


def test_the_onboarding_guide_is_a_plan_by_weeks_with_whom_to_ask(catalog):
    from playbook.site.pages import entity_page

    guide = catalog.by_id["GUIDE-001"]
    weeks = [step.week for step in guide.steps]
    assert weeks[0] == 1 and weeks == sorted(weeks) and max(weeks) == 4  # "your first 30 days"
    page = entity_page(catalog, guide, "")
    assert "over 4 weeks" in page and page.count("\n## Week ") == 4
    assert re.search(r"## Week 1\n\n\*About [\d½]+ hours this week\.\*", page)
    assert "## Whom to ask" in page and "mailto:" in page  # from the organisation's profile
    assert (
        "minutes" not in page.split("## Week 1")[0].split("| **Time** |")[1].split("\n")[0]
    )  # hours, not 1770 minutes


def test_the_lifecycle_diagram_draws_monitoring_beside_execution_as_the_text_says(catalog):
    from playbook.site.diagrams import lifecycle_flowchart

    monitoring = catalog.phases["monitoring-control"]
    assert monitoring.summary.startswith("Runs alongside execution") and monitoring.alongside == "execution"
    chart = lifecycle_flowchart(catalog.lifecycle)
    node = {phase.title: f"p{i}" for i, phase in enumerate(catalog.lifecycle.phases)}
    execution, closing = node["Execution"], node["Closing"]
    assert f'{execution} <-.->|"alongside"| {node["Monitoring & control"]}' in chart
    assert f'{node["Monitoring & control"]} -->|"Gate 3: Ready to close"| {closing}' in chart
    assert (
        f"{execution} -->" in chart and f'-->|"Gate 2: Baseline approval"| {node["Monitoring & control"]}' not in chart
    )

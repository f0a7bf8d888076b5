"""The organisation's profile on the pages that use it, and what the content model takes from real catalogues:
Markdown guidance and old anchors per requirement, outside links in `related`, review cycles left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.content.catalog import Catalog
from playbook.content.model import Standard
from playbook.content.review import due_for_review, review_state
from playbook.content.validate import validate_tree
from playbook.site.bodies import check_bodies

from .conftest import build
from .history_repo import edit

STD1 = "STD-001-status-reporting.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The good catalog, STD-001 given guidance, an old anchor and an outside link; a home page using the macros."""
    import shutil

    import yaml

    from .conftest import GOOD, site_config

    root = tmp_path_factory.mktemp("organisation")
    content = root / "standards"
    shutil.copytree(GOOD, content)
    edit(
        content / STD1,
        ("related: [KPI-001]\n", "related:\n  - KPI-001\n  - title: GOV.UK Service Manual\n"
                                 "    url: https://www.gov.uk/service-manual?a=1&b=<2>\n"),
        ("    rationale: Long reports go unread.\n", "    rationale: Long reports go unread.\n    guidance: |\n"
         "      Keep to what changed:\n\n      - the overall rating;\n      - the decisions needed.\n"
         "    anchors: [keep-it-short]\n"),
    )  # fmt: skip
    edit(content / "STD-002-weekly-status.yaml", ("owner: pmo-lead\n", "owner: pmo-lead\ntags: [reporting]\n"))
    edit(
        content / "templates" / "TPL-001-status-report.yaml",
        ("owner: project-lead\n", "owner: project-lead\ntags: [reporting]\n"),
    )
    project = root / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copytree(Path(__file__).parents[1] / "macros", project / "macros")
    (project / "docs" / "index.md").write_text(
        '# Home\n\n{{ pmo_model() }}\n\nAsk {{ contact("pmo-lead") }} or {{ contact("project-lead") }}.\n'
    )
    (project / "mkdocs.yml").write_text(yaml.safe_dump(site_config(content)))
    return build(project)


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_profile_page_names_the_model_the_contacts_and_the_system_of_record(site):
    page = _page(site, "organisation")
    assert "Acme Projects runs a" in page and "Controlling PMO" in page
    assert 'href="mailto:pmo@acme.example"' in page and "Sam Lead" in page and "#pmo" in page
    assert 'href="https://portfolio.acme.example/"' in page and "Playbook induction" in page
    assert "reviewed every 6 months" in page
    assert "Example details" not in page  # the good example is not marked as the starter's example


def test_macros_put_the_model_and_contacts_on_hand_written_pages(site):
    home = _page(site, "")
    assert "Acme Projects runs a" in home and "MUST requirements are <strong>enforced</strong>" in home
    assert '<a href="mailto:pmo@acme.example">Sam Lead</a> (#pmo)' in home
    assert '<a href="https://intranet.acme.example/forum">Project leads\' forum</a>' in home


def test_a_standard_in_force_says_how_its_levels_bind_here(site):
    page = _page(site, "standards/status-reporting")
    assert "How this standard binds here" in page
    for level in ("MUST", "SHOULD NOT", "MAY"):  # the levels STD-001 uses, each with the model's effect
        assert f"<strong>{level}</strong>:" in page, level
    assert "<strong>SHOULD</strong>:" not in page  # a level the standard does not use is left out
    assert "How this standard binds here" not in _page(site, "standards/weekly-status")  # superseded: binds nowhere
    assert "The model run here" in _page(site, "models/controlling") and "The model run here" in _page(site, "models")


def test_guidance_old_anchors_and_outside_links_show_on_the_standard(site):
    page = _page(site, "standards/status-reporting")
    r2 = page[page.index('id="r2"') : page.index('id="r3"')]
    assert '<span id="keep-it-short" class="pb-anchor"></span>' in r2
    assert "<li>the overall rating;</li>" in r2  # Markdown guidance, rendered inside the requirement
    assert 'href="https://www.gov.uk/service-manual?a=1&amp;b=&lt;2&gt;"' in page
    assert "GOV.UK Service Manual</a> <small>(www.gov.uk)</small>" in page


def test_guidance_is_checked_like_a_body(good_catalog):
    edit(good_catalog / STD1, ("    rationale: Long reports go unread.\n",
                               "    rationale: Long reports go unread.\n    guidance: |\n      Fine.\n\n"
                               "      [x](javascript:alert(1)) and {{ [y](javascript:alert(2)) }}\n"))  # fmt: skip
    found = [str(d) for d in check_bodies(validate_tree(good_catalog)).diagnostics]
    assert [line.split(": E-")[0].rsplit(":", 2)[1:] for line in found] == [["35", "11"], ["35", "36"], ["35", "43"]]
    assert all("requirements[1].guidance" in line for line in found)
    # the link inside {{ }} reaches the page as written, so it is refused too; and the braces show as written
    assert ["E-LINK" in found[0], "E-TEMPLATE" in found[1], "E-LINK" in found[2]] == [True, True, True]


def test_links_in_guidance_that_validate_resolve_in_the_strict_build(site):
    # the good catalog's STD-002 guidance links to another standard's requirement and to its own R1
    page = _page(site, "standards/weekly-status")
    assert 'href="../status-reporting/#r2"' in page and 'href="#r1"' in page


def test_links_in_guidance_the_build_would_stop_at_fail_validation_at_their_line(good_catalog):
    edit(good_catalog / STD1, ("    rationale: Long reports go unread.\n",
                               "    rationale: Long reports go unread.\n    guidance: |\n"
                               "      [a](./javascript:alert(1)) [b](javascript%3Aalert(2)) [c](../x/../../up.md)\n"))  # fmt: skip
    found = [str(d) for d in check_bodies(validate_tree(good_catalog)).diagnostics]
    assert [line.split(": E-")[0].rsplit(":", 2)[1:] for line in found] == [["33", "11"], ["33", "38"], ["33", "65"]]
    assert all("E-LINK-TARGET" in line and "requirements[1].guidance" in line for line in found), found
    assert "leads out of the site" in found[2]


def test_a_link_to_the_page_of_a_file_with_problems_is_not_a_second_problem(good_catalog):
    edit(good_catalog / STD1, ("evidence: [TPL-001]", "evidence: [TPL-099]"))  # STD-002's guidance links to STD-001
    found = [str(d) for d in check_bodies(validate_tree(good_catalog)).diagnostics]
    assert len(found) == 1 and "E-REF unknown id 'TPL-099'" in found[0], found


def test_a_standard_without_a_review_cycle_is_never_overdue_and_the_profile_sets_a_default(good_catalog):
    edit(good_catalog / STD1, ("review_every: 12\n", ""), ('last_reviewed: "2026-02-01"\n', ""))
    result = validate_tree(good_catalog)
    assert result.ok, result.diagnostics
    standard = next(e for e in result.entities if isinstance(e, Standard) and e.id == "STD-001")
    catalog = Catalog.of(result.entities)
    assert review_state(catalog, standard, "2099-01-01") == "no review cycle"
    assert [r.id for r in due_for_review(catalog, "2099-01-01")] == []
    edit(good_catalog / STD1, ('effective: "2026-02-01"\n', 'effective: "2026-02-01"\nlast_reviewed: "2026-02-01"\n'))
    catalog = Catalog.of(validate_tree(good_catalog).entities)
    assert catalog.next_review(catalog.by_id["STD-001"]) == "2026-08-01"  # the profile's review_every: 6 months


def test_playbook_new_writes_a_profile_that_validates_and_says_it_is_an_example(good_catalog):
    from playbook.authoring.scaffold import new_entity

    (good_catalog / "organisation" / "organisation.yaml").unlink()
    path = new_entity(good_catalog, "organisation", "Acme Projects", today="2026-12-01")
    assert path == good_catalog / "organisation" / "organisation.yaml"
    result = validate_tree(good_catalog)
    assert result.ok, result.diagnostics
    profile = Catalog.of(result.entities).organisation
    assert profile is not None and profile.example and profile.pmo_model == "controlling"


def test_hostile_profile_values_stay_text(good_catalog):
    from playbook.site.pages import entity_page

    edit(
        good_catalog / "organisation" / "organisation.yaml",
        ("    name: Sam Lead\n", "    name: <img src=x onerror=alert(1)>\n"),
        ("    channel: \"#pmo\"\n", "    channel: \"[x](javascript:alert(2))\"\n"),
        ("  url: https://portfolio.acme.example/\n", "  url: 'https://x.example/\"onmouseover=\"alert(3)'\n"),
    )  # fmt: skip
    result = validate_tree(good_catalog)
    assert result.ok, result.diagnostics
    catalog = Catalog.of(result.entities)
    page = entity_page(catalog, catalog.by_id["organisation"], "")
    assert "<img" not in page and "](javascript:" not in page and '"onmouseover="' not in page
    assert "&quot;onmouseover=&quot;alert(3)" in page


def test_a_page_per_tag_with_its_display_name_in_force_first_and_status_marked(site):
    page = _page(site, "tags/reporting")
    assert '>Status reporting<a class="headerlink"' in page and "where they stand." in page
    standards = page[page.index('id="standards"') : page.index('id="templates"')]
    assert standards.index("STD-001") < standards.index("STD-002")
    assert "<em>(superseded)</em>" in standards and "TPL-001" in page[page.index('id="templates"') :]
    health = _page(site, "tags/health")
    article = health[health.index("<article") : health.index("</article>")]
    assert (
        '>Health<a class="headerlink"' in article and "STD-001" in article and "STD-002" not in article
    )  # no vocabulary entry: the tag, capitalised
    index = _page(site, "tags")
    assert index.index(">Health</a>") < index.index(">Status reporting</a>")  # topics by their display names
    assert 'href="reporting/"' in index


def test_a_profile_with_problems_of_its_own_is_not_also_missing_for_the_macros(good_catalog):
    body = good_catalog / "STD-001-status-reporting.md"
    body.write_text(body.read_text() + '\nAsk {{ contact("pmo-lead") }}. {{ pmo_model() }}\n')
    profile = good_catalog / "organisation" / "organisation.yaml"
    profile.write_text(profile.read_text().replace("    name: Status reporting", '    name: "<b>Status</b>"'))
    found = [str(d) for d in check_bodies(validate_tree(good_catalog)).diagnostics]
    assert len(found) == 1 and "E-SCHEMA" in found[0] and "organisation.yaml" in found[0], found


def test_standards_in_force_are_the_active_ones_and_those_on_trial(good_catalog):
    from playbook.site.macros import make_macros

    std = good_catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("status: active", "status: trial", 1))
    table = make_macros(Catalog.of(validate_tree(good_catalog).entities))["standards_table"]
    assert "STD-001" in table(status="in force") and "STD-002" not in table(status="in force")
    assert "STD-001" not in table(status="active")


def test_a_link_from_the_lifecycle_page_to_a_pages_address_is_found_as_from_any_other(good_catalog):
    from playbook.site.site_links import SitePages

    pages = SitePages(Catalog.of(validate_tree(good_catalog).entities))
    # the browser reads `../standards/status-reporting/` from /lifecycle/, the page's address; the build does not
    why = pages.dead_end("lifecycle/index.md", "../standards/status-reporting/")
    assert (
        why == "'../standards/status-reporting/' is a page's address; link to its file: /standards/status-reporting.md"
    )
    assert pages.dead_end("lifecycle/index.md", "/standards/status-reporting.md#r1") is None

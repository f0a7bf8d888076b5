"""A real `mkdocs build --strict` of a temporary site made from the good examples."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from .conftest import build, build_error


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    import yaml

    from .conftest import GOOD, ROOT, site_config

    project = tmp_path_factory.mktemp("project")
    (project / "docs").mkdir(parents=True)
    shutil.copytree(ROOT / "macros", project / "macros")
    (project / "docs" / "index.md").write_text(
        '# Home\n\nRead {{ ref("STD-001") }}, requirement {{ ref("STD-001#R2") }} '
        'and the {{ ref("execution") }} phase.\n\n{{ standards_table(status="active") }}\n'
        "\n{% raw %}{{ config }}{% endraw %} stays text.\n"
    )
    (project / "mkdocs.yml").write_text(yaml.safe_dump(site_config(GOOD)))
    return build(project)


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_one_page_per_entity_at_stable_urls(site):
    for page in [
        "standards/status-reporting",
        "standards/weekly-status",
        "templates/status-report",
        "templates/raid-log",
        "models/controlling",
        "lifecycle",
        "roles/project-lead",
        "kpis/on-time-reports",
        "ceremonies/status-review",
        "glossary",
        "guides/first-week",
        "principles/honest-status",
    ]:
        assert (site / page / "index.html").is_file(), page
    for index in ["principles", "standards", "templates", "models", "roles", "kpis", "ceremonies", "guides"]:
        assert (site / index / "index.html").is_file(), index


def test_standard_page_has_requirements_with_anchors_and_links(site):
    page = html(site, "standards/status-reporting/index.html")
    assert 'id="r1"' in page and 'id="r3"' in page
    assert '<span class="pb-level pb-level--must">MUST</span>' in page
    assert 'href="../../templates/status-report/"' in page  # evidence link, made relative by MkDocs
    assert 'href="../../lifecycle/#execution"' in page
    assert "Next review due" in page and "2027-02-01" in page  # derived from last_reviewed + 12 months
    assert 'href="../weekly-status/"' in page  # supersedes
    # the body's macros were expanded in the sandbox
    assert 'href="../../roles/executive-sponsor/">Executive sponsor</a>' in page
    assert 'href="./#r2">STD-001 Status reporting R2</a>' in page


def test_superseded_standard_shows_banner_and_successor(site):
    page = html(site, "standards/weekly-status/index.html")
    assert "admonition danger" in page and "Superseded" in page
    assert 'Use <a href="../status-reporting/">STD-001 Status reporting</a> instead' in page


def test_edit_link_points_at_the_yaml_file(site):
    page = html(site, "standards/status-reporting/index.html")
    assert re.search(r'href="[^"]+/STD-001-status-reporting\.yaml" title="Edit this page"', page)


def test_docs_page_macros_and_raw_text(site):
    page = html(site, "index.html")
    assert '<a href="standards/status-reporting/">STD-001 Status reporting</a>' in page
    assert '<a href="standards/status-reporting/#r2">' in page
    assert "{{ config }} stays text." in page
    assert "<td>active</td>" in page  # standards_table


def test_lifecycle_raci_table(site):
    page = html(site, "lifecycle/index.html")
    assert 'id="execution"' in page
    assert "<th>Accountable</th>" in page
    assert "Approve the brief" in page


def test_each_phase_has_a_page_with_what_a_project_does_in_it(site):
    page = html(site, "lifecycle/execution/index.html")
    article = page[page.index("<article") :]
    assert "Phase 2 of 2 of the" in article
    for section in (
        "Entry criteria",
        "Exit criteria",
        "Activities",
        "Templates",
        "Meetings",
        "Standards",
        "Requirements",
    ):
        assert f">{section}</h2>" in article or f">{section}<" in article, section
    assert 'href="../../standards/status-reporting/#r1"' in article  # the requirement, at its anchor
    assert "TPL-001 Status report" in article and "Status review" in article
    assert 'href="execution/"' in html(site, "lifecycle/index.html") or 'href="../lifecycle/execution/"' in page
    assert "Initiation" in [title for _depth, title in nav_entries(page)]  # the phases under Lifecycle in the nav


def test_search_index_has_ids_titles_and_requirement_words(site):
    index = json.loads(html(site, "search/search_index.json"))
    docs = {d["location"]: d for d in index["docs"]}
    assert any("STD-001" in d["title"] for d in index["docs"])
    assert "standards/status-reporting/" in docs
    r1 = docs["standards/status-reporting/#r1"]  # each requirement its own result, with its rationale
    assert r1["title"] == "STD-001 R1 (MUST)"
    assert r1["text"].startswith("The project lead MUST publish") and "comparable view of health" in r1["text"]
    assert "comparable view of health" not in docs["standards/status-reporting/#requirements"]["text"]  # not twice
    page = docs["standards/status-reporting/"]
    assert "Field Value" not in page["text"] and "1.1.0" not in page["text"]  # no facts table, no versions
    assert all(": " not in tag and tag != "Standard" for d in index["docs"] for tag in d.get("tags", []))


class _NavEntries(HTMLParser):
    """Material's primary navigation as a reader sees it: (depth, title) of every entry, in page order.

    Left out: the page's table of contents (md-nav--secondary), which Material nests inside, and
    the label that toggles it, which repeats the current page's title."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: list[bool] = []  # per <nav> open here: is it part of the primary navigation?
        self.in_toc_toggle = False
        self.entries: list[tuple[int, str]] = []
        self.title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "nav":
            primary = "md-nav--primary" in classes or bool(self.navs and self.navs[-1])
            self.navs.append(primary and "md-nav--secondary" not in classes)
        elif tag == "label" and attributes.get("for") == "__toc":
            self.in_toc_toggle = True
        elif tag == "span" and "md-ellipsis" in classes and self.navs and self.navs[-1] and not self.in_toc_toggle:
            self.title = []

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.navs:
            self.navs.pop()
        elif tag == "label":
            self.in_toc_toggle = False
        elif tag == "span" and self.title is not None:
            self.entries.append((len(self.navs) - 1, "".join(self.title).strip()))
            self.title = None


def nav_entries(page: str) -> list[tuple[int, str]]:
    parser = _NavEntries()
    parser.feed(page)
    return parser.entries


def test_nav_lists_kinds_in_sections(site):
    """Hand-written pages first, then a section per kind with its entities in id order, then tags; editors' pages last."""
    assert nav_entries(html(site, "index.html")) == [
        (0, "Home"),
        (0, "Checklists"), (1, "Executive sponsor"), (1, "PMO lead"), (1, "Project lead"), (1, "Team member"),
        (0, "Our PMO"),
        (0, "Guides"), (1, "GUIDE-001 Your first week"),
        (0, "Lifecycle"), (1, "Initiation"), (1, "Execution"),
        (0, "Standards"), (1, "All requirements"), (1, "STD-001 Status reporting"), (1, "STD-002 Weekly status (superseded)"),
        (0, "Principles"), (1, "PRI-001 Honest status"),
        (0, "Templates"), (1, "TPL-001 Status report"), (1, "TPL-002 RAID log"),
        (0, "Roles"), (1, "Executive sponsor"), (1, "PMO lead"), (1, "Project lead"), (1, "Team member"),
        (0, "KPIs"), (1, "KPI-001 On-time status reports"),
        (0, "Ceremonies"), (1, "Status review"),
        (0, "PMO models"), (1, "Controlling PMO"),
        (0, "Glossary"),
        (0, "Tags"),
        (0, "For playbook editors"), (1, "CLI reference"), (1, "Validation codes"),
        (1, "In force on a date"), (1, "Playbook health"), (1, "Reviews due"),
    ]  # fmt: skip


def test_a_playbook_without_standards_builds_strict_with_its_health_pages_listed(good_catalog, make_site):
    for standard in good_catalog.glob("STD-*"):
        standard.unlink()
    for path in (
        good_catalog / "guides" / "GUIDE-001-first-week.yaml",
        good_catalog / "kpis" / "KPI-001-on-time-reports.yaml",
        good_catalog / "principles" / "PRI-001-honest-status.yaml",
    ):
        path.write_text("".join(line for line in path.read_text().splitlines(True) if "STD-001" not in line))
    site = build(make_site(good_catalog))  # strict: a page left out of the nav would abort it
    entries = [title for _, title in nav_entries(html(site, "index.html"))]
    assert "Standards" not in entries and entries[-4:] == [
        "Validation codes",
        "In force on a date",
        "Playbook health",
        "Reviews due",
    ]
    assert "No standard is due for review." in html(site, "review-due/index.html")
    health = html(site, "health/index.html")
    assert "This playbook has no standards yet:" in health and "Standards by status" not in health


def test_yaml_text_cannot_inject_markup(good_catalog, make_site):
    role = good_catalog / "roles" / "team-member.yaml"
    role.write_text(
        role.read_text().replace(
            "summary: The Team member role in projects run under this playbook.",
            "summary: '<script>alert(1)</script> [x](javascript:alert(2)) {{ config }} **bold**'",
        )
    )
    page = html(build(make_site(good_catalog)), "roles/team-member/index.html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "<strong>bold</strong>" not in page


def test_raw_html_in_bodies_is_removed(good_catalog, make_site):
    (good_catalog / "STD-001-status-reporting.md").write_text(
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> [click](#r1)\n<iframe src='local.html'></iframe>\n"
    )
    page = html(build(make_site(good_catalog)), "standards/status-reporting/index.html")
    body = page[page.index("Guidance") :]
    assert "<script>alert" not in body and "onerror" not in body
    assert "<iframe" not in body


def test_a_script_link_or_a_file_from_another_host_in_a_body_stops_the_build(good_catalog, make_site, caplog):
    (good_catalog / "STD-001-status-reporting.md").write_text(
        "Hello [click](javascript:alert(3))\n<iframe src='https://example.com'></iframe>\n"
    )
    error = build_error(make_site(good_catalog), caplog)
    assert "STD-001-status-reporting.md:1:15: E-LINK 'javascript:' addresses are not allowed" in error
    assert "STD-001-status-reporting.md:2:14: E-EXTERNAL" in error


def test_unknown_id_in_a_docs_page_fails_with_file_and_line(good_catalog, make_site, caplog):
    project = make_site(good_catalog, {"index.md": "---\ntitle: Home\n---\n# Home\n\nSee {{ ref('STD-999') }}\n"})
    assert "docs/index.md:6:1: E-MACRO ref(): unknown id 'STD-999'" in build_error(project, caplog)


def test_unknown_requirement_anchor_fails(good_catalog, make_site, caplog):
    (good_catalog / "STD-001-status-reporting.md").write_text("Line one\n\nSee {{ ref('STD-001#R9') }}\n")
    error = build_error(make_site(good_catalog), caplog)
    assert "STD-001-status-reporting.md:3:1: E-MACRO ref(): STD-001 has no requirement 'R9'" in error


def test_invalid_content_fails_the_build_with_diagnostics(good_catalog, make_site, caplog):
    std = good_catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("evidence: [TPL-001]", "evidence: [TPL-099]"))
    error = build_error(make_site(good_catalog), caplog)
    assert "STD-001-status-reporting.yaml:26:16: E-REF unknown id 'TPL-099' (requirements[0].evidence[0])" in error


def test_broken_link_in_docs_fails_strict_build(good_catalog, make_site):
    with pytest.raises(Abort):
        build(make_site(good_catalog, {"index.md": "# Home\n\n[gone](/standards/nowhere.md)\n"}))


def test_large_catalog_nav_is_grouped(good_catalog, make_site):
    source = (
        (good_catalog / "STD-002-weekly-status.yaml")
        .read_text()
        .replace("aliases: [standards/old-weekly-report]\n", "")
    )
    for n in range(100, 160):
        (good_catalog / f"STD-{n}-extra-{n}.yaml").write_text(
            source.replace("STD-002", f"STD-{n}").replace("status: superseded", "status: retired")
        )
    site = build(make_site(good_catalog))
    page = html(site, "standards/extra-100/index.html")
    nav = nav_entries(page)
    standards = nav[nav.index((0, "Standards")) + 1 : nav.index((0, "Principles"))]
    # by status, in force first, then in groups of 40 (nav_group_size)
    assert [entry for entry in standards if entry[0] <= 2] == [
        (1, "All requirements"), (1, "Active"), (1, "Superseded"), (1, "Retired"), (2, "STD-100 – STD-139"), (2, "STD-140 – STD-159"),
    ]  # fmt: skip
    # navigation.prune: only the open group lists its pages; a page does not carry the links of the others
    assert [title for depth, title in standards if depth == 3] == [f"STD-{n} Weekly status" for n in range(100, 140)]
    assert "extra-150/" not in page


def test_short_urls_redirect_to_the_entity_page(site):
    page = html(site, "STD-001/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../standards/status-reporting/">' in page
    assert (site / "project-lead" / "index.html").is_file()
    assert 'http-equiv="refresh"' not in html(site, "lifecycle/index.html")  # the id `lifecycle` is a page already


def test_aliases_keep_old_addresses_working(site):
    page = html(site, "standards/old-weekly-report/index.html")
    assert 'url=../weekly-status/"' in page


def test_an_alias_keeps_the_old_addresses_of_the_pages_under_a_page(good_catalog):
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site.redirects import redirects

    catalog = Catalog.of(validate_tree(good_catalog).entities)
    pages = {"standards/weekly-status/", "standards/weekly-status/v0.9.0/", "standards/weekly-status/v1.0.0/changes/"}
    made = dict(redirects(catalog, set(pages)))
    assert 'url=../../weekly-status/v0.9.0/"' in made["standards/old-weekly-report/v0.9.0/index.html"]
    assert (
        'url=../../../weekly-status/v1.0.0/changes/"' in made["standards/old-weekly-report/v1.0.0/changes/index.html"]
    )


def test_exports_validate_against_their_schemas(site):
    from jsonschema import Draft202012Validator

    catalog = json.loads(html(site, "api/catalog.json"))
    schema = json.loads(html(site, "schemas/catalog.schema.json"))
    Draft202012Validator(schema).validate(catalog)
    by_id = {e["id"]: e for e in catalog["entities"]}
    assert by_id["STD-002"]["derived"]["superseded_by"] == "STD-001"
    assert "GUIDE-001" in by_id["STD-001"]["derived"]["referenced_by"]
    for entity in catalog["entities"]:  # every entity is valid under its own content schema
        content = {k: v for k, v in entity.items() if k != "derived"}
        kind_schema = json.loads(html(site, f"schemas/{entity['kind'].lower()}.schema.json"))
        errors = [e.message for e in Draft202012Validator(kind_schema).iter_errors(content)]
        assert errors == [], entity["id"]
    rows = json.loads(html(site, "api/requirements.json"))["requirements"]
    assert {"standard": "STD-001", "requirement": "R2", "level": "SHOULD NOT"}.items() <= rows[1].items()
    assert rows[1]["url"].endswith("standards/status-reporting/#r2")


def test_requirements_as_a_spreadsheet_and_on_one_page(site):
    raw = (site / "api" / "requirements.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with a BOM, as Excel needs to read it
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows == [{k: str(v) for k, v in row.items()} for row in
                    json.loads(html(site, "api/requirements.json"))["requirements"]]  # fmt: skip
    page = html(site, "requirements/index.html")
    listed = re.findall(r'href="\.\./standards/([a-z-]+)/#(r\d+)"', page)
    assert listed == [("status-reporting", "r1"), ("status-reporting", "r2"), ("status-reporting", "r3")]
    assert "STD-002 R" not in page  # superseded: not in force, so not listed
    index = json.loads(html(site, "search/search_index.json"))
    assert not any(d["location"].startswith("requirements/") for d in index["docs"])  # each standard is found instead


def test_a_requirement_text_that_reads_as_a_formula_is_kept_as_text():
    from playbook.site.exports import _cell

    assert _cell('=HYPERLINK("http://x.example")') == '\'=HYPERLINK("http://x.example")'
    assert [_cell(v) for v in ("+1", "-1", "@SUM(A1)", "Plain")] == ["'+1", "'-1", "'@SUM(A1)", "Plain"]


def test_glossary_terms_explain_themselves_on_hover(site):
    page = html(site, "templates/raid-log/index.html")
    assert '<abbr title="Risks, assumptions, issues and dependencies: The four kinds of item' in page
    glossary = html(site, "glossary/index.html")  # not on the glossary, which defines them in full
    article = glossary[glossary.index("<article") : glossary.index("</article>")]
    assert "RAID" in article and "<abbr" not in article


def test_lifecycle_diagram_and_raci_matrix(site):
    page = html(site, "lifecycle/index.html")
    assert '<pre class="mermaid"><code>flowchart TD' in page
    assert 'id="raci-matrix"' in page
    assert "<td>R/A</td>" in page  # project-lead is both R and A for reporting status
    assert (site / "assets" / "playbook" / "mermaid.min.js").stat().st_size > 1_000_000
    assert '<script src="../assets/playbook/mermaid.min.js"></script>' in page
    assert "mermaid.min.js" not in html(site, "roles/project-lead/index.html")  # no diagram, no 3.5 MB script
    assert "unpkg.com" not in page and "fonts.googleapis" not in page


def test_role_page_lists_its_activities_standards_and_meetings(site):
    page = html(site, "roles/project-lead/index.html")
    assert "In the lifecycle" in page and "<td>R/A</td>" in page
    assert "Standards that apply to this role" in page and "STD-001 Status reporting" in page
    assert "Meetings" in page and "Status review" in page


def test_models_index_compares_and_shows_binding(site):
    page = html(site, "models/index.html")
    assert "Which standards bind under each model" in page
    assert "<strong>enforced</strong> (1 MUST, 1 SHOULD NOT, 1 MAY)" in page


def test_principle_page_quotes_its_statement_and_lists_the_standards_that_practise_it(site):
    page = html(site, "principles/honest-status/index.html")
    quote = page.split('class="admonition quote pb-statement"')[1].split("</div>")[0]
    assert "The principle" in quote and "tells the sponsor what is true, not what they hope to hear." in quote
    assert "<li>An amber or red rating is information, not a failure.</li>" in page
    related = page.split('id="related"')[1].split("<h2")[0]  # an entity, and a page elsewhere by its title
    assert (
        "KPI-001" in related
        and 'href="https://www.gov.uk/service-manual"' in related
        and "GOV.UK Service Manual" in related
    )
    practice = page.split('id="put-into-practice-by"')[1].split("<h2")[0]
    assert '<a href="../../standards/status-reporting/">STD-001 Status reporting</a>: How projects report' in practice
    standard = html(site, "standards/status-reporting/index.html").split('id="referenced-by"')[1]
    assert '<a href="../../principles/honest-status/">PRI-001 Honest status</a>' in standard
    index = html(site, "principles/index.html")
    assert "<th>Statement</th>" in index and "<td>A status report tells the sponsor what is true" in index


def test_kpi_catalogue_and_health_page(site):
    assert "<th>Green</th>" in html(site, "kpis/index.html")
    health = html(site, "health/index.html")
    assert '<pre class="mermaid"><code>pie showData title Standards by status' in health
    assert "Review state" in health


def test_entity_pages_outrank_prose_in_search(site):
    index = json.loads(html(site, "search/search_index.json"))
    boosts = {d["location"]: d.get("boost", 1) for d in index["docs"]}
    prose, standard = boosts[""], boosts["standards/status-reporting/"]
    template, ceremony = boosts["templates/status-report/"], boosts["ceremonies/status-review/"]
    # ties on the title go to the page that is the thing named, then the rule, then the document
    assert prose == 1 < template < standard < ceremony < 2.1


def test_tags_for_kind_status_phase_and_role(site):
    page = html(site, "standards/status-reporting/index.html")
    # the entity's own tag by the name the organisation profile gives it
    for tag in ("Standard", "status: active", "phase: execution", "role: project-lead", "Status reporting"):
        assert f'md-tag">{tag}<' in page or f'md-tag md-tag-icon">{tag}<' in page, tag
    listing = html(site, "tags/index.html")
    assert "status: superseded" in listing and "weekly-status/" in listing


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("templates/status-report/index.html", ['<h3 id="overall-health">Overall health', "<th>Forecast date</th>"]),
        ("templates/raid-log/index.html", ["<td>Risk, Assumption, Issue, Dependency</td>", "<td>choice</td>"]),
        ("ceremonies/status-review/index.html", ["<li>Overall health</li>", "30 minutes", "TPL-001 Status report</a>"]),
        ("guides/first-week/index.html", ["Step 1: Learn the lifecycle", 'type="checkbox"', "about 50 minutes"]),
        ("kpis/on-time-reports/index.html", ["<th>Green</th>", "reports on time ÷ reports due × 100"]),
        ("glossary/index.html", ["<dt>Project management office (PMO)</dt>", "RAID"]),
        ("models/controlling/index.html", ["<td>medium</td>", "Checked at every gate."]),
    ],
)
def test_each_page_type_shows_its_fields(site, page, expected):
    text = html(site, page)
    for snippet in expected:
        assert snippet in text, snippet


def test_template_pages_link_to_downloads_that_exist(site):
    page = html(site, "templates/raid-log/index.html")
    assert 'href="../../downloads/TPL-002-raid-log-v1.2.0.xlsx"' in page
    # saved under its name, not opened as a page of text (the CSV and Markdown files above all)
    assert 'download="TPL-002-raid-log-v1.2.0.csv" href="../../downloads/TPL-002-raid-log-v1.2.0.csv"' in page or (
        'href="../../downloads/TPL-002-raid-log-v1.2.0.csv" download="TPL-002-raid-log-v1.2.0.csv"' in page
    )
    assert (site / "downloads" / "TPL-002-raid-log-v1.2.0.xlsx").is_file()
    assert (site / "downloads" / "TPL-001-status-report-v1.0.0.md").read_text().startswith("---\n")
    assert not (site / "downloads" / "TPL-001-status-report-v1.0.0").exists()  # the .md is a file, not a page
    manifest = json.loads(html(site, "downloads/manifest.json"))
    assert "downloads/playbook-templates.zip" in {f["path"] for f in manifest["files"]}


def test_nav_titles_are_escaped_and_cannot_close_the_title_element():
    """Material prints nav titles as HTML, and into <title> through `striptags`, which unescapes."""
    from markupsafe import Markup

    from playbook.site.nav import nav_title

    title = nav_title('STD-900 </title><script>alert(1)</script> & "x"')
    assert "<" not in title and ">" not in title
    assert "</title" not in Markup(title).striptags()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("nav_group_size", 0, "Expected a whole number of at least 1, got 0"),
        ("nav_group_size", "many", "Expected type: <class 'int'> but received: <class 'str'>"),
        ("nav_group_size", True, "Expected a whole number of at least 1, got True"),  # YAML true is no number
        ("content_dir", "no-such-folder", "/project/no-such-folder' isn't an existing directory"),
    ],
)
def test_a_bad_plugin_option_stops_the_build_naming_it(good_catalog, make_site, option, value, message):
    project = make_site(good_catalog)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    next(p for p in config["plugins"] if isinstance(p, dict) and "playbook" in p)["playbook"][option] = value
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    # the mkdocs command, as a site owner runs it: its exit code and what it prints are the outcome
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and f"Plugin 'playbook' option '{option}': " in errors[0], done.stderr
    assert message in errors[0]
    assert "Traceback" not in done.stderr + done.stdout
    assert not (project / "site").exists()


def test_content_cannot_claim_an_id_the_theme_looks_up(good_catalog, make_site):
    body = '<div id="__md_scope">x</div> <span id="__palette_0">y</span>\n\n## Clobber {: #__drawer }\n'
    (good_catalog / "STD-001-status-reporting.md").write_text(body)
    page = html(build(make_site(good_catalog)), "standards/status-reporting/index.html")
    article = page[page.index("<article") : page.index("</article>")]
    assert 'id="__' not in article


def test_the_editors_section_of_mkdocs_yml_goes_last_with_the_engine_pages_after_its_own():
    from playbook.site.nav import EDITORS, site_nav

    written = [{"Home": "index.md"}, {EDITORS: [{"Contributing": "contributing.md"}]}, {"Start here": "s.md"}]
    nav = site_nav(written, [{"Standards": ["standards/index.md"]}])
    assert nav == [
        {"Home": "index.md"},
        {"Start here": "s.md"},
        {"Standards": ["standards/index.md"]},
        {EDITORS: [
            {"Contributing": "contributing.md"},
            {"CLI reference": "editors/cli.md"},
            {"Validation codes": "editors/validation.md"},
            {"In force on a date": "in-force.md"},
            {"Playbook health": "health.md"},
            {"Reviews due": "review-due.md"},
        ]},
    ]  # fmt: skip


def test_a_checklist_per_role_lists_what_applies_to_it_in_force_by_phase_strongest_first(site):
    page = html(site, "checklists/project-lead/index.html")
    article = page[page.index("<article") : page.index("</article>")]
    assert 'id="execution"' in article  # STD-001 applies in the execution phase
    order = [article.index(f"STD-001 R{n}") for n in (1, 2, 3)]
    assert order == sorted(order)  # MUST, then SHOULD NOT, then MAY
    assert "STD-002" not in article  # superseded: no longer in force
    assert 'href="../../standards/status-reporting/#r1"' in article and 'type="checkbox"' in article
    sponsor = html(site, "checklists/executive-sponsor/index.html")
    assert "STD-001" not in sponsor[sponsor.index("<article") :]  # STD-001 names the project lead only
    index = html(site, "checklists/index.html")
    assert 'href="project-lead/"' in index and "checklists.js" in index


def test_a_checklist_groups_what_applies_in_every_phase_as_throughout_the_project(good_catalog):
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site.checklists import checklist_pages

    def page() -> str:
        return checklist_pages(Catalog.of(validate_tree(good_catalog).entities))["checklists/project-lead.md"]

    assert "## Execution" in page() and "Throughout the project" not in page()  # STD-001: the execution phase
    std = good_catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("  phases: [execution]\n", "  phases: [initiation, execution]\n"))
    assert "## Throughout the project" in page() and "## Execution" not in page()  # both phases there are
    std.write_text(std.read_text().replace("  phases: [initiation, execution]\n", ""))
    assert "## Throughout the project" in page() and "(also:" not in page()  # no phase named: all of them


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(1, "1 minute"), (50, "50 minutes"), (89, "89 minutes"), (90, "1½ hours"), (1770, "29½ hours")],
)
def test_a_guides_time_is_said_as_people_say_it(minutes: int, said: str):
    from playbook.site.pages import duration

    assert duration(minutes) == said


def test_what_another_role_must_do_is_on_that_roles_checklist(good_catalog):
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site.checklists import checklist_pages

    std = good_catalog / "STD-001-status-reporting.yaml"
    text = std.read_text().replace(
        "text: Projects MAY add a short narrative", "text: The executive sponsor MAY ask for a narrative"
    )
    std.write_text(text.replace("status: active", "status: trial", 1))
    pages = checklist_pages(Catalog.of(validate_tree(good_catalog).entities))
    lead, sponsor = pages["checklists/project-lead.md"], pages["checklists/executive-sponsor.md"]
    assert "STD-001 R1" in lead and "STD-001 R3" not in lead  # R3 is the sponsor's to do
    assert "STD-001 R3" in sponsor and "STD-001 R1" not in sponsor  # though STD-001 names the project lead
    assert "*(on trial: binds the projects trying it)*" in lead


def test_a_link_to_a_requirement_is_written_as_the_page_writes_its_id(good_catalog):
    std = good_catalog / "STD-002-weekly-status.yaml"
    std.write_text(
        std.read_text().replace("(/standards/status-reporting.md#r2)", "(/standards/status-reporting.md#R2)")
    )
    from playbook.content.validate import validate_tree
    from playbook.site.bodies import check_bodies

    found = [str(d) for d in check_bodies(validate_tree(good_catalog)).diagnostics]
    assert len(found) == 1 and "E-LINK-TARGET '#R2' is written '#r2' on the page" in found[0], found


def test_a_page_gives_the_reason_for_its_status_and_a_draft_template_says_it_is_one(good_catalog):
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site.pages import entity_page

    std2 = good_catalog / "STD-002-weekly-status.yaml"
    std2.write_text(
        std2.read_text().replace("status: superseded\n", "status: superseded\nstatus_reason: Merged into STD-001.\n")
    )
    template = next((good_catalog / "templates").glob("TPL-001*.yaml"))
    template.write_text(template.read_text().replace("status: active", "status: draft"))
    result = validate_tree(good_catalog)
    assert result.ok, result.diagnostics
    catalog = Catalog.of(result.entities)
    page = entity_page(catalog, catalog.by_id["STD-002"], "")
    assert "This standard no longer applies. Use [STD-001 Status reporting]" in page
    assert "Why: Merged into STD-001." in page
    assert "Next review due" not in page  # a superseded standard binds no one: nothing to review
    assert '!!! warning "Draft"\n\n    This template is a draft' in entity_page(catalog, catalog.by_id["TPL-001"], "")


def test_the_glossary_groups_its_terms_by_letter_with_a_line_to_jump_from(site):
    page = html(site, "glossary/index.html")
    bar = page[page.index('<p class="pb-az">') : page.index("</p>", page.index('<p class="pb-az">'))]
    letters = re.findall(r'<a href="#letter-([a-z0-9]+)">', bar)
    assert letters == sorted(letters) and len(letters) >= 2
    for letter in letters:
        assert f'id="letter-{letter}"' in page  # each jump lands on its heading

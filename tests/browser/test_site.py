"""What a reader relies on, checked in a real browser against the built starter site."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import Entry, Visit

PHONE_PAGES = ["", "STD-004", "TPL-007", "lifecycle", "glossary", "models/", "health/"]
"""Pages checked at phone size: entity ids, or paths for pages that are no entity's."""


def test_home_page_loads_offline_without_errors(visit: Visit):
    visit.route_all()
    requested: list[str] = []
    visit.page.on("request", lambda request: requested.append(request.url))
    page = visit.open()
    expect(page.locator("h1")).to_contain_text("PMO Playbook")
    expect(page.locator(".md-search__input")).to_be_enabled()
    assert visit.outside == [], "requests left 127.0.0.1"
    assert visit.errors == []
    # what a plain Material site fetches from CDNs came from the site itself
    here = [url.removeprefix(visit.base) for url in requested]
    assert "assets/playbook/mermaid.min.js" not in here  # 3.5 MB, loaded only by pages with a diagram
    assert "search/search_index.json" in here
    assert not any(url.endswith((".woff", ".woff2", ".ttf")) for url in here)  # system fonts, none to fetch


def search(visit: Visit, query: str):
    """Type `query` into the search box; the first result's link, once results for all of it are listed."""
    page = visit.open()
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially(query)  # Material searches on key presses; fill() sends none
    # each result links with ?h=<the query's words>: wait for those of the whole query, not of "kick"
    # the marked words of each result, in any order (a word of one character is marked only where found)
    words = "".join(
        rf"(?=(?:[^#]*\+)?{re.escape(w)}(?:\+|$))" for w in re.split(r"[\s\-]+", query.lower()) if len(w) > 1
    )
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    expect(first).to_have_attribute("href", re.compile(rf"\?h={words}[^#]*$"))
    return first


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("kickoff", "kickoff"),  # the ceremony, its standard and its template are all titled for kickoffs
        ("project lead", "project-lead"),  # its words are on every page's RACI; "projects" is rarer
        ("stakeholder", "stakeholder"),  # not KPI-009 Stakeholder satisfaction
        ("STD-004", "STD-004"),
        ("TPL-007", "TPL-007"),
    ],
)
def test_search_lists_the_right_page_first_and_opens_it(visit: Visit, catalog: dict[str, Entry], query, target):
    first = search(visit, query)
    expect(first).to_have_attribute("href", re.compile(rf"/{re.escape(catalog[target].path)}\?h="))
    first.click()
    expect(visit.page).to_have_url(re.compile(rf"/{re.escape(catalog[target].path)}\?h=[^/]*$"))
    expect(visit.page.locator("article h1")).to_contain_text(catalog[target].title)
    assert visit.errors == []


@pytest.mark.parametrize(
    ("query", "sooner", "later"),
    [
        ("status", "STD-007", "STD-006"),  # in force before the superseded one it replaced ("status: superseded" tag)
        ("gate 1", "lifecycle", "STD-017"),  # the deprecated STD-017's version 1.1.1 matched "1"
        ("risk", "STD-008", "tags"),  # RAID management; the Tags pages were in the top five for most queries
    ],
)
def test_search_lists_what_is_in_force_first(visit: Visit, catalog: dict[str, Entry], query, sooner, later):
    search(visit, query)
    links = visit.page.locator(".md-search-result__item > .md-search-result__link")
    pages = list(dict.fromkeys(urlsplit(h).path for h in links.evaluate_all("links => links.map(link => link.href)")))
    where = {path: i for i, path in enumerate(pages)}  # each page once, in the order of its first result
    first = where[urlsplit(visit.base + catalog[sooner].path).path]
    assert first <= 2, pages
    if later in catalog:
        assert first < where.get(urlsplit(visit.base + catalog[later].path).path, len(pages)), pages[:5]
    else:
        assert not any(f"/{later}/" in page for page in pages), pages  # not searched at all


def test_a_requirement_is_a_search_result_of_its_own_that_leads_to_it(visit: Visit, catalog: dict[str, Entry]):
    page = visit.open()
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially("delete RAID entry")
    group = page.locator(".md-search-result__item").filter(has_text="STD-008").first
    more = group.locator("summary")  # the theme folds a page's other results: "15 more on this page"
    more.click()
    result = group.locator("a.md-search-result__link", has_text="STD-008 R4 (MUST NOT)")
    expect(result).to_have_attribute("href", re.compile(rf"/{re.escape(catalog['STD-008'].path)}\?h=[^#]*#r4$"))
    expect(result).to_contain_text("MUST NOT delete a RAID entry")
    result.click()
    expect(page.locator("#r4")).to_be_in_viewport()


def test_requirement_permalink_scrolls_to_the_requirement(visit: Visit, catalog: dict[str, Entry]):
    page = visit.open(catalog["STD-004"].path + "#r3")
    requirement = page.locator("#r3")
    expect(requirement).to_contain_text("R3")
    assert page.evaluate("window.scrollY") > 0, "the page did not scroll"
    box = requirement.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < page.viewport_size["height"], box
    # not hidden under the sticky header: the point at its top-left corner belongs to it
    inside = page.evaluate(
        "([x, y]) => document.getElementById('r3').contains(document.elementFromPoint(x, y))",
        [box["x"] + 10, box["y"] + 5],
    )
    assert inside, "the requirement is covered by something else"


def test_short_url_lands_on_the_standard(visit: Visit, catalog: dict[str, Entry]):
    page = visit.open("STD-004/")
    expect(page).to_have_url(visit.base + catalog["STD-004"].path)
    expect(page.locator("article h1")).to_contain_text(catalog["STD-004"].title)


def test_glossary_abbreviation_shows_its_definition_on_hover(visit: Visit):
    page = visit.open()
    abbr = page.locator("article abbr", has_text=re.compile(r"^PMO$")).first
    definition = abbr.get_attribute("title") or ""
    assert definition.startswith("Project management office: The team that sets how projects are run")
    # content.tooltips: Material shows the title in a tooltip of its own, on hover and on focus
    tooltip = page.locator(".md-tooltip2", has_text=definition)
    expect(tooltip).to_have_count(0)
    abbr.hover()
    expect(tooltip).to_be_visible()
    word, tip = abbr.bounding_box(), tooltip.bounding_box()
    assert word is not None and tip is not None
    assert abs(tip["y"] - (word["y"] + word["height"])) < 40, "the tooltip is not beside the word"


@pytest.mark.parametrize(("template", "button"), [("TPL-007", "Excel (.xlsx)"), ("TPL-006", "Word (.docx)")])
def test_template_download_serves_a_stamped_office_file(visit: Visit, catalog: dict[str, Entry], template, button):
    page = visit.open(catalog[template].path)
    version = catalog[template].data["version"]
    with page.expect_download() as info:
        page.get_by_role("link", name=button).click()
    download = info.value
    assert download.suggested_filename.startswith(f"{template}-") and f"-v{version}." in download.suggested_filename
    data = Path(download.path()).read_bytes()
    if button.startswith("Excel"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
        keywords = book.properties.keywords or ""
    else:
        import docx

        document = docx.Document(io.BytesIO(data))
        text = " ".join(p.text for p in document.sections[0].footer.paragraphs)
        keywords = document.core_properties.keywords or ""
    assert f"{template} " in text and f"v{version}" in text
    assert keywords.startswith(f"{template}, v{version}")


def diagrams_drawn(page) -> None:
    """Wait until Mermaid has drawn every diagram: Material swaps each <pre class="mermaid"> for a
    <div> holding the drawing once it is done. The timeout only stops a hang; it is no speed budget."""
    page.wait_for_function("!document.querySelector('pre.mermaid')", timeout=120_000)


def _shadow_svg_text(page) -> str | None:
    """The text of the first <svg> inside a closed shadow root (where Material puts Mermaid's output)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    finally:
        cdp.detach()

    def text(node: dict) -> str:
        own = node.get("nodeValue", "") if node.get("nodeType") == 3 else ""
        return own + "".join(text(child) for child in node.get("children", []))

    def find(node: dict, in_shadow: bool) -> str | None:
        if in_shadow and node.get("localName") == "svg":
            return text(node)
        for shadow in node.get("shadowRoots", []):
            found = find(shadow, in_shadow or shadow.get("shadowRootType") == "closed")
            if found is not None:
                return found
        for child in node.get("children", []):
            found = find(child, in_shadow)
            if found is not None:
                return found
        return None

    return find(root, False)


def test_lifecycle_diagram_renders_as_svg(visit: Visit, catalog: dict[str, Entry]):
    page = visit.open(catalog["lifecycle"].path)
    diagrams_drawn(page)
    svg = _shadow_svg_text(page)
    assert svg is not None, "no SVG was drawn for the Mermaid diagram"
    for phase in [p["title"] for p in catalog["lifecycle"].data["phases"]] + ["Closed"]:
        assert phase in svg, phase
    assert "Syntax error" not in svg
    box = page.locator("article div.mermaid").first.bounding_box()
    assert box is not None and box["height"] > 300
    assert visit.errors == []


@pytest.mark.parametrize("target", PHONE_PAGES)
def test_no_horizontal_scroll_on_a_phone(phone: Visit, catalog: dict[str, Entry], target):
    page = phone.open(catalog[target].path if target in catalog else target)
    diagrams_drawn(page)  # a diagram drawn after the measurement could overflow unseen
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert inner == 390
    assert width <= inner, f"{target or 'home'}: {width}px wide in a {inner}px window"


def test_a_ticked_checklist_item_stays_ticked_after_a_reload(visit: Visit):
    page = visit.open("checklists/project-lead/")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    expect(boxes.first).to_be_enabled()
    assert boxes.count() > 3
    label = boxes.nth(2).get_attribute("aria-label") or ""
    assert re.match(r"^(MUST|SHOULD|MAY)", label), label  # each box is named by its requirement
    boxes.nth(2).check(force=True)  # a click where the box is drawn (the theme draws it over the input)
    expect(boxes.nth(2)).to_be_checked()
    page.reload()
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    expect(boxes.nth(2)).to_be_checked()
    expect(boxes.nth(1)).not_to_be_checked()
    boxes.nth(2).focus()
    page.keyboard.press("Space")  # and from the keyboard
    expect(boxes.nth(2)).not_to_be_checked()
    page.reload()
    expect(page.locator("article .task-list-item input[type=checkbox]").nth(2)).not_to_be_checked()


def test_a_tailored_checklist_is_the_role_checklist_narrowed_to_the_phases_chosen(visit: Visit):
    page = visit.open("checklists/project-lead/")
    refs = page.locator("article .task-list-item a").all_inner_texts()
    page = visit.open("checklists/")
    page.locator("#pb-tailor select[name=role]").select_option("project-lead")
    tailored = page.locator("#pb-tailor .pb-tailor__list li a")
    expect(tailored).to_have_count(len(refs))  # the organisation's model and every phase: the role's own list
    assert tailored.all_inner_texts() == refs
    page.locator("#pb-tailor input[name=phase][value=initiation]").uncheck()
    narrowed = tailored.all_inner_texts()
    assert 0 < len(narrowed) < len(refs) and narrowed == [ref for ref in refs if ref in narrowed]  # fewer, in order
    with page.expect_download() as download:
        page.locator(".pb-tailor__download--csv").click()
    assert download.value.suggested_filename == "checklist.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Requirement", "Level", "Phase"] and [row[0] for row in rows[1:]] == narrowed

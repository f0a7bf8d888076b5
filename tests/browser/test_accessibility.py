"""Every kind of page of the starter site passes axe-core's WCAG 2.0 and 2.1 A and AA rules in Chromium,
on a desktop and on a phone: contrast, link styling, labels, landmarks, headings. No rule is turned off.

axe-core's script comes from the axe-playwright-python package (a dev dependency), so nothing is
fetched at test time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from .conftest import PHONE, Entry, Visit, visit_site

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""axe-core's tags for the WCAG 2.0 and 2.1 success criteria at levels A and AA."""
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
PAGES = {
    "home": "",
    "standard": "STD-007",  # requirement blocks, with evidence links in their notes
    "guide with checkboxes": "GUIDE-001",
    "glossary": "glossary/",
    "role's checklist": "checklists/project-lead/",
    "checklists, with the tailoring form": "checklists/",
    "lifecycle": "lifecycle/",
    "a phase": "lifecycle/planning/",
    "template": "TPL-006",
    "tags": "tags/",
    "archived version": "standards/*/v1.0.0/",
}
"""Page kinds: an entity's id, or a path under the site (a glob: its first match)."""


def page_path(page: str, site: Path, catalog: dict[str, Entry]) -> str:
    if page in catalog:
        return catalog[page].path
    if "*" in page:
        found = sorted(site.glob(page + "index.html"))
        if not found:
            pytest.skip(f"the starter site has no page {page}")
        return found[0].parent.relative_to(site).as_posix() + "/"
    return page


@pytest.fixture(params=SIZES)
def sized(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Visit]:
    yield from visit_site(browser, base_url, **SIZES[request.param])


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per element that breaks a rule: the rule, its impact, the element, what to fix."""
    lines = []
    for rule in violations:
        for node in rule["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{rule['id']} ({rule['impact']}) {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", PAGES)
def test_page_passes_axe_wcag_aa(sized: Visit, site: Path, catalog: dict[str, Entry], kind: str):
    page = sized.open(page_path(PAGES[kind], site, catalog))
    # Axe.run injects axe-core with page.evaluate, which the page's Content-Security-Policy does not
    # govern (a <script> tag added by the test would be refused): the policy stays on, as readers have it.
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        pytest.fail(f"axe-core found on {page.url}:\n{describe(violations)}", pytrace=False)
    assert sized.errors == []

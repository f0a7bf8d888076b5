"""The Content-Security-Policy of the starter site, in Chromium: on every kind of page, in force,
and quiet: every browser test fails on a violation it did not expect (conftest.visit_site), so
search, diagrams, the date picker and tooltips are all checked to work under it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playbook.site.csp import REDIRECT_POLICY

from .conftest import Visit

KICKOFF = "standards/project-kickoff/"
PAGES = {
    "home": "",
    "entity": KICKOFF,
    "kind index": "standards/",
    "docs page": "start-here/",
    "archived version": f"{KICKOFF}v1.0.0/",
    "what changed": f"{KICKOFF}v1.1.0/changes/",
    "history": f"{KICKOFF}history/",
    "in force on a date": "in-force/",
    "not found": "404.html",
}
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def policy_before_any_script(markup: str) -> str:
    """The policy a page sets: its meta is in the head, ahead of every script."""
    found = META.search(markup)
    assert found is not None, "no Content-Security-Policy"
    assert found.end() < markup.index("</head>")
    assert found.end() < markup.find("<script") or "<script" not in markup
    return found.group(1).replace("&#x27;", "'")


@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_page_sets_the_policy_and_it_holds(visit: Visit, kind: str):
    response = visit.page.request.get(visit.base + PAGES[kind])
    assert response.ok
    policy = policy_before_any_script(response.text())
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy
    page = visit.open(PAGES[kind])
    ran = page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.head.append(script);
        return window.ran === true;
    }""")
    assert not ran, "an inline script the page did not ship ran"
    visit.blocked("script-src-elem inline")


def test_a_redirect_page_sets_a_policy_that_allows_only_its_own_script(visit: Visit):
    response = visit.page.request.get(visit.base + "STD-004/")
    assert response.ok
    assert policy_before_any_script(response.text()) == REDIRECT_POLICY
    expect(visit.open("STD-004/")).to_have_url(re.compile(r"/standards/project-brief-and-scope/$"))


def test_a_short_url_to_a_requirement_lands_on_it(visit: Visit):
    page = visit.open("STD-004/#r3")
    expect(page).to_have_url(re.compile(r"/standards/project-brief-and-scope/#r3$"))
    expect(page.locator("#r3")).to_be_in_viewport()


def test_an_image_or_script_from_another_host_is_blocked(visit: Visit):
    page = visit.open()
    page.evaluate("""() => {
        const image = document.createElement("img");
        image.src = "https://elsewhere.example/pixel.png";
        const script = document.createElement("script");
        script.src = "https://elsewhere.example/track.js";
        document.body.append(image, script);
    }""")
    visit.blocked("img-src https://elsewhere.example/pixel.png", "script-src-elem https://elsewhere.example/track.js")
    assert visit.outside == []  # refused before it was sent


def test_back_to_top_under_the_policy(visit: Visit):
    page = visit.open(KICKOFF)
    page.mouse.wheel(0, 4000)
    page.wait_for_function("window.scrollY > 1000")
    page.mouse.wheel(0, -300)  # Material shows the button when the reader scrolls back up
    top = page.locator(".md-top")
    expect(top).to_be_visible()
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert visit.errors == []

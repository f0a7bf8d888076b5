"""History as readers meet it: the date picker of "In force on a date", archived versions, the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from playwright.sync_api import expect

from .conftest import Visit

KICKOFF = "STD-002 Project kickoff"
"""The starter changed STD-002 in git: 1.0.0 since 2025-03-17, then 1.1.0 effective 2026-12-01."""


def _row(page, name: str):
    return page.locator("#pb-in-force-result tr").filter(has_text=name)


def test_the_date_picker_shows_what_was_in_force(visit: Visit):
    page = visit.open("in-force/")
    picker = page.locator("#pb-in-force-date")
    expect(picker).not_to_have_value("")  # the script filled in the build date
    picker.fill("2026-11-30")
    picker.dispatch_event("change")
    expect(page.locator("#pb-in-force-result p")).to_contain_text("On 2026-11-30")
    expect(_row(page, KICKOFF).locator("td").nth(1)).to_have_text("1.0.0")
    picker.fill("2026-12-01")
    picker.dispatch_event("change")
    expect(_row(page, KICKOFF).locator("td").nth(1)).to_have_text("1.1.0")
    picker.fill("2020-01-01")
    picker.dispatch_event("change")
    expect(_row(page, KICKOFF)).to_have_count(0)
    expect(page.locator("#pb-in-force-result p")).to_contain_text("did not exist yet")
    assert visit.errors == []


def test_a_past_version_opens_from_the_picker(visit: Visit):
    page = visit.open("in-force/")
    picker = page.locator("#pb-in-force-date")
    picker.fill("2026-11-30")
    picker.dispatch_event("change")
    _row(page, KICKOFF).get_by_role("link", name="1.0.0").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/standards/project-kickoff/v1.0.0/")
    expect(page.locator("h1")).to_contain_text("(v1.0.0)")
    expect(page.locator(".admonition.warning")).to_contain_text("Archived version")
    expect(page.locator("#r7")).to_have_count(0)  # R7 came in 1.1.0


def test_the_feed_is_served_and_parses(visit: Visit):
    response = visit.page.request.get(visit.base + "feed.xml")
    assert response.ok
    feed = ET.fromstring(response.body())
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert "STD-002 Project kickoff v1.1.0 takes effect" in titles

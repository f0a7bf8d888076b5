"""`playbook report review-due` and the site's "Reviews due" page."""

from __future__ import annotations

import datetime
import json

import pytest
from click.testing import CliRunner

from playbook.cli import main

from .conftest import build

STD = "STD-001-status-reporting.yaml"  # active, last reviewed 2026-02-01 every 12 months: due 2027-02-01


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def catalog(good_catalog):
    """The good catalog plus a deprecated standard due 2026-08-01 and a draft one that is never due."""
    text = (good_catalog / STD).read_text()
    text = text.replace("supersedes: [STD-002]\n", "")
    deprecated = (
        text.replace("id: STD-001", "id: STD-003")
        .replace("title: Status reporting", "title: Old status")
        .replace("status: active", "status: deprecated")
        .replace('last_reviewed: "2026-02-01"\nreview_every: 12', 'last_reviewed: "2025-08-01"\nreview_every: 12')
        .replace('maintainers: ["@pmo-office/editors"]', 'maintainers: ["@alice", "@bob"]')
    )
    (good_catalog / "STD-003-old-status.yaml").write_text(deprecated)
    draft = deprecated.replace("id: STD-003", "id: STD-004").replace("status: deprecated", "status: draft")
    (good_catalog / "STD-004-draft-status.yaml").write_text(draft)
    return good_catalog


def due(catalog, today, *extra):
    result = run("report", "review-due", "--today", today, "--format", "json", "--content", str(catalog), *extra)
    assert result.exit_code == 0, result.output
    return [(s["id"], s["next_review"], s["overdue"]) for s in json.loads(result.output)["standards"]]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-06-01", []),
        ("2026-07-02", [("STD-003", "2026-08-01", False)]),  # exactly 30 days ahead
        ("2026-08-02", [("STD-003", "2026-08-01", True)]),
        ("2027-01-05", [("STD-003", "2026-08-01", True), ("STD-001", "2027-02-01", False)]),
        ("2027-03-01", [("STD-003", "2026-08-01", True), ("STD-001", "2027-02-01", True)]),
    ],
)
def test_review_due_lists_overdue_and_near_reviews(catalog, today, expected):
    assert due(catalog, today) == expected


def test_within_changes_the_horizon(catalog):
    assert due(catalog, "2026-06-01", "--within", "61") == [("STD-003", "2026-08-01", False)]
    assert due(catalog, "2026-07-31", "--within", "0") == []


def test_json_names_owner_and_maintainers(catalog):
    result = run("report", "review-due", "--today", "2026-08-02", "--format", "json", "--content", str(catalog))
    payload = json.loads(result.output)
    assert payload["today"] == "2026-08-02" and payload["horizon"] == "2026-09-01"
    assert payload["standards"][0] == {
        "id": "STD-003",
        "title": "Old status",
        "status": "deprecated",
        "next_review": "2026-08-01",
        "overdue": True,
        "owner": "pmo-lead",
        "owner_title": "PMO lead",
        "maintainers": ["@alice", "@bob"],
    }


def test_text_and_markdown(catalog):
    text = run("report", "review-due", "--today", "2026-08-02", "--content", str(catalog)).output.splitlines()
    assert text == [
        "STD-003  2026-08-01  overdue  Old status  owner: PMO lead  maintainers: @alice, @bob",
        "1 due for review by 2026-09-01 (1 overdue)",
    ]
    markdown = run("report", "review-due", "--today", "2026-08-02", "--format", "markdown", "--content", str(catalog))
    assert markdown.output.splitlines()[:5] == [
        "## Standards due for review by 2026-09-01",
        "",
        "| Standard | Next review | State | Owner | Maintainers |",
        "|---|---|---|---|---|",
        "| STD-003 Old status | 2026-08-01 | **overdue** | PMO lead | @alice, @bob |",
    ]
    nothing = run("report", "review-due", "--today", "2026-01-01", "--content", str(catalog))
    assert nothing.output.strip() == "no standard is due for review by 2026-01-31"


def test_bad_today_and_invalid_content(catalog):
    result = run("report", "review-due", "--today", "soon", "--content", str(catalog))
    assert result.exit_code == 1 and "--today must be a date like 2026-01-05" in result.output
    (catalog / STD).write_text((catalog / STD).read_text().replace("owner: pmo-lead", "owner: nobody"))
    result = run("report", "review-due", "--content", str(catalog))
    assert result.exit_code == 1 and "E-REF unknown id 'nobody'" in result.output


def test_site_page_lists_reviews_due_on_the_build_date(catalog, make_site, monkeypatch):
    epoch = datetime.datetime(2026, 8, 2, tzinfo=datetime.timezone.utc).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    site = build(make_site(catalog))
    page = (site / "review-due" / "index.html").read_text()
    assert "2026-08-02" in page and "STD-003" in page and "@alice, @bob" in page
    assert "STD-001 Status reporting</a>" not in page
    assert 'href="../review-due/"' in (site / "health" / "index.html").read_text()

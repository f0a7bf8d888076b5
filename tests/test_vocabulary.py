"""The words the whole engine shares: statuses and versions, each said once and used everywhere."""

from __future__ import annotations

import itertools
import json
from importlib import resources

import pytest

from playbook.content.status import MOVES, NAV_ORDER, Status
from playbook.content.versions import bump_made, bump_version, parse
from playbook.history.feed import EVENTS
from playbook.site.pages import BANNERS


def _schema_statuses(kind: str) -> set[str]:
    schema = json.loads(resources.files("playbook.schemas").joinpath(f"{kind}.schema.json").read_text())
    return set(schema["properties"]["status"]["enum"])


def test_every_status_in_the_schemas_is_a_status():
    assert _schema_statuses("standard") == {s.value for s in Status}
    assert _schema_statuses("template") <= {s.value for s in Status}


@pytest.mark.parametrize("status", sorted(_schema_statuses("standard")))
def test_every_status_has_a_banner_a_nav_place_a_feed_verb_and_moves(status: str):
    assert status in BANNERS  # None for active: a page in force needs no banner
    assert status in NAV_ORDER
    assert status in EVENTS  # None where the move is not news to readers
    assert status in MOVES


def test_a_status_reads_as_its_text():
    assert f"{Status.ACTIVE}" == str(Status.ACTIVE) == "active"
    assert json.dumps({"status": Status.DRAFT}) == '{"status": "draft"}'
    assert Status("trial") == "trial"


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.9.3", "1.10.0"),
        ("1.9.3-rc.1", "1.9.3"),
        ("1.2.0-rc.1", "1.2.0-rc.2"),  # pre-releases in the order the SemVer spec gives
        ("1.2.0-rc.9", "1.2.0-rc.10"),
        ("1.2.0-alpha", "1.2.0-alpha.1"),
        ("1.2.0-alpha.beta", "1.2.0-beta"),
    ],
)
def test_versions_order_as_semver_says(lower: str, higher: str):
    assert parse(lower) < parse(higher)
    assert bump_made(lower, higher) is not None
    assert bump_made(higher, lower) is None


def test_the_specs_own_example_of_precedence():
    # semver.org, item 11: 1.0.0-alpha < 1.0.0-alpha.1 < ... < 1.0.0-rc.1 < 1.0.0
    chain = ["alpha", "alpha.1", "alpha.beta", "beta", "beta.2", "beta.11", "rc.1"]
    versions = [parse(f"1.0.0-{p}") for p in chain] + [parse("1.0.0"), parse("1.0.1-0"), parse("1.0.1"), parse("2.0.0")]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(versions))
    assert parse("1.0.0-rc.1") == parse("1.0.0-rc.1") and parse("1.0.0-rc.1") != parse("1.0.0")
    assert str(parse("1.0.0-rc.1")) == "1.0.0-rc.1" and len({parse("1.2.3"), parse("1.2.3")}) == 1


@pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3-", "1.2.3-rc..1", "1.2.3-01", "1.2.3+build.5", "1.2.3\n", 3])
def test_what_is_not_a_version(text: object):
    assert parse(text) is None


def test_bumps():
    assert bump_version("1.2.3", "major") == "2.0.0"
    assert bump_version("1.2.3", "minor") == "1.3.0"
    assert bump_version("1.2.3", "patch") == "1.2.4"
    assert bump_made("1.2.3", "2.0.0") == "major"
    assert bump_made("1.2.3", "1.3.0") == "minor"
    assert bump_made("1.2.3", "1.2.3") is None

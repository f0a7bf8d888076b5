"""History from git: archived versions, what changed, in force on a date, the Atom feed."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from playbook.history.snapshots import read_history

from .conftest import GOOD, build, site_config
from .history_repo import make_history_repo

ATOM = "{http://www.w3.org/2005/Atom}"


def _project(content: Path) -> Path:
    """A site around `content`, in the folder above it (inside its git repository)."""
    import yaml

    from .conftest import ROOT

    project = content.parent
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    shutil.copytree(ROOT / "macros", project / "macros", dirs_exist_ok=True)
    config = site_config(content)
    config["site_url"] = "https://pmo.example.org/playbook/"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def repo_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def site(repo_content: Path) -> Path:
    return build(_project(repo_content))


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _held_on(periods: list[dict], day: str) -> dict | None:
    """What the date picker shows for `day`, from api/in-force.json's periods of one standard."""
    return next((p for p in reversed(periods) if p["from"] <= day), None)


def test_versions_come_back_from_git(repo_content: Path):
    history = read_history(repo_content)
    assert history.missing == "" and not history.shallow
    std1 = history.of("STD-001")
    assert [(v.version, v.first.date) for v in std1.versions] == [
        ("1.0.0", "2025-06-01"),
        ("1.1.0", "2026-02-01"),
        ("2.0.0", "2026-05-01"),
    ]
    assert [s.status for s in history.of("STD-002").snapshots] == ["active", "superseded"]
    assert history.of("STD-999").snapshots == ()


def test_each_past_version_is_an_archived_page(site: Path):
    old = read(site, "standards/status-reporting/v1.0.0")
    assert "Archived version" in old and "as committed on 2025-06-01" in old
    assert "The project lead MUST publish a status report every two weeks." in old
    assert "Projects MAY add a short narrative" in old
    assert "SHOULD NOT be longer than one page" not in old  # R2 came in 1.1.0
    assert 'href="../../status-reporting/"' in old or 'href="../"' in old  # back to the current version
    middle = read(site, "standards/status-reporting/v1.1.0")
    assert "SHOULD NOT be longer than one page" in middle
    assert not (site / "standards/status-reporting/v2.0.0/index.html").exists()  # current: the page itself


def test_archived_pages_never_break_the_build_on_old_links(site: Path):
    old = read(site, "standards/status-reporting/v1.0.0")
    assert "See the old guide and" in old  # the link to a page that no longer exists became text
    assert ">the old guide</a>" not in old
    assert ">titled</a>" in old and ">by reference</a>" in old  # other dead forms stay, and the strict build passed
    weekly = read(site, "standards/weekly-status/v0.9.0")
    assert "Shown as written" in weekly and "TPL-404" in weekly  # a macro that no longer resolves


def test_archived_pages_stay_out_of_nav_and_search(site: Path):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert not any("/v1." in loc or "/history/" in loc or "changes" in loc for loc in locations)
    assert any(loc.startswith("standards/status-reporting/") for loc in locations)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "v1.0.0" not in home and "history/" not in home


def test_what_changed_pages(site: Path):
    major = read(site, "standards/status-reporting/v2.0.0/changes")
    assert "what changed in v2.0.0" in major
    assert "Strengthened" in major and "MAY → MUST" in major
    assert "<del>MAY</del> <ins>MUST</ins>" in major
    assert "R3 becomes a MUST." in major  # the changelog entry
    assert "needed: major" in major and "made: major" in major
    minor = read(site, "standards/status-reporting/v1.1.0/changes")
    assert "Added" in minor and "SHOULD NOT be longer than one page" in minor
    assert "needs a minor bump" in minor
    assert '<span class="gd">-See [the old guide](/standards/gone.md)' in minor  # the body diff, as code
    assert not (site / "standards/status-reporting/v1.0.0/changes").exists()  # the first version


def test_history_page_and_links_from_the_standard(site: Path):
    page = read(site, "standards/status-reporting/history")
    for version in ("2.0.0", "1.1.0", "1.0.0"):
        assert f"<strong>{version}</strong>" in page
    assert page.index("2.0.0") < page.index("1.1.0") < page.index("1.0.0")
    current = read(site, "standards/status-reporting")
    assert 'href="history/"' in current
    assert 'href="v1.0.0/"' in current and 'href="v2.0.0/changes/"' in current


def test_in_force_on_a_date(site: Path):
    data = json.loads((site / "api" / "in-force.json").read_text(encoding="utf-8"))
    std1 = next(s for s in data["standards"] if s["id"] == "STD-001")
    assert [(p["from"], p["version"]) for p in std1["periods"]] == [
        ("2025-06-01", "1.0.0"),
        ("2026-02-01", "1.1.0"),
        ("2026-06-01", "2.0.0"),  # committed in May, effective in June
    ]
    assert _held_on(std1["periods"], "2025-05-31") is None
    assert _held_on(std1["periods"], "2026-05-15")["version"] == "1.1.0"
    assert _held_on(std1["periods"], "2026-06-01")["version"] == "2.0.0"
    assert std1["periods"][0]["url"] == "standards/status-reporting/v1.0.0/"
    std2 = next(s for s in data["standards"] if s["id"] == "STD-002")
    assert [(p["from"], p["version"], p["status"]) for p in std2["periods"]] == [
        ("2024-01-01", "0.9.0", "active"),
        ("2026-02-01", "1.0.0", "superseded"),
    ]
    page = read(site, "in-force")
    assert 'id="pb-in-force-date"' in page and "in-force.js" in page


def test_atom_feed_of_changes_that_take_effect(site: Path):
    feed = ET.parse(site / "feed.xml").getroot()
    entries = [
        (e.findtext(f"{ATOM}updated"), e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"))
        for e in feed.findall(f"{ATOM}entry")
    ]
    assert entries == [
        (
            "2026-06-01T00:00:00Z",
            "STD-001 Status reporting v2.0.0 takes effect",
            "https://pmo.example.org/playbook/standards/status-reporting/",
        ),
        (
            "2026-02-01T00:00:00Z",
            "STD-002 Weekly status is superseded",
            "https://pmo.example.org/playbook/standards/weekly-status/",
        ),
        (
            "2026-02-01T00:00:00Z",
            "STD-001 Status reporting v1.1.0 takes effect",
            "https://pmo.example.org/playbook/standards/status-reporting/v1.1.0/",
        ),
        (
            "2025-06-01T00:00:00Z",
            "STD-001 Status reporting v1.0.0 takes effect",
            "https://pmo.example.org/playbook/standards/status-reporting/v1.0.0/",
        ),
        (
            "2024-01-01T00:00:00Z",
            "STD-002 Weekly status v0.9.0 takes effect",
            "https://pmo.example.org/playbook/standards/weekly-status/v0.9.0/",
        ),
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00Z"
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry")]
    assert summaries[0] == "R3 becomes a MUST." and summaries[1] == "Replaced by STD-001 Status reporting."
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)


def test_without_git_the_site_builds_without_history(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    content = tmp_path / "export" / "standards"
    shutil.copytree(GOOD, content)
    with caplog.at_level(logging.WARNING, logger="playbook"):
        site = build(_project(content))
    assert "no version history" in caplog.text and "not inside a git repository" in caplog.text
    assert (site / "standards" / "status-reporting" / "index.html").exists()
    assert not (site / "standards" / "status-reporting" / "history").exists()
    assert "No version history" in read(site, "in-force")
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.findall(f"{ATOM}entry")  # current versions still take effect on their dates


def test_shallow_clone_warns_and_keeps_what_it_has(repo_content: Path, tmp_path: Path, caplog):
    clone = tmp_path / "clone"
    source = repo_content.parent.as_uri()
    # the last two commits: STD-001 2.0.0 and the 1.1.0 before it, not 1.0.0
    subprocess.run(["git", "clone", "-q", "--depth", "2", source, str(clone)], check=True, capture_output=True)
    with caplog.at_level(logging.WARNING, logger="playbook"):
        site = build(_project(clone / "standards"))
    assert "shallow git clone" in caplog.text and "fetch-depth: 0" in caplog.text
    page = read(site, "standards/status-reporting/history")
    assert "Partial history" in page
    assert (site / "standards/status-reporting/v1.1.0").is_dir()
    assert not (site / "standards/status-reporting/v1.0.0").exists()


def test_a_standard_with_one_version_gets_no_history_page(repo_content: Path, tmp_path: Path):
    """Nothing archived, nothing changed: its page and changelog already say what the history would."""
    clone = tmp_path / "clone"
    source = repo_content.parent.as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "1", source, str(clone)], check=True, capture_output=True)
    site = build(_project(clone / "standards"))
    assert not (site / "standards/status-reporting/history").exists()
    assert "/history/" not in read(site, "standards/status-reporting")


def _one_commit_repo(root: Path, files: dict[str, str]) -> Path:
    """A repository with one commit of `files` under standards/; returns the content folder."""
    from .history_repo import commit, git

    content = root / "repo" / "standards"
    content.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main", str(root / "repo"))
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    commit(root / "repo", "2026-01-01", "Standards")
    return content


def test_a_file_name_with_a_space_and_no_body(tmp_path: Path):
    """`git cat-file` answers `<commit>:<path> missing` for the absent body; the path holds a space."""
    content = _one_commit_repo(tmp_path, {"STD-005 risk.yaml": "kind: Standard\nid: STD-005\nversion: 1.0.0\n"})
    assert [v.version for v in read_history(content).of("STD-005").versions] == ["1.0.0"]


def test_a_past_version_that_is_not_semver_makes_no_page(tmp_path: Path):
    """A version string from an unvalidated commit becomes a folder name: '../..' must not leave the site."""
    from .history_repo import commit

    std = "kind: Standard\nid: STD-005\nversion: {}\n"
    content = _one_commit_repo(tmp_path, {"STD-005-risk.yaml": std.format('"../../../../../outside"')})
    (content / "STD-005-risk.yaml").write_text(std.format("1.0.0"), encoding="utf-8")
    commit(content.parent, "2026-02-01", "A real version")
    assert [v.version for v in read_history(content).of("STD-005").versions] == ["1.0.0"]


def _good_catalog():
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree

    return Catalog.of(validate_tree(GOOD).entities)


def _past(catalog, sid: str, *states: tuple[str, dict]):
    """A History of one standard from (commit day, changes to its current data) pairs."""
    import datetime as dt

    from playbook.history.snapshots import History, Snapshot, StandardHistory

    data = catalog.by_id[sid].doc.data
    snaps = []
    for i, (day, changes) in enumerate(states):
        time = int(dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp())
        snaps.append(Snapshot(f"{i:040x}", time, {**data, **changes}, ""))
    return History({sid: StandardHistory(sid, tuple(snaps))})


def test_an_effective_date_from_a_past_commit_is_a_date_or_ignored():
    """`effective` in an unchecked commit must not reach the feed's XML or the in-force data as it is."""
    from playbook.history.feed import atom_feed
    from playbook.history.in_force import timelines

    catalog = _good_catalog()
    hostile = "2020-01-01T00:00:00Z</updated><title>Injected</title><updated>2020-01-01"
    history = _past(catalog, "STD-001", ("2025-03-01", {"version": "0.9.0", "effective": hostile}))
    table = timelines(catalog, history, "2026-11-26")
    std1 = next(s for s in table if s.id == "STD-001")
    assert std1.periods[0].start == "2025-03-01"  # the day it was committed
    feed = ET.fromstring(atom_feed(catalog, history, table, "https://pmo.example.org/", "2026-11-26"))
    assert "Injected" not in [title.text for title in feed.iter(f"{ATOM}title")]


def test_malformed_past_commits_still_make_pages():
    """A past commit need not fit the schema: odd requirement lists, levels and texts make no traceback."""
    from playbook.history.pages import history_pages

    catalog = _good_catalog()
    history = _past(
        catalog,
        "STD-001",
        ("2025-01-01", {"version": "0.7.0", "requirements": 5, "changelog": 5}),
        ("2025-02-01", {"version": "0.8.0", "requirements": [{"id": "R1", "level": ["MUST"], "text": 42}]}),
        ("2025-03-01", {"version": "0.9.0", "requirements": [{"id": "R1", "level": "MUST", "text": None}]}),
    )
    pages = {p.url: p.markdown for p in history_pages(catalog, history, lambda body, source: body, set())}
    assert "standards/status-reporting/v0.9.0/changes/" in pages


def test_a_version_approved_before_its_effective_date_applies_from_that_date():
    """`playbook status STD-001 active` keeps an effective date set while proposed: that is when it binds."""
    from playbook.history.in_force import timelines

    catalog = _good_catalog()
    history = _past(
        catalog,
        "STD-001",
        ("2026-01-10", {"version": "1.0.0", "status": "proposed", "effective": "2026-01-20"}),
        ("2026-01-15", {"version": "1.0.0", "status": "active", "effective": "2026-01-20"}),
    )
    std1 = next(s for s in timelines(catalog, history, "2026-11-26") if s.id == "STD-001")
    assert [(p.start, p.version, p.status) for p in std1.periods] == [
        ("2026-01-10", "1.0.0", "proposed"),
        ("2026-01-20", "1.0.0", "active"),
        ("2026-02-01", "1.1.0", "active"),
    ]


def test_a_new_version_that_kept_the_old_effective_date_applies_from_its_commit():
    """`playbook bump` leaves `effective` alone: a date carried over from the version before is not the new one's."""
    from playbook.history.in_force import timelines

    catalog = _good_catalog()  # STD-001 1.1.0 is effective from 2026-02-01
    history = _past(catalog, "STD-001", ("2025-06-01", {"version": "1.0.0"}), ("2026-03-01", {}))
    std1 = next(s for s in timelines(catalog, history, "2026-11-26") if s.id == "STD-001")
    assert [(p.start, p.version) for p in std1.periods] == [("2026-02-01", "1.0.0"), ("2026-03-01", "1.1.0")]
    # committed before the version it replaces took effect: it binds from that date, not before
    history = _past(catalog, "STD-001", ("2025-06-01", {"version": "1.0.0"}), ("2026-01-15", {}))
    std1 = next(s for s in timelines(catalog, history, "2026-11-26") if s.id == "STD-001")
    assert [(p.start, p.version) for p in std1.periods] == [("2026-02-01", "1.0.0"), ("2026-02-01", "1.1.0")]
    assert std1.on("2026-02-01").version == "1.1.0"


def test_an_effective_date_moved_before_it_came_is_taken_at_its_new_value():
    """A version approved for a future date whose date is then put off applies from the later date."""
    from playbook.history.in_force import timelines

    catalog = _good_catalog()  # STD-001 1.1.0 is effective from 2026-02-01

    def starts(*past: tuple[str, dict]) -> list[tuple[str, str]]:
        history = _past(catalog, "STD-001", ("2025-06-01", {"version": "1.0.0", "effective": "2025-06-01"}), *past)
        std1 = next(s for s in timelines(catalog, history, "2026-11-26") if s.id == "STD-001")
        return [(p.start, p.version) for p in std1.periods]

    # approved on 01-10 for 01-20, put off on 01-15 to 02-01 (the file today): 1.0.0 holds until 02-01
    put_off = starts(("2026-01-10", {"effective": "2026-01-20"}), ("2026-01-15", {}))
    assert put_off == [("2025-06-01", "1.0.0"), ("2026-02-01", "1.1.0")]
    # brought forward, from 03-01 to 02-01, before either came
    brought_forward = starts(("2026-01-10", {"effective": "2026-03-01"}), ("2026-01-15", {}))
    assert brought_forward == [("2025-06-01", "1.0.0"), ("2026-02-01", "1.1.0")]
    # in force since 01-20 when the date was edited on 01-25: the days it applied stay as they were
    edited_late = starts(("2026-01-10", {"effective": "2026-01-20"}), ("2026-01-25", {}))
    assert edited_late == [("2025-06-01", "1.0.0"), ("2026-01-20", "1.1.0")]


def test_requirement_ids_that_only_look_numeric_are_compared():
    """'²' is a digit to str.isdigit but not to int(): an odd id from an old commit sorts, it does not crash."""
    from playbook.history.compare import requirement_changes

    old = [{"id": "R²", "level": "MAY", "text": "Teams MAY."}, {"id": "R1", "level": "MAY", "text": "A MAY."}]
    assert [c.id for c in requirement_changes(old, [])] == ["R²", "R1"]


def test_file_names_git_would_quote(tmp_path: Path):
    """Quotes and tabs in a name: git log quotes them unless asked for NUL-separated names."""
    std = "kind: Standard\nid: {}\nversion: 1.0.0\n"
    files = {'STD-005-"risk".yaml': std.format("STD-005"), "STD-006-a\tb.yaml": std.format("STD-006")}
    files["STD-007-a\nb.yaml"] = std.format("STD-007")  # blobs are asked for by id, so even this one is read
    files["STD-008-plain.yaml"] = std.format("STD-008")
    history = read_history(_one_commit_repo(tmp_path, files))
    assert sorted(history.standards) == ["STD-005", "STD-006", "STD-007", "STD-008"]


def test_feed_ids_are_absolute_without_a_site_url():
    """Atom ids must be IRIs; without `site_url` a page path is not one."""
    from playbook.history.feed import atom_feed
    from playbook.history.in_force import timelines
    from playbook.history.snapshots import History

    catalog = _good_catalog()
    table = timelines(catalog, History({}), "2026-11-26")
    feed = ET.fromstring(atom_feed(catalog, History({}), table, "", "2026-11-26"))
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids and all(i.startswith("urn:pmo-playbook:") for i in ids), ids


def test_the_feed_stays_xml_whatever_the_text():
    """YAML escapes such as "\\v" give characters XML 1.0 forbids; one of them would void the whole feed."""
    from playbook.history.feed import atom_feed
    from playbook.history.in_force import timelines

    catalog = _good_catalog()
    changelog = [{"version": "0.9.0", "date": "2025-03-01", "summary": "Bell \a and tab\v."}]
    history = _past(catalog, "STD-001", ("2025-03-01", {"version": "0.9.0", "changelog": changelog}))
    table = timelines(catalog, history, "2026-11-26")
    feed = ET.fromstring(atom_feed(catalog, history, table, "https://pmo.example.org/", "2026-11-26"))
    assert "Bell  and tab." in [e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry")]


def test_directory_urls_are_required(good_catalog: Path, make_site, caplog: pytest.LogCaptureFixture):
    import yaml

    from .conftest import build_error

    project = make_site(good_catalog)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["use_directory_urls"] = False
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    assert "use_directory_urls: false" in build_error(project, caplog)


def test_each_snapshot_is_the_file_as_its_commit_left_it(tmp_path: Path):
    """Blob ids come from `git log --raw`, applied commit by commit: check them against `git show`.

    Covers a body edited alone, a merge on the first-parent line, and a file deleted and added back.
    """
    from playbook.history.git import Repository
    from playbook.history.snapshots import standard_snapshots

    from .history_repo import commit, git

    content = tmp_path / "standards"
    content.mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    std = "kind: Standard\nid: STD-005\nversion: {}\n"
    (content / "STD-005-risk.yaml").write_text(std.format("1.0.0"), encoding="utf-8")
    (content / "STD-005-risk.md").write_text("First body.\n", encoding="utf-8")
    commit(tmp_path, "2026-01-01", "add")
    (content / "STD-005-risk.md").write_text("Second body.\n", encoding="utf-8")  # the body alone
    commit(tmp_path, "2026-01-02", "body")
    git(tmp_path, "checkout", "-q", "-b", "topic")
    (content / "STD-005-risk.yaml").write_text(std.format("1.1.0"), encoding="utf-8")
    commit(tmp_path, "2026-01-03", "on a branch")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "merge", "topic", date="2026-01-04")
    (content / "STD-005-risk.yaml").unlink()
    commit(tmp_path, "2026-01-05", "delete")
    (content / "STD-005-risk.yaml").write_text(std.format("2.0.0"), encoding="utf-8")
    commit(tmp_path, "2026-01-06", "back")

    snaps = standard_snapshots(Repository(content))["STD-005"]
    assert [(s.version, s.body) for s in snaps] == [
        ("1.0.0", "First body.\n"),
        ("1.0.0", "Second body.\n"),
        ("1.1.0", "Second body.\n"),  # the merge, not the branch's own commit: first parents only
        ("2.0.0", "Second body.\n"),
    ]
    for snap in snaps:
        shown = git(tmp_path, "show", f"{snap.sha}:standards/STD-005-risk.md")
        assert shown == snap.body
        assert git(tmp_path, "log", "-1", "--format=%s", snap.sha).strip() != "on a branch"


def test_a_deprecation_taken_back_and_made_again_is_two_feed_entries():
    """Readers who saw the first deprecation must see the second as news: entry ids carry the day."""
    from playbook.history.feed import atom_feed
    from playbook.history.in_force import timelines

    catalog = _good_catalog()  # STD-001 1.1.0, active from 2026-02-01
    history = _past(
        catalog,
        "STD-001",
        ("2026-01-15", {}),
        ("2026-03-01", {"status": "deprecated"}),
        ("2026-03-10", {}),  # taken back: active again
        ("2026-04-01", {"status": "deprecated"}),
        ("2026-04-05", {}),
    )
    table = timelines(catalog, history, "2026-11-26")
    std1 = next(s for s in table if s.id == "STD-001")
    assert [(p.start, p.status) for p in std1.periods] == [
        ("2026-02-01", "active"),
        ("2026-03-01", "deprecated"),
        ("2026-03-10", "active"),
        ("2026-04-01", "deprecated"),
        ("2026-04-05", "active"),
    ]
    feed = ET.fromstring(atom_feed(catalog, history, table, "https://pmo.example.org/", "2026-11-26"))
    deprecations = [e for e in feed.iter(f"{ATOM}entry") if "deprecated" in e.findtext(f"{ATOM}title")]
    ids = [e.findtext(f"{ATOM}id") for e in deprecations]
    assert len(ids) == 2 and len(set(ids)) == 2, ids
    assert [e.findtext(f"{ATOM}updated") for e in deprecations] == ["2026-04-01T00:00:00Z", "2026-03-01T00:00:00Z"]


def test_a_guidance_change_is_a_patch_shown_as_a_diff_under_its_requirement():
    from playbook.history.compare import StandardChange
    from playbook.history.pages import _requirement_changes

    def standard(guidance: str) -> dict:
        requirement = {"id": "R1", "level": "MUST", "text": "Projects MUST report.", "guidance": guidance}
        return {"id": "STD-001", "version": "1.0.0", "requirements": [requirement]}

    change = StandardChange(
        "STD-001", standard("Use the template.\n\n- weekly\n"), standard("Use the template.\n\n- fortnightly\n")
    )
    assert change.bump_needed == "patch"
    shown = _requirement_changes(change)
    assert "**Reworded** R1" in shown
    assert "    Guidance:\n\n    ```diff\n" in shown  # a diff block inside the list item
    assert "    -- weekly\n    +- fortnightly\n" in shown
    assert "Guidance:" not in _requirement_changes(StandardChange("STD-001", standard("Same."), standard("Same.")))

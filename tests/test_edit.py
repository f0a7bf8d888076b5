"""`playbook bump` and `playbook status`: the file keeps its layout, the result validates, illegal moves are refused."""

from __future__ import annotations

import difflib
import itertools
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbook.cli import main
from playbook.content.status import MOVES
from playbook.content.validate import validate_tree

STD = "STD-001-status-reporting.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a change removed (-) and added (+), in order."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line[:1] in "+-"]


def data(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize(("part", "version"), [("--major", "2.0.0"), ("--minor", "1.2.0"), ("--patch", "1.1.1")])
def test_bump_sets_version_and_adds_changelog_entry(part, version, good_catalog):
    path = good_catalog / STD
    before = path.read_text()
    result = run("bump", "STD-001", part, "-m", "Changed R2.", "--date", "2026-03-01", "--content", str(good_catalog))
    assert result.exit_code == 0, result.output
    assert "version 1.1.0 → " + version in result.output
    assert changed_lines(before, path.read_text()) == [
        "- version: 1.1.0",
        f"+ version: {version}",
        '- effective: "2026-02-01"',
        '+ effective: "2026-03-01"',
        f"+   - version: {version}",
        '+     date: "2026-03-01"',
        "+     summary: Changed R2.",
    ]
    assert validate_tree(good_catalog).ok


def test_bump_keeps_comments_and_layout(good_catalog):
    path = good_catalog / STD
    text = path.read_text()
    text = text.replace("version: 1.1.0\n", "version: 1.1.0  # bumped with playbook bump\n", 1)
    text = text.replace("requirements:\n", "# Each requirement states its level in capitals.\nrequirements:\n")
    text = text.replace("changelog:\n", "changelog:  # newest first\n")
    text = text.replace("tags: [reporting, health]", "tags: [reporting,   health]   # odd spacing kept")
    path.write_text(text)
    run("bump", "STD-001", "--minor", "-m", "Added R4.", "--date", "2026-03-01", "--content", str(good_catalog))
    after = path.read_text()
    assert changed_lines(text, after) == [
        "- version: 1.1.0  # bumped with playbook bump",
        "+ version: 1.2.0  # bumped with playbook bump",
        '- effective: "2026-02-01"',
        '+ effective: "2026-03-01"',
        "+   - version: 1.2.0",
        '+     date: "2026-03-01"',
        "+     summary: Added R4.",
    ]
    assert after.startswith("# yaml-language-server: $schema=")
    assert validate_tree(good_catalog).ok


def test_bump_follows_the_file_own_indentation_and_flow_style(good_catalog):
    path = good_catalog / STD
    text = path.read_text()
    head, _, _ = text.partition("changelog:\n")
    # sequences flush with their key, and a changelog written as flow mappings
    head = head.replace("\n  - id:", "\n- id:").replace("\n    ", "\n  ")
    text = (
        head
        + "changelog:\n"
        + '- {version: 1.1.0, date: "2026-02-01", summary: Added R2 on report length.}\n'
        + '- {version: 1.0.0, date: "2025-06-01", summary: First approved version.}\n'
    )
    path.write_text(text)
    assert validate_tree(good_catalog).ok
    run("bump", "STD-001", "--patch", "-m", "Wording.", "--date", "2026-03-01", "--content", str(good_catalog))
    assert changed_lines(text, path.read_text()) == [
        "- version: 1.1.0",
        "+ version: 1.1.1",
        '- effective: "2026-02-01"',
        '+ effective: "2026-03-01"',
        '+ - {version: 1.1.1, date: "2026-03-01", summary: Wording.}',
    ]


def test_bump_a_template(good_catalog):
    result = run(
        "bump", "TPL-001", "--minor", "-m", "New section.", "--date", "2026-03-01", "--content", str(good_catalog)
    )
    assert result.exit_code == 0, result.output
    template = data(good_catalog / "templates" / "TPL-001-status-report.yaml")
    assert template["version"] == "1.1.0"
    assert template["changelog"][0] == {"version": "1.1.0", "date": "2026-03-01", "summary": "New section."}
    assert validate_tree(good_catalog).ok


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["STD-099", "--minor", "-m", "x"], 1, "unknown id 'STD-099'"),
        (["STD-01", "--minor", "-m", "x"], 1, "did you mean STD-001"),
        (["pmo-lead", "--minor", "-m", "x"], 1, "pmo-lead is a Role; only standards and templates"),
        (["STD-001", "-m", "x"], 2, "--major, --minor or --patch"),
        (["STD-001", "--minor"], 2, "Missing option '-m'"),
        (["STD-001", "--minor", "-m", "  "], 1, "say what changed"),
        (["STD-001", "--minor", "-m", "x", "--date", "2026-13-01"], 1, "--date must be a date like"),
        (["STD-001", "--minor", "-m", "x", "--date", "20260301"], 1, "--date must be a date like"),
        (["STD-001", "--minor", "-m", "x", "--date", "2026-01-01"], 1, "newest changelog entry is dated 2026-02-01"),
    ],
)
def test_bump_refusals_change_nothing(args, code, message, good_catalog):
    before = (good_catalog / STD).read_text()
    result = run("bump", *args, "--content", str(good_catalog))
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert (good_catalog / STD).read_text() == before


def test_bump_refuses_a_file_with_problems(good_catalog):
    path = good_catalog / STD
    path.write_text(path.read_text().replace("evidence: [TPL-001]", "evidence: [TPL-099]"))
    result = run("bump", "STD-001", "--patch", "-m", "x", "--date", "2026-03-01", "--content", str(good_catalog))
    assert result.exit_code == 1
    assert "fix the problems in" in result.output and "E-REF unknown id 'TPL-099'" in result.output


# --- status ---------------------------------------------------------------------------------------

SUBJECT = """\
# yaml-language-server: $schema=../../../playbook/schemas/standard.schema.json
apiVersion: playbook/v1
kind: Standard
id: STD-003
title: Benefits tracking
summary: How benefits are tracked.  # a comment the move keeps
owner: pmo-lead
status: {status}
version: {version}
{dates}maintainers: ["@pmo-office/editors"]
requirements:
  - id: R1
    level: SHOULD
    text: Projects SHOULD track benefits.
    since: 0.1.0
changelog:
  - version: {version}
    date: "2026-01-10"
    summary: Latest.
"""
SUCCESSOR = """\
# yaml-language-server: $schema=../../../playbook/schemas/standard.schema.json
apiVersion: playbook/v1
kind: Standard
id: STD-004
title: Benefits tracking, again
summary: Replaces STD-003.
owner: pmo-lead
status: active
version: 1.0.0
effective: "2026-01-01"
last_reviewed: "2026-01-01"
review_every: 12
supersedes: [STD-003]
requirements:
  - id: R1
    level: SHOULD
    text: Projects SHOULD track benefits.
changelog:
  - version: 1.0.0
    date: "2026-01-01"
    summary: First version.
"""
EARLY = ("draft", "proposed", "rejected", "withdrawn")


def write_subject(catalog: Path, status: str) -> Path:
    """STD-003 in `status`, valid as it stands (a superseded one with its successor STD-004)."""
    dates = ""
    if status == "trial":
        dates = 'effective: "2026-01-10"\n'
    elif status not in EARLY:
        dates = 'effective: "2026-01-10"\nlast_reviewed: "2026-01-10"\nreview_every: 12\n'
    version = "0.3.0" if status in (*EARLY, "trial") else "1.0.0"
    path = catalog / "STD-003-benefits-tracking.yaml"
    path.write_text(SUBJECT.format(status=status, version=version, dates=dates))
    if status == "superseded":
        (catalog / "STD-004-benefits-again.yaml").write_text(SUCCESSOR)
    assert [str(d) for d in validate_tree(catalog).diagnostics] == []
    return path


@pytest.mark.parametrize(("old", "new"), list(itertools.product(map(str, MOVES), map(str, MOVES))))
def test_every_status_move_is_made_or_refused_by_the_table(old, new, good_catalog):
    path = write_subject(good_catalog, old)
    before = path.read_text()
    extra = ["--by", "STD-001"] if new == "superseded" else []
    result = run("status", "STD-003", new, *extra, "--date", "2026-03-01", "--content", str(good_catalog))
    if new in MOVES[old]:
        assert result.exit_code == 0, result.output
        after = data(path)
        assert after["status"] == new
        assert [str(d) for d in validate_tree(good_catalog).diagnostics] == []
        assert "# a comment the move keeps" in path.read_text()
    else:
        assert result.exit_code == 1
        assert path.read_text() == before
        if old == new:
            assert f"STD-003 is already {new}" in result.output
        else:
            allowed = ", ".join(sorted(MOVES[old])) or "nowhere: it is final"
            assert f"cannot move from {old} to {new}; from {old} it may move to {allowed}" in result.output


def test_unknown_status_is_a_usage_error(good_catalog):
    result = run("status", "STD-001", "approved", "--content", str(good_catalog))
    assert result.exit_code == 2 and "'approved' is not one of" in result.output


def test_activation_makes_version_one_with_dates_and_changelog(good_catalog):
    path = write_subject(good_catalog, "proposed")
    before = path.read_text()
    result = run(
        "status", "STD-003", "active", "-m", "Approved by the PMO board.", "--date", "2026-03-01",
        "--content", str(good_catalog),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert changed_lines(before, path.read_text()) == [
        "- status: proposed",
        "+ status: active",
        "- version: 0.3.0",
        "+ version: 1.0.0",
        '+ effective: "2026-03-01"',
        '+ last_reviewed: "2026-03-01"',
        "+ review_every: 12",
        "-     since: 0.1.0",
        "+     since: 1.0.0",
        "+   - version: 1.0.0",
        '+     date: "2026-03-01"',
        "+     summary: Approved by the PMO board.",
    ]
    assert "review_every: 12 (months; change it if needed)" in result.output


def test_activation_from_trial_keeps_effective_of_a_one_point_version(good_catalog):
    path = write_subject(good_catalog, "trial")
    path.write_text(path.read_text().replace("0.3.0", "1.0.0"))
    run("status", "STD-003", "active", "--date", "2026-03-01", "--content", str(good_catalog))
    after = data(path)
    assert (after["version"], after["effective"], after["last_reviewed"]) == ("1.0.0", "2026-01-10", "2026-03-01")
    assert len(after["changelog"]) == 1


def test_activation_of_a_release_candidate_makes_its_release(good_catalog):
    path = write_subject(good_catalog, "proposed")
    path.write_text(path.read_text().replace("0.3.0", "1.0.0-rc.1"))
    result = run("status", "STD-003", "active", "--date", "2026-03-01", "--content", str(good_catalog))
    assert result.exit_code == 0, result.output
    assert [e["version"] for e in data(path)["changelog"]] == ["1.0.0", "1.0.0-rc.1"]


def test_activation_refused_while_a_superseded_standard_is_in_force(good_catalog):
    path = write_subject(good_catalog, "proposed")
    path.write_text(path.read_text().replace("maintainers:", "supersedes: [STD-001]\nmaintainers:"))
    result = run("status", "STD-003", "active", "--date", "2026-03-01", "--content", str(good_catalog))
    assert result.exit_code == 1
    assert "STD-001 is still active" in result.output
    assert "playbook status STD-001 deprecated" in result.output


def test_superseded_needs_a_successor(good_catalog):
    write_subject(good_catalog, "deprecated")
    result = run("status", "STD-003", "superseded", "--date", "2026-03-01", "--content", str(good_catalog))
    assert result.exit_code == 1
    assert "no active or trial standard lists it in 'supersedes'" in result.output
    assert "playbook status STD-003 superseded --by STD-xxx" in result.output


def test_superseded_by_adds_it_to_the_successor_with_a_patch_bump(good_catalog):
    write_subject(good_catalog, "deprecated")
    successor = good_catalog / STD
    result = run(
        "status", "STD-003", "superseded", "--by", "STD-001", "--date", "2026-03-01", "--content", str(good_catalog)
    )
    assert result.exit_code == 0, result.output
    after = data(successor)
    assert after["supersedes"] == ["STD-002", "STD-003"]
    assert after["version"] == "1.1.1"
    assert after["changelog"][0] == {"version": "1.1.1", "date": "2026-03-01", "summary": "Supersedes STD-003."}
    assert validate_tree(good_catalog).ok


def test_superseded_by_refuses_a_successor_not_in_force(good_catalog):
    write_subject(good_catalog, "deprecated")
    result = run("status", "STD-003", "superseded", "--by", "STD-002", "--content", str(good_catalog))
    assert result.exit_code == 1 and "STD-002 is superseded; a successor must be active or trial" in result.output


def test_by_only_with_superseded(good_catalog):
    result = run("status", "STD-001", "deprecated", "--by", "STD-002", "--content", str(good_catalog))
    assert result.exit_code == 1 and "use it only with 'superseded'" in result.output


def test_successor_of_a_superseded_standard_may_leave_force(good_catalog):
    """STD-001 superseded STD-002; it may itself be deprecated later, and STD-002 stays valid."""
    result = run("status", "STD-001", "deprecated", "--content", str(good_catalog))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((good_catalog / STD).read_text())["status"] == "deprecated"
    assert validate_tree(good_catalog).ok


def test_status_applies_to_standards_only(good_catalog):
    result = run("status", "TPL-001", "deprecated", "--content", str(good_catalog))
    assert result.exit_code == 1 and "TPL-001 is a Template; only standards can be changed this way" in result.output


# --- round trip -----------------------------------------------------------------------------------


def test_round_trip_without_a_change_is_byte_for_byte():
    from playbook.authoring.roundtrip import Edit

    from .conftest import GOOD, ROOT

    files = [*(ROOT / "standards").rglob("*.yaml"), *GOOD.rglob("*.yaml")]
    assert len(files) > 50
    for path in files:
        assert Edit.open(path).text() == path.read_text(), path


def test_an_edit_to_a_line_ruamel_relays_still_applies(tmp_path):
    from playbook.authoring.roundtrip import Edit

    path = tmp_path / "STD-009-x.yaml"
    path.write_text("kind: Standard\nid: STD-009\ntags: [a,   b]  # spaced\nsupersedes: [STD-001,   STD-002]\n")
    edit = Edit.open(path)
    edit.append("supersedes", "STD-003")
    text = edit.text()
    assert "tags: [a,   b]  # spaced\n" in text
    assert yaml.safe_load(text)["supersedes"] == ["STD-001", "STD-002", "STD-003"]


def test_bump_accepts_a_requirement_since_the_version_it_makes(good_catalog):
    """Write the new requirement with `since: 1.2.0`, then bump to 1.2.0: the usual order of work."""
    path = good_catalog / STD
    path.write_text(
        path.read_text().replace(
            "  - id: R3\n",
            "  - id: R4\n    level: MAY\n    text: Teams MAY add photos.\n    since: 1.2.0\n  - id: R3\n",
        )
    )
    too_small = run("bump", "STD-001", "--patch", "-m", "Photos.", "--content", str(good_catalog))
    assert too_small.exit_code == 1 and "since 1.2.0 is later than the version 1.1.1" in too_small.output
    assert data(path)["version"] == "1.1.0"  # refused, so nothing was written
    result = run("bump", "STD-001", "--minor", "-m", "Photos.", "--content", str(good_catalog))
    assert result.exit_code == 0, result.output
    assert data(path)["version"] == "1.2.0" and validate_tree(good_catalog).ok


def test_the_bump_an_error_names_makes_an_active_draft_version_one(good_catalog):
    from .conftest import EXAMPLES

    case = EXAMPLES / "bad" / "status-active-below-1"
    for path in case.glob("*.yaml"):
        (good_catalog / path.name).write_text(path.read_text())
    [problem] = validate_tree(good_catalog).diagnostics
    assert problem.message.endswith('playbook bump STD-901 --major -m "…" makes it 1.0.0')
    result = run(
        "bump", "STD-901", "--major", "-m", "Approved.", "--date", "2026-03-01", "--content", str(good_catalog)
    )
    assert result.exit_code == 0, result.output
    assert validate_tree(good_catalog).ok

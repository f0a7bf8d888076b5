"""`playbook validate --base` and `playbook diff --base`: the rules of change, checked against git."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbook.authoring.against_base import BadBase, validate_against_base
from playbook.cli import main
from playbook.content.status import MOVES

from .conftest import ROOT
from .history_repo import STD1, STD2, commit, edit, git, make_history_repo

STATUSES = sorted(map(str, MOVES))  # as a user types them


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The history repository's content folder, with the working directory at the repository root."""
    folder = make_history_repo(tmp_path)
    monkeypatch.chdir(folder.parent)
    return Path("standards")


def lines(content: Path, ref: str = "HEAD", code: str = "") -> list[str]:
    result, _ = validate_against_base(content, ref)
    return [str(d) for d in result.diagnostics if not code or d.code == code]


def std1(content: Path) -> Path:
    return content / f"{STD1}.yaml"


def bump(path: Path, version: str, summary: str = "A change.") -> None:
    """Raise STD-001 from 2.0.0 to `version` as an editor should: its entry, and the day it takes effect."""
    edit(
        path,
        ("\nversion: 2.0.0", f"\nversion: {version}"),
        ('effective: "2026-06-01"', 'effective: "2026-06-02"'),
        ("changelog:\n", f'changelog:\n  - version: {version}\n    date: "2026-06-02"\n    summary: {summary}\n'),
    )


def test_unchanged_tree_is_clean(content: Path):
    assert lines(content) == []
    assert lines(content, "HEAD~1") == []  # 1.1.0 → 2.0.0 was a correct major bump


def reword_r1(content: Path) -> None:
    edit(std1(content), ("a status report every two weeks.", "a status report every two weeks, on Fridays."))


def drop_a_changelog_entry(content: Path) -> None:
    edit(std1(content), ('  - version: 1.0.0\n    date: "2025-06-01"\n    summary: First approved version.\n', ""))


def add_an_active_standard(content: Path) -> None:
    text = std1(content).read_text().replace("id: STD-001", "id: STD-003").replace("supersedes: [STD-002]\n", "")
    (content / "STD-003-risk-reviews.yaml").write_text(text)


def delete_std2(content: Path) -> None:
    (content / "STD-002-weekly-status.yaml").unlink()
    edit(std1(content), ("supersedes: [STD-002]\n", ""))
    bump(std1(content), "2.0.1")


def bump_without_effective(content: Path) -> None:
    edit(
        std1(content),
        ("\nversion: 2.0.0", "\nversion: 2.0.1"),
        ("changelog:\n", 'changelog:\n  - version: 2.0.1\n    date: "2026-07-01"\n    summary: Wording.\n'),
    )


def rename_std2(content: Path) -> None:
    (content / f"{STD2}.yaml").rename(content / "STD-002-weekly-report.yaml")


def renumber_r3_as_r2(content: Path) -> None:
    edit(
        std1(content),
        ("  - id: R2\n    level: SHOULD NOT\n    text: A status report SHOULD NOT be longer than one page.\n"
         "    rationale: Long reports go unread.\n    since: 1.1.0\n", ""),
        ("  - id: R3\n", "  - id: R2\n"),
    )  # fmt: skip
    bump(std1(content), "3.0.0", "R2 dropped.")


RULES_OF_CHANGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "E-BUMP": (
        reword_r1,
        "standards/STD-001-status-reporting.yaml:10:10: E-BUMP STD-001 changed since HEAD (R1 reworded) "
        "but its version is still 2.0.0; a patch change needs version 2.0.1: playbook bump STD-001 --patch "
        '-m "…" (version)',
    ),
    "E-EFFECTIVE": (
        bump_without_effective,
        "standards/STD-001-status-reporting.yaml:11:12: E-EFFECTIVE version 2.0.1 is new since HEAD, but effective "
        "is still 2026-06-01, when 2.0.0 took effect: set it to the day 2.0.1 is approved (playbook bump sets it) "
        "(effective)",
    ),
    "E-RENAME": (
        rename_std2,
        "standards/STD-002-weekly-report.yaml:4:5: E-RENAME the page moved from /standards/weekly-status/ "
        "to /standards/weekly-report/ (the file was renamed since HEAD); keep the old address working: "
        "aliases: [standards/old-weekly-report, standards/weekly-status] (id)",
    ),
    "E-CHANGELOG": (
        drop_a_changelog_entry,
        "standards/STD-001-status-reporting.yaml:37:3: E-CHANGELOG the changelog entry for 1.0.0 on HEAD was removed; "
        "the changelog only grows (changelog)",
    ),
    "E-STATUS-MOVE": (
        add_an_active_standard,
        "standards/STD-003-risk-reviews.yaml:9:9: E-STATUS-MOVE a new standard starts as draft or proposed, "
        "not active; it becomes active in a later change (status)",
    ),
    "E-GONE": (
        delete_std2,
        "standards/STD-002-weekly-status.yaml:1:1: E-GONE STD-002 exists on HEAD but is gone here; ids are never "
        "removed or renamed: restore the file and set its status to retired or withdrawn",
    ),
    "E-REQ-REUSE": (
        renumber_r3_as_r2,
        "standards/STD-001-status-reporting.yaml:28:9: E-REQ-REUSE R2 now holds the text of R3 on HEAD; "
        "requirement ids are never renumbered: keep it as R3 (requirements[1].id)",
    ),
}
"""One change per code that only a check against git gives, and the one line it must print.
test_docs.py requires a case here for every code playbook/authoring/against_base.py emits."""


@pytest.mark.parametrize("code", RULES_OF_CHANGE)
def test_each_rule_of_change(content: Path, code: str):
    change, expected = RULES_OF_CHANGE[code]
    change(content)
    assert lines(content) == [expected]


def test_a_reworded_requirement_needs_only_a_patch(content: Path):
    reword_r1(content)
    bump(std1(content), "2.0.1")
    assert lines(content) == []


def test_a_new_standard_may_start_as_proposed(content: Path):
    add_an_active_standard(content)
    _set_status(content / "STD-003-risk-reviews.yaml", "proposed")
    assert lines(content) == []


@pytest.mark.parametrize(
    ("change", "needed", "too_small", "enough"),
    [
        (("level: MUST\n    text: Projects MUST add", "level: SHOULD\n    text: Projects SHOULD add"), "major", "2.1.0", "3.0.0"),
        (("SHOULD NOT\n    text: A status report SHOULD NOT", "MAY\n    text: A status report MAY"), "minor", "2.0.1", "2.1.0"),
        (("  - id: R3\n", "  - id: R4\n    level: MAY\n    text: Teams MAY add photos.\n  - id: R3\n"), "minor", "2.0.1", "2.1.0"),
        (("rationale: Long reports go unread.", "rationale: Nobody reads long reports."), "patch", None, "2.0.1"),
    ],
    ids=["must-weakened", "should-not-weakened", "may-added", "rationale-reworded"],
)  # fmt: skip
def test_the_bump_must_match_the_requirement_change(content, change, needed, too_small, enough):
    edit(std1(content), change)
    if too_small:
        bump(std1(content), too_small)
        found = lines(content, code="E-BUMP")
        assert len(found) == 1 and f"needs a {needed} bump" in found[0] and f"is {_part(too_small)}" in found[0]
        edit(
            std1(content),
            (f"\nversion: {too_small}", f"\nversion: {enough}"),
            (f"- version: {too_small}", f"- version: {enough}"),
        )
    else:
        bump(std1(content), enough)
    assert lines(content) == []


def _part(version: str) -> str:
    return "minor" if version.endswith(".0") and not version.endswith(".0.0") else "patch"


def test_body_change_needs_at_least_a_patch(content: Path):
    body = content / f"{STD1}.md"
    body.write_text(body.read_text() + "\nOne more line.\n")
    assert [d.split(": ", 1)[1][:6] for d in lines(content)] == ["E-BUMP"]


def test_stewardship_fields_change_without_a_bump(content: Path):
    edit(std1(content), ('last_reviewed: "2026-02-01"', 'last_reviewed: "2026-06-10"'))
    edit(std1(content), ('maintainers: ["@pmo-office/editors"]', 'maintainers: ["@pmo-office/editors", "@ana"]'))
    assert lines(content) == []


def test_version_may_not_go_back(content: Path):
    edit(std1(content), ("\nversion: 2.0.0", "\nversion: 1.9.0"), ("- version: 2.0.0", "- version: 1.9.0"))
    found = lines(content, code="E-BUMP")
    assert len(found) == 1 and "went back from 2.0.0 on HEAD to 1.9.0" in found[0]


def _set_status(path: Path, status: str) -> None:
    text = path.read_text()
    start = text.index("\nstatus: ") + len("\nstatus: ")
    path.write_text(text[:start] + status + text[text.index("\n", start) :])


@pytest.mark.parametrize("old", STATUSES)
def test_every_status_move_is_checked(content: Path, old: str):
    """From each status on the base branch, every target status: refused exactly when the table says so."""
    _set_status(std1(content), old)
    commit(content.parent, "2026-07-01", f"STD-001 {old}")
    for new in STATUSES:
        _set_status(std1(content), new)
        found = lines(content, code="E-STATUS-MOVE")
        allowed = new == old or new in MOVES[old]
        assert (found == []) == allowed, (old, new, found)
        if not allowed:
            assert f"status cannot go from {old} to {new}" in found[0] and found[0].endswith("(status)")


def test_a_retired_requirement_id_is_not_reused(content: Path):
    repo = content.parent
    edit(std1(content), ("  - id: R2\n    level: SHOULD NOT\n    text: A status report SHOULD NOT be longer than one page.\n"
                         "    rationale: Long reports go unread.\n    since: 1.1.0\n", ""))  # fmt: skip
    bump(std1(content), "3.0.0", "R2 dropped.")
    commit(repo, "2026-08-01", "STD-001 3.0.0: drop R2")
    edit(std1(content), ("  - id: R3\n", "  - id: R2\n    level: MAY\n    text: Teams MAY add photos.\n  - id: R3\n"))
    edit(
        std1(content),
        ("\nversion: 3.0.0", "\nversion: 3.1.0"),
        ("changelog:\n", 'changelog:\n  - version: 3.1.0\n    date: "2026-08-02"\n    summary: Photos.\n'),
    )
    found = lines(content, code="E-REQ-REUSE")
    assert len(found) == 1 and "R2 was a different requirement in an earlier version" in found[0]
    assert "SHOULD NOT be longer than one" in found[0] and found[0].endswith("(requirements[1].id)")


def test_drafts_change_freely(content: Path):
    _set_status(std1(content), "draft")
    commit(content.parent, "2026-07-01", "back to draft for the example")
    reword_r1(content)
    assert lines(content, code="E-BUMP") == []


def test_unknown_ref_is_a_usage_error(content: Path):
    with pytest.raises(BadBase, match="unknown git ref 'nope'"):
        validate_against_base(content, "nope")
    result = CliRunner().invoke(main, ["validate", "standards", "--base", "nope"], catch_exceptions=False)
    assert result.exit_code == 2 and "unknown git ref 'nope'" in result.output


def test_cli_reports_in_every_format(content: Path):
    reword_r1(content)
    runner = CliRunner()
    text = runner.invoke(main, ["validate", "standards", "--base", "HEAD"], catch_exceptions=False)
    assert text.exit_code == 1 and "E-BUMP STD-001 changed since HEAD" in text.output
    github = runner.invoke(main, ["validate", "--base", "HEAD", "--format", "github"], catch_exceptions=False)
    assert github.exit_code == 1
    assert github.output.startswith(
        "::error file=standards/STD-001-status-reporting.yaml,line=10,col=10,title=E-BUMP::"
    )
    clean = runner.invoke(main, ["validate", "--base", "HEAD~1", "--format", "json"], catch_exceptions=False)
    assert (clean.exit_code, clean.output) == (0, "[]\n")  # against 1.1.0, the major bump to 2.0.0 covers it


def test_diff_summarises_the_change_for_the_pull_request(content: Path):
    git(content.parent, "tag", "base", "HEAD~2")
    result = CliRunner().invoke(main, ["diff", "--base", "base"], catch_exceptions=False)
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("## Playbook changes against `base`\n")
    assert "| STD-001 Status reporting | changed | 1.0.0 → 2.0.0 (major) | major | active |" in out
    assert "| STD-002 Weekly status | changed | 0.9.0 → 1.0.0 (major) | patch | active → superseded |" in out
    assert "Requirement changes by level: 1 MUST, 1 SHOULD NOT." in out
    assert "- **R2 added** (SHOULD NOT): A status report SHOULD NOT be longer than one page." in out
    assert "- **R3 strengthened** MAY → MUST: Projects MUST add a short narrative for the sponsor." in out
    assert "### Problems (3)" in out and "E-STATUS-MOVE status cannot go from active to superseded" in out
    assert "E-CHANGELOG the changelog entry for 0.9.0 on base was removed" in out
    assert "E-CHANGELOG 1.1.0 and 2.0.0 are new since base, but one change releases one version" in out
    assert "- Fields changed: status (active → superseded), aliases" in out


def test_diff_shows_a_yaml_slip_as_unreadable_not_as_a_removed_standard(content: Path):
    edit(std1(content), ("\ntitle: Status reporting", "\n title: Status reporting"))
    result = CliRunner().invoke(main, ["diff", "--base", "HEAD"], catch_exceptions=False)
    out = result.output
    assert "| STD-001 Status reporting | not readable: see the problems below | — | — | — |" in out
    assert "removed" not in out and "E-GONE" not in out
    assert f"{STD1}.yaml:" in out and "E-YAML" in out


def test_diff_with_nothing_changed(content: Path):
    result = CliRunner().invoke(main, ["diff", "--base", "HEAD"], catch_exceptions=False)
    assert result.output == (
        "## Playbook changes against `HEAD`\n\nNo content changed.\n\n`playbook validate --base` finds no problems.\n"
    )


def test_a_broken_file_is_not_gone(content: Path):
    std1(content).write_text(std1(content).read_text() + "oops: [\n")
    codes = [d.split(": ")[1].split()[0] for d in lines(content)]
    assert "E-YAML" in codes and "E-GONE" not in codes


def test_a_malformed_requirement_list_is_reported_not_a_crash(content: Path):
    text = std1(content).read_text()
    start, end = text.index("requirements:\n"), text.index("changelog:\n")
    std1(content).write_text(text[:start] + "requirements: 5\n" + text[end:])
    codes = [d.split(": ")[1].split()[0] for d in lines(content)]
    assert "E-SCHEMA" in codes


def test_a_malformed_level_is_reported_not_a_crash(content: Path):
    edit(std1(content), ("level: SHOULD NOT\n", "level: [SHOULD NOT]\n"))
    codes = [d.split(": ")[1].split()[0] for d in lines(content)]
    assert "E-SCHEMA" in codes


def test_an_id_changed_in_place_is_gone(content: Path):
    """The file is still there, but the id it held on the base branch is not."""
    edit(content / "STD-002-weekly-status.yaml", ("id: STD-002", "id: STD-009"))
    edit(std1(content), ("supersedes: [STD-002]\n", ""))
    found = lines(content, code="E-GONE")
    assert len(found) == 1 and found[0].startswith("standards/STD-002-weekly-status.yaml:1:1: E-GONE STD-002 exists")


def test_a_removed_requirement_may_come_back_under_its_own_id(content: Path):
    """Reuse is an id given to a different requirement; restoring the same one is not."""
    r2 = (
        "  - id: R2\n    level: SHOULD NOT\n    text: A status report SHOULD NOT be longer than one page.\n"
        "    rationale: Long reports go unread.\n    since: 1.1.0\n"
    )
    edit(std1(content), (r2, ""))
    bump(std1(content), "3.0.0", "R2 dropped.")
    commit(content.parent, "2026-08-01", "STD-001 3.0.0: drop R2")
    edit(std1(content), ("  - id: R3\n", r2 + "  - id: R3\n"))
    edit(
        std1(content),
        ("\nversion: 3.0.0", "\nversion: 3.1.0"),
        ("changelog:\n", 'changelog:\n  - version: 3.1.0\n    date: "2026-08-02"\n    summary: R2 is back.\n'),
    )
    assert lines(content, code="E-REQ-REUSE") == []


def test_a_new_standard_with_a_malformed_status_is_reported_not_a_crash(content: Path):
    text = std1(content).read_text().replace("id: STD-001", "id: STD-003").replace("supersedes: [STD-002]\n", "")
    (content / "STD-003-risk-reviews.yaml").write_text(text.replace("\nstatus: active", "\nstatus: [active]"))
    found = lines(content, code="E-STATUS-MOVE")
    assert len(found) == 1 and "not ['active']" in found[0]


def test_a_past_commit_with_a_malformed_requirement_id_is_no_crash(content: Path):
    edit(std1(content), ("  - id: R3\n", "  - id: [R3]\n"))
    commit(content.parent, "2026-07-01", "a broken commit, fixed in the next")
    edit(std1(content), ("  - id: [R3]\n", "  - id: R3\n"))
    commit(content.parent, "2026-07-02", "fixed")
    assert lines(content, code="E-REQ-REUSE") == []


def test_a_requirement_change_beyond_level_and_words_needs_a_bump(content: Path):
    """Evidence is part of what a requirement asks for: changing it alone still changes the standard."""
    edit(std1(content), ("    evidence: [TPL-001]\n", ""))
    found = lines(content, code="E-BUMP")
    assert len(found) == 1 and "R1" in found[0] and "needs version 2.0.1" in found[0]


def test_diff_never_mentions_anyone(content: Path):
    edit(std1(content), ("a status report every two weeks.", "a status report to @pmo-office every two weeks."))
    out = CliRunner().invoke(main, ["diff", "--base", "HEAD"], catch_exceptions=False).output
    assert "@\u2060pmo-office" in out and "@pmo-office" not in out
    assert "\n```text\n" in out  # the problems, fenced


def test_a_yaml_attachment_is_not_an_entity(content: Path):
    """A YAML file inside an asset folder is an attachment on the base branch too, never an id."""
    folder = content / "templates" / "TPL-001-status-report"
    folder.mkdir()
    (folder / "example.yaml").write_text("id: TPL-777\nkind: Template\n")
    commit(content.parent, "2026-07-01", "an attachment")
    (folder / "example.yaml").unlink()
    assert lines(content, code="E-GONE") == []


STARTER_ROLE = ROOT / "standards" / "roles" / "stakeholder.yaml"
"""A starter entity nothing in the history repository refers to, with no Markdown body."""


def commit_starter_role(content: Path, *changes: tuple[str, str]) -> Path:
    """Commit a copy of the starter role on the base branch, as `playbook init` wrote it, with `changes`."""
    copy = content / "roles" / STARTER_ROLE.name
    shutil.copyfile(STARTER_ROLE, copy)
    edit(copy, *changes)
    commit(content.parent, "2026-07-01", "Start from the starter")
    assert lines(content) == []  # the repository validates with it
    return copy


def test_a_starter_entity_never_adapted_may_be_removed(content: Path):
    commit_starter_role(content).unlink()
    assert lines(content) == []


def test_a_starter_entity_the_organisation_changed_is_gone(content: Path):
    commit_starter_role(content, ("summary: Anyone", "summary: At Acme, anyone")).unlink()
    assert lines(content) == [
        "standards/roles/stakeholder.yaml:1:1: E-GONE stakeholder exists on HEAD but is gone here; ids are never "
        "removed or renamed: restore the file and set its status to retired or withdrawn"
    ]


def test_diff_shows_content_as_inert_text(content: Path):
    # a reviewer reads the summary rendered: an `<!--` in a requirement must not hide what follows it
    edit(std1(content), ("a status report every two weeks.", "a status report every two weeks.\n      <!--"),
         ("title: Status reporting", "title: <b>Status</b> reporting"))  # fmt: skip
    out = CliRunner().invoke(main, ["diff", "--base", "HEAD"], catch_exceptions=False).output
    assert "<!--" not in out and "<b>" not in out
    assert "&#60;&#33;--" in out and "&#60;b&#62;Status&#60;/b&#62; reporting" in out
    assert out.rstrip().endswith("```")  # the problems after it are still there, fenced


def bump_cli(*args: str):
    return CliRunner().invoke(main, ["bump", *args, "--content", "standards"], catch_exceptions=False)


def test_bump_finds_the_base_branch_and_replaces_an_unreleased_entry(content: Path):
    git(content.parent, "checkout", "-q", "-b", "change")  # base: main, found without --base
    first = bump_cli("STD-001", "--minor", "-m", "Added R4 on risks.", "--date", "2026-07-01")
    assert first.exit_code == 0, first.output
    assert "Against main" in first.output and "version 2.0.0 → 2.1.0" in first.output
    second = bump_cli("STD-001", "--major", "-m", "R4 is a MUST.", "--date", "2026-07-02")
    assert second.exit_code == 0, second.output
    assert "version 2.0.0 → 3.0.0 (replaces the unreleased 2.1.0 entry)" in second.output
    data = yaml.safe_load(std1(content).read_text())
    assert data["version"] == "3.0.0" and data["effective"] == "2026-07-02"
    assert [e["version"] for e in data["changelog"]] == ["3.0.0", "2.0.0", "1.1.0", "1.0.0"]
    assert data["changelog"][0] == {
        "version": "3.0.0",
        "date": "2026-07-02",
        "summary": "Added R4 on risks. R4 is a MUST.",
    }
    assert lines(content, "main") == []


def test_bump_refuses_less_than_the_change_since_the_base_needs(content: Path):
    before = std1(content).read_text()
    edit(std1(content), ("level: MUST\n    text: Projects MUST add", "level: MAY\n    text: Projects MAY add"))
    edited = std1(content).read_text()
    result = bump_cli("STD-001", "--patch", "-m", "Wording.", "--base", "HEAD")
    assert result.exit_code == 1
    assert (
        "STD-001 changed since HEAD (R3 weakened MUST → MAY): that needs a major bump, not patch: "
        'playbook bump STD-001 --major -m "…"'
    ) in result.output
    assert std1(content).read_text() == edited != before


def test_two_new_changelog_entries_in_one_change_are_reported(content: Path):
    edit(
        std1(content),
        ("\nversion: 2.0.0", "\nversion: 2.1.0"),
        ('effective: "2026-06-01"', 'effective: "2026-07-02"'),
        ("changelog:\n", 'changelog:\n  - version: 2.1.0\n    date: "2026-07-02"\n    summary: B.\n'
         '  - version: 2.0.1\n    date: "2026-07-01"\n    summary: A.\n'),
    )  # fmt: skip
    found = lines(content, code="E-CHANGELOG")
    assert len(found) == 1 and "2.0.1 and 2.1.0 are new since HEAD, but one change releases one version" in found[0]


def test_a_status_move_keeps_its_reason_and_is_checked_against_the_base(content: Path):
    run = CliRunner().invoke
    result = run(main, ["status", "STD-001", "deprecated", "-m", "Replaced by the portfolio dashboard.",
                        "--date", "2026-07-01", "--base", "HEAD", "--content", "standards"], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(std1(content).read_text())["status_reason"] == "Replaced by the portfolio dashboard."
    again = run(main, ["status", "STD-001", "retired", "--base", "HEAD", "--content", "standards"])
    assert again.exit_code == 1
    assert (
        "STD-001 is active on HEAD; one change may move it from active to deprecated, not to retired: "
        "merge this change first"
    ) in again.output


def test_an_alias_for_the_old_address_settles_a_rename(content: Path):
    rename_std2(content)
    assert lines(content, code="E-RENAME") != []
    renamed = content / "STD-002-weekly-report.yaml"
    edit(
        renamed,
        ("aliases: [standards/old-weekly-report]", "aliases: [standards/old-weekly-report, standards/weekly-status]"),
    )
    assert lines(content) == []


def test_bump_finds_a_base_branch_named_master(content: Path):
    git(content.parent, "branch", "-m", "main", "master")  # as `git init` names it where not configured
    git(content.parent, "checkout", "-q", "-b", "change")
    result = bump_cli("STD-001", "--patch", "-m", "Wording.", "--date", "2026-07-01")
    assert result.exit_code == 0, result.output
    assert "Against master" in result.output


def test_a_copy_that_kept_the_id_is_a_duplicate_not_a_rename_of_the_original(content: Path):
    (content / "STD-009-copy.yaml").write_text(std1(content).read_text())
    found = lines(content)
    assert any("STD-009-copy.yaml" in line and "E-DUP-ID" in line for line in found), found
    assert not any("E-RENAME" in line or "E-BUMP" in line for line in found), found

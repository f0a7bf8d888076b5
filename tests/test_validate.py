"""Good examples validate clean; single rules checked on edited copies of them.

Each bad example (tests/examples/bad) is run once, by test_hostile.py: through the `validate`
command, for exactly its expected lines, exit 1 and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.content.levels import level_stated
from playbook.content.validate import validate_tree

from .conftest import GOOD


def test_good_examples_are_clean():
    result = validate_tree(GOOD)
    assert [str(d) for d in result.diagnostics] == []
    assert {e.kind for e in result.entities} == {
        "Organisation",
        "Principle",
        "Standard",
        "Template",
        "PmoModel",
        "Lifecycle",
        "Role",
        "Kpi",
        "Ceremony",
        "Glossary",
        "Guide",
    }


def test_one_bad_file_does_not_hide_another(good_catalog: Path, monkeypatch: pytest.MonkeyPatch):
    (good_catalog / "roles" / "pmo-lead.yaml").write_text("kind: [\n")
    std = good_catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("evidence: [TPL-001]", "evidence: [TPL-099]"))
    monkeypatch.chdir(good_catalog.parent)
    codes = [(d.file, d.code) for d in validate_tree(Path("standards")).diagnostics]
    assert ("standards/roles/pmo-lead.yaml", "E-YAML") in codes
    assert ("standards/STD-001-status-reporting.yaml", "E-REF") in codes


@pytest.mark.parametrize(
    ("text", "level", "stated"),
    [
        ("Projects MUST report.", "MUST", True),
        ("Projects MUST NOT report.", "MUST", False),
        ("Projects MUST NOT report.", "MUST NOT", True),
        ("Projects must report.", "MUST", False),
        ("Projects SHOULD report.", "SHOULD NOT", False),
        ("Projects MAY report.", "MAY", True),
        ("MUSTARD is not a keyword.", "MUST", False),
    ],
)
def test_level_keyword(text, level, stated):
    assert level_stated(text, level) is stated


@pytest.mark.parametrize("kind", ["[Standard]", "{name: Standard}"])
def test_kind_that_is_a_list_or_mapping(kind, good_catalog: Path, monkeypatch: pytest.MonkeyPatch):
    """An unhashable kind once raised TypeError in the schema step; now it is a plain E-KIND."""
    std = good_catalog / "STD-002-weekly-status.yaml"
    std.write_text(std.read_text().replace("kind: Standard", f"kind: {kind}"))
    monkeypatch.chdir(good_catalog.parent)
    found = [str(d) for d in validate_tree(Path("standards")).diagnostics if d.code == "E-KIND"]
    assert len(found) == 1 and found[0].startswith("standards/STD-002-weekly-status.yaml:3:7: E-KIND unknown kind")


def test_a_successor_may_be_superseded_in_turn(good_catalog: Path):
    """STD-003 supersedes STD-001, which superseded STD-002: both old ones point readers at STD-003."""
    from playbook.content.catalog import Catalog

    std1 = good_catalog / "STD-001-status-reporting.yaml"
    text = std1.read_text()
    (good_catalog / "STD-003-reporting.yaml").write_text(
        text.replace("id: STD-001", "id: STD-003").replace("supersedes: [STD-002]", "supersedes: [STD-001]")
    )
    std1.write_text(text.replace("status: active", "status: superseded"))
    result = validate_tree(good_catalog)
    assert [str(d) for d in result.diagnostics] == []
    catalog = Catalog.of(result.entities)
    assert catalog.current_successor("STD-002") == "STD-003"
    assert catalog.current_successor("STD-001") == "STD-003"
    assert catalog.current_successor("STD-003") is None


def test_release_candidates_in_semver_order_make_a_good_changelog(good_catalog: Path):
    path = good_catalog / "STD-001-status-reporting.yaml"
    text = path.read_text().replace("version: 1.1.0", "version: 1.2.0-rc.2", 1)
    entries = (
        '  - version: 1.2.0-rc.2\n    date: "2026-03-02"\n    summary: Second candidate.\n'
        '  - version: 1.2.0-rc.1\n    date: "2026-03-01"\n    summary: First candidate.\n'
    )
    path.write_text(text.replace("changelog:\n", "changelog:\n" + entries))
    assert validate_tree(good_catalog).diagnostics == ()
    path.write_text(text.replace("changelog:\n", "changelog:\n" + entries.replace("rc.2", "rc.0", 2)))
    found = [str(d) for d in validate_tree(good_catalog).diagnostics]
    assert any("E-CHANGELOG changelog must be newest first" in line for line in found), found


def test_a_problem_is_one_line_whatever_the_value_quoted_holds(good_catalog: Path):
    # U+2028 and NEL break lines in CI logs and annotations; an escape sequence would reach the terminal
    path = good_catalog / "STD-001-status-reporting.yaml"
    text = path.read_text().replace("id: STD-001", 'id: "\u2028STD-001"').replace("\ntitle:", '\n"\\e[2Jx": 1\ntitle:')
    path.write_text(text)
    lines = [str(d) for d in validate_tree(good_catalog).diagnostics if d.file.endswith(path.name)]
    assert any("E-CHAR the line separator U+2028 at position 1 of a one-line value" in line for line in lines), lines
    assert any("unknown field '\\u001b[2Jx'" in line for line in lines), lines
    assert all(len(line.splitlines()) == 1 and "\x1b" not in line for line in lines)


def test_a_file_saved_with_windows_line_endings_validates(good_catalog: Path):
    path = good_catalog / "STD-001-status-reporting.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert [str(d) for d in validate_tree(good_catalog).diagnostics] == []


@pytest.mark.parametrize("role_id", ["search", "assets", "api", "downloads"])
def test_an_id_whose_short_address_the_site_uses_itself_is_refused(good_catalog: Path, role_id: str):
    path = good_catalog / "roles" / "team-member.yaml"
    path.rename(path.with_name(f"{role_id}.yaml"))
    for file in good_catalog.rglob("*.yaml"):
        file.write_text(file.read_text().replace("team-member", role_id))
    lines = [str(d) for d in validate_tree(good_catalog).diagnostics]
    assert lines == [
        f"{good_catalog}/roles/{role_id}.yaml:4:5: E-SLUG '{role_id}' is a folder the site itself uses; choose another id (id)"
    ]


def test_a_header_whose_schema_path_leads_nowhere_names_the_path_that_does(good_catalog: Path):
    """The good catalog's headers lead to the engine's schemas from tests/examples/good/; copied beside
    a `schemas/` folder (as `playbook init` makes), they lead nowhere, and editors would stop checking."""
    (good_catalog.parent / "schemas").mkdir()
    found = [
        str(d) for d in validate_tree(good_catalog).diagnostics if d.file.endswith("STD-001-status-reporting.yaml")
    ]
    assert found == [
        f"{good_catalog}/STD-001-status-reporting.yaml:1:1: E-HEADER the schema path "
        "../../../playbook/schemas/standard.schema.json leads to no schema from this file, so editors stop checking "
        "it: use $schema=../schemas/standard.schema.json"
    ]
    for path in good_catalog.rglob("*.yaml"):  # as `playbook new` writes them there
        depth = "../" * len(path.relative_to(good_catalog).parts)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\$schema=\S*?/(\w+\.schema\.json)", rf"$schema={depth}schemas/\1", text, count=1))
    assert validate_tree(good_catalog).ok

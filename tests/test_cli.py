"""The `playbook` command, with exceptions let through so a traceback fails the test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.content.validate import validate_tree

from .conftest import GOOD


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def break_reference(catalog: Path) -> None:
    std = catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("evidence: [TPL-001]", "evidence: [TPL-099]"))


def test_validate_clean_exits_zero():
    result = run("validate", str(GOOD))
    assert result.exit_code == 0
    assert result.output.strip() == "ok: no problems found"


def test_validate_problems_exit_one_with_file_line_col(good_catalog, monkeypatch):
    break_reference(good_catalog)
    monkeypatch.chdir(good_catalog.parent)
    result = run("validate", "standards")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "standards/STD-001-status-reporting.yaml:26:16: E-REF unknown id 'TPL-099' (requirements[0].evidence[0])"
    )
    assert lines[-1] == "1 problem in 1 file"


def test_validate_json(good_catalog, monkeypatch):
    break_reference(good_catalog)
    monkeypatch.chdir(good_catalog.parent)
    result = run("validate", "standards", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "file": "standards/STD-001-status-reporting.yaml",
            "line": 26,
            "col": 16,
            "code": "E-REF",
            "message": "unknown id 'TPL-099'",
            "where": "requirements[0].evidence[0]",
        }
    ]


def test_validate_github_annotations(good_catalog, monkeypatch):
    break_reference(good_catalog)
    monkeypatch.chdir(good_catalog.parent)
    result = run("validate", "standards", "--format", "github")
    assert result.output.strip() == (
        "::error file=standards/STD-001-status-reporting.yaml,line=26,col=16,"
        "title=E-REF::unknown id 'TPL-099' (requirements[0].evidence[0])"
    )


@pytest.mark.parametrize(
    "args", [["validate", "/no/such/folder"], ["validate", "--format", "xml"], ["new", "standard"], ["frobnicate"]]
)
def test_usage_errors_exit_two(args):
    assert run(*args).exit_code == 2


def test_new_standard_takes_next_id_and_validates(good_catalog):
    result = run("new", "standard", "--title", "Benefits tracking", "--content", str(good_catalog))
    path = Path(result.output.strip())
    assert result.exit_code == 0
    assert path == good_catalog / "STD-003-benefits-tracking.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=../playbook/schemas/standard.schema.json\n")
    assert validate_tree(good_catalog).ok


@pytest.mark.parametrize(
    ("kind", "title", "where"),
    [
        ("template", "Benefits register", "templates/TPL-003-benefits-register.yaml"),
        ("model", "Hybrid PMO", "models/hybrid-pmo.yaml"),
        ("role", "Benefits owner", "roles/benefits-owner.yaml"),
        ("kpi", "Benefits realised", "kpis/KPI-002-benefits-realised.yaml"),
        ("ceremony", "Benefits review", "ceremonies/benefits-review.yaml"),
        ("guide", "Tracking benefits", "guides/GUIDE-002-tracking-benefits.yaml"),
        ("principle", "Benefits before outputs", "principles/PRI-002-benefits-before-outputs.yaml"),
    ],
)
def test_new_every_kind_validates(kind, title, where, good_catalog):
    result = run("new", kind, "--title", title, "--content", str(good_catalog))
    assert result.exit_code == 0
    assert Path(result.output.strip()) == good_catalog / where
    assert [str(d) for d in validate_tree(good_catalog).diagnostics] == []


def test_new_refuses_to_overwrite(good_catalog):
    before = (good_catalog / "roles" / "pmo-lead.yaml").read_text()
    result = run("new", "role", "--title", "PMO lead", "--content", str(good_catalog))
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (good_catalog / "roles" / "pmo-lead.yaml").read_text() == before


def test_new_numbers_as_wide_as_the_ids_in_use(good_catalog):
    for old in good_catalog.glob("STD-*"):  # an imported catalogue numbered with five digits
        text = old.read_text().replace("STD-001", "STD-00001").replace("STD-002", "STD-00006")
        old.with_name(old.name.replace("STD-001", "STD-00001").replace("STD-002", "STD-00006")).write_text(text)
        old.unlink()
    for path in good_catalog.rglob("*.yaml"):
        path.write_text(path.read_text().replace("STD-001", "STD-00001").replace("STD-002", "STD-00006"))
    assert validate_tree(good_catalog).ok
    result = run("new", "standard", "--title", "Benefits tracking", "--content", str(good_catalog))
    assert Path(result.output.strip()).name == "STD-00007-benefits-tracking.yaml"


def test_new_refuses_a_title_whose_page_another_file_makes(good_catalog):
    first = run("new", "standard", "--title", "Test speed", "--content", str(good_catalog))
    assert first.exit_code == 0
    again = run("new", "standard", "--title", "Test speed!", "--content", str(good_catalog))
    assert again.exit_code == 1
    assert "STD-003-test-speed.yaml already makes the page standards/test-speed/; choose another title" in again.output
    assert sorted(p.name for p in good_catalog.glob("STD-*test-speed*")) == ["STD-003-test-speed.yaml"]
    assert validate_tree(good_catalog).ok


def test_new_singleton_refused_when_present(good_catalog):
    result = run("new", "lifecycle", "--title", "Another lifecycle", "--content", str(good_catalog))
    assert result.exit_code == 1 and "already exists" in result.output


def test_build_command_builds_the_site(good_catalog, make_site, monkeypatch):
    project = make_site(good_catalog)
    monkeypatch.chdir(project)
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    result = subprocess.run(
        [sys.executable, "-m", "playbook", "build", "--content", str(good_catalog)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "standards" / "status-reporting" / "index.html").is_file()
    assert "end of life" not in result.stderr  # Material's notice, not the editor's to act on


def test_build_command_stops_on_invalid_content(good_catalog, make_site, monkeypatch):
    break_reference(good_catalog)
    monkeypatch.chdir(make_site(good_catalog))
    result = subprocess.run(
        [sys.executable, "-m", "playbook", "build", "--content", str(good_catalog)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "E-REF unknown id 'TPL-099'" in result.stdout
    assert "Traceback" not in result.stderr

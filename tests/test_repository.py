"""The repository around the content: `playbook init`, CODEOWNERS, CI and pre-commit wiring."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbook import __version__
from playbook.authoring.codeowners import MARKER
from playbook.authoring.init_kit import KIT
from playbook.cli import main

from .conftest import ROOT

STD = "STD-001-status-reporting.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- playbook init --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_repo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "acme-pmo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert f"cd {target} && git init" in result.output
    return target


def _build(repo: Path) -> Path:
    """`playbook build` in `repo`, as its Makefile and CI run it; the site folder."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "playbook", "build", "--site-dir", "site"], cwd=repo,
                           capture_output=True, text=True, env=env)  # fmt: skip
    assert build.returncode == 0, build.stderr
    return repo / "site"


def test_init_writes_a_whole_repository_with_the_starter_playbook(new_repo):
    for name in (
        "mkdocs.yml", "README.md", "Makefile", "requirements.txt", ".gitignore", ".pre-commit-config.yaml",
        ".github/workflows/playbook.yml", ".github/CODEOWNERS", ".vscode/settings.json", "docs/index.md",
        "docs/start-here.md", "docs/contributing.md", "schemas/standard.schema.json",
    ):  # fmt: skip
        assert (new_repo / name).is_file(), name
    assert yaml.safe_load((new_repo / "mkdocs.yml").read_text())["site_name"] == "Acme pmo playbook"
    assert "@@" not in "".join(p.read_text() for p in new_repo.rglob("*") if p.is_file() and p.suffix != ".xlsx")
    starter = sorted(p.relative_to(ROOT / "standards") for p in (ROOT / "standards").rglob("*") if p.is_file())
    assert sorted(p.relative_to(new_repo / "standards") for p in (new_repo / "standards").rglob("*") if p.is_file()
                  and p.name != ".gitkeep") == starter  # fmt: skip
    assert (new_repo / "requirements.txt").read_text().splitlines()[-1] == f"pmo-playbook=={__version__}"


def test_init_content_points_editors_at_the_copied_schemas(new_repo):
    settings = json.loads((new_repo / ".vscode" / "settings.json").read_text())
    for path in (new_repo / "standards").rglob("*.yaml"):
        header = path.read_text().split("\n", 1)[0]
        schema = (path.parent / header.split("$schema=", 1)[1]).resolve()
        assert schema.is_file() and schema.parent == (new_repo / "schemas").resolve(), path
        patterns = [g for name, globs in settings["yaml.schemas"].items() if (new_repo / name).resolve() == schema
                    for g in globs]  # fmt: skip
        assert any(path.relative_to(new_repo).match(g.replace("**/", "")) for g in patterns), path


def test_init_output_validates_and_builds_strict(new_repo, monkeypatch):
    monkeypatch.chdir(new_repo)
    assert run("validate").output.strip() == "ok: no problems found"
    assert run("codeowners", "--check").exit_code == 0
    site = _build(new_repo)
    assert "STD-001 Project intake and prioritisation" in (site / "index.html").read_text()
    assert (site / "standards" / "project-intake" / "index.html").is_file()
    assert (site / "editors" / "validation" / "index.html").is_file()
    assert (site / "review-due" / "index.html").is_file()


def test_init_empty_has_no_content_and_builds_strict(tmp_path, monkeypatch):
    target = tmp_path / "blank"
    result = run("init", "--empty", str(target))
    assert result.exit_code == 0 and "an empty playbook" in result.output
    assert [p.name for p in (target / "standards").iterdir()] == [".gitkeep"]  # git keeps the folder
    monkeypatch.chdir(target)
    assert run("validate").output.strip() == "ok: no problems found"
    site = _build(target)
    home = (site / "index.html").read_text()
    assert "Blank playbook" in home and (site / "editors" / "cli" / "index.html").is_file()


def test_new_in_an_init_repository_uses_its_schemas(new_repo, monkeypatch):
    monkeypatch.chdir(new_repo)
    path = Path(run("new", "standard", "--title", "Benefits tracking").output.strip())
    try:
        assert path.read_text().startswith("# yaml-language-server: $schema=../schemas/standard.schema.json\n")
        assert run("validate").exit_code == 0
    finally:
        path.unlink()


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1 and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    result = run("init", str(tmp_path / "notes.txt"))
    assert result.exit_code == 1 and "is a file" in result.output


# --- playbook codeowners --------------------------------------------------------------------------


def test_codeowners_writes_and_checks(good_catalog, monkeypatch):
    repo = good_catalog.parent
    monkeypatch.chdir(repo)
    missing = run("codeowners", "--check")
    assert missing.exit_code == 1 and ".github/CODEOWNERS does not exist" in missing.output
    result = run("codeowners")
    assert result.output.strip() == "wrote .github/CODEOWNERS: 1 standard with maintainers"
    assert (repo / ".github" / "CODEOWNERS").read_text().splitlines() == [
        MARKER,
        "/standards/STD-001-status-reporting.yaml @pmo-office/editors",
        "/standards/STD-001-status-reporting.md @pmo-office/editors",
        "/standards/STD-001-status-reporting/ @pmo-office/editors",
    ]
    assert run("codeowners", "--check").output.strip() == ".github/CODEOWNERS is current"
    std = good_catalog / STD
    std.write_text(std.read_text().replace('["@pmo-office/editors"]', '["@pmo-office/editors", "@carol"]'))
    stale = run("codeowners", "--check")
    assert stale.exit_code == 1
    assert (
        ".github/CODEOWNERS is not current with the standards' maintainers; run `playbook codeowners`" in stale.output
    )
    assert "+/standards/STD-001-status-reporting.yaml @pmo-office/editors @carol" in stale.output


def test_codeowners_keeps_hand_written_lines_above_the_marker(good_catalog, monkeypatch):
    monkeypatch.chdir(good_catalog.parent)
    own = "# Engine code\n/playbook/ @platform-team\n\n"
    path = Path(".github/CODEOWNERS")
    path.parent.mkdir()
    path.write_text(own + MARKER + "\n/standards/old.yaml @someone\n")
    run("codeowners")
    text = path.read_text()
    assert text.startswith(own + MARKER + "\n/standards/STD-001")
    assert "@someone" not in text


def test_codeowners_other_file(good_catalog, monkeypatch):
    monkeypatch.chdir(good_catalog.parent)
    run("codeowners", "--file", "CODEOWNERS")
    assert Path("CODEOWNERS").read_text().startswith(MARKER)


def test_this_repository_codeowners_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("codeowners", "--check")
    assert result.exit_code == 0, result.output


# --- CI and pre-commit ----------------------------------------------------------------------------


def workflow_commands(workflow: dict) -> list[list[str]]:
    return [
        shlex.split(line)
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        for line in step.get("run", "").splitlines()
        if line.strip()
    ]


def test_workflow_validates_against_base_builds_and_deploys():
    text = (ROOT / ".github" / "workflows" / "playbook.yml").read_text()
    assert text == (KIT / "workflow.yml").read_text(), "the kit's workflow and this repository's are one file"
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    uses = [s.get("uses", "").split("@")[0] for job in workflow["jobs"].values() for s in job["steps"]]
    assert {"actions/upload-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    commands = workflow_commands(workflow)
    assert ["playbook", "validate", "standards", "--base", "origin/$BASE_REF", "--format", "github"] in commands
    assert ["playbook", "codeowners", "--check"] in commands
    assert ["playbook", "build", "--site-dir", "site"] in commands  # validate, build --strict, dated by git
    for command in commands:
        if command[0] == "playbook":
            assert command[1] in main.commands, command
        if command[0] == "make":
            assert f"\n{command[1]}:" in (ROOT / "Makefile").read_text()
            assert f"\n{command[1]}:" in (KIT / "Makefile").read_text()


def test_pre_commit_hooks_for_other_repositories():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["playbook-validate"] == {
        "id": "playbook-validate",
        "name": "playbook validate",
        "description": hooks["playbook-validate"]["description"],
        "entry": "playbook validate standards --base auto",  # as CI checks a pull request, where a base is found
        "language": "python",
        "pass_filenames": False,
        "files": "^standards/",
    }
    assert hooks["playbook-codeowners"]["entry"] == "playbook codeowners --check"
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]
    # a new repository runs the engine its requirements.txt pins, as this one runs its own: no git tag needed
    assert yaml.safe_load((KIT / "pre-commit-config.yaml").read_text())["repos"] == [local]
    assert [h["id"] for h in local["hooks"]] == list(hooks)
    assert local["repo"] == "local"
    for hook in local["hooks"]:
        shared = hooks[hook["id"]]
        assert hook["entry"] == ".venv/bin/" + shared["entry"]
        assert (hook["files"], hook["pass_filenames"]) == (shared["files"], shared["pass_filenames"])

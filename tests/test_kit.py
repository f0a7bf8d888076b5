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

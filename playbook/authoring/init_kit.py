"""`playbook init DIR`: a new organisation's playbook repository that validates and builds at once.

It holds the site settings, a skeleton of content (one entity of each kind, written by `playbook new`),
CI, pre-commit, a Makefile and a README, from the files in `playbook/authoring/kit/`. Content files point their
editors at `schemas/`, a copy of the engine's schemas made here: an organisation installs the engine
with pip, so the engine's own `playbook/schemas/` is not in its repository, and a copy works offline
and matches the engine version the repository pins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playbook import __version__
from playbook.authoring.codeowners import DEFAULT_FILE, update
from playbook.authoring.scaffold import new_entity
from playbook.content.catalog import Catalog
from playbook.content.errors import PlaybookError
from playbook.content.model import KINDS, schema_name
from playbook.content.schema import SCHEMA_DIR
from playbook.content.validate import validate_tree

KIT = Path(__file__).parent / "kit"
SCHEMAS = SCHEMA_DIR
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "Makefile": "Makefile",
    "requirements.txt": "requirements.txt",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".github/workflows/playbook.yml": "workflow.yml",
    "docs/index.md": "docs/index.md",
}
"""Where each kit file goes in the new repository (kit names carry no leading dot, so packaging keeps them)."""
SKELETON = (
    ("role", "PMO lead"),
    ("role", "Project lead"),
    ("lifecycle", "Project lifecycle"),
    ("glossary", "Glossary"),
    ("model", "Supportive"),
    ("template", "Status report"),
    ("kpi", "On-time status reports"),
    ("ceremony", "Kickoff"),
    ("guide", "First week"),
    ("standard", "Status reporting"),
)
"""One entity of each kind, roles first: every other entity names an owner."""


def copy_schemas(target: str | Path) -> list[Path]:
    """Copy the engine's JSON Schema of each kind into `target`; the files written."""
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(SCHEMAS / schema_name(kind), folder / schema_name(kind))) for kind in KINDS]


def init(target: Path, name: str | None = None, *, today: str | None = None) -> list[Path]:
    """Write a new playbook repository into `target` (absent or empty); the files written."""
    if target.exists() and not target.is_dir():
        raise PlaybookError(f"{target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise PlaybookError(f"{target} is not empty; playbook init writes a new repository into a new or empty folder")
    name = name or f"{target.resolve().name.replace('-', ' ').replace('_', ' ').strip().capitalize()} playbook"
    written = []
    for destination, source in FILES.items():
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (KIT / source).read_text(encoding="utf-8")
        path.write_text(text.replace("@@NAME@@", name).replace("@@VERSION@@", __version__), encoding="utf-8")
        written.append(path)
    written += copy_schemas(target / "schemas")
    content = target / "standards"
    written += [new_entity(content, kind, title, today=today) for kind, title in SKELETON]
    result = validate_tree(content)
    if not result.ok:  # the kit and `playbook new` disagree: an engine bug, not the user's
        raise PlaybookError("the new playbook does not validate:\n" + "\n".join(map(str, result.diagnostics)))
    codeowners = target / DEFAULT_FILE
    update(Catalog.of(result.entities), codeowners, target)
    return [*written, codeowners]

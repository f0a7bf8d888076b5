"""`playbook init DIR`: a new organisation's playbook repository that validates and builds at once.

By default it holds the starter playbook (every standard, template, role, KPI and guide the engine
ships, and the hand-written pages around them) to adapt; with `empty`, no content at all. Either way
it holds the site settings, CI, pre-commit, CODEOWNERS, editor settings, a Makefile and a README,
from the files in `playbook/authoring/kit/`. Content files point their editors at `schemas/`, a copy of
the engine's schemas made here: an organisation installs the engine with pip, so the engine's own
`playbook/schemas/` is not in its repository, and a copy works offline and matches the version pinned.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playbook import __version__
from playbook.authoring import starter
from playbook.authoring.codeowners import DEFAULT_FILE, update
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
}
"""Where each kit file goes in the new repository (kit names carry no leading dot, so packaging keeps them)."""
NAV = {
    True: "  - Home: index.md\n",
    False: "  - Home: index.md\n  - Start here: start-here.md\n  - For playbook editors:\n"
    "    - Contributing: contributing.md\n",
}
"""mkdocs.yml's hand-written nav, by `empty`: the starter's pages, or the skeleton's home page alone."""
_ENGINE_SCHEMAS = "playbook/schemas/"
"""How the starter's files name the schemas in the engine's repository; `schemas/` in the new one."""


def copy_schemas(target: str | Path) -> list[Path]:
    """Copy the engine's JSON Schema of each kind into `target`; the files written."""
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(SCHEMAS / schema_name(kind), folder / schema_name(kind))) for kind in KINDS]


def init(target: Path, name: str | None = None, *, empty: bool = False) -> list[Path]:
    """Write a new playbook repository into `target` (absent or empty); the files written."""
    if target.exists() and not target.is_dir():
        raise PlaybookError(f"{target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise PlaybookError(f"{target} is not empty; playbook init writes a new repository into a new or empty folder")
    name = name or f"{target.resolve().name.replace('-', ' ').replace('_', ' ').strip().capitalize()} playbook"
    values = {"@@NAME@@": name, "@@VERSION@@": __version__, "@@NAV@@": NAV[empty]}
    written = [_write(target / destination, (KIT / source).read_text(encoding="utf-8"), values)
               for destination, source in FILES.items()]  # fmt: skip
    written += copy_schemas(target / "schemas")
    written.append(_write(target / ".vscode" / "settings.json", _editor_settings(), {}))
    content = target / "standards"
    content.mkdir()
    written.append(_write(content / ".gitkeep", "", {}))  # git keeps no empty folder, and validate needs this one
    if empty:
        written.append(
            _write(target / "docs" / "index.md", (KIT / "empty-index.md").read_text(encoding="utf-8"), values)
        )
    else:
        written += _copy_starter(target)
    result = validate_tree(content)
    if not result.ok:  # the kit and the starter disagree: an engine bug, not the user's
        raise PlaybookError("the new playbook does not validate:\n" + "\n".join(map(str, result.diagnostics)))
    codeowners = target / DEFAULT_FILE
    update(Catalog.of(result.entities), codeowners, target)
    return [*written, codeowners]


def _write(path: Path, text: str, values: dict[str, str]) -> Path:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _copy_starter(target: Path) -> list[Path]:
    """The starter's content and pages, each YAML file's schema comment pointing at the copied schemas."""
    written = []
    for part in ("standards", "docs"):
        source = starter.folder() / part
        for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            copy = target / part / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".yaml":
                first, rest = path.read_bytes().split(b"\n", 1)
                copy.write_bytes(first.replace(_ENGINE_SCHEMAS.encode(), b"schemas/") + b"\n" + rest)
            else:
                shutil.copyfile(path, copy)
            written.append(copy)
    return written


def _editor_settings() -> str:
    """VS Code settings: the YAML extension checks and completes each kind's files with its schema."""
    folders = {kind: f"standards/{cls.section}/**/*.yaml" for kind, cls in KINDS.items()}
    folders["Standard"] = "standards/*.yaml"
    settings = {
        "yaml.schemas": {f"./schemas/{schema_name(kind)}": [glob] for kind, glob in folders.items()},
        "yaml.validate": True,
        "files.insertFinalNewline": True,
    }
    return json.dumps(settings, indent=2) + "\n"

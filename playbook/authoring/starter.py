"""The starter playbook the engine ships: what `playbook init` copies, and what an organisation may drop.

The repository's own `standards/` and `docs/` are the starter: `make site` builds them, and the wheel
carries them as `playbook/starter/` (pyproject.toml's `force-include`). From a source checkout, where
that folder is absent, they are read where they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from playbook.content.load import content_paths
from playbook.content.yaml_reader import parse_data

_PACKAGED = Path(__file__).parents[1] / "starter"
_CHECKOUT = Path(__file__).parents[2]


def folder() -> Path:
    """The folder holding the starter's `standards/` and `docs/`."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


@cache
def entities() -> Mapping[str, tuple[Any, str]]:
    """Each starter entity as shipped, by id: (its parsed YAML, its Markdown body or '')."""
    content = folder() / "standards"
    found: dict[str, tuple[Any, str]] = {}
    for name in content_paths(p.relative_to(content).as_posix() for p in content.rglob("*.yaml")):
        path = content / name
        data = parse_data(path.read_bytes())
        body = path.with_suffix(".md")
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            text = body.read_bytes().decode("utf-8", errors="replace") if body.is_file() else ""  # as git gives it
            found[data["id"]] = (data, text)
    return found


def unchanged(entity_id: str, data: Any, body: str) -> bool:
    """Whether an entity is still exactly as the starter shipped it: never adapted, so never the organisation's own."""
    shipped = entities().get(entity_id)
    return shipped is not None and shipped == (data, body)

"""Line 1 of a content file: the editor header naming the JSON Schema that editors complete and check
the file with (`# yaml-language-server: $schema=../playbook/schemas/standard.schema.json`)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from playbook.content.errors import Diagnostic
from playbook.content.load import Document
from playbook.content.model import KINDS, schema_name

HEADER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def schema_folder(root: Path) -> str:
    """Where editors find the JSON Schemas, seen from the folder holding `root`: the engine's own
    `playbook/schemas/` in its repository, the copy `playbook init` makes in `schemas/` elsewhere."""
    repo = root.parent
    own = (repo / "playbook" / "schemas").is_dir()
    return "schemas/" if (repo / "schemas").is_dir() and not own else "playbook/schemas/"


def header_line(root: Path, path: Path, kind: str) -> str:
    """The header of the file `path` under the content folder `root`, as `playbook new` writes it."""
    depth = "../" * len(path.relative_to(root).parts)
    return f"# yaml-language-server: $schema={depth}{schema_folder(root)}{schema_name(kind)}\n"


def header_problems(root: Path, documents: Iterable[Document]) -> Iterator[Diagnostic]:
    """Headers naming the right schema by a path that leads nowhere from their file (the file or the
    schemas moved), where the schemas' folder is known: editors would stop completing it, silently.

    Paths are compared as text, never opened: a header is content, and may name any path."""
    if not (root.parent / schema_folder(root)).is_dir():
        return  # a copy of the content alone (a test, a tarball): no schemas to point at
    for doc in documents:
        kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
        found = HEADER.match(doc.header)
        if kind not in KINDS or found is None or not found[1].endswith("/" + schema_name(str(kind))):
            continue  # no header, or another kind's: the file's own rules report it
        try:
            wanted = HEADER.match(header_line(root, doc.path, str(kind)).rstrip("\n"))
        except ValueError:  # not under root
            continue
        if wanted and not found[1].startswith(("http://", "https://")) and posixpath.normpath(found[1]) != wanted[1]:
            yield Diagnostic(
                doc.display, 1, 1, "E-HEADER",
                f"the schema path {found[1]} leads to no schema from this file, so editors stop checking it: "
                f"use $schema={wanted[1]}",
            )  # fmt: skip

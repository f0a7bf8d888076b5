"""Validate a whole playbook: every problem in every file, collected before anything is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playbook.content.checks import Checker
from playbook.content.errors import Diagnostic, PlaybookError
from playbook.content.headers import header_problems
from playbook.content.load import Document, Loaded, load_tree
from playbook.content.memory import gc_paused
from playbook.content.model import Entity, build_entity
from playbook.content.schema import check_document
from playbook.content.yaml_reader import MAX_FILE_BYTES


@dataclass(frozen=True)
class Result:
    """Everything validation found: the entities that are valid, and every problem."""

    entities: tuple[Entity, ...]
    diagnostics: tuple[Diagnostic, ...]
    declared: frozenset[str] = frozenset()
    """Every id a content file declares, whether or not the file is valid (and so among `entities`)."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics


_UNREAD_CODES = ("E-ENCODING", "E-SIZE", "E-YAML", "E-YAML-ALIAS", "E-YAML-DUPKEY", "E-YAML-TAG")
_ID_LINE = re.compile(r"^((?:[ \t]*-)?[ \t]*)id:[ \t]*[\"']?([A-Za-z0-9][\w-]*)", re.MULTILINE)
"""`id: X` at the start of a line or of a list item. Each run of blanks is matched once: `[ \t]*-?[ \t]*`
tried every split of a long indentation, and a file nested 1,400 deep took 13 s to refuse."""


def _unread(problems: list[Diagnostic]) -> tuple[set[str], set[str]]:
    """Ids, and phase ids, that content files which did not load appear to declare.

    Read leniently from the raw text, so that one file saved with a BOM or a YAML slip does not
    also make every reference to it an E-REF. Only files refused for their content are read:
    never one refused as a path (a symlink out of the playbook, say).
    """
    ids: set[str] = set()
    phases: set[str] = set()
    for problem in problems:
        if problem.code not in _UNREAD_CODES or not problem.file.endswith(".yaml"):
            continue
        try:
            with open(problem.file, "rb") as file:
                raw = file.read(MAX_FILE_BYTES)
        except OSError:
            continue
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = raw.decode("utf-16" if utf16 else "utf-8", "replace").replace("\0", "")
        lifecycle = re.search(r"^kind:[ \t]*[\"']?Lifecycle\b", text, re.MULTILINE) is not None
        for indent, found in _ID_LINE.findall(text):
            if not indent:
                ids.add(found)
            elif lifecycle:
                phases.add(found)  # phase and activity ids alike: too many only silences more
    return ids, phases


def validate_documents(documents: list[Document], problems: list[Diagnostic]) -> Result:
    """Schema and cross-file checks over loaded documents, added to the loading problems."""
    problems = list(problems)
    valid = []
    for doc in documents:
        found = check_document(doc)
        problems.extend(found)
        if not found:
            valid.append(doc)
    built = {id(d): build_entity(d) for d in valid}
    unread = _unread(problems)
    problems.extend(Checker(documents, valid, built, unread).run())
    bad_files = {p.file for p in problems}
    entities = tuple(built[id(d)] for d in valid if d.display not in bad_files)
    declared = {d.data["id"] for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    return Result(entities, tuple(sorted(set(problems))), frozenset(declared | unread[0]))


def validate_tree(root: Path, reuse: Loaded | None = None) -> Result:
    """Load and validate every content file under `root` (files unchanged since `reuse` took them, not again)."""
    if not root.is_dir():
        raise PlaybookError(f"content folder not found: {root}")
    with gc_paused():
        documents, problems = load_tree(root, reuse)
        return validate_documents(documents, [*problems, *header_problems(root, documents)])

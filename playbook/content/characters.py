"""Characters the text of a content file may hold.

Control characters break the files made from text (python-docx and openpyxl refuse them, CSV and
CODEOWNERS gain lines), line separators split diagnostics and filenames, and text-direction
overrides make text read differently from what it is. None of them may appear; line breaks only in
prose (a summary, a requirement's text), never in a title, a name, an id or any other one-line value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from playbook.content.errors import Diagnostic
from playbook.content.load import Document
from playbook.content.yaml_reader import Path_

NEVER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters but tab and line feed; line and paragraph separators; bidirectional overrides."""
_BREAK = re.compile("[\t\n]")
_SUSPECT = re.compile(r"\\[ntrbfu]|[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""In JSON text: an escape (of a control character, a line break or a tab) or a character refused as is."""
PROSE = frozenset({
    "summary", "text", "rationale", "guidance", "definition", "prompt", "purpose", "description", "formula", "note",
    "data_source", "responsibilities", "best_for", "watch_out_for", "entry_criteria", "exit_criteria",
    "agenda", "do", "gate", "green", "amber", "red", "target", "statement", "implications",
})  # fmt: skip
"""Fields whose text may run over several lines; every other text value is one line."""


def character_problems(doc: Document) -> Iterator[Diagnostic]:
    """E-CHAR for each text value of `doc` holding a character it may not."""
    # JSON writes every control character as an escape (\u000b, \n, \t) in one C call: a file without
    # any, nor a separator or override, needs no walk through its values (most files, 1,000 in 50 ms)
    if not _SUSPECT.search(json.dumps(doc.data, ensure_ascii=False)):
        return
    for path, value in _texts(doc.data, ()):
        field = next((part for part in reversed(path) if isinstance(part, str)), "")
        found = refused_character(value, one_line=field not in PROSE)
        if found is None:
            continue
        char = found.group()
        what = "a line break or tab" if char in "\t\n" else character_name(char)
        where = "a one-line value" if char in "\t\n" else "text"
        yield doc.diagnostic(path, "E-CHAR", f"{what} at position {found.start() + 1} of {where}; remove it")


def refused_character(text: str, *, one_line: bool) -> re.Match[str] | None:
    """The first character `text` may not hold, if any; in a one-line value, a line break or tab too."""
    return NEVER.search(text) or (_BREAK.search(text) if one_line else None)


def character_name(char: str) -> str:
    """`the text-direction override U+202E`: what a refused character is, for messages."""
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        kind = "text-direction override"
    elif char in "\u2028\u2029":
        kind = "line separator"
    else:
        kind = "control character"
    return f"the {kind} U+{ord(char):04X}"


def _texts(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))

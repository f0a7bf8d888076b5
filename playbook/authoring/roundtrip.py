"""Change a YAML content file in place: comments, quoting, flow style, indentation and key order kept.

ruamel.yaml reads the file into data that remembers its layout; the change is made to that data, and
only the lines it touches differ from the file as the author wrote it.
"""

from __future__ import annotations

import difflib
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from playbook.content.schema import load_schema


@dataclass
class Edit:
    """One YAML content file being changed: its text before, and the round-tripped data to change."""

    path: Path
    original: str
    data: CommentedMap
    yaml: YAML = field(repr=False)
    notes: list[str] = field(default_factory=list)
    """What changed, one line each, for the command to print."""

    @classmethod
    def open(cls, path: Path) -> Edit:
        original = path.read_text(encoding="utf-8")
        _, indent, offset = load_yaml_guess_indent(original)
        indent, offset = indent or 2, offset or 0
        yaml = YAML()  # round-trip mode: comments, quoting, flow style and key order survive
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap a long line the author wrote on one line
        yaml.indent(mapping=indent - offset if offset else indent, sequence=indent, offset=offset)
        return cls(path, original, yaml.load(original), yaml)

    def text(self) -> str:
        """The changed file: the original text with the edit applied, every other line as it was."""
        return keep_layout(self.original, self._dump(self.yaml.load(self.original)), self._dump(self.data))

    def _dump(self, data: Any) -> str:
        out = io.StringIO()
        self.yaml.dump(data, out)
        return out.getvalue()

    def set(self, key: str, value: Any) -> None:
        """Set `key`, inserting it where the kind's schema lists it when it is missing."""
        if key in self.data:
            self.data[key] = value
            return
        order = list(load_schema(self.data["kind"])["properties"])
        before = [k for k in order[: order.index(key)] if k in self.data]
        position = list(self.data).index(before[-1]) + 1 if before else len(self.data)
        self.data.insert(position, key, value)

    def prepend(self, key: str, item: dict[str, Any]) -> None:
        """Put `item` first in the list under `key`, in flow style if the item it goes above is."""
        items = self.data[key]
        entry = CommentedMap(item)
        if items and isinstance(items[0], CommentedMap) and items[0].fa.flow_style():
            entry.fa.set_flow_style()
        items.insert(0, entry)

    def append(self, key: str, value: Any) -> None:
        """Add `value` to the list under `key`, making the list (in flow style) if there is none."""
        if key in self.data:
            self.data[key].append(value)
            return
        items = CommentedSeq([value])
        items.fa.set_flow_style()
        self.set(key, items)


def keep_layout(original: str, base: str, edited: str) -> str:
    """Apply the change from `base` to `edited` (both as ruamel writes them) to `original`.

    ruamel re-lays a few things it reads, such as the spacing inside `[a,  b]`. Lines the edit did
    not touch come from `original`, as the author wrote them; only the changed lines from `edited`.
    """
    o, b, e = (t.splitlines(keepends=True) for t in (original, base, edited))
    if o == b:
        return edited
    to_original = {}
    for block in difflib.SequenceMatcher(None, b, o, autojunk=False).get_matching_blocks():
        to_original.update({block.a + k: block.b + k for k in range(block.size)})
    to_edited = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, b, e, autojunk=False).get_opcodes():
        if tag == "equal":
            to_edited.update({i1 + k: j1 + k for k in range(i2 - i1)})
    # lines the same in all three texts anchor the merge; between two anchors, keep the original
    # unless the edit changed something there
    anchors = [(i, to_original[i], to_edited[i]) for i in range(len(b)) if i in to_original and i in to_edited]
    out: list[str] = []
    for (b0, o0, e0), (b1, o1, e1) in itertools.pairwise([(-1, -1, -1), *anchors, (len(b), len(o), len(e))]):
        was, mine, now = b[b0 + 1 : b1], o[o0 + 1 : o1], e[e0 + 1 : e1]
        if was == now:
            out += mine
        elif len(mine) == len(was):  # re-laid line for line: keep the untouched ones as written
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, was, now, autojunk=False).get_opcodes():
                out += mine[i1:i2] if tag == "equal" else now[j1:j2]
        else:
            out += now
        if b1 < len(b):
            out.append(o[o1])
    return "".join(out)

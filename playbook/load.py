"""Read content files into plain data that remembers where every value came from.

YAML is read with PyYAML's C composer, then turned into Python values here, so that
dates stay strings, `yes`/`no`/`on`/`off` stay strings, duplicate keys are errors,
aliases and custom tags are refused, and every node keeps its line and column.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import Diagnostic

try:  # the C parser is ~20x faster than the pure-Python one
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - libyaml missing
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 32
MAX_MESSAGE = 500
"""Limits that keep a hostile file from exhausting memory or time (or a reader's patience)."""

Path_ = tuple[str | int, ...]
"""A location inside a document: keys and list indexes from the root."""

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_PLAIN = "playbook:plain"
"""Tag given to untagged plain scalars, which this module resolves itself."""
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_NUMBER_START = frozenset("0123456789+-.")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


@dataclass(frozen=True)
class Document:
    """One YAML content file, its Markdown body and where each value sits in the file."""

    path: Path
    """The YAML file on disk."""
    display: str
    """The path as shown in diagnostics."""
    data: Any
    """The parsed value: dicts, lists, str, int, float, bool, None."""
    header: str
    """The first line of the file (the editor schema comment)."""
    root: yaml.Node = field(repr=False)
    """The composed YAML node tree; its marks give every value's line and column."""
    body: str | None = None
    """The sibling Markdown body, if there is one."""

    @property
    def body_path(self) -> Path:
        """Where the Markdown body lives (it may not exist)."""
        return self.path.with_suffix(".md")

    @property
    def asset_dir(self) -> Path:
        """The folder for attached files, named like the YAML file without its suffix."""
        return self.path.with_suffix("")

    def pos(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest ancestor that exists in the file."""
        node = self.root
        for i, part in enumerate(path):
            found = _child(node, part)
            if found is None:
                break  # the nearest ancestor that exists in the file
            node = found[0] if key and i == len(path) - 1 else found[1]
        return node.start_mark.line + 1, node.start_mark.column + 1

    def diagnostic(self, path: Path_, code: str, message: str, *, key: bool = False) -> Diagnostic:
        """A diagnostic pointing at `path` inside this document."""
        line, col = self.pos(path, key=key)
        if len(message) > MAX_MESSAGE:  # a message quoting a 2 MB value helps nobody, least of all CI logs
            message = message[:MAX_MESSAGE] + "… (cut)"
        return Diagnostic(self.display, line, col, code, message, where=format_path(path))


def format_path(path: Path_) -> str:
    """`('requirements', 1, 'evidence')` → `requirements[1].evidence`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


_ALIAS_MESSAGE = "anchors and aliases are not allowed; repeat the value"


class _Refused(Exception):
    def __init__(self, mark: Any, code: str, message: str, where: Path_ = ()):
        super().__init__(message)
        self.line, self.col = mark.line + 1, mark.column + 1
        self.code, self.message, self.where = code, message, where


def _short(tag: str) -> str:
    """`tag:yaml.org,2002:binary` → `!!binary`, as it is written in YAML."""
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _first_alias(text: str) -> Any:
    """The mark of the first alias (`*name`) in `text`: where the file reuses a value."""
    return next((e.start_mark for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)), None)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`, refusing a file with too many values before building it.

    Composing makes a Python object per value, so a 2 MB file of one-letter list items
    (a million values) would take seconds and hundreds of MB before `_Builder` counts them.
    Every value but the whole file's follows one of `: , - ? [ {`; when those are few the
    file is small enough, and otherwise the lazy event stream finds the value past the limit.
    """
    bound = sum(map(text.count, ":,-?[{")) + 1
    if bound > MAX_NODES:
        values, open_ = 0, []  # open_: [is a mapping, items so far] per collection, to skip keys
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            is_key = bool(open_) and open_[-1][0] and open_[-1][1] % 2 == 0
            if open_:
                open_[-1][1] += 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([isinstance(event, yaml.MappingStartEvent), 0])
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and not is_key:
                values += 1  # counted as `_Builder` counts: every value, not the keys
                if values > MAX_NODES:
                    raise _Refused(event.start_mark, "E-SIZE", f"more than {MAX_NODES} values in one file")
    return yaml.compose(text, Loader=_Loader)


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """Where a YAML syntax error is, and what to tell the editor about it."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if "expected a single document" in str(exc):
        return mark, "only one YAML document per file (remove the '---' separator)"
    tab = "cannot start any token" in problem and _char_at(text, mark) == "\t"
    if tab or "tab character that violates indentation" in problem:
        return mark, "a tab character is used for indentation; indent with spaces"
    context = exc.context or ""
    if context.startswith("while parsing a flow") and exc.context_mark is not None:
        opener = "[" if "sequence" in context else "{"
        return exc.context_mark, f"the '{opener}' opened here is never closed: {problem}"
    if problem.startswith("mapping values are not allowed"):
        return mark, f"{problem}; put quotes around a value that contains ': '"
    if "maximum nesting depth" in problem:
        return mark, "values are nested too deeply"
    return mark, problem


class _Loader(_Parser, yaml.resolver.BaseResolver):  # type: ignore[misc, valid-type]
    """Composes node trees only; plain scalars are marked for `_scalar` to resolve."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # called only for untagged nodes; PyYAML's own resolver would apply YAML 1.1 rules
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _CORE + ("seq" if kind is yaml.SequenceNode else "map")


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.tag == _STR:
        return text  # quoted, block, or tagged !!str
    if node.tag != _PLAIN:
        raise _Refused(node.start_mark, "E-YAML-TAG", f"tag '{_short(node.tag)}' is not allowed; write plain values")
    # YAML 1.2 core schema: dates and yes/no/on/off stay strings. Most values are prose,
    # so look at the first character before trying any pattern.
    first = text[:1]
    if first in _NUMBER_START:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    elif not text or first in "~nN":
        return None if _NULL.match(text) else text
    elif first in "tTfF" and text in _BOOL:
        return _BOOL[text]
    return text


class _Builder:
    """Turns a composed node tree into plain values; the tree itself keeps the positions."""

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._path: list[str | int] = []  # where the builder is, for the nesting error only

    def build(self, node: yaml.Node, at: Any = None) -> Any:
        """The value of `node`; `at` marks where it is used, for aliases that point elsewhere."""
        if id(node) in self._seen:
            raise _Refused(at or node.start_mark, "E-YAML-ALIAS", _ALIAS_MESSAGE)
        self._seen.add(id(node))
        if len(self._seen) > MAX_NODES:
            raise _Refused(node.start_mark, "E-SIZE", f"more than {MAX_NODES} values in one file")
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if len(self._path) >= MAX_DEPTH:
            where = self._path[: next((i for i, p in enumerate(self._path) if isinstance(p, int)), 1)]
            raise _Refused(at or node.start_mark, "E-SIZE", "values are nested too deeply", tuple(where))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if node.tag != _CORE + "seq":
            raise _Refused(
                node.start_mark, "E-YAML-TAG", f"tag '{_short(node.tag)}' is not allowed; write plain values"
            )
        values = []
        for i, item in enumerate(node.value):
            self._path.append(i)
            values.append(self.build(item, node.start_mark))
            self._path.pop()
        return values

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        if node.tag != _CORE + "map":
            raise _Refused(
                node.start_mark, "E-YAML-TAG", f"tag '{_short(node.tag)}' is not allowed; write plain values"
            )
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "E-YAML", "mapping keys must be plain text")
            if key_node.tag == _CORE + "merge" or (key_node.tag == _PLAIN and key_node.value == "<<"):
                raise _Refused(key_node.start_mark, "E-YAML-ALIAS", "merge keys (<<) are not allowed")
            key = str(_scalar(key_node))
            if key in result:
                first = next(k for k, _ in node.value if str(_scalar(k)) == key)
                raise _Refused(
                    key_node.start_mark,
                    "E-YAML-DUPKEY",
                    f"duplicate key '{key}' (first at line {first.start_mark.line + 1})",
                )
            self._path.append(key)
            result[key] = self.build(value_node, key_node.start_mark)
            self._path.pop()
        return result


_SCAN_LIMIT = 64
"""Mappings up to this many keys are searched in order; longer ones get an index."""


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of `part` under `node`; the key node is the item itself in lists."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        if len(node.value) <= _SCAN_LIMIT:
            return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        # a mapping with thousands of keys (a hostile file): index it once, not once per diagnostic
        index = node.__dict__.get("_playbook_index")
        if index is None:
            index = node._playbook_index = {}
            for k, v in reversed(node.value):  # reversed, so the first of duplicate keys wins
                if isinstance(k, yaml.ScalarNode):
                    index[k.value] = (k, v)
        return index.get(part)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def _decode(raw: bytes) -> tuple[str | None, tuple[int, int, str, str] | None]:
    """Text of the file, or where and why it is not clean UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, (1, 1, "E-ENCODING", "file starts with a byte-order mark; save it as UTF-8 without BOM")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, (1, 1, "E-ENCODING", "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, (line, col, "E-ENCODING", f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; save the file as UTF-8")
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        return None, (line, nul - (text.rfind("\n", 0, nul) + 1) + 1, "E-ENCODING", "file contains a NUL byte")
    return text, None


def _escapes(path: Path, root: Path | None) -> bool:
    """Whether `path` is a symlink leading outside `root` (content must not pull in host files)."""
    return root is not None and path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def load_file(path: Path, root: Path | None = None) -> Document | Diagnostic:
    """Parse one YAML content file; a Diagnostic if it cannot be read as data.

    With `root`, a file or body that is a symlink to somewhere outside `root` is refused unread.
    """
    display = display_path(path)
    if _escapes(path, root):
        return Diagnostic(display, 1, 1, "E-PATH", "content file is a symlink to a file outside the playbook folder")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Diagnostic(display, 1, 1, "E-SIZE", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        text, problem = _decode(path.read_bytes())
    except OSError as exc:
        return Diagnostic(display, 1, 1, "E-READ", f"cannot read file: {exc.strerror}")
    if problem:
        return Diagnostic(display, *problem)
    assert text is not None
    builder = _Builder()
    try:
        node = _compose(text)
        if node is None:
            return Diagnostic(display, 1, 1, "E-YAML", "file is empty")
        data = builder.build(node)
    except yaml.MarkedYAMLError as exc:
        mark, problem = _yaml_problem(exc, text)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        code = "E-SIZE" if problem == "values are nested too deeply" else "E-YAML"
        return Diagnostic(display, line, col, code, problem)
    except yaml.YAMLError as exc:
        return Diagnostic(display, 1, 1, "E-YAML", str(exc).splitlines()[0])
    except _Refused as exc:
        line, col = exc.line, exc.col
        if exc.message == _ALIAS_MESSAGE and (alias := _first_alias(text)) is not None:
            line, col = alias.line + 1, alias.column + 1
        return Diagnostic(display, line, col, exc.code, exc.message, where=format_path(exc.where))
    body_path = path.with_suffix(".md")
    body = None
    if _escapes(body_path, root):
        return Diagnostic(
            display_path(body_path), 1, 1, "E-PATH", "Markdown body is a symlink to a file outside the playbook folder"
        )
    if body_path.is_file():
        size = body_path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Diagnostic(
                display_path(body_path), 1, 1, "E-SIZE", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"
            )
        body_text, problem = _decode(body_path.read_bytes())
        if problem:
            return Diagnostic(display_path(body_path), *problem)
        body = body_text
    return Document(path, display, data, text.split("\n", 1)[0], node, body)


def _content_folders(root: Path) -> Iterator[tuple[Path, list[str], set[str]]]:
    """(folder, its file names sorted, stems of its YAML files), skipping hidden and asset folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        stems = {Path(f).stem for f in filenames if f.endswith(".yaml")}
        # a folder named like a YAML file beside it holds that entity's attachments
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in stems)
        yield Path(dirpath), sorted(filenames), stems


def content_paths(paths: Iterable[str]) -> list[str]:
    """The YAML content files among `paths` (a listing such as git's), by the rule `_content_folders`
    walks the disk by: nothing hidden, nothing inside a folder named like a YAML file beside it."""
    files = [PurePosixPath(p) for p in paths]
    entities = {f.with_suffix("") for f in files if f.suffix == ".yaml"}

    def kept(f: PurePosixPath) -> bool:
        folders = [f.parents[i] for i in range(len(f.parents) - 1)]  # every folder above, not the root
        return not f.name.startswith(".") and not any(d.name.startswith(".") or d in entities for d in folders)

    return [str(f) for f in files if f.suffix == ".yaml" and kept(f)]


def content_files(root: Path) -> Iterator[Path]:
    """Every `*.yaml` under `root` in a stable order."""
    for here, names, _stems in _content_folders(root):
        yield from (here / n for n in names if n.endswith(".yaml") and not n.startswith("."))


def _orphan_bodies(here: Path, names: list[str], stems: set[str]) -> Iterator[Path]:
    """Markdown bodies with no YAML file beside them (usually a rename that missed one)."""
    for name in names:
        if name.endswith(".md") and Path(name).stem not in stems and name.lower() != "readme.md":
            yield here / name


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects with no cycles.

    The node trees kept for positions are large and acyclic; without this, the collector
    rescans them again and again and loading takes twice as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_tree(root: Path) -> tuple[list[Document], list[Diagnostic]]:
    """Load every content file under `root`; documents that parsed, and what did not."""
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for here, names, stems in _content_folders(root):
        for name in names:
            if name.endswith(".yaml") and not name.startswith("."):
                result = load_file(here / name, root)
                (documents if isinstance(result, Document) else problems).append(result)
        problems.extend(
            Diagnostic(display_path(p), 1, 1, "E-ORPHAN", "Markdown body has no YAML file with the same name")
            for p in _orphan_bodies(here, names, stems)
        )
    return documents, problems


def parse_data(raw: bytes) -> Any:
    """The data of YAML bytes read some other way (a file at an older commit); None if unreadable.

    The same rules as `load_file` (no tags, aliases or duplicate keys; dates stay strings),
    for callers that need the values but no diagnostics.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None
    text, problem = _decode(raw)
    if problem or text is None:
        return None
    try:
        node = _compose(text)  # a past version is as untrusted as the current one
        return None if node is None else _Builder().build(node)
    except (yaml.YAMLError, _Refused):
        return None

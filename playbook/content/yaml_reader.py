"""A safe YAML 1.2 reader for untrusted files: plain data, and where every value sits.

YAML is read with PyYAML's C composer, then turned into Python values here, so that dates stay
strings, `yes`/`no`/`on`/`off` stay strings, duplicate keys are errors, aliases and custom tags are
refused, and every node keeps its line and column. Limits on size, values and depth keep a hostile
file from exhausting memory or time.
The words for a file the parser refuses are in `yaml_messages.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from playbook.content.yaml_messages import explain

try:  # the C parser is ~20x faster than the pure-Python one
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # cyaml imports it from the C module
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
"""Limits that keep a hostile file from exhausting memory or time."""

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


class Refused(Exception):
    """Why a file cannot be read as data, and where: its line and column, a code, a message and,
    for a value nested too deeply, the path to it."""

    def __init__(self, line: int, col: int, code: str, message: str, where: Path_ = ()):
        super().__init__(message)
        self.line, self.col, self.code, self.message, self.where = line, col, code, message, where

    @classmethod
    def at(cls, mark: Any, code: str, message: str, where: Path_ = ()) -> Refused:
        """Refused at a YAML mark (0-based line and column)."""
        return cls(mark.line + 1, mark.column + 1, code, message, where)


_ALIAS_MESSAGE = "anchors and aliases are not allowed; repeat the value"


def _short(tag: str) -> str:
    """`tag:yaml.org,2002:binary` → `!!binary`, as it is written in YAML."""
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events, one at a time (as `yaml.parse` gives them, with our loader)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    finally:
        loader.dispose()


def _first_alias(text: str) -> Any:
    """The mark of the first alias (`*name`) in `text`: where the file reuses a value."""
    return next((e.start_mark for e in _events(text) if isinstance(e, yaml.AliasEvent)), None)


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text`, refusing a file with too many values before building it.

    Composing makes a Python object per value, so a 2 MB file of one-letter list items
    (a million values) would take seconds and hundreds of MB before `_Builder` counts them.
    Every value but the whole file's follows one of `: , - ? [ {`; when those are few the
    file is small enough, and otherwise the lazy event stream finds the value past the limit.
    """
    bound = sum(map(text.count, ":,-?[{")) + 1
    if bound > MAX_NODES:
        values, open_ = 0, list[list[Any]]()  # open_: [is a mapping, items so far] per collection, to skip keys
        for event in _events(text):
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
                    raise Refused.at(event.start_mark, "E-SIZE", f"more than {MAX_NODES} values in one file")
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Loader(_Parser, yaml.resolver.BaseResolver):
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
        raise Refused.at(node.start_mark, "E-YAML-TAG", f"tag '{_short(node.tag)}' is not allowed; write plain values")
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

    def __init__(self, anchored: bool = True) -> None:
        # a node met twice is an alias; a file without `&` defines no anchor, so none can be met twice
        self._seen: set[int] | None = set() if anchored else None
        self._count = 0
        self._path: list[str | int] = []  # where the builder is, for the nesting error only

    def build(self, node: yaml.Node, at: Any = None) -> Any:
        """The value of `node`; `at` marks where it is used, for aliases that point elsewhere."""
        if self._seen is not None:
            if id(node) in self._seen:
                raise Refused.at(at or node.start_mark, "E-YAML-ALIAS", _ALIAS_MESSAGE)
            self._seen.add(id(node))
        self._count += 1
        if self._count > MAX_NODES:
            raise Refused.at(node.start_mark, "E-SIZE", f"more than {MAX_NODES} values in one file")
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if len(self._path) >= MAX_DEPTH:
            where = self._path[: next((i for i, p in enumerate(self._path) if isinstance(p, int)), 1)]
            raise Refused.at(at or node.start_mark, "E-SIZE", "values are nested too deeply", tuple(where))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if node.tag != _CORE + "seq":
            raise Refused.at(
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
            raise Refused.at(
                node.start_mark, "E-YAML-TAG", f"tag '{_short(node.tag)}' is not allowed; write plain values"
            )
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise Refused.at(key_node.start_mark, "E-YAML", "mapping keys must be plain text")
            if key_node.tag == _CORE + "merge" or (key_node.tag == _PLAIN and key_node.value == "<<"):
                raise Refused.at(key_node.start_mark, "E-YAML-ALIAS", "merge keys (<<) are not allowed")
            key = str(_scalar(key_node))
            if key in result:
                first = next(k for k, _ in node.value if str(_scalar(k)) == key)
                raise Refused.at(
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


def child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of `part` under `node`; the key node is the item itself in lists."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        if len(node.value) <= _SCAN_LIMIT:
            return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        # a mapping with thousands of keys (a hostile file): index it once, not once per diagnostic
        index = node.__dict__.get("_playbook_index")
        if index is None:
            index = node.__dict__["_playbook_index"] = {}
            for k, v in reversed(node.value):  # reversed, so the first of duplicate keys wins
                if isinstance(k, yaml.ScalarNode):
                    index[k.value] = (k, v)
        return index.get(part)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def decode(raw: bytes) -> str:
    """Text of a file, or Refused where and why it is not clean UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise Refused(1, 1, "E-ENCODING", "file starts with a byte-order mark; save it as UTF-8 without BOM")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(1, 1, "E-ENCODING", "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; save the file as UTF-8"
        raise Refused(line, col, "E-ENCODING", message) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise Refused(line, nul - (text.rfind("\n", 0, nul) + 1) + 1, "E-ENCODING", "file contains a NUL byte")
    return text


def read(text: str) -> tuple[yaml.Node, Any]:
    """The node tree of one YAML document and its value; Refused, naming line and column, if it is not data."""
    try:
        node = compose(text)
        if node is None:
            raise Refused(1, 1, "E-YAML", "file is empty")
        return node, _Builder(anchored="&" in text).build(node)
    except yaml.MarkedYAMLError as exc:
        mark, problem = explain(exc, text)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        code = "E-SIZE" if problem == "values are nested too deeply" else "E-YAML"
        raise Refused(line, col, code, problem) from None
    except yaml.YAMLError as exc:
        raise Refused(1, 1, "E-YAML", str(exc).splitlines()[0]) from None
    except Refused as exc:
        if exc.message == _ALIAS_MESSAGE and (alias := _first_alias(text)) is not None:
            exc.line, exc.col = alias.line + 1, alias.column + 1
        raise


def parse_data(raw: bytes) -> Any:
    """The data of YAML bytes read some other way (a file at an older commit); None if unreadable.

    The same rules as content files (no tags, aliases or duplicate keys; dates stay strings),
    for callers that need the values but no diagnostics.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None
    try:
        return read(decode(raw))[1]  # a past version is as untrusted as the current one
    except Refused:
        return None

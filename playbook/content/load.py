"""Read a playbook's content folder: each YAML file with its Markdown body, or why it cannot be read.

Files are read by `yaml_reader`; this module walks the folder (skipping hidden folders and each
entity's asset folder), refuses symlinks that lead out of it, and keeps each document's positions
so every later problem can name its file, line and column.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml

from playbook.content.errors import Diagnostic
from playbook.content.yaml_reader import MAX_FILE_BYTES, Path_, Refused, child, compose, decode, read

MAX_MESSAGE = 500
"""Diagnostics quoting more than this many characters are cut (a 2 MB value helps nobody in a CI log)."""


@dataclass(frozen=True)
class Document:
    """One YAML content file, its Markdown body and where each value sits in the file."""

    path: Path
    """The YAML file on disk."""
    display: str
    """The path as shown in diagnostics."""
    data: Any
    """The parsed value: dicts, lists, str, int, float, bool, None."""
    source: str = field(repr=False)
    """The YAML text, from which `root` is composed again when a position is asked for."""
    body: str | None = None
    """The sibling Markdown body, if there is one."""
    kept: dict[Callable[..., Any], Any] = field(default_factory=dict, repr=False, compare=False)
    """What steps computed from this document alone, by step (`per_document`; the exports' own fields)."""

    @property
    def header(self) -> str:
        """The first line of the file (the editor schema comment)."""
        return self.source.split("\n", 1)[0].removesuffix("\r")

    @functools.cached_property
    def root(self) -> yaml.Node:
        """The composed YAML node tree; its marks give every value's line and column.

        Composed again from `source` when first asked for, rather than kept from reading: only a
        file with a problem needs positions, and the trees of every file, kept, are most of what
        `playbook validate` holds (5 MB, 77,000 objects for 100 standards).
        """
        return compose(self.source) or yaml.MappingNode("tag:yaml.org,2002:map", [])

    @property
    def body_path(self) -> Path:
        """Where the Markdown body lives (it may not exist)."""
        return self.path.with_suffix(".md")

    @property
    def body_display(self) -> str:
        """The Markdown body's path as shown in diagnostics."""
        return self.display.removesuffix(".yaml") + ".md"

    @property
    def asset_dir(self) -> Path:
        """The folder for attached files, named like the YAML file without its suffix."""
        return self.path.with_suffix("")

    def pos(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest ancestor that exists in the file."""
        node = self.root
        for i, part in enumerate(path):
            found = child(node, part)
            if found is None:
                break  # the nearest ancestor that exists in the file
            node = found[0] if key and i == len(path) - 1 else found[1]
        return node.start_mark.line + 1, node.start_mark.column + 1

    def style(self, path: Path_) -> str:
        """How the text at `path` is written: `|` or `>` (a block, starting on the next line), a quote, or ''."""
        node = self.root
        for part in path:
            found = child(node, part)
            if found is None:
                return ""
            node = found[1]
        return getattr(node, "style", None) or ""

    def diagnostic(self, path: Path_, code: str, message: str, *, key: bool = False) -> Diagnostic:
        """A diagnostic pointing at `path` inside this document."""
        line, col = self.pos(path, key=key)
        if len(message) > MAX_MESSAGE:  # a message quoting a 2 MB value helps nobody, least of all CI logs
            message = message[:MAX_MESSAGE] + "… (cut)"
        return Diagnostic(self.display, line, col, code, message, where=format_path(path))


Computed = TypeVar("Computed")


def per_document(step: Callable[[Document], Computed]) -> Callable[[Document], Computed]:
    """`step`, computed once per document and kept with it.

    For steps whose result depends on the document alone (not on other files, the disk or the
    day). A build computes each once anyway; `playbook serve` reuses the documents of files not
    edited since the last rebuild, and with them these results.
    """

    @functools.wraps(step)
    def once(doc: Document) -> Computed:
        try:
            return doc.kept[step]
        except KeyError:
            found = doc.kept[step] = step(doc)
            return found

    return once


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


def _text(path: Path) -> str:
    """The text of a content file or body; Refused when it is too large or not clean UTF-8."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(1, 1, "E-SIZE", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    return decode(path.read_bytes())


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
        text = _text(path)
        data = read(text)[1]
    except OSError as exc:
        return Diagnostic(display, 1, 1, "E-READ", f"cannot read file: {exc.strerror}")
    except Refused as exc:
        return Diagnostic(display, exc.line, exc.col, exc.code, exc.message, where=format_path(exc.where))
    body_path = path.with_suffix(".md")
    body = None
    if _escapes(body_path, root):
        return Diagnostic(
            display_path(body_path), 1, 1, "E-PATH", "Markdown body is a symlink to a file outside the playbook folder"
        )
    if body_path.is_file():
        try:
            body = _text(body_path)
        except Refused as exc:
            return Diagnostic(display_path(body_path), exc.line, exc.col, exc.code, exc.message)
    return Document(path, display, data, text, body)


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


Loaded = dict[Path, tuple[object, "Document | Diagnostic"]]
"""What files read before gave, by path, with the state of the file (and its body) when read."""


def _stamp(path: Path) -> object:
    """What changes when `path` or its body is edited, replaced or moved: modification time, size, inode
    (of the link and of the file it leads to, for a symlink)."""
    found: list[tuple[int, int, int] | None] = []
    for file in (path, path.with_suffix(".md")):
        try:
            seen = os.lstat(file)
            found.append((seen.st_mtime_ns, seen.st_size, seen.st_ino))
            if stat.S_ISLNK(seen.st_mode):
                seen = os.stat(file)
                found.append((seen.st_mtime_ns, seen.st_size, seen.st_ino))
        except OSError:
            found.append(None)
    return tuple(found)


def load_tree(root: Path, reuse: Loaded | None = None) -> tuple[list[Document], list[Diagnostic]]:
    """Load every content file under `root`; documents that parsed, and what did not.

    With `reuse` (`playbook serve`, which loads again after every edit), a file unchanged since it
    was read last is not read again; `reuse` is updated to this reading.
    """
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    seen: Loaded = {}
    for here, names, stems in _content_folders(root):
        for name in names:
            if name.endswith(".yaml") and not name.startswith("."):
                path = here / name
                if reuse is None:
                    result = load_file(path, root)
                else:
                    stamp = _stamp(path)
                    known = reuse.get(path)
                    result = known[1] if known is not None and known[0] == stamp else load_file(path, root)
                    seen[path] = (stamp, result)
                if isinstance(result, Document):
                    documents.append(result)
                else:
                    problems.append(result)
        problems.extend(
            Diagnostic(display_path(p), 1, 1, "E-ORPHAN", "Markdown body has no YAML file with the same name")
            for p in _orphan_bodies(here, names, stems)
        )
    if reuse is not None:
        reuse.clear()
        reuse.update(seen)
    return documents, problems

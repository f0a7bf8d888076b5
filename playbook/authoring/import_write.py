"""`playbook import`, step 5: the standards made, as the files they will be, checked, then written.

Each standard is laid out as `playbook new` writes a file (the editor header, keys in the schema's
order, guidance as a `|` block) and validated in memory with the playbook around it, and with the
organisation profile as the import changes it, so that nothing is written that `playbook validate`
would refuse. Then every file is written, the profile last, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from playbook.authoring.roundtrip import Edit
from playbook.content.errors import Diagnostic, PlaybookError
from playbook.content.headers import header_line
from playbook.content.load import Document, display_path
from playbook.content.validate import validate_documents
from playbook.content.yaml_reader import MAX_FILE_BYTES, Refused, read
from playbook.site.bodies import check_bodies


@dataclass(frozen=True)
class Planned:
    """One standard ready to write."""

    source: str
    was: str
    """The id the source gave, '' for none."""
    path: Path
    text: str
    body: str

    def files(self) -> list[tuple[Path, str]]:
        """(path, text) of the YAML file and, when there is prose, its Markdown body."""
        return [(self.path, self.text)] + ([(self.path.with_suffix(".md"), self.body)] if self.body else [])

    def too_large(self) -> str:
        """Why the loader would refuse one of the files for its size (E-SIZE), or ''."""
        large = [path.name for path, text in self.files() if len(text.encode("utf-8")) > MAX_FILE_BYTES]
        return f"{large[0]} would be over {MAX_FILE_BYTES:,} bytes; split the file" if large else ""


class _Dumper(yaml.SafeDumper):
    """Text over several lines (guidance) as a `|` block, and list items indented, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def planned(content: Path, stem: str, data: dict[str, Any], body: str, *, source: str, was: str) -> Planned:
    """The standard `data` (and its `body`) as the file `content/<stem>.yaml`."""
    path = content / f"{stem}.yaml"
    header = header_line(content, path, "Standard")  # as `playbook new` writes it
    text = header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    return Planned(source, was, path, text, body)


def problems(
    plans: list[Planned], documents: list[Document], loading: list[Diagnostic], edit: Edit | None = None
) -> list[Diagnostic]:
    """What validation finds in the files about to be written, validated with the playbook's `documents`
    (and the problems `loading` them found) around them; with `edit`, a file of the playbook as the import
    changes it (the organisation profile), and the problems it would have that it has not now."""
    files = [(plan.path, plan.text, plan.body or None) for plan in plans]
    if edit is not None:
        files.append((edit.path, edit.text(), next(d.body for d in documents if d.path == edit.path)))
    new: list[Document] = []
    found: list[Diagnostic] = []
    for path, text, body in files:
        display = display_path(path)
        try:
            data = read(text)[1]
        except Refused as refused:
            found.append(Diagnostic(display, refused.line, refused.col, refused.code, refused.message))
            continue
        new.append(Document(path, display, data, text, body))
    changed = {d.path for d in new}
    result = check_bodies(validate_documents([*(d for d in documents if d.path not in changed), *new], loading))
    mine = {d.display for d in new} | {d.body_display for d in new}
    if edit is not None:  # the profile's own problems are its editors' to fix; only new ones are the import's
        had = {_key(d) for d in validate_documents(documents, loading).diagnostics}
        mine -= {display_path(edit.path), display_path(edit.path.with_suffix(".md"))}
        found += [d for d in result.diagnostics if d.file == display_path(edit.path) and _key(d) not in had]
    return found + [d for d in result.diagnostics if d.file in mine]


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return d.file, d.code, d.message  # lines move when a file grows


def write_all(plans: list[Planned], edit: Edit | None = None) -> list[Path]:
    """Write every planned file, then the `edit` of a file the playbook has, or none: one that fails takes
    back those written before it. The new files written."""
    written: list[Path] = []
    try:
        for plan in plans:
            for path, text in plan.files():
                with path.open("x", encoding="utf-8") as out:  # "x": never over a file, even one made meanwhile
                    out.write(text)
                written.append(path)
        if edit is not None:
            try:
                edit.path.write_text(edit.text(), encoding="utf-8")
            except OSError:
                edit.path.write_text(edit.original, encoding="utf-8")
                raise
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise PlaybookError(f"cannot write {exc.filename}: {exc.strerror}; nothing was written") from None
    return written

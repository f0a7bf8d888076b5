"""Template downloads: Word, Excel, Markdown and CSV files generated from each template's definition.

One YAML definition gives every format, so one edit updates them all. Each generated file says
where it came from: template id, version, the date of that version (from its changelog, never the
wall clock) and the template's short link on the playbook site (`<site>/TPL-007/`, which survives
renames because ids never change).

CSV is the exception: a comment line before the header is not CSV and breaks spreadsheet and tool
imports, so the header row comes first and the provenance lives in the file name
(`TPL-007-raid-log-v1.2.0.csv`) and in `downloads/manifest.json`, which ties that name to the
file's size and SHA-256.

Builds are reproducible: docx, xlsx and zip files are rewritten with entries in a fixed order, fixed
permissions and one timestamp taken from the content (the version date), clamped to SOURCE_DATE_EPOCH
when that is earlier (https://reproducible-builds.org/specs/source-date-epoch/). Document properties
always carry the version date, which is provenance, not build time.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import os
import stat
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import PlaybookError
from .model import Template

FOLDER = "downloads"
"""Where downloads sit in the site."""
GENERATOR = "PMO Playbook"
"""Author and last editor of generated Office files, in place of a person or a machine name."""
EMPTY_ROWS = 3
"""Blank rows under a Word or Markdown table's header, ready to fill in."""
ZIP_EARLIEST = 315532800
"""1980-01-01 UTC, the earliest time a zip entry can record."""


@dataclass(frozen=True)
class Download:
    """One file under `site/downloads/`, with what the manifest says about it."""

    path: str
    """Site-relative path, such as `downloads/TPL-007-raid-log-v1.2.0.xlsx`."""
    id: str
    """Template id, or '' for zips and the manifest."""
    version: str
    """Template version, or '' for zips and the manifest."""
    format: str
    """`docx`, `xlsx`, `md`, `csv`, `file` (attached by hand), `zip` or `json`."""
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class _Stamp:
    """The provenance written into every file generated for one template."""

    id: str
    title: str
    version: str
    date: str
    url: str

    @property
    def line(self) -> str:
        """`TPL-007 RAID log · v1.2.0 · 2026-01-10 · https://…/TPL-007/`."""
        return " · ".join(filter(None, (f"{self.id} {self.title}", f"v{self.version}", self.date, self.url)))

    @property
    def created(self) -> dt.datetime:
        """The version date at 00:00 UTC (naive: both Office libraries write it as UTC)."""
        return dt.datetime.fromisoformat(self.date)


def version_date(template: Template) -> str:
    """`YYYY-MM-DD`: the changelog date of the template's current version."""
    for entry in template.changelog:
        if entry.version == template.version:
            return entry.date
    raise PlaybookError(f"{template.doc.display}: no changelog entry for version {template.version}")


def _stem(template: Template) -> str:
    slug = template.slug
    name = template.id if slug == template.id.lower() else f"{template.id}-{slug}"
    return f"{name}-v{template.version}"


def file_name(template: Template, fmt: str) -> str:
    """`TPL-007-raid-log-v1.2.0.xlsx`: id, slug and version, so a copy says what it is."""
    return f"{_stem(template)}.{fmt}"


def template_downloads(template: Template, *, source_url: str) -> list[Download]:
    """Every output format of `template`, then its attached files copied as they are."""
    url = f"{source_url.rstrip('/')}/{template.id}/" if source_url else ""
    stamp = _Stamp(template.id, template.title, template.version, version_date(template), url)
    found = [(file_name(template, fmt), fmt, WRITERS[fmt](template, stamp)) for fmt in template.outputs]
    found += [(f"{_stem(template)}-files/{name}", "file", data) for name, data in _attached(template)]
    return [
        Download(f"{FOLDER}/{name}", template.id, template.version, fmt, data)
        for name, fmt, data in sorted(found, key=lambda f: (f[1], f[0]))
    ]


def _plan(catalog: Catalog) -> tuple[list[Template], list[tuple[str, list[Template]]]]:
    """The templates in use, and each zip with its members: a zip per lifecycle phase, then one of all.

    A phase zip holds the templates used in the phase (`phases`) and the phase's deliverables;
    a phase with neither gets no zip.
    """
    templates: list[Template] = [t for t in catalog.of_kind("Template") if t.status != "retired"]  # type: ignore[misc]
    bundles = []
    for phase_id in sorted(catalog.phases):
        phase = catalog.phases[phase_id]
        members = [t for t in templates if phase_id in t.phases or t.id in phase.deliverables]
        if members:
            bundles.append((f"{FOLDER}/phase-{phase_id}.zip", members))
    bundles.append((f"{FOLDER}/playbook-templates.zip", templates))
    return templates, bundles


def all_downloads(catalog: Catalog, *, source_url: str) -> list[Download]:
    """Files of every template in use, the zips, and the manifest."""
    templates, bundles = _plan(catalog)
    files = {t.id: _cached_downloads(t, source_url) for t in templates}
    found = [d for t in templates for d in files[t.id]]
    found += [_bundle(path, members, files) for path, members in bundles]
    found.append(Download(f"{FOLDER}/manifest.json", "", "", "json", _manifest((d.path, d) for d in found)))
    return found


def download_paths(catalog: Catalog) -> list[str]:
    """Where `all_downloads` puts its files, known without making them (for links, while they are made)."""
    templates, bundles = _plan(catalog)
    paths = [f"{FOLDER}/{file_name(t, fmt)}" for t in templates for fmt in t.outputs]
    paths += [f"{FOLDER}/{_stem(t)}-files/{Path(name).as_posix()}" for t in templates for name in t.files]
    return [*paths, *(path for path, _ in bundles), f"{FOLDER}/manifest.json"]


_CACHE: dict[str, list[Download]] = {}
"""Downloads by the hash of everything they are made from; `mkdocs serve` rebuilds reuse them."""


def _content_key(template: Template, source_url: str) -> str:
    digest = hashlib.sha256(template.doc.path.read_bytes())
    for part in (source_url, os.environ.get("SOURCE_DATE_EPOCH", ""), *sorted(template.files)):
        digest.update(b"\0" + part.encode())
    for name in sorted(template.files):
        target = template.doc.asset_dir / name
        digest.update(target.read_bytes() if target.is_file() else b"")
    return digest.hexdigest()


def _cached_downloads(template: Template, source_url: str) -> list[Download]:
    key = _content_key(template, source_url)
    if key not in _CACHE:
        _CACHE[key] = template_downloads(template, source_url=source_url)
    return _CACHE[key]


def _bundle(path: str, templates: Sequence[Template], files: dict[str, list[Download]]) -> Download:
    """A zip of the templates' files, named as under `downloads/`, with its own manifest."""
    entries = {d.path.removeprefix(f"{FOLDER}/"): d for t in templates for d in files[t.id]}
    data = {name: d.data for name, d in entries.items()}
    data["manifest.json"] = _manifest(entries.items())
    newest = max((version_date(t) for t in templates), default="1980-01-01")
    return Download(path, "", "", "zip", _zip(data, _zip_time(newest)))


def _manifest(files: Iterable[tuple[str, Download]]) -> bytes:
    """`{"files": [...]}` by path: what anyone holding a copy needs to check which version it is."""
    entries = [
        {
            "path": path,
            "id": d.id,
            "version": d.version,
            "format": d.format,
            "size": len(d.data),
            "sha256": hashlib.sha256(d.data).hexdigest(),
        }
        for path, d in files
    ]
    entries.sort(key=lambda entry: entry["path"])
    return (json.dumps({"files": entries}, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _attached(template: Template) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each attached file; refuses any path that leads out of the asset folder.

    Validation reports these first (E-PATH); this guard keeps a skipped validation from copying
    `../../etc/passwd` into the site.
    """
    folder = template.doc.asset_dir
    real_folder = template.doc.path.parent.resolve() / folder.name  # as validate.py: the folder must not be a link
    for name in sorted(template.files):
        target = (folder / name).resolve()
        inside = not Path(name).is_absolute() and not folder.is_symlink() and target.is_relative_to(real_folder)
        if not (inside and target.is_file()):
            raise PlaybookError(f"{template.doc.display}: attached file '{name}' is not a file inside {folder.name}/")
        yield Path(name).as_posix(), target.read_bytes()


# --- zip files ----------------------------------------------------------------------------


def _zip_time(day: str) -> tuple[int, int, int, int, int, int]:
    """The time of every zip entry: `day` at 00:00 UTC, or SOURCE_DATE_EPOCH when that is earlier.

    Clamped, as `tar --clamp-mtime` does: `playbook build` dates builds by their commit, and an
    unchanged template must keep its bytes (and its hash in the manifest) from one commit to the next.
    """
    seconds = calendar.timegm(dt.date.fromisoformat(day).timetuple())
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = min(seconds, int(epoch))
        except ValueError:
            raise PlaybookError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'") from None
    return time.gmtime(max(seconds, ZIP_EARLIEST))[:6]  # type: ignore[return-value]


def _zip(entries: dict[str, bytes], when: tuple[int, ...]) -> bytes:
    """A zip whose bytes depend only on `entries` and `when`: fixed order, time and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # [Content_Types].xml first, as Office itself writes it; some streaming readers expect it there
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=when)
            # Office files and zips inside a zip are stored: deflating them again gains nothing but time
            packed = entries[name].startswith(b"PK\x03\x04")
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix on every build host, so the mode bits below mean the same
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _rezip(data: bytes, when: tuple[int, ...]) -> bytes:
    """An Office file rewritten by `_zip`: the libraries stamp each entry with the wall clock."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _zip({name: archive.read(name) for name in archive.namelist()}, when)


def _properties(template: Template, stamp: _Stamp, **more: str) -> dict[str, Any]:
    """Document properties for docx and xlsx, by the attribute names both libraries use, plus `more`.

    Texts are cut at 255 characters, the limit of core properties that python-docx enforces.
    """
    props = {
        "title": template.title,
        "subject": stamp.line,
        "identifier": template.id,
        "version": template.version,
        "keywords": ", ".join((template.id, f"v{template.version}", stamp.date, *template.tags)),
        "category": "PMO Playbook template",
        "last_modified_by": GENERATOR,
        "created": stamp.created,
        "modified": stamp.created,
        **more,
    }
    return {name: value[:255] if isinstance(value, str) else value for name, value in props.items()}


# --- one writer per format (Word and Excel in office.py, imported only when needed) ----------


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _md(template: Template, stamp: _Stamp) -> bytes:
    """Front matter with the provenance, `## heading` per section, prompts quoted, table skeletons."""
    front = {"id": stamp.id, "title": stamp.title, "version": stamp.version, "date": stamp.date, "source": stamp.url}
    # JSON strings are YAML strings too, and quoting keeps dates and versions strings for every reader
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---"]
    lines += ["", f"# {_md_cell(template.title)}", "", f"> {_md_cell(template.summary)}"]
    for section in template.sections:
        prompt = [f"> {line}".rstrip() for line in section.prompt.splitlines()]
        lines += ["", f"## {_md_cell(section.heading)}", "", *prompt]
        if section.table:
            cells = [_md_cell(heading) for heading in section.table]
            lines += ["", f"| {' | '.join(cells)} |", f"|{' --- |' * len(cells)}"]
            lines += [f"|{'  |' * len(cells)}"] * EMPTY_ROWS
    return ("\n".join(lines) + "\n").encode()


def _csv(template: Template, stamp: _Stamp) -> bytes:
    """The header row alone, RFC 4180, UTF-8 without a BOM (import tools choke on one).

    A name starting with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet shows it rather
    than evaluating it (OWASP "CSV injection").
    """
    names = [f"'{c.name}" if c.name.startswith(("=", "+", "-", "@")) else c.name for c in template.columns]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(names)
    return buffer.getvalue().encode()


def _docx(template: Template, stamp: _Stamp) -> bytes:
    from .office import docx_file  # python-docx takes a while to import; only builds with templates need it

    return docx_file(template, stamp)


def _xlsx(template: Template, stamp: _Stamp) -> bytes:
    from .office import xlsx_file

    return xlsx_file(template, stamp)


WRITERS: dict[str, Callable[[Template, _Stamp], bytes]] = {"docx": _docx, "xlsx": _xlsx, "md": _md, "csv": _csv}
"""The file writer for each output format."""

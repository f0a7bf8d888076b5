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

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playbook.content.catalog import Catalog
from playbook.content.errors import PlaybookError
from playbook.content.model import Template
from playbook.content.prefill import filled
from playbook.content.status import Status
from playbook.downloads.names import FOLDER, file_name, stem
from playbook.downloads.provenance import Stamp, version_date
from playbook.downloads.text_files import csv_file, md_file
from playbook.downloads.zips import zip_bytes, zip_time


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


def template_downloads(template: Template, *, source_url: str) -> list[Download]:
    """Every output format of `template`, then its attached files copied as they are."""
    url = f"{source_url.rstrip('/')}/{template.id}/" if source_url else ""
    stamp = Stamp(template.id, template.title, template.version, version_date(template), url)
    found = [(file_name(template, fmt), fmt, WRITERS[fmt](template, stamp)) for fmt in template.outputs]
    found += [(f"{stem(template)}-files/{name}", "file", data) for name, data in _attached(template)]
    return [
        Download(f"{FOLDER}/{name}", template.id, template.version, fmt, data)
        for name, fmt, data in sorted(found, key=lambda f: (f[1], f[0]))
    ]


def _plan(catalog: Catalog) -> tuple[list[Template], list[tuple[str, list[Template]]]]:
    """The templates in use, and each zip with its members: a zip per lifecycle phase, then one of all.

    A phase zip holds the templates used in the phase (`phases`) and the phase's deliverables;
    a phase with neither gets no zip.
    """
    templates = [t for t in catalog.of_kind(Template) if t.status != Status.RETIRED]
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
    used, bundles = _plan(catalog)
    templates = [filled(t, catalog) for t in used]  # with the rows taken from ceremonies and the lifecycle
    keys = {t.id: _content_key(t, source_url) for t in templates}
    for stale in _CACHE.keys() - keys.values():  # edited or gone: only this build's files are kept
        del _CACHE[stale]
    files = {t.id: _cached_downloads(t, keys[t.id], source_url) for t in templates}
    found = [d for t in templates for d in files[t.id]]
    found += [_bundle(path, members, files) for path, members in bundles]
    found.append(Download(f"{FOLDER}/manifest.json", "", "", "json", _manifest((d.path, d) for d in found)))
    return found


def download_paths(catalog: Catalog) -> list[str]:
    """Where `all_downloads` puts its files, known without making them (for links, while they are made)."""
    templates, bundles = _plan(catalog)
    paths = [f"{FOLDER}/{file_name(t, fmt)}" for t in templates for fmt in t.outputs]
    paths += [f"{FOLDER}/{stem(t)}-files/{Path(name).as_posix()}" for t in templates for name in t.files]
    return [*paths, *(path for path, _ in bundles), f"{FOLDER}/manifest.json"]


_CACHE: dict[str, list[Download]] = {}
"""Downloads by the hash of everything they are made from; `mkdocs serve` rebuilds reuse them.
Holds the files of the last build only, so a long `serve` session does not grow it edit by edit."""


def clear_cache() -> None:
    """Forget every download made so far: the next build makes them all again."""
    _CACHE.clear()


def _content_key(template: Template, source_url: str) -> str:
    digest = hashlib.sha256(template.doc.path.read_bytes())
    for part in (source_url, os.environ.get("SOURCE_DATE_EPOCH", ""), *sorted(template.files)):
        digest.update(b"\0" + part.encode())
    for name in sorted(template.files):
        target = template.doc.asset_dir / name
        digest.update(target.read_bytes() if target.is_file() else b"")
    # the rows a fill took from other files, which the template's own bytes do not show
    filled_rows = [template.rows, *(section.rows for section in template.sections)]
    digest.update(b"\0" + repr(filled_rows).encode())
    return digest.hexdigest()


def _cached_downloads(template: Template, key: str, source_url: str) -> list[Download]:
    if key not in _CACHE:
        _CACHE[key] = template_downloads(template, source_url=source_url)
    return _CACHE[key]


def _bundle(path: str, templates: Sequence[Template], files: dict[str, list[Download]]) -> Download:
    """A zip of the templates' files, named as under `downloads/`, with its own manifest."""
    entries = {d.path.removeprefix(f"{FOLDER}/"): d for t in templates for d in files[t.id]}
    data = {name: d.data for name, d in entries.items()}
    data["manifest.json"] = _manifest(entries.items())
    newest = max((version_date(t) for t in templates), default="1980-01-01")
    return Download(path, "", "", "zip", zip_bytes(data, zip_time(newest)))


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
    entries.sort(key=lambda entry: str(entry["path"]))
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


def _docx(template: Template, stamp: Stamp) -> bytes:
    from playbook.downloads.office import docx_file  # python-docx takes a while to import

    return docx_file(template, stamp)


def _xlsx(template: Template, stamp: Stamp) -> bytes:
    from playbook.downloads.office import xlsx_file

    return xlsx_file(template, stamp)


WRITERS: dict[str, Callable[[Template, Stamp], bytes]] = {"docx": _docx, "xlsx": _xlsx, "md": md_file, "csv": csv_file}
"""The file writer for each output format."""

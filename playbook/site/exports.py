"""Machine-readable outputs: the catalog and requirements as JSON, requirements as CSV, and the content schemas.

Every file is deterministic (sorted keys, no timestamps), so two builds of one commit match.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Entity, Standard, schema_name
from playbook.downloads.text_files import FORMULA_STARTS
from playbook.site.urls import page_url

CATALOG_SCHEMA = "catalog.schema.json"
"""Describes api/catalog.json; kept beside the content schemas and published with them."""


_WRITTEN: dict[type, tuple[tuple[str, Any], ...] | None] = {}


def _written(kind: type) -> tuple[tuple[str, Any], ...] | None:
    """(name, default) of each field of a dataclass but `doc`; None for any other type. Once per type."""
    if kind not in _WRITTEN:
        fields = dataclasses.fields(kind) if dataclasses.is_dataclass(kind) else None
        _WRITTEN[kind] = None if fields is None else tuple((f.name, f.default) for f in fields if f.name != "doc")
    return _WRITTEN[kind]


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    fields = _written(type(value))
    if fields is not None:  # fields left at their default were not written in the file
        return {name: _plain(v) for name, default in fields if (v := getattr(value, name)) != default}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def own_fields(entity: Entity) -> dict[str, Any]:
    """The entity's own fields as JSON values, kept with its document: `playbook serve` reuses the
    documents (and entities) of files not edited since the last rebuild."""
    kept = entity.doc.kept.get(own_fields)
    if kept is None or kept[0] is not entity:
        kept = entity.doc.kept[own_fields] = (entity, _plain(entity))
    return kept[1]


def _entity(catalog: Catalog, entity: Entity, site_url: str) -> dict[str, Any]:
    data = dict(own_fields(entity))
    data["derived"] = {
        "url": site_url + page_url(entity.src_uri),
        "source": entity.doc.display,
        "referenced_by": list(catalog.referenced_by.get(entity.id, ())),
    }
    if isinstance(entity, Standard):
        data["derived"]["superseded_by"] = catalog.superseded_by.get(entity.id)
        data["derived"]["next_review"] = catalog.next_review(entity) or None
    return data


def _dump(value: Any) -> str:
    # no indent: with one, json falls back to its pure-Python encoder, 5x slower (0.7 s at 1,000 standards)
    return json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n"


def catalog_json(catalog: Catalog, site_url: str) -> str:
    """Every entity with its fields and derived links, by kind: `_dump({"apiVersion": …, "entities": […]})`,
    written an entity at a time so that `serve` writes again only the entities that changed."""
    entities = ", ".join(_entity_json(catalog, e, site_url) for e in catalog.entities)
    return f'{{"apiVersion": "playbook/v1", "entities": [{entities}]}}\n'


def _entity_json(catalog: Catalog, entity: Entity, site_url: str) -> str:
    data = _entity(catalog, entity, site_url)
    kept = entity.doc.kept.get(_entity_json)
    if kept is None or kept[0] is not entity or kept[1] != data["derived"]:
        kept = entity.doc.kept[_entity_json] = (entity, data["derived"], _dump(data).removesuffix("\n"))
    return str(kept[2])


def requirements_json(catalog: Catalog, site_url: str) -> str:
    """One row per requirement of every standard: `_dump({"apiVersion": …, "requirements": […]})`, written
    a standard at a time."""
    rows = ", ".join(text for s in catalog.of_kind(Standard) if (text := _standard_files(s, site_url)[0]))
    return f'{{"apiVersion": "playbook/v1", "requirements": [{rows}]}}\n'


def _requirement_rows(standard: Standard, site_url: str) -> list[dict[str, Any]]:
    url = f"{site_url}{page_url(standard.src_uri)}"
    return [
        {
            "standard": standard.id,
            "standard_title": standard.title,
            "status": standard.status,
            "version": standard.version,
            "requirement": r.id,
            "level": r.level,
            "text": r.text,
            "url": f"{url}#{r.id.lower()}",
        }
        for r in standard.requirements
    ]


def _standard_files(standard: Standard, site_url: str) -> tuple[str, str]:
    """A standard's rows in api/requirements.json and in api/requirements.csv, kept with its document:
    they depend on the standard alone, so `serve` writes again only those of the standard edited."""
    kept = standard.doc.kept.get(_standard_files)
    if kept is None or kept[0] is not standard or kept[1] != site_url:
        rows = _requirement_rows(standard, site_url)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in rows:
            writer.writerow(_cell(str(row[column])) for column in CSV_COLUMNS)
        as_json = ", ".join(_dump(row).removesuffix("\n") for row in rows)
        kept = standard.doc.kept[_standard_files] = (standard, site_url, (as_json, out.getvalue()))
    return kept[2]


CSV_COLUMNS = ("standard", "standard_title", "status", "version", "requirement", "level", "text", "url")
"""The columns of api/requirements.csv: those of api/requirements.json, in its order."""


def requirements_csv(catalog: Catalog, site_url: str) -> str:
    """api/requirements.json as a spreadsheet opens it: UTF-8 with a byte-order mark (else Excel
    guesses the encoding and garbles accents), CRLF lines, and no cell that Excel would run as a
    formula (a leading `=`, `+`, `-`, `@` gets a `'`)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(CSV_COLUMNS)
    return "\ufeff" + header.getvalue() + "".join(_standard_files(s, site_url)[1] for s in catalog.of_kind(Standard))


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _schema_names() -> list[str]:
    return [*(schema_name(kind) for kind in KINDS), CATALOG_SCHEMA]


def schema_files() -> Iterator[tuple[str, str]]:
    """(file name, text) of each content schema and of the catalog schema."""
    folder = resources.files("playbook.schemas")
    for name in _schema_names():
        yield name, folder.joinpath(name).read_text("utf-8")


def exports(catalog: Catalog, site_url: str) -> Iterator[tuple[str, str]]:
    """(site path, text) of every machine-readable file, in the order of `export_paths`."""
    yield "api/catalog.json", catalog_json(catalog, site_url)
    yield "api/requirements.json", requirements_json(catalog, site_url)
    yield "api/requirements.csv", requirements_csv(catalog, site_url)
    for name, text in schema_files():
        yield f"schemas/{name}", text


def export_paths() -> list[str]:
    """Where `exports` puts its files, known without making them."""
    return [
        "api/catalog.json",
        "api/requirements.json",
        "api/requirements.csv",
        *(f"schemas/{name}" for name in _schema_names()),
    ]

"""The rules of a template's tables beyond its schema: computed columns, totals and colours (E-FORMULA),
and rows written in it or taken from other entities (E-ROW)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from playbook.content.errors import Diagnostic
from playbook.content.load import Document
from playbook.content.prefill import FIELDS

NUMERIC = ("integer", "number", "currency", "percent")
SUMMED = ("integer", "number", "currency")
"""Column types a `total: sum` adds up: a sum of percentages means nothing."""
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def template_problems(doc: Document) -> Iterator[Diagnostic]:
    """Every E-FORMULA and E-ROW problem of one template."""
    data = doc.data
    columns = {c["name"]: c for c in data.get("columns", [])}
    for i, column in enumerate(data.get("columns", [])):
        yield from _column(doc, i, column, columns)
    yield from _cycles(doc, data.get("columns", []))
    for key in ("rows", "examples"):
        for r, row in enumerate(data.get(key, [])):
            yield from _row(doc, (key, r), row, columns)
    if "fill" in data:
        yield from _fill(doc, ("fill",), data["fill"], list(columns))
    for s, section in enumerate(data.get("sections", [])):
        headings = {name: {"name": name, "type": "text"} for name in section.get("table", [])}
        for key in ("rows", "fill"):
            if key in section and not headings:
                yield doc.diagnostic(
                    ("sections", s, key), "E-ROW", f"'{key}' fills a table: give the section a 'table'"
                )
        if not headings:
            continue
        for r, row in enumerate(section.get("rows", [])):
            yield from _row(doc, ("sections", s, "rows", r), row, headings)
        if "fill" in section:
            yield from _fill(doc, ("sections", s, "fill"), section["fill"], list(headings))


def _column(doc: Document, i: int, column: dict[str, Any], columns: Mapping[str, Any]) -> Iterator[Diagnostic]:
    name, kind = column["name"], column["type"]
    node = None
    if "formula" in column:
        # here, not at the top: most templates have no formula, and its node types take 3 ms to define
        from playbook.content.formulas import FormulaError, levelled, numbers, parse

        path = ("columns", i, "formula")
        try:
            node = parse(column["formula"])
        except FormulaError as error:
            yield doc.diagnostic(path, "E-FORMULA", f"formula of '{name}': {error}")
        if kind not in NUMERIC:
            yield doc.diagnostic(
                ("columns", i, "type"), "E-FORMULA",
                f"'{name}' is computed, so it holds a number: give it type {', '.join(NUMERIC)}",
            )  # fmt: skip
    if node is not None:  # so the formula's module is imported
        for used in [*numbers(node), *levelled(node)]:
            if used not in columns:
                known = ", ".join(f'"{c}"' for c in columns if c != name)
                yield doc.diagnostic(
                    path, "E-FORMULA", f"formula of '{name}' names no column \"{used}\"; columns: {known}"
                )
        for used in numbers(node):
            if used in columns and columns[used]["type"] not in (*NUMERIC, "date"):
                kind = columns[used]["type"]
                hint = f'; a choice column counts through LEVEL("{used}")' if kind == "choice" else ""
                message = f"formula of '{name}' computes with \"{used}\", a {kind} column, not a number{hint}"
                yield doc.diagnostic(path, "E-FORMULA", message)
        for used in levelled(node):
            if used in columns and columns[used]["type"] != "choice":
                yield doc.diagnostic(
                    path, "E-FORMULA", f'LEVEL takes a choice column; "{used}" is {columns[used]["type"]}'
                )
    yield from _total(doc, i, column, columns, node)
    if "colours" in column:
        if kind != "choice":
            yield doc.diagnostic(("columns", i, "colours"), "E-FORMULA", f"'colours' colour the values of a choice column; for a {kind} column use 'bands'")  # fmt: skip
        for value in column["colours"]:
            if kind == "choice" and value not in column.get("allowed", []):
                yield doc.diagnostic(("columns", i, "colours", value), "E-FORMULA", f"'{value}' is not among the allowed values of '{name}'", key=True)  # fmt: skip
    if "bands" in column and kind not in NUMERIC:
        yield doc.diagnostic(
            ("columns", i, "bands"), "E-FORMULA", f"'bands' colour numbers; '{name}' is a {kind} column"
        )


def _total(doc: Document, i: int, column: dict, columns: Mapping[str, Any], node: Any) -> Iterator[Diagnostic]:
    path, name = ("columns", i, "total"), column["name"]
    if column.get("total") == "sum" and column["type"] not in SUMMED:
        yield doc.diagnostic(path, "E-FORMULA", f"'total: sum' adds amounts up; '{name}' is a {column['type']} column")
    elif column.get("total") == "formula":
        if "formula" not in column:
            yield doc.diagnostic(path, "E-FORMULA", f"'total: formula' applies the column's formula; '{name}' has none")
        elif node is not None:
            from playbook.content.formulas import levelled, numbers

            missing = [u for u in numbers(node) if u in columns and "total" not in columns[u]]
            if missing or any(levelled(node)):
                yield doc.diagnostic(
                    path, "E-FORMULA",
                    f"'total: formula' computes from the totals of the columns the formula reads; "
                    f"give {', '.join(repr(m) for m in missing) or 'them'} a total, and use no LEVEL",
                )  # fmt: skip


def _cycles(doc: Document, columns: list[dict[str, Any]]) -> Iterator[Diagnostic]:
    """A computed column may not read itself, through however many others."""
    if not any("formula" in column for column in columns):
        return
    from playbook.content.formulas import FormulaError, numbers, parse

    reads: dict[str, list[str]] = {}
    for column in columns:
        try:
            reads[column["name"]] = list(numbers(parse(column["formula"]))) if "formula" in column else []
        except FormulaError:
            reads[column["name"]] = []
    for i, column in enumerate(columns):
        seen, todo = set(), list(reads.get(column["name"], []))
        while todo:
            current = todo.pop()
            if current == column["name"]:
                message = f"the formula of '{column['name']}' reads its own value, through the columns it reads"
                yield doc.diagnostic(("columns", i, "formula"), "E-FORMULA", message)
                break
            if current not in seen:
                seen.add(current)
                todo += reads.get(current, [])


def _row(doc: Document, path: tuple, row: Mapping[str, Any], columns: Mapping[str, Any]) -> Iterator[Diagnostic]:
    for name, value in row.items():
        at = (*path, name)
        column = columns.get(name)
        if column is None:
            known = ", ".join(columns)
            yield doc.diagnostic(at, "E-ROW", f"no column is named '{name}'; the columns are {known}", key=True)
        elif "formula" in column:
            yield doc.diagnostic(at, "E-ROW", f"'{name}' is computed by its formula: leave it out of the row", key=True)
        elif column["type"] in NUMERIC and isinstance(value, str):
            yield doc.diagnostic(at, "E-ROW", f"'{name}' takes a number, not {value!r} (a percent as a fraction: 0.05)")
        elif column["type"] == "date" and not (isinstance(value, str) and DAY.match(value)):
            yield doc.diagnostic(at, "E-ROW", f"'{name}' takes a date written as \"2026-03-31\", not {value!r}")
        elif column["type"] == "choice" and value not in column.get("allowed", []):
            allowed = ", ".join(column.get("allowed", []))
            yield doc.diagnostic(at, "E-ROW", f"'{name}' takes one of {allowed}, not {value!r}")


def _fill(doc: Document, path: tuple, fill: Mapping[str, Any], headings: list[str]) -> Iterator[Diagnostic]:
    source = "agenda" if "agenda" in fill else "activities"
    for key in ("cells", "letters"):
        for name, field in fill.get(key, {}).items():
            if name not in headings:
                message = f"no column is named '{name}'; the columns are {', '.join(headings)}"
                yield doc.diagnostic((*path, key, name), "E-ROW", message, key=True)
            elif key == "cells" and field not in FIELDS[source]:
                message = f"rows from {source} have no '{field}'; they have {', '.join(FIELDS[source])}"
                yield doc.diagnostic((*path, key, name), "E-ROW", message)

"""Template downloads: every generated file opens in its own library, says where it came from,
and comes out byte for byte the same on every build."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import markdown
import openpyxl
import pytest
import yaml

from playbook.content.catalog import Catalog
from playbook.content.errors import PlaybookError
from playbook.content.formulas import LANGUAGE, FormulaError, parse
from playbook.content.model import Column, Section, Template
from playbook.content.validate import validate_tree
from playbook.downloads.files import Download, all_downloads, template_downloads
from playbook.downloads.names import file_name
from playbook.downloads.provenance import Stamp, version_date

from .conftest import GOOD, ROOT

URL = "https://pmo.example.org/"
FORMATS = {
    "text": "General",
    "choice": "General",
    "integer": "0",
    "number": "#,##0.00",
    "currency": "#,##0.00;[Red]-#,##0.00",
    "percent": "0%",
    "date": "yyyy-mm-dd",
}
"""The Excel number format each column type must get."""
UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test generates for itself, so reproducibility is really tested, not read back from the cache."""
    from playbook.downloads import files as downloads

    downloads.clear_cache()
    yield
    downloads.clear_cache()


def load(root: Path) -> Catalog:
    result = validate_tree(root)
    assert [str(d) for d in result.diagnostics] == []
    return Catalog.of(result.entities)


def generate(catalog: Catalog, source_url: str = URL) -> dict[str, Download]:
    """All downloads by path, built as a plain build would: without SOURCE_DATE_EPOCH, and afresh."""
    from playbook.downloads import files as downloads

    downloads.clear_cache()  # a cached result would make every "two builds" comparison trivially equal
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        return {d.path: d for d in all_downloads(catalog, source_url=source_url)}


@pytest.fixture(scope="module")
def good() -> Catalog:
    return load(GOOD)


@pytest.fixture(scope="module")
def starter() -> Catalog:
    return load(ROOT / "standards")


@pytest.fixture(scope="module")
def good_files(good: Catalog) -> dict[str, Download]:
    return generate(good)


@pytest.fixture(scope="module")
def starter_files(starter: Catalog) -> dict[str, Download]:
    return generate(starter)


def templates(catalog: Catalog, fmt: str) -> list[Template]:
    return [t for t in catalog.of_kind("Template") if fmt in t.outputs]  # type: ignore[attr-defined]


def line(template: Template) -> str:
    return f"{template.id} {template.title} · v{template.version} · {version_date(template)} · {URL}{template.id}/"


def open_docx(files: dict[str, Download], template: Template) -> docx.document.Document:
    return docx.Document(io.BytesIO(files[f"downloads/{file_name(template, 'docx')}"].data))


def open_xlsx(files: dict[str, Download], template: Template) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(files[f"downloads/{file_name(template, 'xlsx')}"].data))


def dropdowns(workbook: openpyxl.Workbook) -> dict[str, list[str]]:
    """Cell range → the values its list drop-down offers (the rule's formula names a range)."""
    found = {}
    for rule in workbook.worksheets[0].data_validations.dataValidation:
        if rule.type != "list":
            continue
        sheet, cells = rule.formula1.split("!")
        found[str(rule.sqref)] = [c[0].value for c in workbook[sheet][cells.replace("$", "")]]
    return found


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- names and dates ----------------------------------------------------------------------


def test_file_names_carry_id_slug_and_version(good: Catalog):
    raid = good.by_id["TPL-002"]
    assert file_name(raid, "xlsx") == "TPL-002-raid-log-v1.2.0.xlsx"
    assert file_name(raid, "csv") == "TPL-002-raid-log-v1.2.0.csv"


def test_version_date_is_the_changelog_date_of_the_current_version(starter: Catalog):
    raid = starter.by_id["TPL-007"]
    assert version_date(dataclasses.replace(raid, version="1.2.0")) == "2026-02-02"
    assert version_date(dataclasses.replace(raid, version="1.1.0")) == "2025-06-02"
    with pytest.raises(PlaybookError, match=re.escape("no changelog entry for version 9.9.9")):
        version_date(dataclasses.replace(raid, version="9.9.9"))


def test_every_output_then_the_zips_then_the_manifest(good_files: dict[str, Download]):
    assert [(p, d.id, d.version, d.format) for p, d in good_files.items()] == [
        ("downloads/TPL-001-status-report-v1.0.0.docx", "TPL-001", "1.0.0", "docx"),
        ("downloads/TPL-001-status-report-v1.0.0.md", "TPL-001", "1.0.0", "md"),
        ("downloads/TPL-002-raid-log-v1.2.0.csv", "TPL-002", "1.2.0", "csv"),
        ("downloads/TPL-002-raid-log-v1.2.0.xlsx", "TPL-002", "1.2.0", "xlsx"),
        ("downloads/phase-execution.zip", "", "", "zip"),  # initiation has no templates, so no zip
        ("downloads/playbook-templates.zip", "", "", "zip"),
        ("downloads/manifest.json", "", "", "json"),
    ]


def test_retired_templates_get_no_downloads(good: Catalog):
    retired = dataclasses.replace(good.by_id["TPL-001"], status="retired")
    files = generate(Catalog.of([retired if e.id == "TPL-001" else e for e in good.entities]))
    assert not [p for p in files if "TPL-001" in p]
    everything = zip_entries(files["downloads/playbook-templates.zip"].data)
    assert sorted(everything) == ["TPL-002-raid-log-v1.2.0.csv", "TPL-002-raid-log-v1.2.0.xlsx", "manifest.json"]


# --- Word ---------------------------------------------------------------------------------


def test_docx_has_headings_guidance_and_tables(good: Catalog, good_files: dict[str, Download]):
    document = open_docx(good_files, good.by_id["TPL-001"])
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Heading 1", "Status report"),
        ("Guidance", "A one-page fortnightly status report for sponsors."),
        ("Heading 2", "Overall health"),
        ("Guidance", "Give the RAG status and one sentence why."),
        ("Normal", ""),
        ("Heading 2", "Milestones"),
        ("Guidance", "List the next milestones and their forecast dates."),
    ]
    assert document.styles["Guidance"].font.italic is True
    [table] = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Milestone", "Baseline date", "Forecast date"],
        *[["", "", ""]] * 3,
    ]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_docx_carries_its_provenance(good: Catalog, good_files: dict[str, Download]):
    template = good.by_id["TPL-001"]
    document = open_docx(good_files, template)
    props = document.core_properties
    midnight = dt.datetime(2025, 6, 1, tzinfo=UTC)
    assert (props.title, props.identifier, props.version) == ("Status report", "TPL-001", "1.0.0")
    assert (props.created, props.modified) == (midnight, midnight)
    assert (props.author, props.last_modified_by) == ("PMO Playbook", "PMO Playbook")
    assert (
        props.subject
        == line(template)
        == "TPL-001 Status report · v1.0.0 · 2025-06-01 · https://pmo.example.org/TPL-001/"
    )
    assert props.keywords == "TPL-001, v1.0.0, 2025-06-01"
    assert document.sections[0].footer.paragraphs[0].text == line(template)


def test_every_starter_docx_follows_its_definition(starter: Catalog, starter_files: dict[str, Download]):
    documents = templates(starter, "docx")
    assert len(documents) == 8
    for template in documents:
        document = open_docx(starter_files, template)
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        assert headings == [s.heading for s in template.sections], template.id
        tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
        assert tables == [list(s.table) for s in template.sections if s.table], template.id
        assert document.sections[0].footer.paragraphs[0].text == line(template)
        assert document.core_properties.identifier == template.id


# --- Excel --------------------------------------------------------------------------------


def test_xlsx_has_header_formats_dropdowns_and_about(good: Catalog, good_files: dict[str, Download]):
    template = good.by_id["TPL-002"]
    workbook = open_xlsx(good_files, template)
    assert workbook.sheetnames == ["RAID log", "About", "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    sheet = workbook["RAID log"]
    assert [c.value for c in sheet[1]] == ["Type", "Description", "Raised on"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].comment.text == "Required."
    assert sheet["B1"].comment is None
    assert sheet.column_dimensions["C"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].number_format == "General"
    assert sheet.column_dimensions["B"].width >= len("Description")
    assert dropdowns(workbook) == {"A2:A1048576": ["Risk", "Assumption", "Issue", "Dependency"]}
    typed = [r for r in sheet.data_validations.dataValidation if r.type != "list"]
    assert [(str(r.sqref), r.type, r.operator, r.error) for r in typed] == [
        ("C2:C1048576", "date", "between", "Enter a date, such as 2026-03-31.")
    ]
    about = workbook["About"]
    assert about["A1"].value == line(template)
    assert [c.value for c in about[4]] == ["Column", "Type", "Required", "Allowed values", "Description"]
    assert [c.value for c in about[5]][:4] == ["Type", "choice", "yes", "Risk, Assumption, Issue, Dependency"]


def test_xlsx_carries_its_provenance(good: Catalog, good_files: dict[str, Download]):
    template = good.by_id["TPL-002"]
    props = open_xlsx(good_files, template).properties
    assert (props.title, props.identifier, props.version) == ("RAID log", "TPL-002", "1.2.0")
    assert props.subject == line(template)
    assert props.keywords == "TPL-002, v1.2.0, 2026-01-10"
    assert props.created == props.modified == dt.datetime(2026, 1, 10)  # openpyxl reads UTC as naive
    assert (props.creator, props.lastModifiedBy) == ("PMO Playbook", "PMO Playbook")


def test_every_starter_xlsx_follows_its_definition(starter: Catalog, starter_files: dict[str, Download]):
    tables = templates(starter, "xlsx")
    assert len(tables) == 6
    seen_types = set()
    for template in tables:
        workbook = open_xlsx(starter_files, template)
        sheet = workbook.worksheets[0]
        assert [c.value for c in sheet[1]] == [c.name for c in template.columns], template.id
        assert sheet.freeze_panes == "A2"
        expected_dropdowns = {}
        for index, column in enumerate(template.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            fmt = sheet.column_dimensions[letter].number_format
            assert fmt == FORMATS[column.type], (template.id, column.name)
            seen_types.add(column.type)
            if column.type == "choice":
                expected_dropdowns[f"{letter}2:{letter}1048576"] = list(column.allowed)
        assert dropdowns(workbook) == expected_dropdowns, template.id
        assert workbook["About"]["A1"].value == line(template)
    assert seen_types == {"text", "choice", "date", "currency", "percent", "number", "integer"}


# --- Markdown and CSV ---------------------------------------------------------------------


def test_md_has_front_matter_sections_and_table(good_files: dict[str, Download]):
    text = good_files["downloads/TPL-001-status-report-v1.0.0.md"].data.decode()
    _, front, body = text.split("---\n", 2)
    assert yaml.safe_load(front) == {
        "id": "TPL-001",
        "title": "Status report",
        "version": "1.0.0",
        "date": "2025-06-01",
        "source": "https://pmo.example.org/TPL-001/",
    }
    assert "\n# Status report\n" in body
    assert "\n## Overall health\n\n> Give the RAG status and one sentence why.\n" in body
    assert body.endswith(
        "## Milestones\n\n> List the next milestones and their forecast dates.\n\n"
        "| Milestone | Baseline date | Forecast date |\n| --- | --- | --- |\n" + "|  |  |  |\n" * 3
    )


def test_md_front_matter_without_a_site_url(good: Catalog):
    [md] = [d for d in template_downloads(good.by_id["TPL-001"], source_url="") if d.format == "md"]
    front = yaml.safe_load(md.data.decode().split("---\n")[1])
    assert front["source"] == ""
    docx_file = next(d for d in template_downloads(good.by_id["TPL-001"], source_url="") if d.format == "docx")
    footer = docx.Document(io.BytesIO(docx_file.data)).sections[0].footer.paragraphs[0].text
    assert footer == "TPL-001 Status report · v1.0.0 · 2025-06-01"


def test_csv_is_the_header_row_and_the_pre_filled_rows(starter: Catalog, starter_files: dict[str, Download]):
    for template in templates(starter, "csv"):
        data = starter_files[f"downloads/{file_name(template, 'csv')}"].data
        assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
        assert data.endswith(b"\r\n")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == [c.name for c in template.columns]
        if template.id not in ("TPL-004", "TPL-009"):
            assert rows[1:] == [], template.id
    budget = starter.by_id["TPL-009"]
    rows = list(
        csv.reader(io.StringIO(starter_files[f"downloads/{file_name(budget, 'csv')}"].data.decode("utf-8-sig")))
    )
    # the contingency line, its computed cells empty; the example row is not there: a tool would import it as data
    assert rows[1:] == [
        ["Contingency", *[""] * 9, "Held by the budget owner; released only by an approved change request."]
    ]


def test_formula_like_names_stay_text(good: Catalog):
    raid = good.by_id["TPL-002"]
    columns = (Column(name="=1+1", type="text"), Column(name="Owner", type="text"))
    files = {d.format: d.data for d in template_downloads(dataclasses.replace(raid, columns=columns), source_url="")}
    header = openpyxl.load_workbook(io.BytesIO(files["xlsx"])).worksheets[0]["A1"]
    assert (header.value, header.data_type) == ("=1+1", "s")
    assert next(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig")))) == ["'=1+1", "Owner"]


def test_long_texts_and_clashing_sheet_names_still_work(good: Catalog):
    raid = dataclasses.replace(good.by_id["TPL-002"], title="Lists", summary="A long summary. " * 25)
    files = {d.format: d.data for d in template_downloads(raid, source_url=URL + "x" * 200)}
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert workbook.sheetnames[1:] == ["About", "Lists"]  # the fixed sheets keep their names
    assert dropdowns(workbook) == {"A2:A1048576": ["Risk", "Assumption", "Issue", "Dependency"]}
    assert len(workbook.properties.description) == 255


# --- manifest and zips --------------------------------------------------------------------


def check_manifest(data: bytes, files: dict[str, bytes]) -> list[dict]:
    """The manifest is canonical JSON and its sizes and hashes match `files` (path → bytes)."""
    manifest = json.loads(data)
    assert data == (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    entries = manifest["files"]
    assert [e["path"] for e in entries] == sorted(files)
    for entry in entries:
        assert set(entry) == {"path", "id", "version", "format", "size", "sha256"}
        assert entry["size"] == len(files[entry["path"]]), entry["path"]
        assert entry["sha256"] == hashlib.sha256(files[entry["path"]]).hexdigest(), entry["path"]
    return entries


def test_manifest_lists_every_file_with_its_hash(starter_files: dict[str, Download]):
    others = {p: d.data for p, d in starter_files.items() if p != "downloads/manifest.json"}
    entries = check_manifest(starter_files["downloads/manifest.json"].data, others)
    by_path = {e["path"]: e for e in entries}
    assert by_path["downloads/TPL-007-raid-log-v1.3.0.xlsx"] | {"sha256": "", "size": 0} == {
        "path": "downloads/TPL-007-raid-log-v1.3.0.xlsx",
        "id": "TPL-007",
        "version": "1.3.0",
        "format": "xlsx",
        "sha256": "",
        "size": 0,
    }
    assert by_path["downloads/playbook-templates.zip"]["format"] == "zip"


def test_every_zip_holds_its_own_manifest(starter_files: dict[str, Download]):
    zips = [d for d in starter_files.values() if d.format == "zip"]
    assert len(zips) == 6  # five phases and everything
    for bundle in zips:
        entries = zip_entries(bundle.data)
        manifest = entries.pop("manifest.json")
        listed = check_manifest(manifest, entries)
        for entry in listed:  # the same bytes as the loose file of that name
            assert starter_files[f"downloads/{entry['path']}"].data == entries[entry["path"]]


def test_phase_zips_hold_the_phase_templates_and_deliverables(starter: Catalog, starter_files: dict[str, Download]):
    def ids(path: str) -> set[str]:
        return {e["id"] for e in json.loads(zip_entries(starter_files[path].data)["manifest.json"])["files"]}

    assert "TPL-007" in ids("downloads/phase-closing.zip")  # named in both its phases and the deliverables
    assert "TPL-007" not in ids("downloads/phase-initiation.zip")
    for phase in starter.phases.values():
        used = {t.id for t in starter.of_kind("Template") if phase.id in t.phases}  # type: ignore[attr-defined]
        assert ids(f"downloads/phase-{phase.id}.zip") == used | set(phase.deliverables), phase.id
    assert len(ids("downloads/playbook-templates.zip")) == 14


def test_good_phase_zip_takes_phases_and_deliverables(good_files: dict[str, Download]):
    # TPL-001 lists `execution` in its phases; TPL-002 is only an execution deliverable
    assert sorted(zip_entries(good_files["downloads/phase-execution.zip"].data)) == [
        "TPL-001-status-report-v1.0.0.docx",
        "TPL-001-status-report-v1.0.0.md",
        "TPL-002-raid-log-v1.2.0.csv",
        "TPL-002-raid-log-v1.2.0.xlsx",
        "manifest.json",
    ]


# --- reproducible bytes -------------------------------------------------------------------


def zip_infos(files: dict[str, Download]) -> dict[str, list[zipfile.ZipInfo]]:
    return {
        p: zipfile.ZipFile(io.BytesIO(d.data)).infolist()
        for p, d in files.items()
        if d.format in ("docx", "xlsx", "zip")
    }


def test_zip_entries_are_sorted_with_fixed_time_and_mode(good_files: dict[str, Download]):
    infos = zip_infos(good_files)
    assert len(infos) == 4
    for path, entries in infos.items():
        names = [i.filename for i in entries]
        assert names == sorted(names), path  # `[` sorts before letters: [Content_Types].xml comes first
        for info in entries:
            assert (info.external_attr >> 16) & 0o777 == 0o644
            assert info.create_system == 3
    docx_infos = infos["downloads/TPL-001-status-report-v1.0.0.docx"]
    assert {i.date_time for i in docx_infos} == {(2025, 6, 1, 0, 0, 0)}
    assert "word/styles.xml" in {i.filename for i in docx_infos}
    assert "word/stylesWithEffects.xml" not in {i.filename for i in docx_infos}  # dropped: Word 2010 only
    assert {i.date_time for i in infos["downloads/TPL-002-raid-log-v1.2.0.xlsx"]} == {(2026, 1, 10, 0, 0, 0)}
    # a zip of several templates takes the newest version date
    assert {i.date_time for i in infos["downloads/phase-execution.zip"]} == {(2026, 1, 10, 0, 0, 0)}


def test_two_builds_give_identical_bytes_whatever_the_clock(good: Catalog, monkeypatch: pytest.MonkeyPatch):
    first = generate(good)
    later = time.time() + 400 * 86400  # zipfile stamps entries with time.localtime(time.time())
    monkeypatch.setattr(time, "time", lambda: later)
    second = generate(good)
    assert list(first) == list(second)
    for path in first:
        assert first[path].data == second[path].data, path


def test_another_process_in_another_time_zone_gives_identical_bytes(good_files: dict[str, Download]):
    code = (
        "import sys; from pathlib import Path; from playbook.content.catalog import Catalog; "
        "from playbook.content.validate import validate_tree; from playbook.downloads.files import all_downloads; "
        f"c = Catalog.of(validate_tree(Path({str(GOOD)!r})).entities); "
        f"sys.stdout.buffer.write(all_downloads(c, source_url={URL!r})[-1].data)"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env |= {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, check=True).stdout
    assert out == good_files["downloads/manifest.json"].data  # the manifest hashes every other file


def test_source_date_epoch_sets_the_zip_times(good: Catalog, good_files, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = {d.path: d for d in all_downloads(good, source_url=URL)}
    for path, entries in zip_infos(files).items():
        assert {i.date_time for i in entries} == {time.gmtime(1700000000)[:6]}, path
        assert files[path].data != good_files[path].data
    # the properties keep the version date: it is provenance, not build time
    props = open_docx(files, good.by_id["TPL-001"]).core_properties
    assert props.created == dt.datetime(2025, 6, 1, tzinfo=UTC)
    assert (
        files["downloads/TPL-001-status-report-v1.0.0.md"].data
        == good_files["downloads/TPL-001-status-report-v1.0.0.md"].data
    )
    assert {d.path: d.data for d in all_downloads(good, source_url=URL)} == {p: d.data for p, d in files.items()}


def test_a_later_source_date_epoch_keeps_the_version_dates(good: Catalog, good_files, monkeypatch):
    # `playbook build` dates a build by its commit: an unchanged template keeps its bytes and hash
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01
    assert {d.path: d.data for d in all_downloads(good, source_url=URL)} == {p: d.data for p, d in good_files.items()}


def test_source_date_epoch_before_1980_is_clamped_and_garbage_refused(good: Catalog, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    [docx_file] = [d for d in template_downloads(good.by_id["TPL-001"], source_url="") if d.format == "docx"]
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(docx_file.data)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PlaybookError, match="SOURCE_DATE_EPOCH must be a whole number"):
        template_downloads(good.by_id["TPL-001"], source_url="")


# --- attached files -----------------------------------------------------------------------


def attach(good_catalog: Path, line: str) -> Template:
    """TPL-001 of a copy of the good catalog, with `files:` set and an asset folder holding two files."""
    folder = good_catalog / "templates" / "TPL-001-status-report"
    (folder / "examples").mkdir(parents=True)
    (folder / "checklist.txt").write_bytes(b"1. Check\n")
    (folder / "examples" / "filled.pdf").write_bytes(b"%PDF-1.4\n\x00binary\xff")
    yaml_file = folder.with_suffix(".yaml")
    yaml_file.write_text(yaml_file.read_text() + line + "\n")
    return load(good_catalog).by_id["TPL-001"]  # type: ignore[return-value]


def test_attached_files_are_copied_as_they_are(good_catalog: Path):
    template = attach(good_catalog, "files: [examples/filled.pdf, checklist.txt]")
    files = {d.path: d for d in template_downloads(template, source_url="")}
    assert files["downloads/TPL-001-status-report-v1.0.0-files/checklist.txt"].data == b"1. Check\n"
    filled = files["downloads/TPL-001-status-report-v1.0.0-files/examples/filled.pdf"]
    assert (filled.id, filled.version, filled.format, filled.data) == (
        "TPL-001",
        "1.0.0",
        "file",
        b"%PDF-1.4\n\x00binary\xff",
    )
    everything = generate(load(good_catalog))
    bundle = zip_entries(everything["downloads/phase-execution.zip"].data)
    assert bundle["TPL-001-status-report-v1.0.0-files/checklist.txt"] == b"1. Check\n"
    # attached files sort before their template's docx by path, after it by format: the manifest goes by path
    others = {p: d.data for p, d in everything.items() if p != "downloads/manifest.json"}
    check_manifest(everything["downloads/manifest.json"].data, others)
    check_manifest(bundle.pop("manifest.json"), bundle)


@pytest.mark.parametrize("name", ["../TPL-002-raid-log.yaml", "/etc/hostname", "link-out", "missing.txt", "examples"])
def test_attached_paths_leaving_the_folder_are_refused(good_catalog: Path, tmp_path: Path, name: str):
    template = attach(good_catalog, "")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (template.doc.asset_dir / "link-out").symlink_to(outside)
    with pytest.raises(
        PlaybookError, match=re.escape(f"attached file '{name}' is not a file inside TPL-001-status-report/")
    ):
        template_downloads(dataclasses.replace(template, files=(name,)), source_url="")


def test_rebuilds_reuse_downloads_until_the_template_changes(tmp_path, monkeypatch):
    """Under `mkdocs serve` each rebuild regenerates only templates whose content changed."""
    import shutil

    from playbook.downloads import files as downloads

    root = tmp_path / "standards"
    shutil.copytree(GOOD, root)
    made: list[str] = []  # the templates whose files were generated, in order
    generate_files = downloads.template_downloads
    monkeypatch.setattr(downloads, "template_downloads", lambda t, **kw: made.append(t.id) or generate_files(t, **kw))

    def rebuild() -> dict[str, bytes]:
        made.clear()
        return {d.path: d.data for d in downloads.all_downloads(load(root), source_url="")}

    first = rebuild()
    assert sorted(made) == ["TPL-001", "TPL-002"]
    assert rebuild() == first
    assert made == []  # the same files, none generated again
    yaml_file = root / "templates" / "TPL-002-raid-log.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("name: Description", "name: Details"))
    changed = rebuild()
    assert made == ["TPL-002"]
    sheet = openpyxl.load_workbook(io.BytesIO(changed["downloads/TPL-002-raid-log-v1.2.0.xlsx"])).worksheets[0]
    cells = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "Details" in cells and "Description" not in cells  # the rebuilt file has the new column name
    assert (
        changed["downloads/TPL-001-status-report-v1.0.0.docx"] == first["downloads/TPL-001-status-report-v1.0.0.docx"]
    )


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_every_cell_a_spreadsheet_would_evaluate_is_quoted_in_csv(good: Catalog, name: str):
    # OWASP lists a tab and a carriage return with = + - @ (https://owasp.org/www-community/attacks/CSV_Injection)
    raid = dataclasses.replace(good.by_id["TPL-002"], columns=(Column(name=name, type="text"),))
    data = next(d.data for d in template_downloads(raid, source_url="") if d.format == "csv")
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))) == [f"'{name}"]


def test_markdown_downloads_show_template_text_as_text(good: Catalog):
    from playbook.downloads.text_files import md_file

    hostile = 'Head <img src="https://evil.example/t.png"> ![x](https://evil.example/p.png) *b* | `c`'
    template = dataclasses.replace(
        good.by_id["TPL-001"],
        title=hostile,
        sections=(Section(heading=hostile, prompt=f"Say {hostile}", table=(hostile,)),),
    )
    rendered = markdown.markdown(
        md_file(template, Stamp("TPL-001", "t", "1.0.0", "2025-06-01", "")).decode(), extensions=["tables"]
    )
    assert "<img" not in rendered and "<em>" not in rendered and "<code>" not in rendered
    assert rendered.count('img src="https://evil.example/t.png"') >= 4  # as text: title, heading, prompt, cell


def test_each_role_has_a_self_assessment_sheet_and_a_markdown_checklist(tmp_path):
    from playbook.content.validate import validate_tree
    from playbook.site.checklists import checklist_files, checklists

    catalog = Catalog.of(validate_tree(ROOT / "standards").entities)
    files = dict(checklist_files(catalog, "https://pmo.example.org/"))
    lead = checklists(catalog)["project-lead"]
    sheet = openpyxl.load_workbook(io.BytesIO(files["downloads/checklists/project-lead.xlsx"])).active
    assert [c.value for c in sheet[1]] == [
        "Requirement",
        "Level",
        "Phase",
        "What it requires",
        "Link",
        "Status",
        "Evidence",
        "Comment",
    ]
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(lead))] == [
        f"{i.standard.id} {i.requirement.id}" for i in lead
    ]
    assert sheet.cell(row=2, column=5).value.startswith("https://pmo.example.org/standards/")
    [status] = sheet.data_validations.dataValidation
    assert (str(status.sqref), status.formula1) == ("F2:F1048576", '"Not started,In progress,Done,Not applicable"')
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"  # header on every page
    markdown = files["downloads/checklists/project-lead.md"].decode()
    assert markdown.startswith("# Checklist: Project lead\n") and markdown.count("\n- [ ] **") == len(lead)
    again = dict(checklist_files(catalog, "https://pmo.example.org/"))
    assert again["downloads/checklists/project-lead.xlsx"] is files["downloads/checklists/project-lead.xlsx"]  # kept


# --- Computed columns, totals, colours, example and pre-filled rows, print set-up --------------------


def test_budget_tracker_computes_forecast_variance_and_totals(starter: Catalog, starter_files: dict[str, Download]):
    sheet = open_xlsx(starter_files, starter.by_id["TPL-009"]).worksheets[0]
    assert [c.value for c in sheet[1]][6:10] == [
        "Estimate to complete", "Forecast at completion", "Variance", "Variance percent",
    ]  # fmt: skip
    assert sheet["H2"].value == '=IF(AND(E2="",F2="",G2=""),"",E2+F2+G2)'
    assert sheet["I2"].value == '=IF(AND(H2="",D2=""),"",N(H2)-D2)'  # a computed cell may hold "": N() reads it as 0
    assert sheet["J2"].value == '=IF(AND(D2="",I2=""),"",IF(D2=0,0,N(I2)/D2))'
    assert sheet["H53"].value == '=IF(AND(E53="",F53="",G53=""),"",E53+F53+G53)'  # the last row ready to fill
    assert [sheet[f"{c}54"].value for c in "ADHJ"] == [
        "Total",
        "=SUBTOTAL(109,D3:D53)",
        "=SUBTOTAL(109,H3:H53)",
        "=IF(D54=0,0,N(I54)/D54)",
    ]  # fmt: skip: from row 3, under the example row, which the totals do not count
    assert sheet["D54"].number_format == FORMATS["currency"] and sheet["D54"].font.b
    # the example row, grey italics with a note; then the contingency line every copy starts with
    assert [sheet["A2"].value, sheet["D2"].value, sheet["C2"].value] == [
        "Internal labour",
        120000,
        dt.datetime(2026, 3, 1),
    ]
    assert sheet["A2"].font.i and sheet["A2"].font.color.rgb == "00808080"
    assert sheet["A2"].comment.text == "Example row: replace it with your own, or delete it."
    assert sheet["A3"].value == "Contingency" and not sheet["A3"].font.i
    rules = {str(f.sqref): [r.formula[0] for r in f.rules] for f in sheet.conditional_formatting}
    assert rules["J2:J1048576"] == [
        "AND(ISNUMBER(J2),J2>=0.1)", "AND(ISNUMBER(J2),J2<=-0.1)", "AND(ISNUMBER(J2),J2>=0.05)",
        "AND(ISNUMBER(J2),J2<=-0.05)", "ISNUMBER(J2)",
    ]  # fmt: skip


def test_raid_log_scores_colours_and_prints_landscape(starter: Catalog, starter_files: dict[str, Download]):
    sheet = open_xlsx(starter_files, starter.by_id["TPL-007"]).worksheets[0]
    assert sheet["I1"].value == "Score"
    assert sheet["I2"].value == (
        '=IF(AND(G2="",H2=""),"",IFERROR(MATCH(G2,Lists!$G$2:$G$4,0),0)*IFERROR(MATCH(H2,Lists!$H$2:$H$4,0),0))'
    )
    found = {
        str(f.sqref): [(r.formula[0], r.dxf.fill.fgColor.rgb, r.stopIfTrue) for r in f.rules]
        for f in sheet.conditional_formatting
    }
    red, amber, green = "00FFC7CE", "00FFEB9C", "00C6EFCE"
    assert found["G2:G1048576"] == [('G2="Low"', green, True), ('G2="Medium"', amber, True), ('G2="High"', red, True)]
    assert found["I2:I1048576"] == [
        ("AND(ISNUMBER(I2),I2>=6)", red, True), ("AND(ISNUMBER(I2),I2>=3)", amber, True),
        ("AND(ISNUMBER(I2),I2>=1)", green, True),
    ]  # fmt: skip
    assert [sheet["A2"].value, sheet["G2"].value, sheet["H2"].value] == ["R-001", "Medium", "High"]
    assert sheet["A2"].font.i
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddFooter.left.text == line(starter.by_id["TPL-007"])


def test_raci_matrix_is_filled_from_the_lifecycle(starter: Catalog, starter_files: dict[str, Download]):
    template = starter.by_id["TPL-004"]
    sheet = open_xlsx(starter_files, template).worksheets[0]
    roles = [c.name for c in template.columns[2:-1]]
    assert roles[:2] == ["Executive sponsor", "Project lead"]
    by_title = {r.title: r.id for r in starter.of_kind("Role")}  # type: ignore[attr-defined]
    expected = [
        [a.title, phase.title, *(a.raci.letters(by_title[role]) or None for role in roles)]
        for phase in starter.lifecycle.phases  # type: ignore[union-attr]
        for a in phase.activities
    ]
    assert [[c.value for c in row][:-1] for row in sheet.iter_rows(min_row=2)] == expected
    assert expected[8][:4] == ["Open the RAID log with the assumptions from the brief", "Planning", None, "R/A"]
    rows = list(
        csv.reader(io.StringIO(starter_files[f"downloads/{file_name(template, 'csv')}"].data.decode("utf-8-sig")))
    )
    assert rows[9][:4] == ["Open the RAID log with the assumptions from the brief", "Planning", "", "R/A"]


def test_kickoff_agenda_is_timed_from_the_ceremony(starter: Catalog, starter_files: dict[str, Download]):
    template = starter.by_id["TPL-003"]
    agenda = next(t for t in open_docx(starter_files, template).tables if t.rows[0].cells[0].text == "Start")
    rows = [[c.text for c in row.cells] for row in agenda.rows]
    assert rows[:3] == [
        ["Start", "Item", "Minutes", "Led by"],
        ["0:00", "Introductions and roles", "10", ""],
        ["0:10", "The sponsor explains why the project matters", "10", ""],
    ]
    assert rows[-1] == ["1:20", "Ways of working, actions and close", "10", ""]  # 90 minutes, no empty rows after
    md = starter_files[f"downloads/{file_name(template, 'md')}"].data.decode()
    assert (
        "| Start | Item | Minutes | Led by |\n| --- | --- | --- | --- |\n| 0:00 | Introductions and roles | 10 |  |\n"
        in md
    )


def test_status_report_rates_four_dimensions_overall_and_recovery(starter: Catalog, starter_files: dict[str, Download]):
    tables = open_docx(starter_files, starter.by_id["TPL-006"]).tables
    health = next(t for t in tables if t.rows[0].cells[1].text == "RAG this period")
    assert [row.cells[0].text for row in health.rows] == ["Dimension", "Schedule", "Budget", "Scope", "Risk", "Overall"]
    recovery = next(t for t in tables if t.rows[0].cells[1].text == "Recovery action")
    assert len(recovery.rows) == 4  # the header and three rows to fill


def test_a_formula_reaches_excel_only_as_parsed(good: Catalog):
    raid = good.by_id["TPL-002"]
    columns = (
        Column(name='=HYPERLINK("http://evil.example")', type="number"),
        Column(name="Double", type="number", formula='"=HYPERLINK(""http://evil.example"")" * 2'),
    )
    # the name cannot be referenced (it holds quotes), so the parser refuses the formula
    with pytest.raises(FormulaError):
        parse(columns[1].formula)
    columns = (Column(name="+cmd", type="number"), Column(name="Double", type="number", formula='"+cmd" * 2'))
    files = {d.format: d.data for d in template_downloads(dataclasses.replace(raid, columns=columns), source_url="")}
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"])).worksheets[0]
    assert sheet["A1"].value == "+cmd" and sheet["A1"].data_type == "s"
    assert sheet["B2"].value == '=IF(AND(A2=""),"",A2*2)'  # the name became a cell reference, never text


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("=cmd|' /C calc'!A0", "unexpected '|' at position 5; a formula takes " + LANGUAGE),
        ('=1+"A"', "unexpected '=' at position 1; expected a column name, a number or '('"),
        ("A1 * 2", "unknown function 'A' at position 1; the functions are MIN, MAX, ABS, ROUND, IF, LEVEL"),
        (
            'HYPERLINK("x")',
            "unknown function 'HYPERLINK' at position 1; the functions are MIN, MAX, ABS, ROUND, IF, LEVEL",
        ),
        ('"A" & "B"', "unexpected '&' at position 5; a formula takes " + LANGUAGE),
        ("Lists!$A$1", "unexpected '!' at position 6; a formula takes " + LANGUAGE),
        (
            'IF("A", 1, 2)',
            "unexpected ',' at position 7; expected a comparison (= <> < <= > >=) in the condition of IF",
        ),
        ('"A" > 1', "unexpected '>' at position 5; a formula takes " + LANGUAGE),
        ("LEVEL(1)", 'LEVEL at position 1 takes one column name, as LEVEL("Impact")'),
        ("(" * 30 + "1" + ")" * 30, "the formula nests deeper than 20 levels; split it over more columns"),
    ],
)
def test_a_formula_outside_the_language_is_refused(formula: str, message: str):
    with pytest.raises(FormulaError) as refused:
        parse(formula)
    assert str(refused.value) == message

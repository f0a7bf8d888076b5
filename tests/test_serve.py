"""`playbook serve` rebuilds dirty: after an edit, only pages whose Markdown changed are written again."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from playbook.content.catalog import Catalog
from playbook.content.load import Loaded
from playbook.content.validate import validate_tree
from playbook.site.bodies import rendered_bodies
from playbook.site.page_cache import PageCache
from playbook.site.pages import entity_page
from tests.conftest import ROOT

OLD = 1_000_000_000  # a modification time long before any build


def _dirty_build(project: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
    finally:
        config.plugins.on_startup(command="build", dirty=False)  # the plugin instance outlives this test


def test_a_dirty_rebuild_writes_only_what_changed(good_catalog: Path, make_site):
    project = make_site(good_catalog)
    _dirty_build(project)
    site = project / "site"
    edited = site / "standards" / "status-reporting" / "index.html"
    untouched = [site / "standards" / "weekly-status" / "index.html", site / "roles" / "pmo-lead" / "index.html"]
    for page in [edited, *untouched]:
        os.utime(page, (OLD, OLD))
    std = good_catalog / "STD-001-status-reporting.yaml"
    std.write_text(std.read_text().replace("summary: How projects", "summary: Edited. How projects"))

    _dirty_build(project)

    assert "Edited. How projects" in edited.read_text(encoding="utf-8")
    assert edited.stat().st_mtime > OLD
    assert [page.stat().st_mtime for page in untouched] == [OLD, OLD]


def test_a_glossary_edit_reaches_every_page_that_uses_the_term(good_catalog: Path, make_site):
    project = make_site(good_catalog, {"index.md": "# Home\n\nThe PMO helps.\n"})
    _dirty_build(project)
    site = project / "site"
    pages = [site / "index.html", site / "standards" / "weekly-status" / "index.html"]
    assert all("The team that sets standards" in page.read_text(encoding="utf-8") for page in pages)
    glossary = good_catalog / "glossary" / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("The team that sets standards", "The office that keeps standards"))

    _dirty_build(project)

    for page in pages:  # neither page's Markdown changed, but its hover text did
        assert "The office that keeps standards" in page.read_text(encoding="utf-8"), page
    untouched = [page.stat().st_mtime for page in pages]
    _dirty_build(project)  # nothing changed since: nothing written
    assert [page.stat().st_mtime for page in pages] == untouched


def test_a_rebuild_writes_again_the_hand_written_pages_whose_macros_show_what_changed(good_catalog: Path, make_site):
    pages = {"index.md": "# Home\n\n{{ standards_table() }}\n", "about.md": "# About\n\nNo macros here.\n"}
    project = make_site(good_catalog, pages)
    _dirty_build(project)
    home, about = project / "site" / "index.html", project / "site" / "about" / "index.html"
    later = time.time() + 10_000  # after their sources: MkDocs takes a hand-written page as modified otherwise
    for page in (home, about):
        os.utime(page, (later, later))
    std = good_catalog / "STD-002-weekly-status.yaml"
    std.write_text(std.read_text().replace("\ntitle: Weekly status", "\ntitle: Weekly status, renamed"))

    _dirty_build(project)

    assert "Weekly status, renamed" in home.read_text(encoding="utf-8")  # its Markdown is the same; its table is not
    assert about.stat().st_mtime == later  # no macro: not written again
    os.utime(home, (later, later))
    _dirty_build(project)  # nothing changed since: nothing written
    assert home.stat().st_mtime == later


def test_a_rebuild_indexes_each_page_once_for_search(good_catalog: Path, make_site):
    from .conftest import build as full_build

    project = make_site(good_catalog)
    _dirty_build(project)
    index = project / "site" / "search" / "search_index.json"
    for edit in ("First edit.", "Second edit."):  # two standards' pages written again at each rebuild
        for path in good_catalog.glob("STD-00[12]-*.yaml"):
            path.write_text(re.sub(r"\nsummary: (?:\w+ edit\. )?", f"\nsummary: {edit} ", path.read_text(), count=1))
        _dirty_build(project)
    served = json.loads(index.read_text(encoding="utf-8"))["docs"]
    full_build(project)
    fresh = json.loads(index.read_text(encoding="utf-8"))["docs"]
    assert sorted(e["location"] for e in served) == sorted(e["location"] for e in fresh)  # no copies, none lost
    texts, fresh_texts = (" ".join(e["text"] for e in entries) for entries in (served, fresh))
    assert texts.count("Second edit.") == fresh_texts.count("Second edit.") > 0 and "First edit." not in texts


def test_a_full_build_after_serving_writes_everything(good_catalog: Path, make_site):
    from .conftest import build as full_build

    project = make_site(good_catalog)
    _dirty_build(project)
    page = project / "site" / "roles" / "pmo-lead" / "index.html"
    os.utime(page, (OLD, OLD))
    full_build(project)
    assert page.stat().st_mtime > OLD


def test_a_rebuild_leaves_the_404_page_and_sitemap_alone(good_catalog: Path, make_site):
    project = make_site(good_catalog)
    _dirty_build(project)
    kept = [project / "site" / "404.html", project / "site" / "sitemap.xml"]
    for file in kept:
        os.utime(file, (OLD, OLD))
    _dirty_build(project)
    assert [file.stat().st_mtime for file in kept] == [OLD, OLD]


def test_a_rebuild_reads_again_only_the_files_edited(good_catalog: Path):
    from playbook.content.load import load_tree

    reuse: Loaded = {}
    first = {doc.path.name: doc for doc in load_tree(good_catalog, reuse)[0]}
    edited = good_catalog / "STD-001-status-reporting.yaml"
    edited.write_text(edited.read_text().replace("summary: How projects", "summary: Edited. How projects"))
    (good_catalog / "STD-001-status-reporting.md").write_text("A new body.\n")  # a body counts as the file
    gone = next(p for p in good_catalog.rglob("*.yaml") if p.name.startswith("KPI-"))
    gone.unlink()
    second = {doc.path.name: doc for doc in load_tree(good_catalog, reuse)[0]}
    assert second[edited.name] is not first[edited.name] and second[edited.name].body == "A new body.\n"
    assert "Edited. How projects" in second[edited.name].data["summary"]
    same = [name for name in second if name != edited.name]
    assert same and all(second[name] is first[name] for name in same)
    assert gone not in reuse and edited in reuse


def test_serve_hears_of_edits_but_not_of_reads(tmp_path: Path):
    import time

    from mkdocs.livereload import LiveReloadServer

    from playbook.mkdocs.file_events import listen_natively

    watched = tmp_path / "standards"
    watched.mkdir()
    file = watched / "STD-001.yaml"
    file.write_text("id: STD-001\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(watched))
    assert listen_natively(server)
    server.observer.start()
    try:
        time.sleep(0.3)
        for _ in range(3):
            file.read_text()
        time.sleep(0.5)
        assert not server._want_rebuild  # the build reads every file: a read must not start another
        file.write_text("id: STD-002\n")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_reused_document_is_checked_once_but_its_files_and_dates_every_time(good_catalog: Path):
    from playbook.content.rules import _written
    from playbook.content.validate import validate_tree

    template = good_catalog / "templates" / "TPL-002-raid-log.yaml"
    template.write_text(template.read_text().replace("columns:\n", "files: [guide.txt]\ncolumns:\n", 1))
    attached = template.with_suffix("") / "guide.txt"
    attached.parent.mkdir()
    attached.write_text("How to fill in the log.\n")
    reuse: Loaded = {}
    first = validate_tree(good_catalog, reuse)
    assert first.ok, first.diagnostics
    doc = reuse[template][1]
    assert _written.__wrapped__ in doc.kept  # type: ignore[attr-defined]  # what it says, kept with it
    kept = doc.kept[_written.__wrapped__]  # type: ignore[attr-defined]

    attached.unlink()  # the YAML file is not touched, so its document is reused
    second = validate_tree(good_catalog, reuse)
    assert reuse[template][1] is doc and doc.kept[_written.__wrapped__] is kept  # type: ignore[attr-defined]
    assert [(p.code, p.message) for p in second.diagnostics] == [
        ("E-FILE", "attached file TPL-002-raid-log/guide.txt does not exist")
    ]


def test_serve_compiles_each_theme_template_once_and_still_finds_new_overrides(
    good_catalog: Path, make_site, monkeypatch
):
    from mkdocs.config import load_config

    from playbook.mkdocs import theme_cache

    monkeypatch.setattr(theme_cache, "COMPILED", theme_cache._Compiled())
    project = make_site(good_catalog)
    overrides = project / "overrides"
    overrides.mkdir(exist_ok=True)
    theme = load_config(str(project / "mkdocs.yml"), theme={"name": "material", "custom_dir": "overrides"}).theme
    theme_cache.compile_once(theme, project)
    compiled: list[str] = []

    def counted(env):
        make = env.compile

        def compile(source, name=None, *args, **kwargs):
            compiled.append(name)
            return make(source, name, *args, **kwargs)

        env.compile = compile
        return env

    counted(theme.get_env()).get_template("main.html")
    assert compiled == ["main.html"]
    compiled.clear()
    counted(theme.get_env()).get_template("main.html")  # the next rebuild's environment
    assert compiled == []

    (overrides / "main.html").write_text('{% extends "base.html" %}{% block footer %}Ours{% endblock %}')
    (overrides / "extra.css").write_text("body {}")
    edited = counted(theme.get_env())
    assert edited.get_template("main.html").filename == str(overrides / "main.html")
    assert compiled == ["main.html"]  # the override, whose source the cache has not seen
    listed = edited.list_templates()
    assert "extra.css" in listed and "partials/header.html" in listed
    assert not any(name.startswith(".icons/") for name in listed)


def _pages_after(content: Path, edit: Callable[[str, str], str], cache: PageCache, reuse: Loaded) -> dict[str, str]:
    """Apply `edit(file name, text)` to the starter's standards, read them as `serve` does; each page
    from `cache`, checked against the page made afresh."""
    for path in content.glob("STD-*.yaml"):
        text = path.read_text(encoding="utf-8")
        if edit(path.name, text) != text:
            path.write_text(edit(path.name, text), encoding="utf-8")
    result, bodies = rendered_bodies(validate_tree(content, reuse))
    assert result.ok, result.diagnostics
    catalog = Catalog.of(result.entities)
    pages = cache.pages(catalog, bodies, {})
    assert pages == {e.id: entity_page(catalog, e, bodies.get(e.id, ""), {}) for e in catalog.entities}
    return pages


def test_a_rebuild_makes_again_only_the_pages_an_edit_can_change(tmp_path: Path):
    content = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", content)
    cache, reuse = PageCache(), Loaded()
    first = _pages_after(content, lambda _name, text: text, cache, reuse)
    standards = sum(1 for e in first if e.startswith("STD-"))
    principles = sum(1 for e in first if e.startswith("PRI-"))
    assert cache.made == len(first) > standards + principles > standards > 10

    # a standard's summary, requirements and changelog show on its own page and on principles' pages only
    def inner(name: str, text: str) -> str:
        return re.sub(r"^((?:summary|    text|    summary): )(?=\w)", r"\1Edited. ", text, flags=re.MULTILINE)

    second = _pages_after(content, inner, cache, reuse)
    assert cache.made == standards + principles
    assert sum(second[e] != first[e] for e in first) == standards + sum(
        "Put into practice by" in first[e] for e in first
    )

    _pages_after(content, lambda _name, text: text, cache, reuse)
    assert cache.made == principles  # nothing edited: only the pages that are always made

    # a title shows wherever the standard is linked: every page is made again
    renamed = _pages_after(
        content,
        lambda name, text: text.replace("\ntitle: ", "\ntitle: New ", 1) if name.startswith("STD-002") else text,
        cache,
        reuse,
    )
    assert cache.made == len(first)
    assert sum("New Project kickoff" in page for page in renamed.values()) > 3


def _edit_standards(content: Path, edit: Callable[[str, str], str]) -> None:
    for path in content.glob("STD-*.yaml"):
        text = path.read_text(encoding="utf-8")
        if edit(path.name, text) != text:
            path.write_text(edit(path.name, text), encoding="utf-8")


def test_listings_and_bodies_kept_between_rebuilds_are_the_ones_made_afresh(tmp_path: Path, request):
    from playbook.site.bodies import Rendered
    from playbook.site.checklists import checklist_files, checklist_pages
    from playbook.site.faces import keep_listings
    from playbook.site.indexes import health_page, index_page, requirements_page
    from playbook.site.phase_pages import phase_pages

    content = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", content)
    listings: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (checklist_pages, ()),
        (checklist_files, ("https://pmo.example.org/",)),
        (phase_pages, ()),
        (requirements_page, ()),
        (index_page, ("Standard",)),
        (index_page, ("PmoModel",)),
        (health_page, ("2026-01-01",)),
    ]
    reuse, kept = Loaded(), Rendered()
    keep_listings(True)  # as `playbook serve` does
    request.addfinalizer(lambda: keep_listings(False))

    def rebuild(edit: Callable[[str, str], str]) -> tuple[list[object], dict[str, str]]:
        _edit_standards(content, edit)
        result, bodies = rendered_bodies(validate_tree(content, reuse), kept)
        assert result.ok, result.diagnostics
        assert bodies == rendered_bodies(validate_tree(content))[1]  # each body as a full build renders it
        catalog = Catalog.of(result.entities)
        made = [listing(catalog, *args) for listing, args in listings]
        assert made == [listing.__wrapped__(catalog, *args) for listing, args in listings]  # type: ignore[attr-defined]
        return made, bodies

    first, bodies = rebuild(lambda _name, text: text)
    # a standard's summary shows on no listing and in no other body: all kept, the very same objects
    summary, after = rebuild(lambda n, t: t.replace("\nsummary: ", "\nsummary: Edited. ", 1) if "STD-002" in n else t)
    assert all(a is b for a, b in zip(summary, first, strict=True))
    assert all(after[i] is bodies[i] for i in bodies if i != "STD-002")  # its own body: its file changed
    # a requirement's text shows on the checklists and phase pages: made again, with the edit
    worded, _ = rebuild(lambda n, t: re.sub(r"(\n    text: )", r"\1Reworded, ", t, count=1) if "STD-002" in n else t)
    assert "Reworded, " in worded[0]["checklists/project-lead.md"] and worded[0] != first[0]
    # a title shows in every body linking to the standard: rendered again
    _, titled = rebuild(lambda n, t: t.replace("\ntitle: ", "\ntitle: Renamed ", 1) if "STD-009" in n else t)
    assert any("Renamed " in body for entity_id, body in titled.items() if entity_id != "STD-009")

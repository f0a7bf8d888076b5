"""Generated pages converted in a forked child: the same site, the same warnings, the same errors."""

from __future__ import annotations

import filecmp
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from playbook.mkdocs import parallel
from playbook.mkdocs.parallel import Converted, Converter, apply
from tests.bench.generate import generate

pytestmark = pytest.mark.skipif(not parallel.second_core(), reason="needs fork and a second core")


def _build(project: Path, site: str, parallel_pages: bool, monkeypatch: pytest.MonkeyPatch) -> int:
    """Build `project` into `site` (strict, a fixed date); how many pages the child converted."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "playbook" in plugin:
            plugin["playbook"]["parallel"] = parallel_pages
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    loaded = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / site))
    converter = loaded.plugins["playbook"]._converter  # type: ignore[attr-defined]  # MkDocs may reuse a plugin
    before = converter.taken
    mkdocs_build(loaded)
    return converter.taken - before


def _differences(one: Path, other: Path) -> list[str]:
    found = []
    pending = [filecmp.dircmp(one, other)]
    while pending:
        compared = pending.pop()
        found += [f"{compared.left}/{name}" for name in compared.left_only + compared.right_only]
        found += [f"{compared.left}/{name}" for name in compared.diff_files + compared.funny_files]
        pending += compared.subdirs.values()
    return found


def test_the_site_is_the_same_byte_for_byte(tmp_path: Path, make_site, monkeypatch: pytest.MonkeyPatch):
    project = make_site(generate(tmp_path / "standards", 40))
    assert _build(project, "serial", False, monkeypatch) == 0
    assert _build(project, "parallel", True, monkeypatch) > 20  # the child converted its share
    assert _differences(project / "serial", project / "parallel") == []


def test_a_broken_anchor_in_a_page_the_child_converted_fails_a_strict_build(
    tmp_path: Path, make_site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    content = generate(tmp_path / "standards", 40)
    last = sorted(content.glob("STD-*.md"))[-1]  # the last pages are the child's
    last.write_text(last.read_text() + "\nSee [the start](/index.md#no-such-heading).\n")
    project = make_site(content)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        _build(project, "site", True, monkeypatch)
    assert any("no-such-heading" in r.getMessage() and last.stem.split("-", 2)[2] in r.getMessage()
               for r in caplog.records)  # fmt: skip


def _fake_page(uri: str) -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri=uri),
        markdown=f"# {uri}",
        content=f"<h1>{uri}</h1>",
        toc=[],
        _title_from_render=uri,
        present_anchor_ids={"top"},
        links_to_anchors=None,
    )


def test_pages_after_one_the_child_fails_on_are_left_to_the_parent():
    def convert(file: SimpleNamespace) -> SimpleNamespace:
        if file.src_uri == "c.md":
            raise RuntimeError("a page the parent must convert and report itself")
        logging.getLogger("mkdocs.test").warning("converted %s", file.src_uri)
        return _fake_page(file.src_uri)

    converter = Converter()
    files = [SimpleNamespace(src_uri=uri) for uri in ("a.md", "b.md", "c.md", "d.md")]
    converter.start(files, convert)  # type: ignore[arg-type]
    try:
        results = {f.src_uri: converter.take(SimpleNamespace(file=f)) for f in files}  # type: ignore[arg-type]
    finally:
        converter.stop()
    assert [uri for uri, result in results.items() if result is not None] == ["a.md", "b.md"]
    assert results["a.md"] is not None and results["a.md"].content == "<h1>a.md</h1>"
    assert results["a.md"].records == [("mkdocs.test", logging.WARNING, "converted a.md")]
    assert converter.taken == 2


def test_what_the_child_logged_is_logged_by_the_parent(caplog: pytest.LogCaptureFixture):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"))
    result = Converted("# A", "<h1>A</h1>", [], "A", {"a"}, None, [("mkdocs.test", logging.WARNING, "a warning")])  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        assert apply(page, result, files=None) == "<h1>A</h1>"  # type: ignore[arg-type]
    assert [(r.name, r.getMessage()) for r in caplog.records] == [("mkdocs.test", "a warning")]
    assert page.toc == [] and page._title_from_render == "A" and page.present_anchor_ids == {"a"}
    assert page.links_to_anchors is None


def test_the_child_takes_the_last_pages_holding_its_share_of_the_markdown():
    pages = [SimpleNamespace(content_string="x" * size) for size in (40, 30, 20, 10)]
    assert parallel.child_pages(pages, 0.45) == pages[1:]  # 10 + 20 + 30 reach 45 of 100
    assert parallel.child_pages(pages, 0.1) == pages[3:]
    heavy = [SimpleNamespace(content_string="x" * size) for size in (10, 10, 10, 70)]
    assert parallel.child_pages(heavy, 0.45) == heavy[3:]  # one long page at the end is share enough
    assert parallel.child_pages([], 0.45) == []

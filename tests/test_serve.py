"""`playbook serve` rebuilds dirty: after an edit, only pages whose Markdown changed are written again."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

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


def test_a_full_build_after_serving_writes_everything(good_catalog: Path, make_site):
    from .conftest import build as full_build

    project = make_site(good_catalog)
    _dirty_build(project)
    page = project / "site" / "roles" / "pmo-lead" / "index.html"
    os.utime(page, (OLD, OLD))
    full_build(project)
    assert page.stat().st_mtime > OLD

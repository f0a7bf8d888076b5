"""Shared fixtures: the example catalogs and a throwaway MkDocs site."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

# The engine caches compiled validators under XDG_CACHE_HOME (~/.cache by default): the tests, and
# the builds and commands they start, use a folder of their own, removed when they end.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="pmo-playbook-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
GOOD = EXAMPLES / "good"


@pytest.fixture
def good_catalog(tmp_path: Path) -> Path:
    """A writable copy of the good example catalog."""
    target = tmp_path / "standards"
    shutil.copytree(GOOD, target, symlinks=True)
    return target


def site_config(content_dir: Path) -> dict:
    """The repository's mkdocs.yml, pointed at `content_dir`, without its hand-written nav."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    config.pop("nav", None)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "playbook" in plugin:
            plugin["playbook"]["content_dir"] = str(content_dir)
    return config


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a project (mkdocs.yml, docs/, macros/) around a content folder; returns its root."""

    def make(content_dir: Path, pages: dict[str, str] | None = None) -> Path:
        project = tmp_path / "project"
        (project / "docs").mkdir(parents=True, exist_ok=True)
        shutil.copytree(ROOT / "macros", project / "macros", dirs_exist_ok=True)
        for name, text in (pages or {"index.md": "# Home\n"}).items():
            (project / "docs" / name).write_text(text, encoding="utf-8")
        (project / "mkdocs.yml").write_text(yaml.safe_dump(site_config(content_dir)), encoding="utf-8")
        return project

    return make


def build(project: Path) -> Path:
    """`mkdocs build --strict` of `project`, in process; the site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
    mkdocs_build(config)
    return project / "site"


def build_error(project: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build `project`, expecting MkDocs to abort; the error messages it logged."""
    import logging

    from mkdocs.exceptions import Abort

    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(project)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)

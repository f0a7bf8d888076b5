"""The starter playbook that ships in `standards/` is valid and has every kind."""

from __future__ import annotations

from playbook.model import KINDS
from playbook.validate import validate_tree

from .conftest import ROOT, build


def test_starter_content_validates():
    result = validate_tree(ROOT / "standards")
    assert [str(d) for d in result.diagnostics] == []
    assert {e.kind for e in result.entities} == set(KINDS)


def test_repository_site_builds(tmp_path):
    site = build_repo(tmp_path)
    assert (site / "index.html").is_file()
    assert (site / "lifecycle" / "index.html").is_file()


def build_repo(tmp_path):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    mkdocs_build(config)
    return tmp_path / "site"


assert build  # the temp-site builder is shared; this file builds the repository itself

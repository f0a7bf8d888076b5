"""The files beside the pages in docs/: only kinds the site publishes (`content/file_types.py`), and no
links that lead out of the folder.

MkDocs copies every file under docs/ into the site, where it is served from the site's own origin:
an `evil.html` or `evil.svg` there would run as the site. Stylesheets and scripts that mkdocs.yml
names in `extra_css` and `extra_javascript` are the site owner's choice, and are kept.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from playbook.content.errors import Diagnostic, ValidationFailed
from playbook.content.file_types import file_type_problem


def check_docs_files(files: Files, config: MkDocsConfig) -> None:
    """ValidationFailed naming each file under docs/ that the site does not publish, or that is a link
    to a file outside docs/ (its contents would be published)."""
    named = {str(path) for path in (*config.extra_css, *config.extra_javascript)}
    docs = os.path.realpath(config.docs_dir)
    found = []
    for file in files:
        if file.generated_by is not None or file.abs_src_path is None or file.src_dir != config.docs_dir:
            continue  # generated, or the theme's own files
        if file.inclusion.is_excluded():
            continue  # never copied (dotfiles, `exclude_docs`)
        where = f"docs/{file.src_uri}"
        if not os.path.realpath(file.abs_src_path).startswith(docs + os.sep):
            found.append(Diagnostic(where, 1, 1, "E-PATH", "a link to a file outside docs/; copy the file in instead"))
        elif not file.is_documentation_page() and file.src_uri not in named:
            problem = file_type_problem(Path(file.abs_src_path))
            if problem:
                found.append(Diagnostic(where, 1, 1, "E-FILETYPE", problem))
    if found:
        raise ValidationFailed(found)


def check_docs_links(docs_dir: str) -> None:
    """ValidationFailed naming each link in docs/ to a folder, or to a file outside docs/.

    Checked before MkDocs reads the folder: MkDocs follows links to folders, so `docs/root -> /` would
    have it list the whole machine (24 GB, then the build was killed) before any check could run.
    """
    docs = os.path.realpath(docs_dir)
    found = []
    for here, folders, names in os.walk(docs_dir):  # links to folders are listed, never entered
        for name in sorted([*folders, *names]):
            path = os.path.join(here, name)
            if not os.path.islink(path):
                continue
            where = "docs/" + Path(os.path.relpath(path, docs_dir)).as_posix()
            if os.path.isdir(path):
                found.append(Diagnostic(where, 1, 1, "E-PATH", "a link to a folder; copy the files in instead"))
            elif not os.path.realpath(path).startswith(docs + os.sep):
                found.append(
                    Diagnostic(where, 1, 1, "E-PATH", "a link to a file outside docs/; copy the file in instead")
                )
    if found:
        raise ValidationFailed(found)

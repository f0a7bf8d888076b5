"""`playbook serve` compiles the theme's templates once and lists the installed theme's files once.

MkDocs makes a new Jinja environment for every rebuild, so each edit compiled Material's forty
templates again (about 0.25 s on this machine) and walked and filtered its 14,500 files to find
the static ones (about 0.1 s), before writing the one page that changed. Here the compiled
templates are kept for the life of the server, each under the checksum of its source, so an
edited override is compiled again; the listing is kept only for folders outside the project (the
installed theme and the playbook's own overrides), so a file added to the site's `custom_dir` is
still found.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket
from mkdocs.theme import Theme


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates in memory, by template and checksum of its source."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[bucket.key] = (bucket.checksum, bucket.code)


COMPILED = _Compiled()
"""One for the server's process: the templates do not change between rebuilds unless edited."""


@functools.cache
def _installed_listing(folder: str) -> tuple[str, ...]:
    """The files of an installed theme folder but hidden ones (Material's 14,000 icons under `.icons/`),
    which MkDocs' filter of static files leaves out anyway (`.*`, `*/.*`); Jinja still loads them."""
    listed = jinja2.FileSystemLoader(folder).list_templates()
    return tuple(name for name in listed if not any(part.startswith(".") for part in name.split("/")))


class _ListedOnce(jinja2.FileSystemLoader):
    """A theme loader that lists each folder outside `project` once per process."""

    def __init__(self, searchpath: list[str], project: Path) -> None:
        super().__init__(searchpath)
        self.project = project

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if Path(folder).resolve().is_relative_to(self.project):
                found.update(jinja2.FileSystemLoader(folder).list_templates())
            else:
                found.update(_installed_listing(folder))
        return sorted(found)


def compile_once(theme: Theme, project: Path) -> None:
    """Make every environment `theme` gives (one a rebuild) share compiled templates and listings."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = COMPILED
        env.loader = _ListedOnce(list(theme.dirs), project.resolve())
        return env

    theme.get_env = get_env  # type: ignore[method-assign]  # this theme object lives for one rebuild

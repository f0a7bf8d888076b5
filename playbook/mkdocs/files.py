"""The files the plugin adds to a MkDocs build: generated pages, copied files, the playbook's assets."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import ClassVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from playbook.content.errors import PlaybookError
from playbook.content.model import Entity
from playbook.mkdocs.config import ASSET_URI, ASSETS
from playbook.site.urls import source_uri


class Generated(File):
    """A generated file that a dirty rebuild (`playbook serve`) writes again only when its content changed.

    MkDocs counts every generated file as modified, so `--dirty` alone would still render all
    1,000 pages of a large playbook after each edit.
    """

    _built: ClassVar[dict[str, tuple[object, bytes]]] = {}
    """Destination path → the content last written there and its digest, in this process (one entry a
    file of the site, replaced by each rebuild). A page kept from the last rebuild (`PageCache`) is the
    same object: known unchanged without digesting it."""

    _digested: tuple[object, bytes] | None = None
    """The content last digested and its digest: MkDocs asks three times a build whether a file changed."""

    _changed: bool | None = None
    """The answer, once asked: MkDocs asks of every file up to three times a rebuild, before writing it."""

    def is_modified(self) -> bool:
        if self._changed is None:
            known = self._built.get(self.abs_dest_path)
            self._changed = (
                known is None
                or not os.path.isfile(self.abs_dest_path)
                or (not (self._content is not None and known[0] is self._content) and known[1] != self.digest())
            )
        return self._changed

    def digest(self) -> bytes:
        """A digest of the content (computed again only when the content was replaced)."""
        content = self._content  # None: read from a file, which may have changed
        if content is None or self._digested is None or self._digested[0] is not content:
            self._digested = (content, hashlib.blake2b(self.content_bytes, digest_size=16).digest())
        return self._digested[1]

    @classmethod
    def remember(cls, files: list[Generated]) -> None:
        for f in files:
            known = cls._built.get(f.abs_dest_path)
            if known is None or f._content is None or known[0] is not f._content:
                cls._built[f.abs_dest_path] = (f._content, f.digest())


def write_every_page(files: Files) -> None:
    """Make a dirty rebuild write every page again, for a change that every page may show but whose
    Markdown does not carry (the glossary's hover text)."""
    Generated._built.clear()
    for file in files.documentation_pages():
        if isinstance(file, Generated):
            file._changed = None  # asked again, it finds nothing written
        else:
            file.is_modified = _modified  # type: ignore[method-assign]  # this File lives for one rebuild


def write_macro_pages(files: Files) -> None:
    """Make a dirty rebuild write again the hand-written pages that use macros (`{{ standards_table() }}`,
    `{{ pmo_model() }}`): their Markdown is unchanged, what their macros show may not be."""
    for file in files.documentation_pages():
        if file.generated_by is None and "{{" in file.content_string:
            file.is_modified = _modified  # type: ignore[method-assign]  # this File lives for one rebuild


def _modified() -> bool:
    return True


class WrittenAside(File):
    """A file the background child writes straight into the site folder: known to MkDocs, so pages
    may link to it, but never copied by it."""

    @classmethod
    def placeholder(cls, config: MkDocsConfig, path: str) -> File:
        return cls(
            source_uri(path),
            src_dir=config.site_dir,
            dest_dir=config.site_dir,
            use_directory_urls=False,
            dest_uri=path,
            inclusion=InclusionLevel.NOT_IN_NAV,
        )

    def copy_file(self, dirty: bool = False) -> None:
        pass


def add_page(files: Files, config: MkDocsConfig, uri: str, content: str, entity: Entity | None = None) -> None:
    """A generated page in the nav's reach; an entity's page edits its YAML file."""
    if uri in files.src_uris:  # `uri` is POSIX already: no PurePath made for each of thousands of pages
        raise PlaybookError(f"docs/{uri} would hide a generated playbook page; remove or rename it")
    # INCLUDED explicitly: MkDocs excludes /templates/ by default (theme overrides live there)
    file = Generated.generated(config, uri, content=content, inclusion=InclusionLevel.INCLUDED)
    if entity is not None:
        file.edit_uri = _edit_uri(str(entity.doc.path), config.docs_dir)
    files.append(file)


@functools.cache
def _edit_uri(path: str, docs_dir: str) -> str:
    """Edit links point at the YAML file, which lives outside docs_dir (once a file: serve asks again each rebuild)."""
    return Path(os.path.relpath(path, docs_dir)).as_posix()


def add_hidden_page(files: Files, config: MkDocsConfig, src_uri: str, url: str, content: str) -> None:
    """A generated page out of the nav, published at the folder URL `url` (an archived version, say)."""
    file = Generated.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
    file.dest_uri = url + "index.html"
    files.append(file)


def static(config: MkDocsConfig, path: str, content: str | bytes) -> File:
    """A generated file copied to the site as it is (JSON, redirects, downloads), outside the nav."""
    file = Generated.generated(config, source_uri(path), content=content, inclusion=InclusionLevel.NOT_IN_NAV)
    file.dest_uri = path
    return file


def add_assets(files: Files, config: MkDocsConfig) -> None:
    """The playbook's stylesheet, scripts and Mermaid, under ASSET_URI."""
    for asset in sorted(ASSETS.iterdir()):
        files.append(
            File(
                asset.name,
                src_dir=str(ASSETS),
                dest_dir=config.site_dir,
                use_directory_urls=False,
                dest_uri=f"{ASSET_URI}/{asset.name}",
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )

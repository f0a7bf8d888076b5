"""The MkDocs plugin `playbook`: the only module that imports mkdocs.

on_config loads and validates the content once; on_files adds one generated page per
entity plus an index per kind and groups them in the nav; pages are rendered in the
playbook sandbox and their HTML cleaned of anything content should not carry.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url
from pymdownx.superfences import fence_code_format

from . import sandbox, staging
from .abbreviations import abbreviations
from .background import Background
from .catalog import Catalog
from .downloads import all_downloads, download_paths
from .errors import PlaybookError, ValidationFailed
from .exports import export_paths, exports
from .feed import FEED_PATH, atom_feed
from .history import History, read_history
from .history_pages import history_pages, version_links
from .in_force import IN_FORCE_DATA, IN_FORCE_PAGE, in_force_json, in_force_page, timelines
from .indexes import REVIEW_DUE_PAGE, build_date, health_page, index_page, review_due_page
from .macros import make_macros
from .model import KINDS, Entity
from .nav import kind_sections
from .pages import RAW_SUFFIX, TAGS_PAGE, entity_page
from .redirects import page_url, redirects
from .render import clean_html
from .validate import validate_tree

log = logging.getLogger("mkdocs.plugins.playbook")
notice = logging.getLogger("playbook")
"""Warnings that must not fail `--strict` (a build from a tarball is legitimate): outside MkDocs'
logger, so its strict counter never sees them; printed by Python's last-resort handler."""
F = TypeVar("F", bound=Callable[..., Any])
SINGLE_PAGE_KINDS = ("Lifecycle", "Glossary")
ASSETS = Path(__file__).parent / "assets"
THEME = Path(__file__).parent / "theme"
"""Template overrides for Material, ahead of its own templates and behind a site's custom_dir."""
ASSET_URI = "assets/playbook"
MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
MERMAID_CLASS = 'class="mermaid"'
MERMAID_JS = f"{ASSET_URI}/mermaid.min.js"
EXTENSIONS: dict[str, dict[str, Any]] = {
    "abbr": {}, "admonition": {}, "attr_list": {}, "def_list": {}, "md_in_html": {}, "tables": {},
    "toc": {"permalink": True}, "pymdownx.details": {}, "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.superfences": {},
}  # fmt: skip
"""Markdown extensions the generated pages use; added to mkdocs.yml's list when missing."""


def _user_errors(method: F) -> F:
    """Show PlaybookErrors as MkDocs plugin errors: a message, not a traceback."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PlaybookError as exc:
            raise PluginError(exc.format_message()) from None

    return wrapper  # type: ignore[return-value]


class PlaybookConfig(Config):
    content_dir = c.Type(str, default="standards")
    """Folder holding the content YAML files, relative to mkdocs.yml."""
    nav_group_size = c.Type(int, default=40)
    """A kind with more entities than this is split into sub-sections in the nav."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Generates the playbook's pages from its content files."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.env: Any = None
        self._macros_plugin = False
        self.abbreviations = ""
        self.history = History({})
        self._stage = True  # builds without on_startup (the API, tests) stage too
        self._staging: Path | None = None
        self._site_dir = ""
        self._dirty = False
        self._files: Files | list[File] = []
        self._background: Background | None = None
        self._history_pages: set[str] = set()
        self._link_levels: tuple[Any, int, int] | None = None
        self._serving = False
        self._last_build = False  # the process ends with this build (`mkdocs build`, `gh-deploy`)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` builds into a temporary folder of its own; a dirty build adds to the site in place
        self._stage = command != "serve" and not dirty
        self._dirty = dirty
        self._serving = command == "serve"
        self._last_build = command != "serve"

    @_user_errors
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        self.content_dir = (root / self.config.content_dir).resolve()
        result = validate_tree(self.content_dir)
        if not result.ok:
            raise ValidationFailed(result.diagnostics)
        self.catalog = Catalog.of(result.entities)
        self.history = read_history(self.content_dir, (s.doc for s in self.catalog.of_kind("Standard")))
        if self.history.missing:
            _notice(f"no version history: {self.history.missing}; archived versions and diffs are left out")
        elif self.history.shallow:
            _notice("shallow git clone: older versions are missing; fetch the whole history (fetch-depth: 0)")
        # The catalog lives for the whole build; keep the collector from rescanning its
        # many small objects at every collection of the pages MkDocs builds.
        gc.freeze()
        self.env = sandbox.make_environment(make_macros(self.catalog))
        macros = config.plugins.get("macros")
        self._macros_plugin = macros is not None
        if macros is not None and macros.config.get("module_name") != "macros":
            raise PlaybookError("the macros plugin must use this project's sandboxed module: set 'module_name: macros'")
        _require_extensions(config)
        config.extra_css.append(f"{ASSET_URI}/playbook.css")
        _offline_theme(config)
        config.extra_javascript.append(f"{ASSET_URI}/in-force.js")
        if not config.use_directory_urls:
            raise PlaybookError(
                "mkdocs.yml sets use_directory_urls: false; playbook addresses (/standards/x/, /STD-004/) need "
                "directory URLs: remove the setting"
            )
        if str(config.validation.links.absolute_links) != str(_relative_to_docs()):
            raise PlaybookError(
                "mkdocs.yml must set validation: {links: {absolute_links: relative_to_docs}}; "
                "playbook links are written from the docs root"
            )
        if self._stage:
            # build beside the site and swap it in at the end, so a failed build leaves the old site
            self._site_dir = config.site_dir
            try:
                self._staging = staging.staging_dir(Path(config.site_dir))
                config.site_dir = str(self._staging)
            except OSError as exc:  # the folder holding the site is read-only, say: build in place
                log.info(f"Building in place: no staging folder beside {config.site_dir} ({exc})")
        return config

    @_user_errors
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None
        catalog = self.catalog
        docs_dir = config.docs_dir
        versions = version_links(catalog, self.history)
        for entity in catalog.entities:
            body = self.render_markdown(entity.doc.body or "", entity.doc.display.removesuffix(".yaml") + ".md")
            self._add(files, config, entity.src_uri, entity_page(catalog, entity, body, versions), entity, docs_dir)
        for kind in KINDS:
            if kind not in SINGLE_PAGE_KINDS and catalog.of_kind(kind):
                section = KINDS[kind].section
                self._add(files, config, f"{section}/index.md", index_page(catalog, kind), None, docs_dir)
        today = build_date()
        self._add(files, config, "health.md", health_page(catalog, today), None, docs_dir)
        self._add(files, config, REVIEW_DUE_PAGE, review_due_page(catalog, today), None, docs_dir)
        self._add_history(files, config, today)
        if "tags" in config.plugins or "material/tags" in config.plugins:
            self._add(files, config, "tags.md", TAGS_PAGE, None, docs_dir)
        self.abbreviations = abbreviations(catalog)
        self._add_copied(files, config, {page_url(f.src_uri) for f in files.documentation_pages()})
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
        docs_pages = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
        config.nav = (config.nav or _default_nav(docs_pages)) + kind_sections(catalog, self.config.nav_group_size)
        config.nav.append({"In force on a date": IN_FORCE_PAGE})
        if files.get_file_from_path("tags.md") is not None:
            config.nav.append({"Tags": "tags.md"})
        self._files = files
        gc.freeze()  # the generated pages and files live to the end of the build: keep the collector off them
        return files

    def _add_copied(self, files: Files, config: MkDocsConfig, taken: set[str]) -> None:
        """Downloads, JSON exports and short-URL redirects: files MkDocs only copies into the site.

        A full build has a forked child write them straight into the site folder while MkDocs
        renders the pages. Serving makes them in process, reusing unchanged downloads, as
        generated files that a dirty rebuild writes again only when they changed.
        """
        assert self.catalog is not None
        catalog, site_url = self.catalog, config.site_url or ""
        moved = list(redirects(catalog, taken))

        def made() -> Iterator[tuple[str, str | bytes]]:
            downloads = ((d.path, d.data) for d in all_downloads(catalog, source_url=site_url))
            return itertools.chain(exports(catalog, site_url), moved, downloads)

        if self._serving or self._dirty or not hasattr(os, "fork"):  # never fork beside the server's threads
            for path, content in made():
                files.append(_static(config, path, content))
            return
        site = Path(config.site_dir)
        paths = [*export_paths(), *(path for path, _ in moved), *download_paths(catalog)]
        self._background = Background(lambda: staging.write_files(site, made()), (site / path for path in paths))
        for path in paths:
            files.append(_WrittenAside.placeholder(config, path))

    def _discard_background(self) -> None:
        if self._background is not None:
            self._background.discard()
            self._background = None

    @property
    def _built_files(self) -> list[_Generated]:
        return [f for f in self._files if isinstance(f, _Generated)]

    def _add(
        self, files: Files, config: MkDocsConfig, uri: str, content: str, entity: Entity | None, docs_dir: str
    ) -> None:
        if files.get_file_from_path(uri) is not None:
            raise PlaybookError(f"docs/{uri} would hide a generated playbook page; remove or rename it")
        # INCLUDED explicitly: MkDocs excludes /templates/ by default (theme overrides live there)
        file = _Generated.generated(config, uri, content=content, inclusion=InclusionLevel.INCLUDED)
        if entity is not None:
            # edit links point at the YAML file, which lives outside docs_dir
            file.edit_uri = Path(os.path.relpath(entity.doc.path, docs_dir)).as_posix()
        files.append(file)

    def _add_history(self, files: Files, config: MkDocsConfig, today: str) -> None:
        """Archived versions, what changed, history per standard, in force on a date, the feed."""
        assert self.catalog is not None
        known = {f.src_uri for f in files.documentation_pages()}
        pages = list(history_pages(self.catalog, self.history, self.render_markdown, known))
        self._history_pages = {page.src_uri for page in pages}
        for page in pages:
            file = _Generated.generated(
                config, page.src_uri, content=page.markdown, inclusion=InclusionLevel.NOT_IN_NAV
            )
            file.dest_uri = page.url + "index.html"
            files.append(file)
        table = timelines(self.catalog, self.history, today)
        missing = self.history.missing
        self._add(files, config, IN_FORCE_PAGE, in_force_page(table, today, missing), None, config.docs_dir)
        files.append(_static(config, IN_FORCE_DATA, in_force_json(table, today)))
        feed = atom_feed(self.catalog, self.history, table, config.site_url or "", today)
        files.append(_static(config, FEED_PATH, feed))

    def render_markdown(self, markdown: str, source: str, first_line: int = 1) -> str:
        """Expand the playbook macros in untrusted Markdown, inside the sandbox."""
        return sandbox.render(markdown, self.env, source=source, first_line=first_line)

    @event_priority(-50)  # after the macros plugin, so pages are rendered before abbreviations are added
    @_user_errors
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self._history_pages:
            self._relax_links(config)  # until on_page_content: MkDocs checks links while rendering
        if page.file.generated_by is None and not self._macros_plugin:
            markdown = self.render_page(markdown, page)  # else the macros hook has rendered it
        glossary = self.catalog.glossary if self.catalog else None
        if glossary is not None and page.file.src_uri == glossary.src_uri:
            return markdown  # the glossary itself needs no hover definitions
        return markdown + self.abbreviations

    @_user_errors
    def render_page(self, markdown: str, page: Page) -> str:
        """Render a docs/ page, with errors pointing at its line in the source file."""
        source = page.file.content_string if page.file.abs_src_path else markdown
        first_line = source.count("\n") - markdown.count("\n") + 1
        return self.render_markdown(markdown, f"docs/{page.file.src_uri}", first_line)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self._history_pages:
            self._restore_links()
            page.links_to_anchors = None  # checked after every page is built; old anchors may be gone
        return clean_html(html)

    def _relax_links(self, config: MkDocsConfig) -> None:
        """Old text cannot be fixed, so a link that died since may not fail a strict build.

        MkDocs reads these levels while it renders each page, in _RelativePathTreeprocessor:
        https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/structure/pages.py#L429-L509
        """
        links = config.validation.links
        self._link_levels = (links, links.not_found, links.unrecognized_links)
        links.not_found = links.unrecognized_links = logging.DEBUG

    def _restore_links(self) -> None:
        if self._link_levels is not None:
            links, links.not_found, links.unrecognized_links = self._link_levels
            self._link_levels = None

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material loads Mermaid from a CDN unless `mermaid` is already defined: ship it, so
        # diagrams render offline and no request leaves the site. At 3.5 MB, only where a diagram is.
        if MERMAID_CLASS not in output or "</body>" not in output:
            return output
        script = f'<script src="{get_relative_url(MERMAID_JS, page.url)}"></script>'
        head, _, tail = output.rpartition("</body>")
        return f"{head}{script}\n</body>{tail}"

    @event_priority(-100)  # last: every plugin has written its files and every warning is counted
    @_user_errors
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self._last_build:  # serving, or called as a library: the next build starts afresh
            gc.unfreeze()  # (not before exit: Python would then sweep every object while it shuts down, 0.2 s)
        if self._background is not None:
            background, self._background = self._background, None
            background.wait()  # the files the child writes into the site
        if self._dirty:
            _Generated.remember(self._built_files)
        if self._staging is None:
            return
        if _strict_warnings():  # MkDocs aborts right after this hook; on_build_error keeps the old site
            return
        staging.publish(self._staging, Path(self._site_dir))
        log.info(f"Site published to {self._site_dir}")
        self._end_staging(config)

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        self._restore_links()
        self._discard_background()
        self._end_staging(None)

    def on_shutdown(self) -> None:
        self._discard_background()
        self._end_staging(None)  # interrupted (Ctrl-C): no other hook ran

    def _end_staging(self, config: MkDocsConfig | None) -> None:
        """Remove what is left of the staging folder; point the config at the real site folder again."""
        if self._staging is not None:
            staging.discard(self._staging)
            self._staging = None
        if config is not None:
            config.site_dir = self._site_dir  # `mkdocs gh-deploy` publishes from it after the build

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        server.watch(str(self.content_dir))
        server.watch(str(Path(__file__).parent / "schemas"))
        return server


class _Generated(File):
    """A generated file that a dirty rebuild (`playbook serve`) writes again only when its content changed.

    MkDocs counts every generated file as modified, so `--dirty` alone would still render all
    1,000 pages of a large playbook after each edit.
    """

    _built: ClassVar[dict[str, bytes]] = {}
    """Destination path → digest of the content last written there, in this process."""

    def is_modified(self) -> bool:
        known = self._built.get(self.abs_dest_path)
        return known is None or known != _digest(self) or not os.path.isfile(self.abs_dest_path)

    @classmethod
    def remember(cls, files: list[_Generated]) -> None:
        cls._built.update((f.abs_dest_path, _digest(f)) for f in files)


class _WrittenAside(File):
    """A file the background child writes straight into the site folder: known to MkDocs, so pages
    may link to it, but never copied by it."""

    @classmethod
    def placeholder(cls, config: MkDocsConfig, path: str) -> File:
        return cls(
            _source_uri(path),
            src_dir=config.site_dir,
            dest_dir=config.site_dir,
            use_directory_urls=False,
            dest_uri=path,
            inclusion=InclusionLevel.NOT_IN_NAV,
        )

    def copy_file(self, dirty: bool = False) -> None:
        pass


def _digest(file: File) -> bytes:
    return hashlib.blake2b(file.content_bytes, digest_size=16).digest()


def _notice(message: str) -> None:
    notice.warning("WARNING -  playbook: %s", message)


def _static(config: MkDocsConfig, path: str, content: str | bytes) -> File:
    """A generated file copied to the site as it is (JSON, redirects, downloads), outside the nav."""
    file = _Generated.generated(config, _source_uri(path), content=content, inclusion=InclusionLevel.NOT_IN_NAV)
    file.dest_uri = path
    return file


def _source_uri(path: str) -> str:
    """MkDocs renders every source named *.md as a page: a Markdown download's source is named apart."""
    return path + RAW_SUFFIX if path.endswith(".md") else path


def _strict_warnings() -> bool:
    """Whether MkDocs has counted warnings it will abort on in strict mode (it counts only then)."""
    # https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/commands/build.py#L349-L353
    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return any(h.get_counts() for h in counters)


def _require_extensions(config: MkDocsConfig) -> None:
    for name, options in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        merged = config.mdx_configs.setdefault(name, {})
        for key, value in options.items():
            merged.setdefault(key, value)
    fences = config.mdx_configs["pymdownx.superfences"].setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        fences.append(MERMAID_FENCE)


def _offline_theme(config: MkDocsConfig) -> None:
    """Material's templates with the playbook's overrides, so no page asks a third party for anything."""
    if config.theme.name == "material":
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def _relative_to_docs() -> Any:
    from mkdocs.config.defaults import _AbsoluteLinksValidationValue

    return _AbsoluteLinksValidationValue.RELATIVE_TO_DOCS


def _default_nav(docs_pages: list[str]) -> list[Any]:
    """Hand-written pages in file order, the home page first, when mkdocs.yml gives no nav."""
    return sorted(docs_pages, key=lambda uri: (uri != "index.md", uri))

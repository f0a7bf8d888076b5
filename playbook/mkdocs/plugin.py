"""The MkDocs plugin `playbook`: hooks that hand MkDocs what the engine makes.

on_config loads and validates the content once and prepares mkdocs.yml's settings; on_files adds
one generated page per entity, the indexes, the history pages and the copied files, and groups them
in the nav; pages are rendered in the playbook sandbox and their HTML cleaned of anything content
should not carry, and each is written with its Content-Security-Policy; on_post_build waits for the
copied files and swaps the finished site into place.
The order of the hooks is in engine-docs/development.md.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from playbook.content import memory
from playbook.content.catalog import Catalog
from playbook.content.dates import build_date
from playbook.content.errors import PlaybookError, ValidationFailed
from playbook.content.load import Loaded
from playbook.content.model import KINDS, SINGLETONS, Standard
from playbook.content.schema import SCHEMA_DIR
from playbook.content.validate import validate_tree
from playbook.history.feed import FEED_PATH, atom_feed
from playbook.history.in_force import IN_FORCE_DATA, in_force_json, in_force_page, timelines
from playbook.history.pages import history_pages, version_links
from playbook.history.snapshots import History, read_history
from playbook.mkdocs import files as generated
from playbook.mkdocs import staging
from playbook.mkdocs.background import Background
from playbook.mkdocs.config import (
    MERMAID_CLASS,
    MERMAID_JS,
    TITLES_JS,
    PlaybookConfig,
    default_nav,
    hover_text,
    prepare,
)  # fmt: skip
from playbook.mkdocs.docs_files import check_docs_files, check_docs_links
from playbook.mkdocs.parallel import MIN_PAGES, Converted, Converter, apply, child_pages, populate, second_core
from playbook.mkdocs.strictness import RelaxedLinks, strict_warnings
from playbook.mkdocs.theme_cache import compile_once
from playbook.mkdocs.watchdog import Watchdog
from playbook.site import sandbox
from playbook.site.abbreviations import HoverText, abbreviations
from playbook.site.bodies import Rendered, check_page, rendered_bodies
from playbook.site.checklists import checklist_pages
from playbook.site.copied import copied_files
from playbook.site.csp import protect_page
from playbook.site.faces import keep_listings, listing_face
from playbook.site.indexes import (
    REQUIREMENTS_PAGE,
    REVIEW_DUE_PAGE,
    health_page,
    index_page,
    requirements_page,
    review_due_page,
)
from playbook.site.macros import make_macros
from playbook.site.nav import (
    EDITOR_DOCS,
    EDITOR_PAGES,
    HEALTH_PAGE,
    IN_FORCE_PAGE,
    kind_sections,
    page_title,
    site_nav,
)
from playbook.site.page_cache import PageCache
from playbook.site.phase_pages import phase_pages
from playbook.site.sanitize import clean_html
from playbook.site.search import SearchEntries, mark_unsearched
from playbook.site.tag_pages import tag_pages, tags_index
from playbook.site.tooltips import guard_titles
from playbook.site.urls import page_url

log = logging.getLogger("mkdocs.plugins.playbook")
notice = logging.getLogger("playbook")
"""Warnings that must not fail `--strict` (a build from a tarball is legitimate): outside MkDocs'
logger, so its strict counter never sees them; printed by Python's last-resort handler."""
F = TypeVar("F", bound=Callable[..., Any])
PRINTED_AS_HTML = ("title", "subtitle", "description")
"""Front-matter keys Material writes into every page unescaped: <title>, the nav, the header, a <meta>."""


def _user_errors(method: F) -> F:
    """Show PlaybookErrors as MkDocs plugin errors: a message, not a traceback."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PlaybookError as exc:
            raise PluginError(exc.format_message()) from None

    return wrapper  # type: ignore[return-value]


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Generates the playbook's pages from its content files."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.env: sandbox.Sandbox | None = None
        """The sandbox pages render in; macros/ registers its macros with mkdocs-macros."""
        self.content_dir = Path()
        self.history = History({})
        self.hover = HoverText({})
        self._macros_plugin = False
        self._stage = True  # builds without on_startup (the API, tests) stage too
        self._staging: Path | None = None
        self._site_dir = ""
        self._dirty = False
        self._serving = False
        self._last_build = False  # the process ends with this build (`mkdocs build`, `gh-deploy`)
        self._files: Files | None = None
        self._background: Background | None = None
        self._history_pages: set[str] = set()
        self._links = RelaxedLinks()
        self._watchdog = Watchdog()
        self._bodies: dict[str, str] = {}
        """Each entity's Markdown body with its macros expanded, by id."""
        self._sources: dict[str, str] = {}
        """Generated page → the content file it is made from, for the watchdog's message."""
        self._converter = Converter()
        self._loaded: Loaded = {}
        """Content files as `serve` read them last (MkDocs keeps the plugin from one rebuild to the next)."""
        self._rendered = Rendered()
        """Bodies as `serve` rendered them last."""
        self._served = False
        """Whether `serve` has built the site once: its rebuilds leave out the 404 page and the sitemap."""
        self._hover_written: dict[str, str] = {}
        """The glossary's hover text as the pages last written show it (`serve`)."""
        self._docs_shown: object = None
        """What the hand-written pages' macros could show when `serve` last wrote them (`faces.listing_face`)."""
        self._pages = PageCache()
        """Entity pages from the last rebuild (`serve`), made again only when they may have changed."""
        self._search: list[dict[str, Any]] | None = None
        """The theme's search entries of this build, changed page by page in on_page_context."""
        self._indexed = 0
        self._search_entries: SearchEntries | None = None
        self._converted: dict[str, Converted] = {}
        """Pages the child converted, from on_page_markdown (which hands MkDocs an empty page) to on_page_content."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` builds into a temporary folder of its own; a dirty build adds to the site in place
        self._stage = command != "serve" and not dirty
        self._dirty = dirty
        self._serving = command == "serve"
        keep_listings(self._serving)
        self._last_build = command != "serve"

    @event_priority(50)  # first: serve's theme keeps its compiled templates for the search plugin's too
    @_user_errors
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = Path(self.config.content_dir).resolve()
        check_docs_links(config.docs_dir)  # before MkDocs lists docs/, following links to folders
        with memory.kept():  # the catalog lives for the whole build
            reuse = self._loaded if self._serving else None  # serve: read again only the files edited
            kept = self._rendered if self._serving else None  # and render again only the bodies that may differ
            result, self._bodies = rendered_bodies(validate_tree(self.content_dir, reuse), kept)
            if not result.ok:
                raise ValidationFailed(result.diagnostics)
            self.catalog = Catalog.of(result.entities)
            self.history = read_history(self.content_dir, (s.doc for s in self.catalog.of_kind(Standard)))
        if self.history.missing:
            _notice(f"no version history: {self.history.missing}; archived versions and diffs are left out")
        elif self.history.shallow:
            _notice("shallow git clone: older versions are missing; fetch the whole history (fetch-depth: 0)")
        self.env = sandbox.make_environment(make_macros(self.catalog))
        self._macros_plugin = config.plugins.get("macros") is not None
        prepare(config)
        if self._serving:
            compile_once(config.theme, Path(config.config_file_path).parent)
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
        check_docs_files(files, config)
        versions = version_links(catalog, self.history)
        # bodies were rendered while validating; a build makes each page once: keep nothing
        pages = self._pages.pages(catalog, self._bodies, versions, keep=self._serving)
        for entity in catalog.entities:
            self._sources[entity.src_uri] = entity.doc.display
            generated.add_page(files, config, entity.src_uri, pages[entity.id], entity)
        for kind, cls in KINDS.items():
            if kind not in SINGLETONS and catalog.of_kind(kind):
                generated.add_page(files, config, f"{cls.section}/index.md", index_page(catalog, kind))
        today = build_date()
        generated.add_page(files, config, HEALTH_PAGE, health_page(catalog, today))
        generated.add_page(files, config, REVIEW_DUE_PAGE, review_due_page(catalog, today))
        if catalog.of_kind(Standard):
            generated.add_page(files, config, REQUIREMENTS_PAGE, requirements_page(catalog))
        for uri in EDITOR_PAGES.values():
            generated.add_page(files, config, uri, (EDITOR_DOCS / Path(uri).name).read_text(encoding="utf-8"))
        self._add_history(files, config, today)
        for uri, page in {**checklist_pages(catalog), **phase_pages(catalog)}.items():
            generated.add_page(files, config, uri, page)
        for uri, page in tag_pages(catalog).items():
            generated.add_hidden_page(files, config, uri, page_url(uri), page)
        if "tags" in config.plugins or "material/tags" in config.plugins:
            generated.add_page(files, config, "tags.md", tags_index(catalog))
        hover = HoverText(abbreviations(catalog))
        if self._served and hover.glossary != self._hover_written:
            generated.write_every_page(files)  # every page's hover text may have changed, not its Markdown
        if self._serving:  # hand-written pages whose macros show the catalog, when what they may show changed
            shown = listing_face(catalog)
            if self._served and shown != self._docs_shown:
                generated.write_macro_pages(files)
            self._docs_shown = shown
        self.hover = hover
        self._add_copied(files, config, {page_url(f.src_uri) for f in files.documentation_pages()})
        generated.add_assets(files, config)
        docs_pages = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
        sections = kind_sections(catalog, self.config.nav_group_size)
        if files.get_file_from_path("tags.md") is not None:
            sections.append({"Tags": "tags.md"})
        config.nav = site_nav(config.nav or default_nav(docs_pages), sections)
        self._files = files
        self._watchdog.allow_pages(len(files.documentation_pages()))
        memory.keep()  # the generated pages and files live to the end of the build
        return files

    @event_priority(-100)  # last: the child converts pages as every plugin has left them
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self._serving or self._dirty or not self.config.parallel or not second_core():
            return nav
        if any(getattr(hook, "__self__", None) is not self for hook in config.plugins.events["page_content"]):
            return nav  # another plugin changes pages' HTML: it may keep state the child's copy would lose
        pages = [
            f
            for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
            if isinstance(f, generated.Generated)
        ]
        if len(pages) >= MIN_PAGES:
            self._converter.start(child_pages(pages), lambda file: self._convert(file, config, files))
        return nav

    @staticmethod
    def _convert(file: File, config: MkDocsConfig, files: Files) -> Page:
        page = file.page if file.page is not None else Page(None, file, config)  # a page out of the nav has none yet
        return populate(page, config, files)

    def _add_history(self, files: Files, config: MkDocsConfig, today: str) -> None:
        """Archived versions, what changed, history per standard, in force on a date, the feed."""
        assert self.catalog is not None
        known = {f.src_uri for f in files.documentation_pages()}
        pages = list(history_pages(self.catalog, self.history, self.render_markdown, known))
        self._history_pages = {page.src_uri for page in pages}
        for page in pages:
            generated.add_hidden_page(files, config, page.src_uri, page.url, page.markdown)
        table = timelines(self.catalog, self.history, today)
        generated.add_page(files, config, IN_FORCE_PAGE, in_force_page(table, today, self.history.missing))
        files.append(generated.static(config, IN_FORCE_DATA, in_force_json(table, today)))
        feed = atom_feed(self.catalog, self.history, table, config.site_url or "", today)
        files.append(generated.static(config, FEED_PATH, feed))

    def _add_copied(self, files: Files, config: MkDocsConfig, taken: set[str]) -> None:
        """Downloads, JSON exports and short-URL redirects: files MkDocs only copies into the site.

        A full build has a forked child write them straight into the site folder while MkDocs
        writes the pages (from `on_env`: while pages are converted, both cores are busy). Serving
        makes them in process, reusing unchanged downloads, as generated files that a dirty rebuild
        writes again only when they changed.
        """
        assert self.catalog is not None
        copied = copied_files(self.catalog, config.site_url or "", taken)
        if self._serving or self._dirty or not hasattr(os, "fork"):  # never fork beside the server's threads
            for path, content in copied.make():
                files.append(generated.static(config, path, content))
            return
        site = Path(config.site_dir)
        paths = copied.paths
        self._background = Background(lambda: staging.write_files(site, copied.make()), (site / p for p in paths))
        for path in paths:
            files.append(generated.WrittenAside.placeholder(config, path))

    def render_markdown(self, markdown: str, source: str, first_line: int = 1) -> str:
        """Expand the playbook macros in untrusted Markdown, inside the sandbox."""
        assert self.env is not None
        return sandbox.render(markdown, self.env, source=source, first_line=first_line)

    @_user_errors
    def render_page(self, markdown: str, page: Page) -> str:
        """Render a docs/ page, with errors pointing at its line in the source file."""
        source = page.file.content_string if page.file.abs_src_path else markdown
        first_line = source.count("\n") - markdown.count("\n") + 1
        check_page(markdown, f"docs/{page.file.src_uri}", first_line, meta=page.meta, text=source)
        return self.render_markdown(markdown, f"docs/{page.file.src_uri}", first_line)

    @event_priority(-50)  # after the macros plugin, which renders hand-written pages
    @_user_errors
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._converter.handles(page) and (result := self._converter.take(page)) is not None:
            self._converted[page.file.src_uri] = result
            return ""  # converted by the child: MkDocs converts nothing, on_page_content puts the result in
        if page.file.src_uri in self._history_pages:
            self._links.relax(config)  # until on_page_content: MkDocs checks links while rendering
        if page.file.generated_by is None and not self._macros_plugin:
            markdown = self.render_page(markdown, page)  # else the macros hook has rendered it
        glossary = self.catalog.glossary if self.catalog else None
        on_glossary = glossary is not None and page.file.src_uri == glossary.src_uri  # it needs no hover text
        hover_text(config, {} if on_glossary else self.hover.for_page(markdown))  # each page's Markdown is new
        self._watchdog.arm(self._sources.get(page.file.src_uri, f"docs/{page.file.src_uri}"))
        return markdown  # MkDocs converts it now; on_page_content disarms the watchdog

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        result = self._converted.pop(page.file.src_uri, None)
        if result is not None:
            return apply(page, result, files)
        self._watchdog.disarm()
        if page.file.src_uri in self._history_pages:
            self._links.restore()
            page.links_to_anchors = None  # checked after every page is built; old anchors may be gone
        return mark_unsearched(clean_html(html))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._converter.stop()  # every page is converted: the child has sent its last
        self._search = _search_entries(config)  # the theme's index, made anew by every build
        if self._serving and self._dirty and self._served and self._search is not None:
            self._search[:0] = _entries_kept(config, files)
        self._indexed = len(self._search) if self._search is not None else 0
        self._search_entries = SearchEntries(self.catalog) if self.catalog is not None else None
        if self._background is not None:  # now, when only page writing is left on this core
            self._background.start()
        if self._serving and self._dirty and self._served:
            # every page's nav: 0.2 s a rebuild at 1,000 standards; a dirty rebuild leaves nav behind anyway.
            # Here, not earlier: MkDocs would copy a theme file no longer listed as a template as it is.
            config.theme.static_templates.difference_update({"404.html", "sitemap.xml"})
        # every page is read, none is written yet: the nav of each shows the titles of all
        for file in files.documentation_pages():
            if file.page is not None:
                _guard_title(file.page)
        return env

    @event_priority(-100)  # after the theme's search has indexed the page
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """The page's search entries as readers search them (`site/search.py`), in place in the theme's index."""
        if self._search is not None and self._search_entries is not None:
            self._search[self._indexed :] = self._search_entries.reader_entries(self._search[self._indexed :])
            self._indexed = len(self._search)
        return context

    @event_priority(-100)  # last: the policy hashes the inline scripts of the page as it is written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material loads Mermaid from a CDN unless `mermaid` is already defined: ship it, so
        # diagrams render offline and no request leaves the site. At 3.5 MB, only where a diagram is.
        if MERMAID_CLASS in output and "</body>" in output:
            script = f'<script src="{get_relative_url(MERMAID_JS, page.url)}"></script>'
            head, _, tail = output.rpartition("</body>")
            output = f"{head}{script}\n</body>{tail}"
        return protect_page(guard_titles(output, TITLES_JS), page.content or "")

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):  # sitemap.xml
            return output_content
        return protect_page(guard_titles(output_content, TITLES_JS), "")  # 404.html: no content of a page

    @event_priority(-100)  # last: every plugin has written its files and every warning is counted
    @_user_errors
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self._last_build:  # serving, or called as a library: the next build starts afresh
            memory.release()
        self._served = self._serving
        if self._background is not None:
            background, self._background = self._background, None
            background.wait()  # the files the child writes into the site
        if self._dirty and self._files is not None:
            generated.Generated.remember([f for f in self._files if isinstance(f, generated.Generated)])
            self._hover_written = self.hover.glossary
        if self._staging is None:
            return
        if strict_warnings():  # MkDocs aborts right after this hook; on_build_error keeps the old site
            return
        staging.publish(self._staging, Path(self._site_dir))
        log.info(f"Site published to {self._site_dir}")
        self._end_staging(config)

    def on_build_error(self, *, error: Exception) -> None:
        self._converter.stop()
        self._converted.clear()
        self._watchdog.disarm()
        memory.release()
        self._links.restore()
        self._discard_background()
        self._end_staging(None)

    def on_shutdown(self) -> None:
        self._converter.stop()
        self._discard_background()
        self._end_staging(None)  # interrupted (Ctrl-C): no other hook ran

    def _discard_background(self) -> None:
        if self._background is not None:
            self._background.discard()
            self._background = None

    def _end_staging(self, config: MkDocsConfig | None) -> None:
        """Remove what is left of the staging folder; point the config at the real site folder again."""
        if self._staging is not None:
            staging.discard(self._staging)
            self._staging = None
        if config is not None:
            config.site_dir = self._site_dir  # `mkdocs gh-deploy` publishes from it after the build

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        server.watch(str(self.content_dir))
        server.watch(str(SCHEMA_DIR))
        from playbook.mkdocs.file_events import listen_natively  # watchdog: only for `serve`

        if listen_natively(server):
            log.info("Hearing of edits from the operating system's file events")
        return server


def _search_plugin(config: MkDocsConfig) -> Any:
    return config.plugins.get("material/search") or config.plugins.get("search")


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries the theme's search plugin is indexing, which it writes out after the build; None
    when the site has no such search (the plugin is off, or another one)."""
    entries = getattr(getattr(_search_plugin(config), "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def _entries_kept(config: MkDocsConfig, files: Files) -> list[dict[str, Any]]:
    """The last rebuild's search entries of the pages this dirty rebuild does not write again.

    Material's search merges one rebuild into the last by dropping the entries of the first page it
    indexed and adding the new ones: right when an edit rewrites one page, but the playbook's edits
    rewrite several (a standard, its tags, its principle), and the others gained another copy of their
    entries at every edit (a page no longer in the site kept its own). Its merge is turned off; the
    index starts from these instead.
    """
    plugin = _search_plugin(config)
    last = getattr(plugin, "search_index_prev", None)
    if last is None or not isinstance(getattr(last, "entries", None), list):
        return []
    plugin.search_index_prev = None
    kept = {page.url for f in files.documentation_pages() if (page := f.page) is not None and not f.is_modified()}
    return [entry for entry in last.entries if entry.get("location", "").partition("#")[0] in kept]


def _guard_title(page: Page) -> None:
    """A hand-written page's title, from front matter or its first heading, guarded as entity titles are.

    MkDocs takes both as HTML and Material prints them unescaped; entity titles come guarded from
    the nav (`nav_title`), and `page_title` leaves those unchanged.
    """
    for key in PRINTED_AS_HTML:
        if key in page.meta:
            page.meta[key] = page_title(page.meta[key])
    if page.title is not None:
        page.title = page_title(page.title)


def _notice(message: str) -> None:
    notice.warning("WARNING -  playbook: %s", message)

"""Generated pages converted on the other core: a forked child does the second half of them.

MkDocs converts one page after another on one core, and converting Markdown is most of a large
playbook's build. When the build has a second core, a child forked at `on_nav` takes the second half
of the pages the playbook generates and runs for each the steps MkDocs runs (the plugins' page
events, the conversion, the sanitizer), while MkDocs converts the first half. For each page it
sends back what those steps leave on it: the HTML, the table of contents, the title from its first
heading, its anchors and its links to anchors, and what was logged. MkDocs is then given an empty
page to convert in its place, and the child's result is put in.

A page the child did not send (it failed, was stopped, or took too long) is converted by MkDocs as
usual, so every error is reported as it is without the child, and the site is the same byte for byte.
Only for a full build, on POSIX, and only when the playbook is the only plugin changing pages' HTML.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import IO, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

CHILD_SHARE = 0.45
"""The share of the generated pages' Markdown the child converts (`child_pages`): a little under half,
as the child also pickles each page it made. By size at 1,000 standards the parent waited 1.5 s for
the child at 0.5, 0.5 s at 0.45 and none at 0.4, and was done soonest at 0.45; at 100, 0.15 s at 0.5."""
MIN_PAGES = 16
"""Below this many generated pages, forking costs more than it saves."""


def child_pages(pages: Sequence[File], share: float = CHILD_SHARE) -> Sequence[File]:
    """The last of `pages` holding about `share` of their Markdown, for the child to convert.

    By size, not by count: the pages at the end (checklists, phase pages, tag pages) are the
    longest, so half of the pages by count was 60% of the work at 1,000 standards, and the parent
    waited seconds for the child.
    """
    sizes = [len(page.content_string) for page in pages]
    budget, first, taken = sum(sizes) * share, len(pages), 0
    while first > 0 and taken < budget:
        first -= 1
        taken += sizes[first]
    return pages[first:]


WAIT_SECONDS = 120.0
"""How long the parent waits for the child's next page before converting the rest itself (the child's
own watchdog stops a page after 30 seconds)."""


class Converted(NamedTuple):
    """What MkDocs' steps leave on one page, as the child sends it."""

    markdown: str
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    """Links to anchors in other pages, by the linked page's source path."""
    records: list[tuple[str, int, str]]
    """(logger, level, message) of everything logged while converting it."""


def second_core() -> bool:
    """Whether this process may run on more than one core, and can fork."""
    if not hasattr(os, "fork"):
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) > 1


def populate(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """What MkDocs does to read and convert one page (mkdocs.commands.build._populate_page)."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        return page
    finally:
        config._current_page = None


class Converter:
    """A child converting `pages`; the parent takes each result as MkDocs reaches its page."""

    def __init__(self) -> None:
        self.in_child = False
        self.pid = 0
        self.taken = 0
        """Pages whose conversion the parent took from the child."""
        self._pages: set[str] = set()
        self._results: dict[str, Converted] = {}
        self._ended = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self, files: Sequence[File], convert: Callable[[File], Page]) -> None:
        """Fork a child that runs `convert` on each of `files` in turn and sends back each page."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: convert, send, never return into MkDocs
            code = 1
            try:
                os.close(read)
                self.in_child = True
                with os.fdopen(write, "wb") as pipe:
                    _convert_all(files, convert, pipe)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid = pid
        self._pages = {file.src_uri for file in files}
        self._thread = threading.Thread(target=self._receive, args=(read,), name="playbook-pages", daemon=True)
        self._thread.start()

    def handles(self, page: Page) -> bool:
        return not self.in_child and page.file.src_uri in self._pages

    def take(self, page: Page) -> Converted | None:
        """The child's result for `page`, waiting for it; None when the parent must convert it."""
        uri = page.file.src_uri
        self._pages.discard(uri)
        with self._changed:
            arrived = self._changed.wait_for(lambda: uri in self._results or self._ended, timeout=WAIT_SECONDS)
            result = self._results.pop(uri, None)
        if not arrived:
            self.stop()  # stuck: the parent converts what is left
        self.taken += result is not None
        return result

    def _receive(self, read: int) -> None:
        with os.fdopen(read, "rb") as pipe:
            while True:
                try:
                    uri, result = pickle.load(pipe)
                except (EOFError, OSError, pickle.UnpicklingError):
                    break
                with self._changed:
                    self._results[uri] = result
                    self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def stop(self) -> None:
        """End the child (if it still runs) and reap it; pages not yet taken are the parent's to convert."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._pages.clear()
        self._results.clear()


def apply(page: Page, result: Converted, files: Files) -> str:
    """Put the child's result on `page`, log what it logged; the page's HTML."""
    page.markdown = result.markdown
    page.toc = result.toc
    page._title_from_render = result.title
    page.present_anchor_ids = result.anchors
    page.links_to_anchors = None
    if result.links is not None:
        linked = ((files.get_file_from_path(uri), anchors) for uri, anchors in result.links.items())
        page.links_to_anchors = {file: anchors for file, anchors in linked if file is not None}
    for name, level, message in result.records:
        logging.getLogger(name).log(level, message)
    return result.content


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _convert_all(files: Sequence[File], convert: Callable[[File], Page], pipe: IO[bytes]) -> None:
    """Convert each page and send it; stop at the first that fails (the parent converts it again)."""
    recorder = _Recorder()
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):  # the child prints nothing: the parent logs each record
            logger.handlers = []
            logger.propagate = True
    logging.getLogger().addHandler(recorder)
    for file in files:
        recorder.records = []
        try:
            page = convert(file)
        except BaseException:  # the parent converts this page again and reports the error itself
            return
        assert page.markdown is not None and page.content is not None
        links = page.links_to_anchors
        result = Converted(
            page.markdown,
            page.content,
            page.toc,
            page._title_from_render,
            page.present_anchor_ids,
            None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
            recorder.records,
        )
        pickle.dump((file.src_uri, result), pipe, protocol=pickle.HIGHEST_PROTOCOL)

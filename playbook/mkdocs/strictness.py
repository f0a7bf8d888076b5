"""What MkDocs counts against a strict build, and the pages it must not count against one.

Both reach into MkDocs' own state, so they are kept here, each with the upstream lines it depends on.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler


class RelaxedLinks:
    """Link checks switched off while MkDocs renders one page of old text, then switched back on.

    Old text cannot be fixed, so a link that died since may not fail a strict build. MkDocs reads these
    levels while it renders each page, in _RelativePathTreeprocessor:
    https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/structure/pages.py#L429-L509
    """

    def __init__(self) -> None:
        self._saved: tuple[Any, int, int] | None = None

    def relax(self, config: MkDocsConfig) -> None:
        links = config.validation.links
        self._saved = (links, links.not_found, links.unrecognized_links)
        links.not_found = links.unrecognized_links = logging.DEBUG

    def restore(self) -> None:
        if self._saved is not None:
            links, not_found, unrecognized = self._saved
            links.not_found, links.unrecognized_links = not_found, unrecognized
            self._saved = None


def strict_warnings() -> bool:
    """Whether MkDocs has counted warnings it will abort on in strict mode (it counts only then)."""
    # https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/commands/build.py#L349-L353
    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return any(h.get_counts() for h in counters)

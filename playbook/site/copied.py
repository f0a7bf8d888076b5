"""The files a site build copies as they are: template downloads, JSON exports, short-URL redirects.

Their paths are known before they are made, so pages can link to them while another process makes
them (`mkdocs/background.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from playbook.content.catalog import Catalog
from playbook.downloads.files import all_downloads, download_paths
from playbook.site.checklists import checklist_files, checklist_paths
from playbook.site.exports import export_paths, exports
from playbook.site.redirects import redirects


@dataclass(frozen=True)
class CopiedFiles:
    """Where the copied files go, and how to make them."""

    catalog: Catalog
    site_url: str
    moved: tuple[tuple[str, str], ...]
    """(path, HTML) of each redirect page: cheap, and made first because it decides which URLs are free."""

    @property
    def paths(self) -> list[str]:
        """Every site path `make` writes, in its order."""
        return [
            *export_paths(),
            *(path for path, _ in self.moved),
            *download_paths(self.catalog),
            *checklist_paths(self.catalog),
        ]

    def make(self) -> Iterator[tuple[str, str | bytes]]:
        """(site path, content) of every file; the downloads are the slow part."""
        downloads = ((d.path, d.data) for d in all_downloads(self.catalog, source_url=self.site_url))
        checklists = checklist_files(self.catalog, self.site_url)
        return itertools.chain(exports(self.catalog, self.site_url), self.moved, downloads, checklists)


def copied_files(catalog: Catalog, site_url: str, page_urls: set[str]) -> CopiedFiles:
    """The copied files of one build; `page_urls` are the URLs of its pages, which no redirect may take."""
    return CopiedFiles(catalog, site_url, tuple(redirects(catalog, set(page_urls))))

"""Keeping Python's cyclic garbage collector off the large, acyclic structures loading and building make.

The node trees kept for positions, the catalog and the generated pages are many small objects
without cycles; a collector that rescans them at every collection makes loading twice as slow
and a build measurably slower.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects with no cycles.

    The node trees kept for positions are large and acyclic; without this, the collector
    rescans them again and again and loading takes twice as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Pause the collector while making objects that live to the end of the build, then `keep` them.

    Leaving them to the collector instead would cost a scan of every one of them at its next run
    (0.17 s after loading 1,000 standards), for nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        keep()
        if was_enabled:
            gc.enable()


def keep() -> None:
    """Put every object alive now out of the collector's reach: they live to the end of the build."""
    gc.freeze()


def release() -> None:
    """Give frozen objects back to the collector, so a next build in this process starts afresh.

    Not before the process exits: Python would then sweep every object while it shuts down (0.2 s).
    """
    gc.unfreeze()

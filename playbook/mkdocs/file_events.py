"""`playbook serve` hears of an edit from the operating system instead of polling for it.

MkDocs' live-reload server polls every watched folder every half second: on a playbook of 1,000
standards each poll stats 2,000 files, and an edit waits for the next poll, about 0.4 s on
average before the rebuild starts. The native observer (inotify, FSEvents, ReadDirectoryChanges)
reports it at once. Where no native observer works (too many folders for inotify's limit, say),
or the server is not the one this was written for, it keeps polling.
"""

from __future__ import annotations

import logging
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.playbook")
CHANGES = [
    FileModifiedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]  # fmt: skip
"""What the observer asks the operating system for. Not reads: the build reads every content file,
and MkDocs would rebuild on each, for ever; being told of them cost 0.4 s of each rebuild."""
READS = frozenset({"opened", "closed_no_write"})


class _Changes(FileSystemEventHandler):
    """Passes on every event but a read (where the operating system cannot leave them out)."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in READS:
            self.handler.dispatch(event)


class _EditObserver(Observer):  # type: ignore[misc,valid-type]  # the platform's observer class
    """The native observer, telling its handlers of changes only."""

    def schedule(self, event_handler: FileSystemEventHandler, path: Any, **options: Any) -> ObservedWatch:
        options.setdefault("event_filter", CHANGES)
        return super().schedule(_Changes(event_handler), path, **options)


def listen_natively(server: Any) -> bool:
    """Move every watch of `server` (MkDocs' LiveReloadServer, not yet started) to a native observer.

    The server's own `watch` and `unwatch` reschedule each folder on `server.observer`. True when
    the native observer took them all, False when the server still polls.
    """
    watched = getattr(server, "_watched_paths", None)  # MkDocs 1.6: folder → how many asked for it
    if Observer is PollingObserver or not isinstance(server.observer, PollingObserver) or not watched:
        return False
    counts = dict(watched)
    if not _works(list(counts)):
        return False
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _EditObserver()
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
    return True


def _works(paths: list[str]) -> bool:
    """Whether a native observer can watch `paths` (it fails when it starts, not when it is told)."""
    probe = Observer()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError as exc:  # inotify's limit on watches, a folder it cannot watch
        log.debug(f"Polling for changes: the native file observer failed ({exc})")
        return False
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join()
    return True

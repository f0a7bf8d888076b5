"""Zip files whose bytes depend only on what they hold: fixed entry order, permissions and one time.

The time is the content's own (a version date), clamped to SOURCE_DATE_EPOCH when that is earlier
(https://reproducible-builds.org/specs/source-date-epoch/), so two builds of one commit match and an
unchanged template keeps its bytes from one commit to the next.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import os
import stat
import time
import zipfile

from playbook.content.errors import PlaybookError

ZIP_EARLIEST = 315532800
"""1980-01-01 UTC, the earliest time a zip entry can record."""

ZipTime = tuple[int, int, int, int, int, int]
"""Year, month, day, hours, minutes, seconds, as zip entries record them."""


def zip_time(day: str) -> ZipTime:
    """The time of every zip entry: `day` at 00:00 UTC, or SOURCE_DATE_EPOCH when that is earlier.

    Clamped, as `tar --clamp-mtime` does: `playbook build` dates builds by their commit, and an
    unchanged template must keep its bytes (and its hash in the manifest) from one commit to the next.
    """
    seconds = calendar.timegm(dt.date.fromisoformat(day).timetuple())
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = min(seconds, int(epoch))
        except ValueError:
            raise PlaybookError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'") from None
    return time.gmtime(max(seconds, ZIP_EARLIEST))[:6]


def zip_bytes(entries: dict[str, bytes], when: ZipTime) -> bytes:
    """A zip whose bytes depend only on `entries` and `when`: fixed order, time and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # [Content_Types].xml first, as Office itself writes it; some streaming readers expect it there
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=when)
            # Office files and zips inside a zip are stored: deflating them again gains nothing but time
            packed = entries[name].startswith(b"PK\x03\x04")
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix on every build host, so the mode bits below mean the same
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def rezip(data: bytes, when: ZipTime) -> bytes:
    """An Office file rewritten by `_zip`: the libraries stamp each entry with the wall clock."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return zip_bytes({name: archive.read(name) for name in archive.namelist()}, when)

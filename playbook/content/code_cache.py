"""Byte code compiled from Python the engine generates, kept between runs in the user's cache folder.

Compiling generated code is most of what starting costs: fastjsonschema's validators (~30 ms a kind)
and the content model's constructors. A file in the cache holds the whole key it was made for, so a
file of another key, or a damaged one, is never taken; a read-only home only loses the speed-up.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import types
import zlib
from collections.abc import Callable
from pathlib import Path

CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pmo-playbook" / "compiled"
MAX_CACHED = 64
"""Files kept in the cache folder, newest first: each engine or Python version adds a set, and old sets go."""


def compiled(key: str, source: Callable[[], str], filename: str) -> types.CodeType:
    """The byte code of `source()`, from the cache when it was compiled for `key` before."""
    # named by a checksum, and holding its whole key: a file of another key is never taken
    path = CACHE_DIR / f"{zlib.crc32(key.encode()):08x}-{len(key)}.marshal"
    try:
        kept, code = marshal.loads(path.read_bytes())
        if kept == key and isinstance(code, types.CodeType):
            return code
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = compile(source(), filename, "exec")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps((key, code)))
        os.replace(partial, path)
        _prune(path.parent)
    return code


def _prune(folder: Path) -> None:
    """Keep the MAX_CACHED newest files in `folder`; another process may be pruning too."""
    cached = []
    for file in folder.glob("*.marshal"):
        with contextlib.suppress(OSError):
            cached.append((file.stat().st_mtime, file.name))
    for _, name in sorted(cached, reverse=True)[MAX_CACHED:]:
        (folder / name).unlink(missing_ok=True)

"""Versions of standards and templates: what counts as one, how they order, and how they are bumped.

Parsed with the SemVer 2.0.0 specification's own regular expression and ordered as its precedence
rules say: `1.2.0-rc.1` < `1.2.0-rc.2` < `1.2.0-rc.10` < `1.2.0`. Build metadata (`1.2.0+build.5`)
is refused, because a version names files and page addresses (`TPL-007-raid-log-v1.2.0.xlsx`,
`/standards/x/v1.2.0/`). The `semver` package did this before; importing it brought argparse and
`inspect` (its command line and deprecation helpers) into every `playbook validate`.
"""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering
from typing import NamedTuple

BUMPS = ("patch", "minor", "major")
"""Version parts, least to most significant."""

# semver.org's expression, without the build metadata this engine refuses
_VERSION = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?",
    re.ASCII,
)


class _Part(NamedTuple):
    """One dot-separated pre-release identifier, in the order the spec gives: numbers below words."""

    is_word: bool
    number: int
    word: str


@total_ordering
class Version:
    """A version of MAJOR.MINOR.PATCH with an optional pre-release, ordered by SemVer precedence."""

    __slots__ = ("_key", "major", "minor", "patch", "prerelease")

    def __init__(self, major: int, minor: int, patch: int, prerelease: str | None = None) -> None:
        self.major, self.minor, self.patch, self.prerelease = major, minor, patch, prerelease
        parts = () if prerelease is None else tuple(_part(p) for p in prerelease.split("."))
        # a version without a pre-release comes after every pre-release of it
        self._key = (major, minor, patch, prerelease is None, parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key == other._key

    def __lt__(self, other: Version) -> bool:
        return self._key < other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{self.prerelease}" if self.prerelease is not None else core

    def __repr__(self) -> str:
        return f"Version({str(self)!r})"


def _part(identifier: str) -> _Part:
    if identifier.isdigit():
        return _Part(False, int(identifier), "")
    return _Part(True, 0, identifier)


FIRST_RELEASE = Version(1, 0, 0)
"""The version an active standard or template has reached at least (`1.0.0-rc.1` has not)."""


def parse(text: object) -> Version | None:
    """The version `text` names, or None when it is not MAJOR.MINOR.PATCH with an optional pre-release."""
    return _parse(text) if isinstance(text, str) else None


@lru_cache(maxsize=4096)  # every standard names the same few versions; a Version is not changed
def _parse(text: str) -> Version | None:
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    major, minor, patch, prerelease = found.groups()
    return Version(int(major), int(minor), int(patch), prerelease)


def parse_version(text: str) -> Version:
    """The version `text` names; ValueError when it is not one."""
    found = parse(text)
    if found is None:
        raise ValueError(f"not a semantic version: {text!r}")
    return found


def bump_version(version: str, part: str) -> str:
    """The next version after `version` when bumping `part` (patch, minor or major); a pre-release is dropped."""
    v = parse_version(version)
    bumped = {
        "major": Version(v.major + 1, 0, 0),
        "minor": Version(v.major, v.minor + 1, 0),
        "patch": Version(v.major, v.minor, v.patch + 1),
    }[part]
    return str(bumped)


def bump_made(old: str, new: str) -> str | None:
    """Which part went up from `old` to `new` (`major`, `minor`, `patch`), or None when it did not rise."""
    before, after = parse_version(old), parse_version(new)
    if after <= before:
        return None
    if after.major > before.major:
        return "major"
    if after.minor > before.minor:
        return "minor"
    return "patch"

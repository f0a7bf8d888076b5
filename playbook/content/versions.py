"""Versions of standards and templates: what counts as one, how they order, and how they are bumped.

Parsed and ordered by the `semver` library, as the SemVer spec says: `1.2.0-rc.1` < `1.2.0-rc.2` <
`1.2.0`. Build metadata (`1.2.0+build.5`) is refused, because a version names files and page
addresses (`TPL-007-raid-log-v1.2.0.xlsx`, `/standards/x/v1.2.0/`).
"""

from __future__ import annotations

from functools import lru_cache

from semver import Version

BUMPS = ("patch", "minor", "major")
"""Version parts, least to most significant."""

FIRST_RELEASE = Version(1, 0, 0)
"""The version an active standard or template has reached at least (`1.0.0-rc.1` has not)."""


def parse(text: object) -> Version | None:
    """The version `text` names, or None when it is not MAJOR.MINOR.PATCH with an optional pre-release."""
    return _parse(text) if isinstance(text, str) else None


@lru_cache(maxsize=4096)  # every standard names the same few versions; a Version cannot be changed
def _parse(text: str) -> Version | None:
    if "+" in text or not Version.is_valid(text):
        return None
    return Version.parse(text)


def parse_version(text: str) -> Version:
    """The version `text` names; ValueError when it is not one."""
    found = parse(text)
    if found is None:
        raise ValueError(f"not a semantic version: {text!r}")
    return found


def bump_version(version: str, part: str) -> str:
    """The next version after `version` when bumping `part` (patch, minor or major)."""
    current = parse_version(version)
    bumped = {"major": current.bump_major, "minor": current.bump_minor, "patch": current.bump_patch}[part]()
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

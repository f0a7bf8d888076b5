"""Hostile and broken content: every bad file gives file:line diagnostics, exit 1, no traceback,
in bounded memory.

The committed cases are tests/examples/bad: each is run once, here, through the CLI, and must
print exactly the lines of its expected.txt. The cases too big to commit (10 MB strings and
bodies, 2 MB values, 100,000-item lists, a million values in 2 MB, 20,000 unknown keys, alias
bombs) are generated for every kind.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.content.model import KINDS
from playbook.content.schema import MAX_PROBLEMS
from playbook.content.validate import validate_tree
from playbook.content.yaml_reader import MAX_FILE_BYTES, MAX_NODES

from .conftest import EXAMPLES, GOOD

BAD_CASES = sorted(p for p in (EXAMPLES / "bad").iterdir() if p.is_dir())
HANG_SECONDS = 120
"""Not a speed budget, which flakes on a loaded machine: only a hang's stop, so it fails the test
instead of stalling the suite. What keeps the work bounded is checked by outcome: the refusal
(E-SIZE, E-YAML-ALIAS, ...) each case must give, and the memory it may take."""
MAX_MEGABYTES = 200
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: E-[A-Z0-9-]+ \S")
SUMMARY = re.compile(r"^\d+ problems? in \d+ files?$")

CATEGORIES: dict[str, Callable[[str], bool]] = {
    "syntax": lambda name: name.startswith(("yaml-", "kind-", "header-", "api-")),
    "types": lambda name: name.startswith("schema-"),
    "references": lambda name: name.startswith(("ref-", "dup-", "singleton-", "slug-", "filename-", "superseded-")),
    "cycles": lambda name: name.startswith("cycle-"),
    "dates": lambda name: "date" in name,
    "versions": lambda name: name.startswith(("semver-", "changelog-", "status-")),
    "RACI": lambda name: name.startswith("raci-"),
    "tables": lambda name: name.startswith(("formula-", "row-")),
    "requirements": lambda name: name.startswith(("level-", "req-")),
    "encodings": lambda name: name.startswith("encoding-") or "tab-indentation" in name,
    "paths": lambda name: name.startswith(("path-", "file-", "content-", "read-", "orphan-")),
    "size": lambda name: name.startswith("size-") or "billion-laughs" in name,
    "characters": lambda name: name.startswith("char-"),
    "bodies": lambda name: name.startswith("body-"),
}
"""What each bad case tests, from its folder name (cases are named `<category>-<what>`)."""
ENCODINGS = ("bom", "utf16", "invalid-utf8", "nul-byte", "tab-indentation")
EVERY_KIND_HAS = ("syntax", "types", "references", "encodings")


def _kind_of(path: Path) -> str | None:
    """The `kind:` a content file declares, read leniently (the file may be broken on purpose)."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8", "replace")
    match = re.search(r"^kind:\s*(\w+)", text, re.MULTILINE)
    return match.group(1) if match and match.group(1) in KINDS else None


def _case_kind(case: Path) -> str | None:
    kinds = {_kind_of(p) for p in case.rglob("*.yaml") if p.is_file() and not p.is_symlink()} - {None}
    return kinds.pop() if len(kinds) == 1 else None


def _hwm_kb() -> int | None:
    """Peak resident memory of this process (Linux VmHWM), or None where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


@contextlib.contextmanager
def within_bounds(what: str) -> Iterator[None]:
    """Assert the block raises peak memory by under MAX_MEGABYTES; stop it if it runs past HANG_SECONDS.

    On Linux the peak RSS is reset first (/proc/self/clear_refs), so the figure is this block's
    own, at no cost; elsewhere tracemalloc counts Python allocations (slower, but portable).
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        rss_before = _hwm_kb()
    except OSError:
        rss_before = None
    if rss_before is None:
        tracemalloc.start()

    def hang(signum: int, frame: object) -> None:
        raise AssertionError(f"{what}: still running after {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_SECONDS)
    try:
        yield
        peak_mb = (
            ((_hwm_kb() or 0) - rss_before) / 1024
            if rss_before is not None
            else tracemalloc.get_traced_memory()[1] / 2**20
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        tracemalloc.stop()  # does nothing when it was not started
    assert peak_mb < MAX_MEGABYTES, f"{what}: {peak_mb:.0f} MB"


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Compile the schemas once, so the first case's memory is its own."""
    validate_tree(GOOD)


def _catalog(tmp_path: Path, case: Path | None = None) -> Path:
    catalog = tmp_path / "catalog"
    shutil.copytree(GOOD, catalog, symlinks=True)
    if case is not None:
        shutil.copytree(case, catalog, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return catalog


def _validate_cli(catalog: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> list[str]:
    """`playbook validate .` in `catalog`, in process, bounded; its diagnostic lines."""
    monkeypatch.chdir(catalog)
    with within_bounds(what):
        result = CliRunner().invoke(main, ["validate", "."], catch_exceptions=False)
    lines = result.output.splitlines()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert lines and SUMMARY.match(lines[-1]), result.output[-500:]
    assert all(DIAGNOSTIC.match(line) for line in lines[:-1]), result.output[:2000]
    assert max(map(len, lines)) < 1000, "a diagnostic line quotes too much"
    return lines[:-1]


# --- the committed cases ------------------------------------------------------------------


def test_bad_cases_cover_every_kind_and_category():
    by_kind = Counter(_case_kind(case) for case in BAD_CASES)
    assert len(BAD_CASES) >= 60
    assert set(KINDS) <= set(by_kind), f"kinds without a bad case: {set(KINDS) - set(by_kind)}"
    assert all(by_kind[kind] >= 5 for kind in KINDS), by_kind
    uncategorised = [c.name for c in BAD_CASES if not any(test(c.name) for test in CATEGORIES.values())]
    assert not uncategorised
    for kind in KINDS:
        names = [c.name for c in BAD_CASES if _case_kind(c) == kind]
        missing = [cat for cat in EVERY_KIND_HAS if not any(CATEGORIES[cat](n) for n in names)]
        assert not missing, f"{kind} has no {missing} case"
    for category, test in CATEGORIES.items():
        assert any(test(c.name) for c in BAD_CASES), category
    for encoding in ENCODINGS:
        assert any(encoding in c.name for c in BAD_CASES), encoding


@pytest.mark.parametrize("case", BAD_CASES, ids=[p.name for p in BAD_CASES])
def test_bad_case_through_the_cli(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    expected = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert _validate_cli(_catalog(tmp_path, case), monkeypatch, case.name) == expected


# --- generated cases, too big to commit, for every kind -----------------------------------

GOOD_BY_KIND = {_kind_of(p): p.relative_to(GOOD) for p in sorted(GOOD.rglob("*.yaml"))}
TEN_MB = 10 * 2**20


def _without(text: str, key: str) -> str:
    """`text` without the top-level `key:` line (the good files write lists on one line)."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(f"{key}:"))


def _huge_string(text: str) -> str:
    return _without(text, "summary") + f"summary: {'x' * TEN_MB}\n"


def _just_under_the_limit(text: str) -> str:
    return _without(text, "summary") + f"summary: {'x' * (MAX_FILE_BYTES - len(text) - 100)}\n"


def _long_flow_list(text: str) -> str:
    return _without(text, "tags") + "tags: [" + ", ".join(["x"] * 100_000) + "]\n"


def _long_block_list(text: str) -> str:
    return _without(text, "tags") + "tags:\n" + "  - x\n" * 100_000


def _alias_bomb(text: str) -> str:
    levels = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return text + "\n".join(levels) + "\n"


def _million_values(text: str) -> str:
    return _without(text, "tags") + "tags: [" + ",".join(["x"] * 1_000_000) + "]\n"  # just under 2 MB


def _huge_kind(text: str) -> str:
    return text.replace("\nkind: ", f"\nkind: {'x' * 1_900_000}", 1)  # `x…xStandard`


def _unknown_keys(text: str) -> str:
    return text + "".join(f"field{i}: x\n" for i in range(20_000))


GENERATED: dict[str, tuple[Callable[[str], str], str, str, str]] = {
    # name: (how to break the file, expected code, expected message start, where: unread/added/top)
    "10-MB-string": (_huge_string, "E-SIZE", "file is 104", "unread"),  # 10,485,760 bytes + the file
    "2-MB-string": (_just_under_the_limit, "E-SCHEMA", "is too long", "added"),
    "100k-flow-list": (_long_flow_list, "E-SIZE", f"more than {MAX_NODES} values", "added"),
    "100k-block-list": (_long_block_list, "E-SIZE", f"more than {MAX_NODES} values", "added"),
    "million-values": (_million_values, "E-SIZE", f"more than {MAX_NODES} values", "added"),
    "2-MB-kind": (_huge_kind, "E-KIND", 'unknown kind "xxx', "top"),
    "20k-unknown-keys": (_unknown_keys, "E-SIZE", f"over {MAX_PROBLEMS} schema problems", "top"),
    "billion-laughs": (_alias_bomb, "E-YAML-ALIAS", "anchors and aliases are not allowed", "added"),
}


SLOW = ("100k-block-list", "million-values", "20k-unknown-keys")
"""Cases that cost a few tenths of a second each: run for three kinds, not all nine."""
GENERATED_CASES = [
    (how, kind)
    for how in GENERATED
    for kind in KINDS
    if how not in SLOW or kind in ("Standard", "Lifecycle", "Glossary")
]


@pytest.mark.parametrize(("how", "kind"), GENERATED_CASES)
def test_generated_hostile_file(how: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    catalog = _catalog(tmp_path)
    relative = GOOD_BY_KIND[kind]
    breaks, code, message, where = GENERATED[how]
    original = (catalog / relative).read_text(encoding="utf-8")
    broken = breaks(original)
    (catalog / relative).write_text(broken, encoding="utf-8")
    lines = _validate_cli(catalog, monkeypatch, f"{how} in a {kind}")
    own = [line for line in lines if line.startswith(f"{relative.as_posix()}:")]
    found = [line for line in own if f": {code} {message}" in line]
    assert len(found) == 1 and len(own) <= MAX_PROBLEMS + 1, own[:3]
    line = int(found[0].split(":")[1])
    if where == "unread":
        assert line == 1
    elif where == "top":
        assert line in (2, 3)  # the top-level mapping, or `kind` just below it
    else:
        assert broken.splitlines()[line - 1] not in original.splitlines(), found  # in the part that was added


@pytest.mark.parametrize("kind", list(KINDS))
def test_ten_megabyte_body(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    catalog = _catalog(tmp_path)
    body = (catalog / GOOD_BY_KIND[kind]).with_suffix(".md")
    body.write_bytes(b"# Notes\n\n" + b"lorem ipsum " * (TEN_MB // 12))
    lines = _validate_cli(catalog, monkeypatch, f"10 MB body of a {kind}")
    assert f"{body.relative_to(catalog).as_posix()}:1:1: E-SIZE file is" in "\n".join(lines)


def test_past_versions_are_read_with_the_same_limits():
    """History and --base checks parse old versions of files from git: the same bounds hold there."""
    from playbook.content.yaml_reader import parse_data

    for how in ("million-values", "billion-laughs", "20k-unknown-keys"):
        text = GENERATED[how][0]((GOOD / GOOD_BY_KIND["Standard"]).read_text(encoding="utf-8"))
        with within_bounds(f"parse_data of {how}"):
            data = parse_data(text.encode())
        assert (data is None) is (how != "20k-unknown-keys")


# --- the real command, in its own process -------------------------------------------------


REAL_COMMAND_CASES = ("encoding-ceremony-utf16", "encoding-body-invalid-utf8")
"""Committed cases run as CI runs them (the rest run in process, through the same click command)."""


def test_real_command_exits_1_without_a_traceback(tmp_path: Path):
    """`python -m playbook validate` as CI runs it: exit 1, file:line lines, nothing on stderr."""
    catalogs = [_catalog(tmp_path / name, EXAMPLES / "bad" / name) for name in REAL_COMMAND_CASES]
    for how in ("10-MB-string", "million-values"):
        catalog = _catalog(tmp_path / how)
        path = catalog / GOOD_BY_KIND["Standard"]
        path.write_text(GENERATED[how][0](path.read_text(encoding="utf-8")), encoding="utf-8")
        catalogs.append(catalog)
    command = [sys.executable, "-m", "playbook", "validate", "."]
    running = [(c, subprocess.Popen(command, cwd=c, stdout=subprocess.PIPE, stderr=subprocess.PIPE)) for c in catalogs]
    for catalog, process in running:
        out, err = process.communicate(timeout=60)
        lines = out.decode().splitlines()
        assert process.returncode == 1, (catalog, out, err)
        assert b"Traceback" not in err and not err.strip(), (catalog, err)
        assert lines and SUMMARY.match(lines[-1]) and all(DIAGNOSTIC.match(line) for line in lines[:-1]), lines

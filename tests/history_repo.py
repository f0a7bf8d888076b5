"""A throwaway git repository whose standards went through several versions, for history tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import GOOD

STD1 = "STD-001-status-reporting"
STD2 = "STD-002-weekly-status"


def git(repo: Path, *args: str, date: str = "2026-01-01") -> str:
    """Run git in `repo` with fixed identity and dates, so commits are reproducible."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
        "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, date: str, message: str) -> str:
    git(repo, "add", "-A", date=date)
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace text in a file, failing loudly if the old text is not there."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} not in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def version_1_0(content: Path) -> None:
    """Turn the good STD-001 (1.1.0) back into 1.0.0, and STD-002 back into an active standard."""
    edit(
        content / f"{STD1}.yaml",
        ('  - version: 1.1.0\n    date: "2026-02-01"\n    summary: Added R2 on report length.\n', ""),
        ("\nversion: 1.1.0", "\nversion: 1.0.0"),
        ('effective: "2026-02-01"', 'effective: "2025-06-01"'),
        ('last_reviewed: "2026-02-01"', 'last_reviewed: "2025-06-01"'),
        ("supersedes: [STD-002]\n", ""),
        (
            "  - id: R2\n    level: SHOULD NOT\n    text: A status report SHOULD NOT be longer than one page.\n"
            "    rationale: Long reports go unread.\n    since: 1.1.0\n",
            "",
        ),
    )
    (content / f"{STD1}.md").write_text(
        "## Why this matters\n\nSee [the old guide](/standards/gone.md) and [the template](/templates/status-report.md).\n\n"
        # links that died since, in every form MkDocs checks: they may not fail a strict build now
        'Old forms: [titled](/standards/gone.md "t"), [by reference][g], ![a picture](gone.png),\n'
        "[an anchor](/standards/status-reporting.md#r9) and [here](#nowhere).\n\n[g]: /standards/gone-too.md\n",
        encoding="utf-8",
    )
    edit(
        content / f"{STD2}.yaml",
        ("status: superseded", "status: active"),
        ("aliases: [standards/old-weekly-report]\n", ""),
        ("version: 1.0.0", "version: 0.9.0"),
    )
    (content / f"{STD2}.md").write_text('Report with {{ ref("TPL-404") }} every week.\n', encoding="utf-8")


def make_history_repo(root: Path) -> Path:
    """A repository with three commits; returns its content folder.

    2025-06-01  STD-001 1.0.0 (R1 MUST, R3 MAY); STD-002 0.9.0 active, its body calling a gone id
    2026-02-01  STD-001 1.1.0 adds R2 (SHOULD NOT) and supersedes STD-002 (1.0.0)
    2026-05-01  STD-001 2.0.0 makes R3 a MUST, effective 2026-06-01
    """
    repo = root / "repo"
    content = repo / "standards"
    shutil.copytree(GOOD, content)
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    version_1_0(content)
    commit(repo, "2025-06-01", "First standards")
    shutil.rmtree(content)
    shutil.copytree(GOOD, content)
    commit(repo, "2026-02-01", "STD-001 1.1.0: report length")
    edit(
        content / f"{STD1}.yaml",
        ("\nversion: 1.1.0", "\nversion: 2.0.0"),
        ('effective: "2026-02-01"', 'effective: "2026-06-01"'),
        ("level: MAY\n    text: Projects MAY add", "level: MUST\n    text: Projects MUST add"),
        ("changelog:\n", 'changelog:\n  - version: 2.0.0\n    date: "2026-05-01"\n    summary: R3 becomes a MUST.\n'),
    )
    commit(repo, "2026-05-01", "STD-001 2.0.0: narrative required")
    return content

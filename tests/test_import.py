"""`playbook import`: a catalogue of Markdown standards brought into a new playbook, all or nothing."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbook.authoring.import_markdown import parse
from playbook.authoring.init_kit import init
from playbook.cli import main

from .conftest import EXAMPLES
from .history_repo import commit, git

CATALOGUE = EXAMPLES / "import" / "catalogue"
BROKEN = EXAMPLES / "import" / "broken"
TODAY = datetime.date.today().isoformat()
ROLE = """\
# yaml-language-server: $schema=../../schemas/role.schema.json
apiVersion: playbook/v1
kind: Role
id: pmo-lead
title: PMO lead
summary: Runs the project management office and owns the playbook's standards.
owner: pmo-lead
responsibilities:
  - Owns the standards in this playbook and approves changes to them.
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository from `playbook init --empty` with a PMO lead role and the catalogue beside its content;
    the working directory is its root."""
    root = tmp_path / "acme"
    init(root, empty=True)
    (root / "standards" / "roles").mkdir()
    (root / "standards" / "roles" / "pmo-lead.yaml").write_text(ROLE, encoding="utf-8")
    shutil.copytree(CATALOGUE, root / "catalogue")
    shutil.copytree(BROKEN, root / "broken")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def starter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository from `playbook init`: the starter playbook, organisation profile and all, with the catalogue
    beside its content; the working directory is its root."""
    root = tmp_path / "acme"
    init(root)
    shutil.copytree(CATALOGUE, root / "catalogue")
    monkeypatch.chdir(root)
    return root


PROFILE = Path("standards/organisation/organisation.yaml")
VOCABULARY = """\
tag_names:
  agile:
    name: Agile delivery  # not "Agile" alone
  # Names the engineering catalogue brought
  security:
    name: Security
"""


def vocabulary(text: str) -> str:
    """Give the starter's profile the tag names `text`; the profile's text then."""
    PROFILE.write_text(PROFILE.read_text().split("tag_names:")[0] + text)
    return PROFILE.read_text()


def standard(stem: str) -> dict:
    return yaml.safe_load(Path("standards", f"{stem}.yaml").read_text(encoding="utf-8"))


def files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_import_writes_standards_that_validate_and_notes_what_changed_by_line(repo):
    result = run("import", "catalogue")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "catalogue/code-review.md → standards/STD-042-code-review.yaml (+ .md)",
        "catalogue/incident-reviews.md → standards/STD-043-post-incident-reviews.yaml (+ .md) (was ENG-7)",
        "catalogue/logging.md → standards/STD-044-service-logging.yaml",  # its one intro line is the summary
        "catalogue/secret-scanning.md → standards/STD-045-secret-scanning.yaml (+ .md) (was SEGAS-00012)",
        "ok: no problems found",
    ]
    assert result.stderr == (EXAMPLES / "import" / "expected-notes.txt").read_text()
    assert run("validate").output.strip() == "ok: no problems found"


def test_requirements_keep_their_level_text_guidance_and_anchors(repo):
    run("import", "catalogue")
    scanning = standard("STD-045-secret-scanning")
    assert scanning["requirements"] == [
        {
            "id": "R1",
            "level": "MUST",
            "text": "You MUST implement secret scanning",
            "guidance": "Turn on the scanning your source control platform offers, for every repository, public or "
            "private:\n\n- GitHub: enable secret scanning and push protection for the organisation.\n- GitLab: "
            "include the `Secret-Detection` CI template in every pipeline.\n\nThe [GitHub documentation]"
            "(https://docs.github.com/en/code-security/secret-scanning) explains the settings.",
            "anchors": ["you-must-implement-secret-scanning"],
        },
        {
            "id": "R2",
            "level": "MUST",
            "text": "You MUST rotate a leaked secret within 24 hours",  # lower-case "must" in the source
            "guidance": "Revoke the secret at its issuer first, then replace it everywhere it is used. Deleting the "
            "commit is\nnot enough: clones and caches keep it.",
            "anchors": ["rotate-leaked-secrets"],  # the {#id} the heading gave
        },
        {
            "id": "R3",
            "level": "SHOULD NOT",
            "text": "You SHOULD NOT keep secrets in environment files",
            "guidance": "Use the organisation's secrets manager. See [code review]"
            "(/standards/code-review.md#authors-must-not-approve) for\nwhat reviewers check.",
            "anchors": ["you-should-not-keep-secrets-in-environment-files"],
        },
    ]
    review = standard("STD-042-code-review")["requirements"]
    assert [(r["level"], r["text"], r.get("anchors")) for r in review] == [
        ("MUST", "Every change MUST be reviewed by at least one engineer who did not write it.", None),
        ("SHOULD", "Reviewers SHOULD respond to a review request within one working day.", None),
        ("MAY", "Teams MAY pair program instead of a separate review.", ["pairing"]),
        ("MUST NOT", "Authors MUST NOT approve their own changes.", ["authors-must-not-approve"]),
    ]
    assert review[1]["guidance"] == (
        "If you cannot, say so and suggest another reviewer:\n\n- in the pull request, or\n- in the team channel."
    )
    logging = standard("STD-044-service-logging")["requirements"]
    assert logging[1]["text"] == (  # the lines of one list item, as one line
        "Services MUST NOT log passwords, tokens or personal data. Mask them at the source; the log pipeline "
        "cannot take them back out."
    )


def test_front_matter_and_further_reading_become_fields(repo):
    run("import", "catalogue")
    scanning = standard("STD-045-secret-scanning")
    assert {k: v for k, v in scanning.items() if k != "requirements"} == {
        "apiVersion": "playbook/v1",
        "kind": "Standard",
        "id": "STD-045",
        "title": "Secret scanning",
        "summary": "Credentials committed to a repository are found by attackers within minutes, and removing the "
        "commit does not make them safe again.",
        "tags": ["build-release-and-deploy", "security"],
        "owner": "pmo-lead",
        "status": "active",  # 'published' is not a status of ours: --status's default
        "version": "1.0.0",
        "effective": "2024-03-05",
        "related": [
            {
                "title": "OWASP Secrets Management Cheat Sheet",
                "url": "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            },
            "STD-042",  # the catalogue's code-review.md, imported beside it
        ],
        "changelog": [
            {"version": "1.0.0", "date": "2024-03-05", "summary": "Imported from catalogue/secret-scanning.md."}
        ],
        "imported_from": {"source": "catalogue/secret-scanning.md", "date": TODAY},
    }
    assert standard("STD-044-service-logging")["status"] == "draft"
    assert standard("STD-043-post-incident-reviews")["summary"].startswith("How teams learn from incidents")
    body = Path("standards/STD-045-secret-scanning.md").read_text()
    assert body.startswith("Credentials committed to a repository")  # the intro, without the title heading
    assert "## Principles\n\n- Prevention beats detection" in body
    assert "### Keep a register of exceptions" in body and "Further reading" not in body and "![" not in body
    incident = Path("standards/STD-043-post-incident-reviews.md").read_text()
    assert "Use the {{ '{{' }} incident_id }} placeholder" in incident and "*[SLO]" not in incident


def test_review_every_gives_a_review_cycle_from_the_date(repo):
    assert run("import", "catalogue/code-review.md", "--review-every", "12").exit_code == 0
    review = standard("STD-042-code-review")
    assert (review["review_every"], review["last_reviewed"]) == (12, "2023-11-20")


def test_a_taken_id_and_page_are_given_new_ones_and_noted(repo):
    run("import", "catalogue/code-review.md")
    Path("more").mkdir()
    shutil.copy("catalogue/code-review.md", "more/code-review.md")  # another catalogue's standard of that id and title
    result = run("import", "more/code-review.md")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "more/code-review.md:2: note: the page standards/code-review/ is taken; this one is standards/code-review-2/",
        "more/code-review.md:3: note: id 'STD-042' (taken) renumbered as STD-043",
    ]
    assert standard("STD-043-code-review-2")["imported_from"]["source"] == "more/code-review.md"


def test_a_second_import_refuses_and_changes_nothing(repo):
    run("import", "catalogue")
    before = files(repo / "standards")
    again = run("import", "catalogue")
    assert again.exit_code == 1
    assert "catalogue/code-review.md:1: error: imported already, as standards/STD-042-code-review.yaml" in again.output
    assert files(repo / "standards") == before


def test_import_never_overwrites_a_file(repo):
    Path("standards/STD-042-code-review.md").write_text("Hand-written notes.\n")
    result = run("import", "catalogue")
    assert result.exit_code == 1
    assert "standards/STD-042-code-review.md already exists; nothing was written" in result.output
    assert sorted(p.name for p in Path("standards").glob("STD-*")) == ["STD-042-code-review.md"]


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "principles-only.md", None,
            "1: error: no requirements: no list item or heading states MUST, MUST NOT, SHOULD, SHOULD NOT or MAY",
        ),
        ("bad-yaml.md", "---\ntitle: Logging\ntags: [a, b\n---\n- You MUST log.\n", "3: error: front matter: the '[' opened here is never closed"),
        ("unclosed.md", "---\ntitle: Logging\n\n- You MUST log.\n", "1: error: the front matter opened on line 1"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_imported_fails_the_whole_import(repo, name, text, error):
    if text is not None:
        Path("broken", name).write_text(text)
    result = run("import", "catalogue", f"broken/{name}")
    assert result.exit_code == 1
    assert f"broken/{name}:{error}" in result.output
    assert "Traceback" not in result.output
    assert not list(Path("standards").glob("STD-*"))


def test_an_owner_that_is_not_a_role_is_a_usage_error(repo):
    result = run("import", "catalogue", "--owner", "cto")
    assert result.exit_code == 2
    assert "--owner cto: no Role with that id in standards; use one of: pmo-lead" in result.output
    assert not list(Path("standards").glob("STD-*"))


def test_validate_base_lets_an_import_start_active_but_not_a_new_hand_written_standard(repo):
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "2026-01-05", "An empty playbook")
    run("import", "catalogue")
    imported = run("validate", "standards", "--base", base)
    assert imported.exit_code == 0, imported.output
    written = Path("standards/STD-042-code-review.yaml").read_text()
    hand_written = written.replace("STD-042", "STD-046").split("imported_from:")[0]
    Path("standards/STD-046-pair-review.yaml").write_text(hand_written.replace("title: Code review", "title: Pairs"))
    result = run("validate", "standards", "--base", base)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "E-STATUS-MOVE" in line] == [
        "standards/STD-046-pair-review.yaml:11:9: E-STATUS-MOVE a new standard starts as draft or proposed, "
        "not active; it becomes active in a later change (status)"
    ]


def test_the_tags_names_go_into_the_organisation_profile_as_written_around_them(starter):
    before = vocabulary(VOCABULARY)
    result = run("import", "catalogue")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4:] == [
        'standards/organisation/organisation.yaml: tag_names: added build-release-and-deploy as "Build, release and '
        'deploy"',
        "ok: no problems found",
    ]
    assert "tags are lower-case" not in result.stderr and "not kept" not in result.stderr
    assert PROFILE.read_text() == before.replace(  # in order, above the comment about the entry after it
        "  # Names the engineering",
        "  build-release-and-deploy:\n    name: Build, release and deploy\n  # Names the engineering",
    )


def test_the_profile_keeps_the_name_it_gives_a_tag(starter):
    before = vocabulary(VOCABULARY.replace("  # Names", "  build-release-and-deploy:\n    name: Delivery\n  # Names"))
    code_review = Path("catalogue/code-review.md")
    code_review.write_text(code_review.read_text().replace("tags: [Ways of working", "tags: [CI/CD, Ways of working"))
    result = run("import", "catalogue")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if "tag_names" in line] == [
        'standards/organisation/organisation.yaml: tag_names: added ci-cd as "CI/CD"'
    ]
    assert PROFILE.read_text() == before.replace("  # Names", "  ci-cd:\n    name: CI/CD\n  # Names")
    assert (
        "catalogue/logging.md:4: note: tags are lower-case words joined by '-': wrote 'Build, release and deploy' as "
        "'build-release-and-deploy' (named 'Delivery' in standards/organisation/organisation.yaml)"
    ) in result.stderr.splitlines()


def test_a_tag_name_the_theme_would_print_as_html_is_made_safe_or_not_kept(starter):
    before = vocabulary(VOCABULARY)
    code_review = Path("catalogue/code-review.md")
    text = code_review.read_text().replace(
        "tags: [Ways of working", 'tags: [Build & test, "<b>Bold</b>", Ways of working'
    )
    code_review.write_text(text)
    result = run("import", "catalogue")
    assert result.exit_code == 0, result.output
    assert 'tag_names: added build-test as "Build and test"' in result.stdout
    assert "b-bold-b" not in PROFILE.read_text() and "<b>" not in PROFILE.read_text()
    assert any(
        line.startswith("catalogue/code-review.md:") and "'<b>Bold</b>' as 'b-bold-b' (a name holding < > & or" in line
        for line in result.stderr.splitlines()
    ), result.stderr
    assert PROFILE.read_text().startswith(before.split("tag_names:")[0])


def test_a_profile_that_cannot_be_written_takes_the_standards_back(starter, monkeypatch):
    before = PROFILE.read_text()
    write_text = Path.write_text

    def read_only(path: Path, text: str, **kwargs) -> int:
        if path.name == PROFILE.name:
            raise PermissionError(13, "Permission denied", str(path))
        return write_text(path, text, **kwargs)

    monkeypatch.setattr(Path, "write_text", read_only)
    result = run("import", "catalogue")
    assert result.exit_code == 1
    assert f"cannot write {PROFILE}: Permission denied; nothing was written" in result.output
    assert not list(Path("standards").glob("STD-04*")) and PROFILE.read_text() == before


def test_without_a_profile_a_note_says_the_names_are_not_kept_and_gives_the_entries_to_keep_them(repo):
    result = run("import", "catalogue")
    assert result.exit_code == 0, result.output
    note, block = result.stderr.split("\n\n")
    assert note.splitlines()[-1] == (
        "note: the tags' names are not kept: the playbook has no organisation profile to hold them. To keep them, "
        'create one (playbook new organisation --title "…") and add to it:'
    )
    assert block == "tag_names:\n  build-release-and-deploy:\n    name: Build, release and deploy\n"
    assert "wrote 'Build, release and deploy' as 'build-release-and-deploy'\n" in note  # the loss, at its line
    assert "'Security'" not in note  # the site shows `security` as "Security": nothing lost


def test_the_imported_pages_show_guidance_answer_old_anchors_and_name_the_tags(starter):
    run("import", "catalogue")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "playbook", "build", "--site-dir", "site"], cwd=starter,
                           capture_output=True, text=True, env=env)  # fmt: skip
    assert build.returncode == 0, build.stderr
    page = (starter / "site" / "standards" / "secret-scanning" / "index.html").read_text()
    assert '<span id="you-must-implement-secret-scanning" class="pb-anchor"></span>' in page
    assert '<span id="rotate-leaked-secrets" class="pb-anchor"></span>' in page
    assert "<li>GitHub: enable secret scanning and push protection for the organisation.</li>" in page
    assert '<a href="../code-review/#authors-must-not-approve">code review</a>' in page
    assert "secret-scanning-flow.png" not in page
    incident = (starter / "site" / "standards" / "post-incident-reviews" / "index.html").read_text()
    assert "Use the {{ incident_id }} placeholder" in incident
    tag = (starter / "site" / "tags" / "build-release-and-deploy" / "index.html").read_text()
    assert '<h1 id="build-release-and-deploy">Build, release and deploy<' in tag  # the name the profile now gives


@pytest.mark.parametrize(
    ("line", "level", "text"),
    [
        ("- You must not deploy on a Friday.", "MUST NOT", "You MUST NOT deploy on a Friday."),
        ("- Teams **should** keep a runbook.", "SHOULD", "Teams SHOULD keep a runbook."),
        ("- Releases SHALL be signed.", "MUST", "Releases MUST be signed."),
        ("### Services SHOULD NOT share databases", "SHOULD NOT", "Services SHOULD NOT share databases"),
        ("- The team that owns a service and answers for it at night may rotate", None, None),  # "may" too late
        ("## Why you should care", None, None),
        ("- You may not log tokens.", None, None),  # "may not" is no RFC 2119 level
    ],
)
def test_which_statements_are_requirements(line, level, text):
    found = parse(f"---\ntitle: Example\n---\n\n{line}\n").statements
    assert [(s.level, s.text) for s in found] == ([(level, text)] if level else [])


def test_what_a_page_would_say_twice_or_lose_silently(repo):
    Path("one.md").write_text(
        "---\ntitle: Log retention\nid: STD-060\ndate: 2024-02-01\n---\n\n"
        "Logs are kept long enough to investigate an incident.\n\n"
        "- Services MUST keep logs for <strong>90 days</strong>.\n"
        "- R2. Services SHOULD NOT keep personal data\u202e in logs<script>alert(1)</script>.\n\n"
        "## Further reading\n\nThese may help:\n\n- [Retention policy](https://example.org/retention)\n",
        encoding="utf-8",
    )
    result = run("import", "one.md")
    assert result.exit_code == 0, result.output
    data = standard("STD-060-log-retention")
    assert data["summary"] == "Logs are kept long enough to investigate an incident."
    assert not Path("standards/STD-060-log-retention.md").exists()  # the intro is the summary, not said again
    assert data["related"] == [{"title": "Retention policy", "url": "https://example.org/retention"}]
    assert [r["text"] for r in data["requirements"]] == [
        "Services MUST keep logs for 90 days.",
        "Services SHOULD NOT keep personal data in logs.",
    ]
    assert result.stderr.splitlines() == [
        "one.md:9: note: HTML tags in a requirement's text are dropped (the text is plain); their words kept",
        "one.md:10: note: HTML tags in a requirement's text are dropped (the text is plain); their words kept",
        "one.md:10: note: the text-direction override U+202E dropped",
    ]  # the catalogue's own number (R2.) and a script's words are not the requirement's text


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("R1 Reviews MUST happen weekly", "Reviews MUST happen weekly"),
        ("REQ-12: Teams MUST test", "Teams MUST test"),
        ("Rust services MUST log", "Rust services MUST log"),  # a word, not a number
        ("Announce <script>alert(1)</script>releases", "Announce releases"),
        ("<script>" * 20_000 + "x", "x"),  # an opener with no closer ends the search: no time lost on each
    ],
)
def test_a_statement_as_plain_text_without_the_catalogues_number_or_a_scripts_code(written: str, text: str):
    from playbook.authoring.import_text import plain

    assert plain(written) == text

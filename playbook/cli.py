"""The `playbook` command: a thin layer over functions the tests call too.

Commands that compare with git or edit files import those parts when they run: `playbook validate`
runs in every commit hook and CI job, and needs neither.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playbook.content import memory

# Importing makes thousands of long-lived objects and no garbage: with the collector paused it
# takes 7 ms less, 5% of a `playbook validate` of 100 standards.
with memory.gc_paused():
    import click

    from playbook import __version__
    from playbook.authoring.codeowners import DEFAULT_FILE, update
    from playbook.authoring.review_report import FORMATS
    from playbook.content.catalog import Catalog
    from playbook.content.dates import check_date, today
    from playbook.content.errors import PlaybookError, ValidationFailed
    from playbook.content.reporters import REPORTERS
    from playbook.content.review import WITHIN_DAYS, due_for_review
    from playbook.content.status import MOVES
    from playbook.content.validate import validate_tree
    from playbook.content.versions import BUMPS
    from playbook.site.bodies import check_bodies

BASE = click.option(
    "--base",
    metavar="REF",
    default=None,
    help="The branch this change goes into (default: the upstream of the current branch, else origin/main).",
)
CONTENT = click.option(
    "--content",
    "content",
    default="standards",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding the content files.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbook")
def main() -> None:
    """PMO Playbook: validate governed PMO content and build it into a static site."""


@main.command()
@click.argument("path", default="standards", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="text: file:line:col lines; json: a list; github: PR annotations.",
)
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Also check changes against this git ref (version bumps, status moves, ids kept), e.g. origin/main; "
    "'auto': the branch `playbook bump` would use, if one is found.",
)
@click.pass_context
def validate(ctx: click.Context, path: Path, fmt: str, base: str | None) -> None:
    """Check every content file under PATH and report every problem at once.

    With --base, a changed standard must bump its version as far as its requirement changes
    demand and add a changelog entry; status moves must follow the lifecycle; ids may not vanish.
    Exits 0 when clean, 1 when there are problems, 2 on a usage error (such as an unknown ref).
    """
    if base == "auto":  # the pre-commit hook: the checks CI makes, where a base branch is known
        from playbook.authoring.against_base import default_base

        base = default_base(path)
        if base is None:
            click.echo("No base branch found: checked without --base; CI checks versions and statuses.", err=True)
    with memory.kept():  # the process ends next: no collector passes over what it read
        if base:
            from playbook.authoring.against_base import validate_against_base  # git and history: only with --base

            result = validate_against_base(path, base)[0]
        else:
            result = check_bodies(validate_tree(path))
    output = REPORTERS[fmt](result.diagnostics)
    if output:
        click.echo(output)
    ctx.exit(0 if result.ok else 1)


def _mkdocs(*args: str, env: dict[str, str] | None = None) -> int:
    # run MkDocs as its own command so its logging and --strict counting are exactly upstream's
    import signal
    import subprocess

    env = dict(os.environ if env is None else env)
    # Material's end-of-life notice is for whoever maintains the engine (engine-docs/development.md says
    # how the core stays builder-agnostic), not for every editor's every build; set it to see it
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    with subprocess.Popen([sys.executable, "-m", "mkdocs", *args], env=env) as child:
        # Ctrl-C reaches MkDocs from the terminal: wait while it cleans up. SIGTERM is passed on.
        previous = {
            signal.SIGINT: signal.signal(signal.SIGINT, lambda *_: None),
            signal.SIGTERM: signal.signal(signal.SIGTERM, lambda signum, _: child.send_signal(signum)),
        }
        try:
            code = child.wait()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    return 128 - code if code < 0 else code  # killed by a signal: the shell's exit status for it


def _commit_time(folder: Path) -> str | None:
    """The last commit's time in seconds since the epoch, or None outside a git work tree."""
    import subprocess

    try:
        git = subprocess.run(
            ["git", "-C", str(folder), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    seconds = git.stdout.strip()
    return seconds if git.returncode == 0 and seconds.isdigit() else None


@main.command()
@CONTENT
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The MkDocs configuration.")
@click.option("-d", "--site-dir", default=None, help="Where to write the site (default: from mkdocs.yml).")
@click.pass_context
def build(ctx: click.Context, content: Path, config_file: str, site_dir: str | None) -> None:
    """Validate the content, then build the site with `mkdocs build --strict`.

    Dates the build by the last commit unless SOURCE_DATE_EPOCH is set, so two builds of one commit
    give the same bytes.
    """
    result = check_bodies(validate_tree(content))
    if not result.ok:
        click.echo(REPORTERS["text"](result.diagnostics))
        ctx.exit(1)
    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH"):
        commit_time = _commit_time(Path(config_file).resolve().parent)
        if commit_time:
            env["SOURCE_DATE_EPOCH"] = commit_time
    ctx.exit(_mkdocs("build", "--strict", "-f", config_file, *(["-d", site_dir] if site_dir else []), env=env))


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The MkDocs configuration.")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.pass_context
def serve(ctx: click.Context, config_file: str, dev_addr: str) -> None:
    """Serve the site with live reload; edits to content and schemas rebuild it.

    Rebuilds are dirty: only pages that show what changed are rendered again, so an edit shows in
    a fraction of a full build (an edit to the glossary renders every page again, for its hover
    text). The sidebar of pages not rendered again may lag until a restart.
    """
    ctx.exit(_mkdocs("serve", "--dirty", "-f", config_file, "-a", dev_addr))


@main.command()
@click.argument("kind")
@click.option("--title", required=True, help="Title of the new entity; the id and file name come from it.")
@CONTENT
def new(kind: str, title: str, content: Path) -> None:
    """Create a new KIND file that validates: standard, principle, template, model, role, kpi, ceremony,
    guide, lifecycle, glossary or organisation (the profile: one per playbook).

    Numbered kinds get the next free id (STD-016); the one-per-playbook kinds a fixed id; the others
    take their id from the title.
    Prints the path of the new file; never overwrites one.
    """
    from playbook.authoring.scaffold import new_entity  # only for the command that writes a file

    click.echo(new_entity(content, kind, title))


@main.command()
@click.argument("path", default="standards", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--base", metavar="REF", required=True, help="The git ref to compare with, e.g. origin/main.")
def diff(path: Path, base: str) -> None:
    """A Markdown summary of what changed against REF, for the pull-request description.

    Lists changed entities with their version bumps (made and needed), requirement changes by
    level and status moves, then any problem `validate --base` finds. Always exits 0 when REF can
    be read, so it can run before the problems are fixed.
    """
    from playbook.authoring.against_base import validate_against_base
    from playbook.authoring.pr_summary import diff_markdown

    result, comparison = validate_against_base(path, base)
    click.echo(diff_markdown(comparison, result.diagnostics), nl=False)


def _catalog(content: Path) -> Catalog:
    result = validate_tree(content)
    if not result.ok:
        raise ValidationFailed(result.diagnostics)
    return Catalog.of(result.entities)


@main.command()
@click.argument("entity_id", metavar="ID")
@click.option("--major", "part", flag_value="major", help="A MUST or MUST NOT requirement added, removed or changed.")
@click.option("--minor", "part", flag_value="minor", help="A SHOULD or MAY requirement added, removed or changed.")
@click.option("--patch", "part", flag_value="patch", help="Wording only.")
@click.option("-m", "--message", "summary", required=True, help="The changelog entry: what changed.")
@click.option("--date", "day", default=None, help="Date of the changelog entry, YYYY-MM-DD (default: today).")
@BASE
@CONTENT
def bump(entity_id: str, part: str | None, summary: str, day: str | None, base: str | None, content: Path) -> None:
    """Raise the version of standard or template ID, add its changelog entry and make it effective that day.

    Against the base branch, a version raised already in this change is raised again from the base's
    version and its entry replaced, and a bump smaller than the change needs is refused. The file
    keeps its comments and layout; the result must validate, or nothing is changed.
    """
    if part not in BUMPS:
        raise click.UsageError("say which part to bump: --major, --minor or --patch")
    from playbook.authoring.edit import bump as bump_version  # ruamel.yaml: only for commands that edit

    for line in bump_version(content, entity_id, part, summary, day=day, base=_base(content, base)):
        click.echo(line)


def _base(content: Path, base: str | None) -> str | None:
    """The base branch given, else the one found (`against_base.default_base`); says which, or that there is none."""
    from playbook.authoring.against_base import default_base

    found = base or default_base(content)
    if found is None:
        click.echo("No base branch found (give one with --base REF): checked against this working tree only.", err=True)
    elif base is None:
        click.echo(f"Against {found} (the base branch; another with --base REF).", err=True)
    return found


@main.command()
@click.argument("entity_id", metavar="ID")
@click.argument("new_status", metavar="STATUS", type=click.Choice([str(status) for status in MOVES]))
@click.option(
    "--by",
    default=None,
    metavar="STD-NNN",
    help="With 'superseded': the successor, which is made to list ID in its supersedes.",
)
@click.option(
    "-m",
    "--message",
    "summary",
    default=None,
    help="Why: shown on the standard's page (the changelog entry when the move makes version 1.0.0).",
)
@click.option("--date", "day", default=None, help="The day of the move, YYYY-MM-DD (default: today).")
@BASE
@CONTENT
def status(
    entity_id: str,
    new_status: str,
    by: str | None,
    summary: str | None,
    day: str | None,
    base: str | None,
    content: Path,
) -> None:
    """Move standard ID to STATUS, if the lifecycle allows it, with the changes the new status needs.

    Active sets effective and last_reviewed and raises a 0.x version to 1.0.0; superseded needs a
    successor (--by). The result must validate, or nothing is changed.
    """
    from playbook.authoring.edit import move_status

    for line in move_status(content, entity_id, new_status, by=by, summary=summary, day=day, base=_base(content, base)):
        click.echo(line)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The site's name (default: from the folder's name).")
@click.option("--empty", is_flag=True, help="No content: a skeleton to write a playbook from scratch.")
def init_command(directory: Path, name: str | None, empty: bool) -> None:
    """Create a new playbook repository in DIRECTORY (new or empty) that validates and builds at once.

    It holds the starter playbook to adapt: every standard, template, role, KPI, ceremony, guide
    and the glossary the engine ships. Delete what you do not need in your first pull request;
    starter content you never changed may go without the usual rule that ids stay.
    """
    from playbook.authoring.init_kit import init as init_repository  # shutil: only for `init`

    written = init_repository(directory, name, empty=empty)
    what = "an empty playbook" if empty else "the starter playbook"
    click.echo(f"wrote {len(written)} files ({what}) to {directory}; next:")
    click.echo(f"  cd {directory} && git init && git add . && git commit -m 'Start the playbook' && make site")


@main.command("import")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@CONTENT
@click.option(
    "--owner", default="pmo-lead", show_default=True, metavar="ROLE_ID", help="The Role that owns every standard."
)
@click.option(
    "--status",
    default="active",
    show_default=True,
    help="Status of a standard whose front matter gives none of the playbook's.",
)
@click.option(
    "--review-every",
    type=click.IntRange(1, 60),
    default=None,
    metavar="MONTHS",
    help="Give each standard a review cycle counted from its date (default: none, never overdue).",
)
def import_command(paths: tuple[Path, ...], content: Path, owner: str, status: str, review_every: int | None) -> None:
    """Import a catalogue of standards written as Markdown with front matter (files, or folders of *.md).

    Writes one standard per file into the content folder: requirements from the list items and
    headings that state MUST, SHOULD or MAY, with the Markdown after each as guidance; the rest as
    the body. Notes on what did not carry over go to stderr as file:line. Nothing is written unless
    every file imports; no file is overwritten. Then the content folder is validated.
    """
    from playbook.authoring.importing import Options, import_catalogue  # only for the command that imports

    outcome = import_catalogue(content, paths, Options(today(), owner, status, review_every))
    for note in outcome.notes:
        click.echo(str(note), err=True)
    if outcome.written:
        click.echo(outcome.report())
    failure = outcome.failure()
    if failure:
        raise PlaybookError(failure)


@main.group()
def report() -> None:
    """Reports on the playbook for the PMO."""


@report.command("review-due")
@click.option(
    "--within", default=WITHIN_DAYS, show_default=True, type=click.IntRange(min=0), help="Days ahead that count as due."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="text lines, a markdown table, or json.",
)
@click.option("--today", "day", default=None, help="The day to count from, YYYY-MM-DD (default: today).")
@CONTENT
def review_due(within: int, fmt: str, day: str | None, content: Path) -> None:
    """Standards whose next review date has passed or falls within --within days, with owners and maintainers."""
    day = check_date(day or today(), "--today")
    click.echo(FORMATS[fmt](due_for_review(_catalog(content), day, within), day, within))


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 when the file is not current, instead of writing it.")
@click.option(
    "--file",
    "file",
    default=str(DEFAULT_FILE),
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CODEOWNERS file.",
)
@CONTENT
def codeowners(check: bool, file: Path, content: Path) -> None:
    """Write CODEOWNERS from each standard's maintainers (run from the repository's root), or --check it."""
    click.echo(update(_catalog(content), file, Path.cwd(), check=check))

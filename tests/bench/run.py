"""`make bench`: validation and build speed on a synthetic catalog, next to their baselines.

- `playbook validate` against parsing the same YAML files with yaml.CSafeLoader (target ≤ 2×),
  wall time and the peak memory of each as its own process;
- `mkdocs build` of the playbook against the build a user would pick instead (target ≤ 1.3×): the
  same pages written as Markdown files under the same theme, theme features and nav, with only the
  Markdown extensions those pages need (tables, admonition, attr_list, toc) and Material's search;
  and, as a second column, against a plain build given every extension, plugin and asset the
  playbook adds ("same features");
- the median HTML page (target ≤ 1.1×) and the search index (target ≤ 1.2×) against the plain site's;
- a rebuild under `playbook serve` after editing one standard (target ≤ 1 s at 1,000 standards).

Each figure is the median of alternating runs (`--runs`, default 3). `--write` puts the table in
engine-docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from playbook.content.catalog import Catalog
from playbook.content.dates import build_date
from playbook.content.model import KINDS, SINGLETONS
from playbook.content.validate import validate_tree
from playbook.downloads.files import all_downloads, clear_cache
from playbook.history.in_force import in_force_page, timelines
from playbook.history.snapshots import History
from playbook.mkdocs.config import ASSET_URI, ASSETS, EXTENSIONS
from playbook.site import sandbox
from playbook.site.checklists import checklist_pages
from playbook.site.indexes import (
    REQUIREMENTS_PAGE,
    REVIEW_DUE_PAGE,
    health_page,
    index_page,
    requirements_page,
    review_due_page,
)
from playbook.site.macros import make_macros
from playbook.site.nav import EDITOR_DOCS, EDITOR_PAGES, HEALTH_PAGE, IN_FORCE_PAGE, kind_sections, site_nav
from playbook.site.pages import entity_page
from playbook.site.phase_pages import phase_pages
from playbook.site.tag_pages import tag_pages, tags_index

from .generate import generate

ROOT = Path(__file__).resolve().parents[2]
PARSE_ONLY = (  # what a user would write instead: no part of the playbook imported
    "import sys, yaml; from pathlib import Path\n"
    "for p in sorted(Path(sys.argv[1]).rglob('*.yaml')): yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)
VALIDATE = "import sys; from playbook.cli import main; main(['validate', sys.argv[1]])\n"
PROCESS_RUNS = 5
"""Runs of the two processes per run of the rest: each takes a tenth of a second, where a pause of the
machine weighs more than the difference measured, so their medians are taken over more runs."""
REBUILD_TIMEOUT = 600


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


PLAIN_EXTENSIONS = ("tables", "admonition", "attr_list", "toc")
"""What the generated pages need to read well as plain Markdown: what a user would switch on instead."""


def _mkdocs_config(content_dir: Path | None, nav: list | None, same_features: bool = False) -> dict:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    config.pop("nav", None)
    if content_dir is None:  # a plain baseline: same theme and features, no playbook or macros
        config["nav"] = nav
        config["exclude_docs"] = "!/templates/\n"  # MkDocs skips a templates/ folder unless told
        if same_features:  # every extension, plugin and asset the playbook adds
            config["plugins"] = ["search", "tags"]
            config["markdown_extensions"] = [{name: options} for name, options in EXTENSIONS.items()]
            config["extra_css"] = [f"{ASSET_URI}/playbook.css"]
            config["extra_javascript"] = [f"{ASSET_URI}/mermaid.min.js"]
        else:  # what a user would pick instead: Material's search, the extensions the pages need
            config["plugins"] = ["search"]
            config["markdown_extensions"] = list(PLAIN_EXTENSIONS)
    else:
        for plugin in config["plugins"]:
            if isinstance(plugin, dict) and "playbook" in plugin:
                plugin["playbook"]["content_dir"] = str(content_dir)
    return config


def _projects(work: Path, catalog_dir: Path) -> tuple[Path, Path, Path]:
    """The playbook project, and the plain ones (honest, same features) with the same pages as Markdown."""
    playbook, plain, same = work / "playbook", work / "plain", work / "same-features"
    for project in (playbook, plain, same):
        (project / "docs").mkdir(parents=True)
        (project / "docs" / "index.md").write_text("# Home\n\nA synthetic playbook.\n")
    shutil.copytree(ROOT / "macros", playbook / "macros")
    # as pip does on install: with PYTHONDONTWRITEBYTECODE set, every build would compile these again
    for folder in (ROOT / "playbook", playbook / "macros"):
        compileall.compile_dir(folder, quiet=1)
    (playbook / "mkdocs.yml").write_text(yaml.safe_dump(_mkdocs_config(catalog_dir, None)))

    catalog = Catalog.of(validate_tree(catalog_dir).entities)
    env = sandbox.make_environment(make_macros(catalog))
    pages = {
        e.src_uri: entity_page(catalog, e, sandbox.render(e.doc.body or "", env, source="bench"))
        for e in catalog.entities
    }
    pages |= {
        f"{cls.section}/index.md": index_page(catalog, kind)
        for kind, cls in KINDS.items()
        if kind not in SINGLETONS and catalog.of_kind(kind)
    }
    pages[HEALTH_PAGE] = health_page(catalog, build_date())
    pages[REVIEW_DUE_PAGE] = review_due_page(catalog, build_date())
    pages[IN_FORCE_PAGE] = in_force_page(timelines(catalog, History({}), build_date()), build_date(), "")
    pages["tags.md"] = tags_index(catalog)
    pages |= tag_pages(catalog) | checklist_pages(catalog) | phase_pages(catalog)  # the nav lists them
    if catalog.of_kind("Standard"):
        pages[REQUIREMENTS_PAGE] = requirements_page(catalog)
    pages |= {uri: (EDITOR_DOCS / Path(uri).name).read_text(encoding="utf-8") for uri in EDITOR_PAGES.values()}
    for project, uri in ((p, u) for p in (plain, same) for u in pages):  # no glossary: a plain site has none
        (project / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / uri).write_text(pages[uri], encoding="utf-8")
    shutil.copytree(ASSETS, same / "docs" / ASSET_URI)
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(_mkdocs_config(None, nav := _nav(catalog))))
    # the mermaid fence needs a Python function, which only MkDocs' own YAML tag can name
    fence = (
        "\n- pymdownx.superfences:\n    custom_fences:\n    - name: mermaid\n      class: mermaid\n"
        "      format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    text = yaml.safe_dump(_mkdocs_config(None, nav, same_features=True))
    text = text.replace("\n- pymdownx.superfences: {}\n", "\n", 1)
    (same / "mkdocs.yml").write_text(text.replace("markdown_extensions:\n", "markdown_extensions:" + fence, 1))
    return playbook, plain, same


def _nav(catalog: Catalog) -> list:
    """The nav the plugin makes, for the same pages."""
    return site_nav(["index.md"], [*kind_sections(catalog, 40), {"Tags": "tags.md"}])


def _build(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
        check=True,
        env=env,
        cwd=project,
    )


PEAK = (
    "import atexit, sys\n"
    "def peak():\n"  # VmHWM: this process's own high-water mark, not the one fork() copied from the bench
    "    status = open('/proc/self/status').read()\n"
    "    sys.stderr.write('\\nPEAK ' + status.split('VmHWM:')[1].split()[0] + '\\n')\n"
    "atexit.register(peak)\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_rebuilds(project: Path, standard: Path, runs: int) -> list[float]:
    """Seconds from saving an edit to one standard until `playbook serve` has rebuilt, `runs` times."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "playbook", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{_free_port()}"]
    original = standard.read_text(encoding="utf-8")
    times = []
    with subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE, text=True) as server:
        assert server.stderr is not None
        try:
            for line in server.stderr:  # the first, full build
                if "Serving on" in line:
                    break
            for i in range(runs):
                time.sleep(1.5)  # let the watcher settle
                start = time.perf_counter()
                standard.write_text(original.replace("summary: ", f"summary: Edit {i}. ", 1), encoding="utf-8")
                watchdog = threading.Timer(REBUILD_TIMEOUT, server.kill)  # a missed edit must not hang the bench
                watchdog.start()
                for line in server.stderr:  # not "Documentation built in": MkDocs logs no message twice
                    if "Reloading browsers" in line:
                        times.append(time.perf_counter() - start)
                        break
                    if "An error happened during the rebuild" in line:
                        raise RuntimeError(f"playbook serve failed to rebuild after an edit: {line.strip()}")
                watchdog.cancel()
                if len(times) <= i:
                    raise RuntimeError(f"playbook serve did not rebuild within {REBUILD_TIMEOUT} s of an edit")
        finally:
            server.terminate()
            standard.write_text(original, encoding="utf-8")
    return times


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _commit(folder: Path) -> None:
    """Commit the catalog and pack it, as a clone has it: the build reads git history as it would in CI."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    # no automatic gc in the background: it would still be running when the builds read git
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "catalog"], ["repack", "-adq"]):
        subprocess.run(["git", "-c", "gc.auto=0", *command], cwd=folder, env=env, check=True)


def _process(code: str, *args: str) -> tuple[float, float]:
    """Wall time in seconds and peak resident memory in MB of Python running `code` as its own process.

    Not `wait4`'s ru_maxrss for the memory: Linux carries the parent's high-water mark into a
    forked child, so every child of a large bench process would seem as large as the bench.
    """
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK + code, *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{code!r} failed:\n{done.stderr}")
    return seconds, int(done.stderr.rsplit("PEAK ", 1)[1].split()[0]) / 1024


def _pages(site: Path) -> dict[str, int]:
    """Size in bytes of every HTML page but the 404 page, by path."""
    return {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*.html") if p.name != "404.html"}


def _median_page(site: Path, common: set[str]) -> float:
    return statistics.median(size for path, size in _pages(site).items() if path in common)


def measure(n: int, work: Path, runs: int) -> dict[str, float]:
    catalog_dir = generate(work / "standards", n)
    _commit(catalog_dir)
    validate, parse = [], []
    for _ in range(runs * PROCESS_RUNS):  # alternate, so drift in machine load hits both alike; each as its own process
        validate.append(_process(VALIDATE, str(catalog_dir)))
        parse.append(_process(PARSE_ONLY, str(catalog_dir)))
    catalog = Catalog.of(validate_tree(catalog_dir).entities)
    make_downloads = []
    for _ in range(runs):
        clear_cache()  # measure cold generation, as a fresh build does it
        make_downloads.append(_timed(lambda: all_downloads(catalog, source_url="https://example.org/")))
    playbook, plain, same = _projects(work, catalog_dir)
    ours, theirs, alike = [], [], []
    for _ in range(runs):  # alternate, so drift in machine load hits all alike
        ours.append(_timed(lambda: _build(playbook)))
        theirs.append(_timed(lambda: _build(plain)))
        alike.append(_timed(lambda: _build(same)))
    rebuilds = _serve_rebuilds(playbook, next(catalog_dir.glob("STD-*.yaml")), runs)
    # pages both sites have (the plain site has no redirects, downloads or history pages)
    common = set(_pages(playbook / "site")) & set(_pages(plain / "site"))
    index = "search/search_index.json"
    return {
        "n": n,
        "validate": statistics.median(t for t, _ in validate),
        "parse": statistics.median(t for t, _ in parse),
        "validate_mb": max(mb for _, mb in validate),
        "parse_mb": max(mb for _, mb in parse),
        "build": statistics.median(ours),
        "plain": statistics.median(theirs),
        "same": statistics.median(alike),
        "rebuild": statistics.median(rebuilds),
        "downloads": statistics.median(make_downloads),
        "page_kb": _median_page(playbook / "site", common) / 1e3,
        "plain_page_kb": _median_page(plain / "site", common) / 1e3,
        "index_mb": (playbook / "site" / index).stat().st_size / 1e6,
        "plain_index_mb": (plain / "site" / index).stat().st_size / 1e6,
        "site_mb": _size(playbook / "site") / 1e6,
        "plain_mb": _size(plain / "site") / 1e6,
    }


def report(rows: list[dict[str, float]]) -> str:
    """Two tables: the targets, then the details behind them."""
    lines = [
        "| standards | build: playbook | plain | ratio (≤ 1.3×) | plain, same features | ratio "
        "| edit under serve (≤ 1 s at 1,000) | median page (≤ 1.1×) | search index (≤ 1.2×) "
        "| validate | parse only | ratio (≤ 2×) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['build']:.1f} s | {r['plain']:.1f} s | {r['build'] / r['plain']:.2f}× "
            f"| {r['same']:.1f} s | {r['build'] / r['same']:.2f}× | {r['rebuild']:.2f} s "
            f"| {r['page_kb']:.0f} KB / {r['plain_page_kb']:.0f} KB = {r['page_kb'] / r['plain_page_kb']:.2f}× "
            f"| {r['index_mb']:.1f} MB / {r['plain_index_mb']:.1f} MB = {r['index_mb'] / r['plain_index_mb']:.2f}× "
            f"| {r['validate']:.2f} s | {r['parse']:.2f} s | {r['validate'] / r['parse']:.2f}× |"
        )
    lines += [
        "",
        "| standards | peak memory: validate / parse | downloads (share of build) | site size |",
        "|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['validate_mb']:.0f} MB / {r['parse_mb']:.0f} MB "
            f"| {r['downloads']:.1f} s ({r['downloads'] / r['build']:.0%}) "
            f"| {r['site_mb']:.0f} MB (plain {r['plain_mb']:.0f} MB) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated catalog sizes (standards)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per figure; medians are reported")
    parser.add_argument("--write", action="store_true", help="write the table into engine-docs/performance.md")
    args = parser.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="playbook-bench-") as work:
            rows.append(measure(n, Path(work), args.runs))
            print(report(rows[-1:]), flush=True)
    table = report(rows)
    print(table)
    if args.write:
        machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
        page = (ROOT / "engine-docs" / "performance.md").read_text(encoding="utf-8")
        start, end = page.index("<!-- bench:start -->"), page.index("<!-- bench:end -->")
        stamp = f"Measured {datetime.date.today().isoformat()} on {machine}; medians of {args.runs} runs ({args.runs * PROCESS_RUNS} for validate and parse).\n\n"
        page = page[:start] + "<!-- bench:start -->\n" + stamp + table + "\n" + page[end:]
        (ROOT / "engine-docs" / "performance.md").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()

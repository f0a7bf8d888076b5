"""The starter site, built once, served on 127.0.0.1 and driven in Debian's Chromium by Playwright.

Playwright's own browser download is never used: `make test` installs the Debian `chromium`
package when it is missing, and the tests launch that binary.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml

from ..conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    # The test machine has no outside network; without these Chromium waits on Google hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Nothing reaches another host, whatever a page asks for: a name other than 127.0.0.1 fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _site_path() -> str:
    """The path the site is published under (`/pmo-playbook/`), from mkdocs.yml's site_url."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return urlsplit(config.get("site_url") or "/").path.rstrip("/") + "/"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site (mkdocs.yml + standards/), built with --strict, under its published path."""
    root = tmp_path_factory.mktemp("www")
    site_dir = root / _site_path().strip("/")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site_dir)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return site_dir


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path) -> Iterator[str]:
    """Serve the folder holding `site` on 127.0.0.1; yields the site's address, ending in `/`."""
    handler = functools.partial(_Quiet, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{site.name}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """`http://127.0.0.1:PORT/pmo-playbook/`: the built site, as GitHub Pages would serve it."""
    yield from serve(site)


@dataclass(frozen=True)
class Entry:
    """One entity as the site's own api/catalog.json gives it."""

    path: str
    """Its page, relative to the site root: `standards/project-brief-and-scope/`."""
    title: str
    data: dict[str, Any]
    """Everything the catalog says of it."""


@pytest.fixture(scope="session")
def catalog(site: Path) -> dict[str, Entry]:
    """Every entity of the built site by id."""
    data = json.loads((site / "api" / "catalog.json").read_text(encoding="utf-8"))
    prefix = _site_path()
    return {
        e["id"]: Entry(urlsplit(e["derived"]["url"]).path.removeprefix(prefix), e["title"], e) for e in data["entities"]
    }


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


BLOCKED_BY_POLICY = "csp"
"""How Chromium fails a request the page's Content-Security-Policy refused: it was never sent."""
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => __violation(`${e.violatedDirective} ${e.blockedURI}`));
"""
"""Reports each Content-Security-Policy violation of every page to the test."""


@dataclass
class Visit:
    """A page in a fresh browser context, with what it asked of other hosts and what it logged."""

    page: Page
    base: str
    requests: list[Request] = field(default_factory=list)
    """Every request the pages made, to the test server or elsewhere."""
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught exceptions."""
    violations: list[str] = field(default_factory=list)
    """What the Content-Security-Policy blocked: `directive blocked-URI`, in order."""
    dialogs: list[str] = field(default_factory=list)
    """Messages of alert, confirm and prompt dialogs (each dismissed): script that ran."""

    def blocked(self, *expected: str) -> None:
        """Wait until the policy has refused exactly `expected` (in any order), then forget them."""
        for _ in range(100):  # 5 s: the browser reports violations as events, after the fact
            if len(self.violations) >= len(expected):
                break
            self.page.wait_for_timeout(50)
        assert sorted(self.violations) == sorted(expected)
        self.violations.clear()

    @property
    def outside(self) -> list[str]:
        """Requests to any host but the test server that the browser sent (Chromium resolves no other
        name) or that a route aborted: none, after every test. One the policy blocked never left."""
        sent = (r.url for r in self.requests if r.failure != BLOCKED_BY_POLICY)
        return list(dict.fromkeys(u for u in sent if not u.startswith((self.origin, "data:", "blob:"))))

    def open(self, path: str = "") -> Page:
        """Go to `path` under the site and wait until the network is quiet."""
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def route_all(self) -> None:
        """Let only requests to the test server through; abort the rest (`outside` still lists them).

        The page is then tested as it behaves with no network beyond the site. The context's route
        also holds the search worker's requests.
        """

        def route(route: Route) -> None:
            if route.request.url.startswith(self.origin):
                route.continue_()
            else:
                route.abort()

        self.page.context.route("**/*", route)

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT/`."""
        return "/".join(self.base.split("/", 3)[:3]) + "/"


def visit_site(browser: Browser, base_url: str, **context_options: Any) -> Iterator[Visit]:
    """A Visit of the site at `base_url` in a new browser context. After the test, no request may have
    left, no dialog opened, and the policy refused nothing the test did not expect (`Visit.blocked`)."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    visit = Visit(page, base_url)
    context.on("request", lambda request: visit.requests.append(request))
    context.expose_function("__violation", lambda violation: visit.violations.append(violation))
    context.add_init_script(WATCH)
    page.on("console", lambda msg: msg.type == "error" and visit.errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: visit.errors.append(f"uncaught: {exc}"))
    page.on("dialog", lambda dialog: (visit.dialogs.append(dialog.message), dialog.dismiss()))
    yield visit
    context.close()
    assert visit.outside == [], "the site asked another host for something"
    assert visit.violations == [], "the Content-Security-Policy refused something no test expected"
    assert visit.dialogs == [], "a page ran script that opened a dialog"


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    """A desktop-sized page (1280×800)."""
    yield from visit_site(browser, base_url, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Visit]:
    """A phone-sized page (390×844, touch, 3× pixels), as an iPhone 12–15 shows the site."""
    yield from visit_site(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)

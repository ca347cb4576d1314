"""Shared helpers: copy a fixture site, change files, build it for real, read the HTML."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
HOOK = ROOT / "hooks" / "reviewkit_hooks.py"

sys.path.insert(0, str(ROOT))


def make_site(dest: Path, changes: dict | None = None, source: Path = FIXTURE) -> Path:
    """A copy of ``source`` at ``dest`` with ``changes`` applied ({path: text | bytes | None})."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("site", "mkdocs.yml.in"))
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets", dirs_exist_ok=True)  # the real stylesheet
    template = (FIXTURE / "mkdocs.yml.in").read_text(encoding="utf-8")
    if not (dest / "mkdocs.yml").exists():
        config = template.replace("HOOKPATH", str(HOOK)).replace("OVERRIDES", str(ROOT / "overrides"))
        config = re.sub(r"\nnav:\n(?:  - .*\n)+", "\n", config)  # fixture pages are not the review's
        (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel, content in (changes or {}).items():
        path = dest / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return dest


def _env():
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def build(site: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml"), "-d", str(site / "site")],
        capture_output=True, text=True, env={**_env(), **(env or {})}, cwd=site, timeout=600,
    )


def check(site: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reviewkit", "--root", str(site), *(args or ("check",))],
        capture_output=True, text=True, env={**_env(), "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=site, timeout=120,
    )


def errors_of(output: str) -> list[str]:
    """The 'file:line:col: error: ...' lines of a run's output."""
    return [line.split(" [RK")[0] for line in output.splitlines() if ": error: " in line]


@pytest.fixture(scope="session")
def good_site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("good") / "site")
    result = build(site, env={"REPO_URL": "https://github.com/example/review"})
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The review itself, built strict into a temporary folder."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=900)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return out


# Browser tests (test_browser.py, test_search.py) share one Chromium.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """A system Chromium (Debian's package in CI), else None to let Playwright use its own."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        path = chromium_path()
        try:
            b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else \
                p.chromium.launch(args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail("No Chromium for the browser tests. Install one: 'apt-get install chromium' (Debian/Ubuntu), "
                        "or 'python -m playwright install chromium', or set CHROMIUM_PATH. "
                        f"Playwright said: {str(exc).splitlines()[0]}")
        yield b
        b.close()


class StaticServer:
    """A built site served on 127.0.0.1 (tests never reach the internet), counting the bytes it sends
    per path, so a test can read what a reader downloaded (a browser may cache; the server's count is
    exact): ``sent`` holds (path, bytes, bytes once gzipped, as a host that compresses would send)."""

    def __init__(self, directory: Path):
        import functools
        import gzip
        import http.server
        import threading

        sent: list[tuple[str, int, int]] = []
        self.sent = sent

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args, **kwargs):
                pass

            def copyfile(self, source, outputfile):
                data = source.read()
                # Pagefind's chunks are gzipped already: never count more than was sent
                sent.append((self.path, len(data), min(len(data), len(gzip.compress(data, 6)))))
                outputfile.write(data)

        handler = functools.partial(Handler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture(scope="session")
def served_site(real_site):
    """The review, built and served (test_browser.py, test_previews.py, test_search.py)."""
    server = StaticServer(real_site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def server(served_site) -> str:
    """The served review's address."""
    return served_site.url


@pytest.fixture
def page(browser, server):
    """A fresh browser tab on a desktop screen; ``page.requests`` lists every URL it asked for."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()

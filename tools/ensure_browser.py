"""Make sure the browser tests have a Chromium, getting one when none is found.

Order: CHROMIUM_PATH or a system Chromium; Playwright's own browser; else download it with
`playwright install chromium`; else, where packages may be installed (root, or sudo without a
password), Debian's `chromium` with apt-get. Only then give up, naming the command to run.

    python tools/ensure_browser.py      # run by `make test`; quiet when a browser is there
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

SYSTEM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser", "google-chrome")
DOWNLOAD = [sys.executable, "-m", "playwright", "install", "chromium"]
APT = [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]
GIVE_UP = """No Chromium for the browser tests, and none could be installed here. Run one of:
  {python} -m playwright install --with-deps chromium    # Playwright's Chromium (needs the internet)
  sudo apt-get install chromium                          # Debian's package (Ubuntu: chromium-browser)
or set CHROMIUM_PATH to a Chromium or Chrome executable, then run `make test` again."""


def system_browser() -> str | None:
    """The browser tests/test_browser.py would use first: CHROMIUM_PATH, then the system's."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *SYSTEM):
        path = candidate and (candidate if os.sep in candidate else shutil.which(candidate))
        if path and os.path.exists(path):
            return path
    return None


def playwright_browser() -> str | None:
    """Playwright's downloaded Chromium, if there is one."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # no driver, no browser for this platform: same answer, none
        return None
    return path if path and os.path.exists(path) else None


def may_install_packages() -> list[str] | None:
    """The prefix that runs apt-get as root ([] or ['sudo', '-n']), or None when we may not."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def run(cmd: list[str], timeout: int = 900) -> bool:
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    try:
        return subprocess.run(cmd, timeout=timeout,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}).returncode == 0
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"  failed: {exc}", file=sys.stderr)
        return False


def ensure(system=system_browser, own=playwright_browser, root=may_install_packages, runner=run) -> str | None:
    """A browser's path, installing one if needed; None when none could be had."""
    found = system() or own()
    if found:
        return found
    print("No Chromium found for the browser tests; getting one.", file=sys.stderr)
    if runner(DOWNLOAD) and own():
        return own()
    prefix = root()
    if prefix is not None and all(runner(prefix + step) for step in APT):
        return system()
    return None


def main() -> int:
    if ensure():
        return 0
    print(GIVE_UP.format(python=sys.executable), file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())

"""`make test` on a fresh machine: the browser is found, or fetched, or the exact command is named."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import ensure_browser  # noqa: E402


class Machine:
    """A machine without a browser: records the commands run, installs what they would."""

    def __init__(self, download_works: bool, may_install: list[str] | None):
        self.download_works, self.may_install = download_works, may_install
        self.ran: list[list[str]] = []
        self.own = self.system = None

    def runner(self, cmd):
        self.ran.append(cmd)
        if cmd == ensure_browser.DOWNLOAD and self.download_works:
            self.own = "/home/u/.cache/ms-playwright/chromium/chrome"
            return True
        if cmd[-1] == "chromium" and "apt-get" in cmd:
            self.system = "/usr/bin/chromium"
        return cmd != ensure_browser.DOWNLOAD

    def ensure(self):
        return ensure_browser.ensure(lambda: self.system, lambda: self.own, lambda: self.may_install, self.runner)


def test_a_browser_already_there_is_used_without_installing():
    m = Machine(download_works=True, may_install=[])
    m.system = "/usr/bin/chromium"
    assert m.ensure() == "/usr/bin/chromium" and m.ran == []


def test_playwright_downloads_its_chromium_where_it_can():
    m = Machine(download_works=True, may_install=[])
    assert m.ensure().endswith("chrome")
    assert m.ran == [ensure_browser.DOWNLOAD]


def test_debian_chromium_with_apt_get_when_the_download_fails_and_packages_may_be_installed():
    m = Machine(download_works=False, may_install=["sudo", "-n"])
    assert m.ensure() == "/usr/bin/chromium"
    assert m.ran == [ensure_browser.DOWNLOAD, ["sudo", "-n", "apt-get", "update", "-qq"],
                     ["sudo", "-n", "apt-get", "install", "-y", "-qq", "chromium"]]


def test_gives_up_naming_the_command_when_nothing_can_be_installed():
    m = Machine(download_works=False, may_install=None)
    assert m.ensure() is None
    assert m.ran == [ensure_browser.DOWNLOAD]


def test_the_script_names_the_exact_commands_when_it_gives_up(tmp_path):
    # A machine with no browser, no network and no rights: PATH holds only Python, Playwright's
    # browser folder is empty, the download goes nowhere.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "python").symlink_to(sys.executable)
    env = {"PATH": str(bindir), "HOME": str(tmp_path), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "pw"),
           "PLAYWRIGHT_DOWNLOAD_HOST": "http://127.0.0.1:9", "CHROMIUM_PATH": str(tmp_path / "none")}
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import ensure_browser as e; "
            "e.SYSTEM = (); raise SystemExit(e.main())")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "tools")], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert "-m playwright install --with-deps chromium" in result.stderr
    assert "sudo apt-get install chromium" in result.stderr
    assert "CHROMIUM_PATH" in result.stderr

"""`mkdocs serve` keeps serving with errors, shows them in the pages, and clears them on the fix.

The real server runs in a subprocess on a free port of 127.0.0.1; pages are fetched over HTTP.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import _env, build, make_site

WAIT = 180  # seconds; a rebuild of the fixture takes a few, the shared test machine may be slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, ok, proc) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert proc.poll() is None, "mkdocs serve exited:\n" + proc.stdout.read()
        html = _get(url)
        if html is not None and ok(html):
            return html
        time.sleep(0.5)
    raise AssertionError(f"{url}: not as expected after {WAIT} s")


def _box(html: str) -> str:
    m = re.search(r'<div class="rk-errors".*?</div>', html, re.S)
    return m.group(0) if m else ""


def _notice(html: str) -> str:
    m = re.search(r'<div class="rk-error-notice".*?</div>', html, re.S)
    return m.group(0) if m else ""


BROKEN_BIB = "\n@article{broken,\n  title = {Unclosed\n"


def test_serve_shows_errors_in_the_page_and_clears_them_on_the_fix(tmp_path):
    site = make_site(tmp_path / "site")
    pages = {lang: site / "docs" / lang / "pathway.md" for lang in ("en", "zh")}
    good = {lang: p.read_text(encoding="utf-8") for lang, p in pages.items()}
    bib = site / "references.bib"
    good_bib = bib.read_text(encoding="utf-8")
    for lang, p in pages.items():
        p.write_text(good[lang].replace("@browne2024resistance", "@browne2024resistanc"), encoding="utf-8")
    bib.write_text(good_bib + BROKEN_BIB, encoding="utf-8")

    # The build stays strict: it fails, as it always has.
    result = build(site)
    assert result.returncode != 0
    assert "unknown citation key 'browne2024resistanc'" in result.stdout + result.stderr

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(site / "mkdocs.yml")],
                            cwd=site, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        en = _wait_for(f"{base}/pathway/", lambda h: "rk-errors" in h, proc)
        box = _box(en)
        assert "1 error(s) on this page" in box
        assert "docs/en/pathway.md:5:38" in box
        assert "unknown citation key &#x27;browne2024resistanc&#x27;" in box
        assert "hint: did you mean &#x27;browne2024resistance&#x27;?" in box
        assert "docs/zh/pathway.md" not in box  # each page shows its own errors
        # the rest of the page still renders: the drug link and the text after the box
        assert 'class="rk-drug"' in en and "Everolimus" in en
        notice = _notice(en)
        assert "3 error(s) in the review" in notice and "1 on this page" in notice
        # an error of a file that is no page is shown in the site-wide notice, with its hint
        assert "references.bib:44:1" in notice and "is not closed" in notice
        assert "docs/zh/pathway.md" in notice

        zh = _get(f"{base}/zh/pathway/")
        assert "本页有 1 个错误" in _box(zh) and "docs/zh/pathway.md:5:13" in _box(zh)
        assert "提示：" in _box(zh)
        assert "本综述共有 3 个错误" in _notice(zh)

        index = _get(f"{base}/")
        assert "rk-errors" not in index  # a page without errors renders normally
        assert "3 error(s) in the review" in _notice(index)

        # Fixing the page clears its box at the next rebuild; the bibliography error stays in the notice.
        for lang, p in pages.items():
            p.write_text(good[lang], encoding="utf-8")
        en = _wait_for(f"{base}/pathway/", lambda h: "rk-errors" not in h and "1 error(s) in" in h, proc)
        assert "references.bib:44:1" in _notice(en)
        bib.write_text(good_bib, encoding="utf-8")
        en = _wait_for(f"{base}/pathway/", lambda h: "rk-error-notice" not in h, proc)
        assert 'class="rk-cite"' in en and "md-banner" not in en
        zh = _wait_for(f"{base}/zh/pathway/", lambda h: "rk-error" not in h, proc)
        assert 'class="rk-cite"' in zh
    finally:
        proc.terminate()
        try:
            out = proc.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0]
    # errors are printed as in a build, each once per rebuild
    assert out.count("docs/en/pathway.md:5:38: error: unknown citation key") == 1
    assert "Aborted" not in out

"""The review itself: it builds strict, both languages are complete, nothing loads from elsewhere."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, _env
from test_site import third_party_loads

PAGES = sorted(p.name for p in (ROOT / "docs" / "en").glob("*.md"))


def test_check_passes_on_the_review():
    result = subprocess.run([sys.executable, "-m", "reviewkit", "check"], cwd=ROOT, capture_output=True,
                            text=True, env=_env(), timeout=120)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_both_languages(real_site, page):
    url = "" if page == "index.md" else page[:-3] + "/"
    en = (real_site / url / "index.html").read_text(encoding="utf-8")
    zh = (real_site / "zh" / url / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en and '<html lang="zh"' in zh
    # the Chinese page is the translation, not an English fallback
    body = zh.split('<article class="md-content__inner md-typeset">', 1)[1]
    assert re.search(r"[\u4e00-\u9fff]", body)


def test_no_third_party_loads_in_the_review(real_site):
    assert third_party_loads(real_site) == []

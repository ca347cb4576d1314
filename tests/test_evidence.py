"""How current each page is: 'evidence_checked' in the front matter, checked and shown under the title."""

from __future__ import annotations

import datetime

import pytest
from conftest import FIXTURE, build, check, errors_of, make_site

from reviewkit import evidence

EN_INDEX = (FIXTURE / "docs/en/index.md").read_text(encoding="utf-8")
ZH_INDEX = (FIXTURE / "docs/zh/index.md").read_text(encoding="utf-8")
EN_PATHWAY = (FIXTURE / "docs/en/pathway.md").read_text(encoding="utf-8")
ZH_PATHWAY = (FIXTURE / "docs/zh/pathway.md").read_text(encoding="utf-8")


def dated(text: str, value: str) -> str:
    return f"---\nevidence_checked: {value}\n---\n" + text


@pytest.mark.parametrize("value, want", [
    ("2026-11", (2026, 11)), (" 2026-01 ", (2026, 1)), (datetime.date(2026, 11, 30), (2026, 11)),
    ("2026-13", None), ("Nov 2026", None), ("2026", None), (202611, None), (None, None),
])
def test_parse(value, want):
    assert evidence.parse(value) == want


def test_labels_in_both_languages():
    assert evidence.label("2026-11", "en") == "Evidence checked to November 2026"
    assert evidence.label("2026-11", "zh") == "证据检索截至2026年11月"
    assert evidence.label("2026-11", "zh-Hant") == "證據檢索截至2026年11月"
    assert evidence.label("2026-13", "en") == ""


def test_badge_goes_right_after_the_title():
    md = "Intro line\n# Title\n\nBody\n"
    out = evidence.after_title(md, "<p>X</p>")
    assert out.index("# Title") < out.index("<p>X</p>") < out.index("Body")
    assert evidence.after_title(md, "") == md


def _enable(site):
    cfg = site / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  reviewkit:\n", "  reviewkit:\n    evidence_dates: true\n", 1),
                   encoding="utf-8")
    return site


def test_off_by_default(tmp_path):
    site = make_site(tmp_path / "site")
    result = check(site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_and_malformed_dates_stop_the_check(tmp_path):
    site = _enable(make_site(tmp_path / "site", {
        "docs/en/index.md": dated(EN_INDEX, "2026-11"), "docs/zh/index.md": dated(ZH_INDEX, "2026-10"),
        "docs/en/pathway.md": dated(EN_PATHWAY, "November 2026"),
    }))
    result = check(site)
    assert result.returncode != 0
    assert errors_of(result.stdout) == [
        ("docs/en/pathway.md:2:1: error: 'evidence_checked' must be a year and month such as 2026-11, "
         "got 'November 2026'"),
        "docs/zh/index.md:2:1: error: 'evidence_checked' differs from docs/en/index.md (2026-11)",
        "docs/zh/pathway.md:1:1: error: page cites evidence but does not say up to when it was checked",
    ]
    assert "hint: add 'evidence_checked: 2026-11'" in result.stdout
    assert "[RK100]" in result.stdout


def test_dated_pages_build_and_show_the_date(tmp_path):
    site = _enable(make_site(tmp_path / "site", {
        "docs/en/index.md": dated(EN_INDEX, "2026-11"), "docs/zh/index.md": dated(ZH_INDEX, "2026-11"),
        "docs/en/pathway.md": dated(EN_PATHWAY, "2026-11"), "docs/zh/pathway.md": dated(ZH_PATHWAY, "2026-11"),
    }))
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    en = (site / "site" / "pathway" / "index.html").read_text(encoding="utf-8")
    zh = (site / "site" / "zh" / "pathway" / "index.html").read_text(encoding="utf-8")
    for html, text in ((en, "Evidence checked to November 2026"), (zh, "证据检索截至2026年11月")):
        badge = f'<p class="rk-evidence"><time datetime="2026-11">{text}</time></p>'
        assert badge in html
        assert html.index("</h1>") < html.index(badge)


def test_the_review_states_its_evidence_date(real_site):
    for lang, text in (("", "Evidence checked to November 2026"), ("zh/", "证据检索截至2026年11月")):
        for page in ("pathway", "trials", "management"):
            html = (real_site / lang / page / "index.html").read_text(encoding="utf-8")
            assert f'<time datetime="2026-11">{text}</time>' in html, (lang, page)

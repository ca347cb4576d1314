"""The two languages stay in step: each kind of divergence, and the staleness notice."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURE, build, check, errors_of, make_site

EN = (FIXTURE / "docs/en/index.md").read_text(encoding="utf-8")
ZH = (FIXTURE / "docs/zh/index.md").read_text(encoding="utf-8")
EN_P = (FIXTURE / "docs/en/pathway.md").read_text(encoding="utf-8")
ZH_P = (FIXTURE / "docs/zh/pathway.md").read_text(encoding="utf-8")

CASES = {
    "missing citation": (
        {"docs/zh/pathway.md": ZH_P.replace("[@browne2024resistance]", "")},
        ["docs/zh/pathway.md:3:1: error: citation 'browne2024resistance' is in docs/en/pathway.md:5 but not here"],
    ),
    "citations in another order": (
        {"docs/zh/index.md": ZH.replace("[@andre2019alpelisib; @turner2023capivasertib; @baselga2012everolimus]",
                                        "[@baselga2012everolimus; @andre2019alpelisib; @turner2023capivasertib]")
                               .replace("延长了无进展生存期[@andre2019alpelisib]", "延长了无进展生存期")
                               .replace("构成了该领域的证据。", "构成了该领域的证据[@andre2019alpelisib]。")},
        ["docs/zh/index.md:6:1: error: citations are in a different order: 'andre2019alpelisib' comes first "
         "at this point in docs/en/index.md, 'baselga2012everolimus' here"],
    ),
    "extra drug": (
        {"docs/zh/pathway.md": ZH_P + "\n卡匹色替亦在研究中。\n"},
        ["docs/zh/pathway.md:8:1: error: drug '卡匹色替' (capivasertib) is named here but not in "
         "docs/en/pathway.md:3"],
    ),
    "missing drug": (
        {"docs/zh/pathway.md": ZH_P.replace("氟维司群（fulvestrant）降解雌激素受体", "另一种药物降解雌激素受体")},
        ["docs/zh/pathway.md:3:1: error: drug 'fulvestrant' is named in docs/en/pathway.md:3 (section) but not here"],
    ),
    "missing table row": (
        {"docs/en/index.md": EN.replace("| everolimus | BOLERO-2 [@baselga2012everolimus] |",
                                        "| everolimus | BOLERO-2 [@baselga2012everolimus] |\n| - | FAKTION |")},
        ["docs/zh/index.md:20:1: error: section '表格' has 2 table rows, docs/en/index.md:20 has 3"],
    ),
    "changed number": (
        {"docs/en/pathway.md": EN_P.replace("is often activated", "is activated in 40% of cases")},
        ["docs/zh/pathway.md:3:1: error: number(s) 40 in docs/en/pathway.md:3 (section) are missing here"],
    ),
    "missing heading": (
        {"docs/zh/pathway.md": ZH_P.replace("## 信号转导\n", "")},
        ["docs/zh/pathway.md:6:1: error: heading '## Signalling' at docs/en/pathway.md:3 has no counterpart here"],
    ),
    "heading at another level": (
        {"docs/zh/pathway.md": ZH_P.replace("## 信号转导", "### 信号转导")},
        ["docs/zh/pathway.md:3:1: error: heading is level 3 here but level 2 at docs/en/pathway.md:3"],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_parity_mismatch_is_reported_naming_both_files(tmp_path, name):
    changes, expected = CASES[name]
    result = check(make_site(tmp_path / "site", changes))
    assert result.returncode == 1, result.stdout
    assert errors_of(result.stdout) == expected


@pytest.mark.parametrize("en,zh", [
    ("HR 0.65 (95% CI 0.50–0.85)", "HR 0.65（95% CI 0.50–0.85）"),
    ("11.0 months in October 2024", "2024年10月，11.0个月"),
    ("n = 1,234 patients", "n=1234例患者"),
    ("PIK3CA H1047R and CDK4/6 in phase 3", "PIK3CA H1047R与CDK4/6，3期"),
    ("NCT04305496", "NCT04305496"),
    ("a phase 3 trial, phase 1b/3 and phase 1/2", "Ⅲ期试验、Ⅰb/Ⅲ期和Ⅰ/Ⅱ期"),
    ("stage II–III early breast cancer; class I PI3K", "Ⅱ～Ⅲ期早期乳腺癌；Ⅰ类PI3K"),
    ("grade 3–4 in 29.2%", "3～4级，29.2%"),
])
def test_numbers_match_across_formats(en, zh):
    from reviewkit.parity import numbers

    assert numbers(en, "en") == numbers(zh, "zh")


def test_numbers_differ_when_a_figure_changes():
    from reviewkit.parity import numbers

    assert numbers("HR 0.65", "en") != numbers("HR 0.56", "zh")
    assert numbers("NCT04305496", "en") != numbers("NCT04305497", "zh")


def _marked(tmp_path):
    site = make_site(tmp_path / "site")
    result = check(site, "mark-translated", "docs/zh/pathway.md")
    assert result.returncode == 0, result.stderr
    return site


def test_staleness_notice_appears_then_goes(tmp_path):
    site = _marked(tmp_path)
    assert check(site, "status").stdout.strip().splitlines()[-1].startswith("docs/zh/index.md: never marked")
    built = build(site)
    assert built.returncode == 0, built.stderr
    html = (site / "site/zh/pathway/index.html").read_text(encoding="utf-8")
    assert "rk-stale" not in html
    # white space alone does not make a translation stale
    (site / "docs/en/pathway.md").write_text(EN_P.replace("often activated", "often\n  activated"), encoding="utf-8")
    assert "docs/zh/pathway.md" not in check(site, "status").stdout
    # a prose edit does; build still passes, the Chinese page shows the notice with a link and a date
    (site / "docs/en/pathway.md").write_text(EN_P.replace("often activated", "frequently activated"), encoding="utf-8")
    status = check(site, "status").stdout
    assert re.search(r"docs/zh/pathway.md: stale since \d{4}-\d\d-\d\d — docs/en/pathway.md edited: 'Signalling'", status)
    built = build(site)
    assert built.returncode == 0, built.stderr
    html = (site / "site/zh/pathway/index.html").read_text(encoding="utf-8")
    assert re.search(r'<strong>英文原文已于\d{4}-\d\d-\d\d更新，本页中文译文可能尚未同步。</strong> '
                     r'<a href="\.\./\.\./pathway/" hreflang="en">查看英文原文</a>', html)
    # marking the translation current removes it
    assert check(site, "mark-translated", "docs/zh/pathway.md").returncode == 0
    assert build(site).returncode == 0
    html = (site / "site/zh/pathway/index.html").read_text(encoding="utf-8")
    assert "rk-stale" not in html


def test_status_names_added_and_removed_sections(tmp_path):
    site = _marked(tmp_path)
    (site / "docs/en/pathway.md").write_text(EN_P.replace("## Signalling", "## Signals") + "\n## New\n\nMore.\n",
                                             encoding="utf-8")
    status = check(site, "status").stdout
    assert "added: 'Signals', 'New'; removed: 'Signalling'" in status


def test_typo_only_change_keeps_the_translation_current(tmp_path):
    site = _marked(tmp_path)
    (site / "docs/en/pathway.md").write_text(EN_P.replace("often activated", "often activatd"), encoding="utf-8")
    assert "docs/zh/pathway.md" in check(site, "status").stdout
    assert check(site, "mark-translated", "--typo-only", "docs/zh/pathway.md").returncode == 0
    assert "docs/zh/pathway.md" not in check(site, "status").stdout


def test_hand_edited_record_is_an_error(tmp_path):
    site = _marked(tmp_path)
    path = site / "docs/zh/pathway.md"
    path.write_text(re.sub(r"hash: \w+", "hash: [1, 2]", path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    result = check(site)
    assert "docs/zh/pathway.md:2:1: error: the 'translation' record in the front matter is malformed" in result.stdout

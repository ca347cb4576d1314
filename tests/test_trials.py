"""trials.yml: every message with its line; pages must agree with the hazard ratios it lists."""

from __future__ import annotations

import pytest

from conftest import FIXTURE, ROOT, build, check, errors_of, make_site
from reviewkit import scanner, trialcheck, trials

GOOD = """\
- id: SOLAR-1
  nct: NCT02437318
  phase: "3"
  design: {en: randomised, zh: 随机}
  arms: {en: alpelisib + fulvestrant, zh: 阿培利司 + 氟维司群}
  population: {en: HR-positive, zh: HR阳性}
  endpoints: {en: PFS, zh: PFS}
  results:
    - endpoint: PFS
      cohort: {en: PIK3CA-mutated, zh: PIK3CA突变}
      n: 341
      median: [11.0, 5.7]
      hr: 0.65
      ci: [0.50, 0.85]
      cite: andre2019alpelisib
"""


def messages(text: str, languages=("en", "zh"), keys=("andre2019alpelisib",)) -> list[str]:
    parsed = trials.parse("trials.yml", text.encode("utf-8"))
    diags = list(parsed.problems) + trials.validate(parsed, languages, set(keys))
    return [d.format().split(" [RK")[0] for d in diags]


def test_good_file_has_no_messages():
    assert messages(GOOD) == []
    parsed = trials.parse("trials.yml", GOOD.encode())
    r = parsed.trials["SOLAR-1"].results[0]
    assert (r.hr, r.ci, r.median, r.n) == (0.65, (0.5, 0.85), (11.0, 5.7), 341)


CASES = {
    "malformed NCT": (GOOD.replace("NCT02437318", "NCT0243731"),
                      ["trials.yml:2:1: error: trial 'SOLAR-1': malformed NCT number 'NCT0243731'"]),
    "NCT used twice": (GOOD + GOOD.replace("SOLAR-1", "SOLAR-2"),
                       ["trials.yml:17:1: error: trial 'SOLAR-2': NCT02437318 is also the NCT number of 'SOLAR-1' (line 1)"]),
    "id twice": (GOOD + GOOD.replace("NCT02437318", "NCT02437319"),
                 ["trials.yml:16:1: error: trial 'SOLAR-1' appears twice (first at line 1)"]),
    "unknown cite": (GOOD.replace("cite: andre2019alpelisib", "cite: andre2091alpelisib"),
                     ["trials.yml:15:1: error: trial 'SOLAR-1', result 1: unknown citation key 'andre2091alpelisib'"]),
    "hr outside ci": (GOOD.replace("hr: 0.65", "hr: 0.95"),
                      ["trials.yml:13:1: error: trial 'SOLAR-1', result 1: hr 0.95 lies outside its ci [0.5, 0.85]"]),
    "ci reversed": (GOOD.replace("[0.50, 0.85]", "[0.85, 0.50]"),
                    ["trials.yml:14:1: error: trial 'SOLAR-1', result 1: ci must be [low, high], not [0.85, 0.5]"]),
    "ci not positive": (GOOD.replace("[0.50, 0.85]", "[0, 0.85]"),
                        ["trials.yml:14:1: error: trial 'SOLAR-1', result 1: confidence limits must be positive, not [0, 0.85]"]),
    "median not positive": (GOOD.replace("[11.0, 5.7]", "[11.0, -5.7]"),
                            ["trials.yml:12:1: error: trial 'SOLAR-1', result 1: medians must be positive, not [11.0, -5.7]"]),
    "n not positive": (GOOD.replace("n: 341", "n: 0"),
                       ["trials.yml:11:1: error: trial 'SOLAR-1', result 1: n must be positive, not 0"]),
    "missing language": (GOOD.replace("population: {en: HR-positive, zh: HR阳性}", "population: {en: HR-positive}"),
                         ["trials.yml:6:1: error: trial 'SOLAR-1', population: no text in zh"]),
    "missing language in a result": (GOOD.replace("cohort: {en: PIK3CA-mutated, zh: PIK3CA突变}", "cohort: {zh: PIK3CA突变}"),
                                     ["trials.yml:10:1: error: trial 'SOLAR-1', results[1].cohort: no text in en"]),
    "unknown endpoint": (GOOD.replace("endpoint: PFS", "endpoint: DFS"),
                         ["trials.yml:9:7: error: trial 'SOLAR-1', result 1: unknown endpoint 'DFS'"
                          .replace(":9:7:", ":9:1:")]),
    "missing field": (GOOD.replace("  endpoints: {en: PFS, zh: PFS}\n", ""),
                      ["trials.yml:1:3: error: trial 'SOLAR-1' is missing field(s): endpoints".replace(":1:3:", ":1:1:")]),
    "unknown field": (GOOD.replace("  phase:", "  phsae:"),
                      ["trials.yml:3:1: error: trial at line 1: unknown field 'phsae'",
                       "trials.yml:1:1: error: trial 'SOLAR-1' is missing field(s): phase"]),
    "registry status": (GOOD.replace("  results:", "  registry: {status: RECRUTING, checked: 2026-11-30}\n  results:"),
                        ["trials.yml:8:1: error: trial 'SOLAR-1': registry status 'RECRUTING' is not one ClinicalTrials.gov uses"]),
    "not a list": ("SOLAR-1: {}\n", ["trials.yml:1:1: error: the trials file must be a list of trials"]),
    "alias": (GOOD + "- &a {id: X}\n- *a\n", ["trials.yml:17:3: error: YAML aliases (*name) are not allowed in the trials file"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_problem_has_its_message_and_line(name):
    text, expected = CASES[name]
    assert sorted(messages(text)) == sorted(expected)


def test_every_configured_language_is_required():
    assert messages(GOOD, languages=("en", "zh", "ja"))[0] == \
        "trials.yml:4:1: error: trial 'SOLAR-1', design: no text in ja"


# ---- prose agrees with the data ----

class _Project:
    """The parts of the project model the prose check reads."""

    def __init__(self, pages: dict, text=GOOD):
        self.trials = trials.parse("trials.yml", (text + GOOD.replace("SOLAR-1", "CAPItello-291")
                                                  .replace("NCT02437318", "NCT04305496")
                                                  .replace("hr: 0.65", "hr: 0.60")
                                                  .replace("[0.50, 0.85]", "[0.51, 0.71]")).encode())
        self.pages = {("x", path): scanner.scan(path, body) for path, body in pages.items()}

    def per_page(self, key, pages, make):
        return make()


def _errors(pages: dict) -> list[str]:
    return [d.format().split(" [RK")[0] for d in trialcheck.prose_agrees(_Project(pages))]


def test_a_sentence_that_agrees_passes():
    assert _errors({"a.md": "In SOLAR-1, PFS was longer (HR 0.65, 95% CI 0.50–0.85) [@x].\n"}) == []
    assert _errors({"a.md": "SOLAR-1: hazard ratio for progression or death, 0.65; 95% CI, 0.50 to 0.85.\n"}) == []


def test_a_sentence_that_disagrees_names_file_line_and_the_listed_figures():
    diags = trialcheck.prose_agrees(_Project({"docs/en/a.md": "# T\n\nIn SOLAR-1, PFS was longer (HR 0.66).\n"}))
    assert [d.format().split(" [RK")[0] for d in diags] == \
        ["docs/en/a.md:3:32: error: HR 0.66 for SOLAR-1 is not a figure trials.yml lists for it"]
    assert "HR 0.65 (0.50–0.85) [andre2019alpelisib]" in diags[0].hint


def test_a_wrong_interval_is_refused():
    assert _errors({"a.md": "In SOLAR-1 the HR was 0.65 (95% CI 0.50–0.86).\n"}) == \
        ["a.md:1:23: error: HR 0.65 for SOLAR-1: 95% CI 0.50–0.86 is not the interval trials.yml lists"]


def test_a_sentence_naming_two_trials_is_not_checked():
    assert _errors({"a.md": "SOLAR-1 and CAPItello-291 gave HR 0.99 and HR 0.11.\n"}) == []


def test_only_the_sentence_is_read_not_the_paragraph():
    assert _errors({"a.md": "SOLAR-1 was positive. The other cohort had HR 0.99.\n"}) == []


def test_chinese_sentences():
    ok = "在SOLAR-1中，风险比为0.65（95% CI 0.50～0.85）。CAPItello-291的HR=0.60。风险比（HR）为0.60，见CAPItello-291。\n"
    assert _errors({"zh.md": ok}) == []
    bad = "总体人群中位PFS为7.2个月。在CAPItello-291中，风险比[HR] 0.61，95% CI 0.51–0.71。\n"
    assert _errors({"zh.md": bad}) == ["zh.md:1:41: error: HR 0.61 for CAPItello-291 is not a figure trials.yml lists for it"]
    assert _errors({"zh.md": "SOLAR-1的HR 0.65（95% CI 0.50～0.86）。\n"}) == \
        ["zh.md:1:12: error: HR 0.65 for SOLAR-1: 95% CI 0.50–0.86 is not the interval trials.yml lists"]


def test_table_rows_under_an_hr_column():
    table = "| Trial | HR (95% CI) |\n|---|---|\n| SOLAR-1 | 0.65 (0.50–0.85) |\n| CAPItello-291 | 0.61 (0.51–0.71) |\n"
    assert _errors({"t.md": table}) == ["t.md:4:19: error: HR 0.61 for CAPItello-291 is not a figure trials.yml lists for it"]


def test_code_and_hormone_receptor_are_not_claims():
    text = "SOLAR-1 enrolled HR-positive patients; `HR 0.99` in code is not prose. HR阳性。\n"
    assert _errors({"a.md": text}) == []


# ---- the site: check and build ----

EN_INDEX = (FIXTURE / "docs/en/index.md").read_text(encoding="utf-8")
ZH_INDEX = (FIXTURE / "docs/zh/index.md").read_text(encoding="utf-8")
SENTENCE_EN = "\nIn SOLAR-1, alpelisib prolonged PFS (HR 0.65, 95% CI 0.50–0.85) [@andre2019alpelisib].\n"
SENTENCE_ZH = "\n在SOLAR-1中，阿培利司延长了PFS（HR 0.65，95% CI 0.50–0.85）[@andre2019alpelisib]。\n"


def test_changing_a_hazard_ratio_in_both_languages_stops_the_build(tmp_path):
    good = make_site(tmp_path / "good", {"docs/en/index.md": EN_INDEX + SENTENCE_EN,
                                         "docs/zh/index.md": ZH_INDEX + SENTENCE_ZH})
    assert check(good).returncode == 0, check(good).stdout
    site = make_site(tmp_path / "bad", {"docs/en/index.md": EN_INDEX + SENTENCE_EN.replace("0.65", "0.56"),
                                        "docs/zh/index.md": ZH_INDEX + SENTENCE_ZH.replace("0.65", "0.56")})
    en_line = len((EN_INDEX + "\n").splitlines()) + 1
    zh_line = len((ZH_INDEX + "\n").splitlines()) + 1
    expected = [f"docs/en/index.md:{en_line}:41: error: HR 0.56 for SOLAR-1 is not a figure trials.yml lists for it",
                f"docs/zh/index.md:{zh_line}:25: error: HR 0.56 for SOLAR-1 is not a figure trials.yml lists for it"]
    result = build(site)
    assert result.returncode != 0
    assert [e.split("ERROR   -  ")[-1] for e in errors_of(result.stdout + result.stderr) if "HR 0.56" in e] == expected
    assert [e for e in errors_of(check(site).stdout) if "HR 0.56" in e] == expected


def test_a_trial_named_by_nct_needs_an_entry(tmp_path):
    site = make_site(tmp_path / "s", {"docs/en/index.md": EN_INDEX + "\nSee NCT01234567.\n",
                                      "docs/zh/index.md": ZH_INDEX + "\n见NCT01234567。\n"})
    errs = [e for e in errors_of(check(site).stdout) if "NCT01234567" in e]
    assert len(errs) == 2 and all("trial NCT01234567 is named here but has no entry in trials.yml" in e for e in errs)


def test_the_real_trials_file_is_clean():
    parsed = trials.load("trials.yml", str(ROOT))
    assert parsed.problems == ()
    assert {"BOLERO-2", "SOLAR-1", "BYLieve", "CAPItello-291", "INAVO120", "FAKTION"} <= set(parsed.trials)


# ---- rendered from trials.yml, both languages, built for real ----

TRIALS_PAGES = {"docs/en/trials.md": "# Trials\n\n## Overview\n\n<!-- reviewkit:trials -->\n",
                "docs/zh/trials.md": "# 试验\n\n## 概览\n\n<!-- reviewkit:trials -->\n",
                "docs/en/compare.md": "# Compared\n\nSee the plot [@browne2024resistance].\n\n<!-- reviewkit:forest -->\n",
                "docs/zh/compare.md": "# 比较\n\n见森林图[@browne2024resistance]。\n\n<!-- reviewkit:forest -->\n"}


@pytest.fixture(scope="module")
def trials_site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("trials") / "site", TRIALS_PAGES)
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


def _html(site, path):
    return (site / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix, heads, not_checked", [
    ("", ["Trial", "Phase", "Agents", "Population", "Registry status"], "not yet checked"),
    ("zh/", ["试验", "分期", "药物", "人群", "注册状态"], "尚未核查")])
def test_overview_table_and_details_in_each_language(trials_site, prefix, heads, not_checked):
    page = _html(trials_site, f"{prefix}trials/index.html")
    table = page[page.index('<table class="rk-trials">'):page.index("</table>")]
    assert [h for h in heads if f'<th scope="col">{h}</th>' in table] == heads
    assert table.count("<tr>") == 3  # header and the two fixture trials
    assert '<a href="#trial-solar-1">SOLAR-1</a>' in table and not_checked in table
    assert '<details class="rk-trial" id="trial-capitello-291">' in page
    # every result's citation is numbered like prose and listed at the end of the page
    details = page[page.index('id="trial-solar-1"'):page.index("</details>", page.index('id="trial-solar-1"'))]
    assert 'class="rk-cite"' in details and 'href="#ref-1"' in details
    assert '<li id="ref-1" value="1">' in page and "Alpelisib" in page[page.index('<li id="ref-1"'):]
    assert "[@" not in page


@pytest.mark.parametrize("prefix, title, axis, group", [
    ("", "Hazard ratios of the pivotal trials", "Hazard ratio (log scale)", "Progression-free survival"),
    ("zh/", "关键试验的风险比", "风险比（对数刻度）", "无进展生存期")])
def test_forest_plot_is_inline_svg_with_text_in_the_page_language(trials_site, prefix, title, axis, group):
    page = _html(trials_site, f"{prefix}compare/index.html")
    start = page.index("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rk-forest\"")
    svg = page[start:page.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg and title in svg and "<desc" in svg
    assert axis in svg and group in svg and "<script" not in svg and "href" not in svg
    assert svg.count("<rect") == 3 and "stroke-dasharray" in svg  # three results, line of no effect
    assert "0.65" in svg and "0.60" in svg
    table = page[page.index('<table class="rk-trials rk-forest-table">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 4 and "rk-cite" in table
    assert "../trials/#trial-solar-1" in table  # the trial's details, one click away


def test_glossary_links_each_drug_to_the_trials_that_tested_it(trials_site):
    for prefix in ("", "zh/"):
        page = _html(trials_site, f"{prefix}glossary/index.html")
        assert '<a href="../trials/#trial-solar-1">SOLAR-1</a> (NCT02437318)' in page


def test_forest_module_log_axis_and_text():
    from reviewkit import forest

    rows = [forest.Row("A", "Trial A", "all", 0.5, 0.3, 0.9, "0.50"), forest.Row("B", "Trial B", "x", 1.2, 0.8, 3.1, "1.20")]
    assert forest.domain(rows) == (0.25, 4.0) and forest.ticks(0.25, 4.0) == [0.25, 0.5, 1.0, 2.0, 4.0]
    out = forest.svg(rows, "T <b>", "D & E", "axis", "left", "right")
    assert "T &lt;b&gt;" in out and "D &amp; E" in out and out.count("<rect") == 2
    # equal ratios are equal distances on a log axis: 0.25→0.5 as wide as 1→2
    assert abs((forest._x(0.5, 0.25, 4) - forest._x(0.25, 0.25, 4)) - (forest._x(2, 0.25, 4) - forest._x(1, 0.25, 4))) < 1e-9


def test_the_real_site_renders_every_trial_and_the_pivotal_plot(real_site):
    listed = trials.load("trials.yml", str(ROOT))
    plotted = sum(1 for t in listed.trials.values() for r in t.results if r.plot)
    for prefix in ("", "zh/"):
        page = (real_site / f"{prefix}trials/index.html").read_text(encoding="utf-8")
        for t in listed.trials.values():
            assert f'id="{t.anchor}"' in page and f'href="#{t.anchor}"' in page
        assert "[@" not in page
        compared = (real_site / f"{prefix}approved-inhibitors/index.html").read_text(encoding="utf-8")
        start = compared.index('<svg xmlns="http://www.w3.org/2000/svg" class="rk-forest"')
        assert compared[start:compared.index("</svg>", start)].count("<rect") == plotted >= 8


def test_phases_and_ranges_follow_each_language(trials_site):
    en = _html(trials_site, "trials/index.html")
    zh = _html(trials_site, "zh/trials/index.html")
    assert '<td data-label="Phase">3</td>' in en and "HR 0.65 (95% CI 0.50–0.85)" in en
    assert '<td data-label="分期">Ⅲ期</td>' in zh and "HR 0.65（95% CI 0.50～0.85）" in zh

"""The default language leads: an English-only pull request passes with translation to-dos, the
Chinese page says it lags, a translator clears the list, and a new English page gets a placeholder."""

from __future__ import annotations

import json

from conftest import FIXTURE, build, check, errors_of, make_site

EN_P = (FIXTURE / "docs/en/pathway.md").read_text(encoding="utf-8")
ZH_P = (FIXTURE / "docs/zh/pathway.md").read_text(encoding="utf-8")
# An English contributor's edit: a new sentence with a citation, a drug and a number.
EN_EDIT = EN_P + "\nCapivasertib reached 7.2 months in CAPItello-291 [@turner2023capivasertib].\n"
ZH_EDIT = ZH_P + "\n卡匹色替在CAPItello-291中达到7.2个月[@turner2023capivasertib]。\n"


STATUS = {"docs/en/translation-status.md": "# Translation status\n\n<!-- reviewkit:translation-status -->\n",
          "docs/zh/translation-status.md": "# 翻译状态\n\n<!-- reviewkit:translation-status -->\n"}


def _marked(tmp_path):
    site = make_site(tmp_path / "site", STATUS)
    for rel in ("pathway.md", "index.md"):
        assert check(site, "mark-translated", f"docs/zh/{rel}").returncode == 0
    return site


def _warnings(output: str) -> list[str]:
    return [line.split(" [RK")[0] for line in output.splitlines() if ": warning: translation to-do:" in line]


def test_english_only_edit_passes_with_todos_and_a_notice(tmp_path):
    site = _marked(tmp_path)
    (site / "docs/en/pathway.md").write_text(EN_EDIT, encoding="utf-8")
    result = check(site)
    assert result.returncode == 0, result.stdout
    todo = _warnings(result.stdout)
    assert any("citation 'turner2023capivasertib' is in docs/en/pathway.md" in w for w in todo), todo
    assert any("capivasertib" in w and "RK052" not in w for w in todo)
    assert any("7.2" in w for w in todo)
    assert all(w.startswith("docs/zh/pathway.md:") for w in todo)
    built = build(site)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "translation to-do" in built.stdout + built.stderr  # printed, not counted by --strict
    html = (site / "site/zh/pathway/index.html").read_text(encoding="utf-8")
    assert 'class="rk-stale"' in html and 'hreflang="en"' in html
    status = check(site, "status").stdout
    assert "docs/zh/pathway.md: stale since" in status
    assert "  docs/zh/pathway.md:" in status and "turner2023capivasertib" in status
    rows = json.loads(check(site, "status", "--json").stdout)
    row = next(r for r in rows if r["file"] == "docs/zh/pathway.md")
    assert row["state"] == "stale" and row["since"] and any(t["code"] == "RK051" for t in row["todo"])
    # the status page on the site shows the same list, in both languages
    for rel, stale in (("translation-status/index.html", "source changed"),
                       ("zh/translation-status/index.html", "原文已更新")):
        page = (site / "site" / rel).read_text(encoding="utf-8")
        row = page.split('<tr class="rk-status-stale">', 1)[1].split("</tr>", 1)[0]
        assert stale in row and "turner2023capivasertib" in row and "docs/zh/pathway.md:" in row


def test_translator_update_and_mark_clears_the_list(tmp_path):
    site = _marked(tmp_path)
    (site / "docs/en/pathway.md").write_text(EN_EDIT, encoding="utf-8")
    (site / "docs/zh/pathway.md").write_text(
        (site / "docs/zh/pathway.md").read_text(encoding="utf-8") + ZH_EDIT[len(ZH_P):], encoding="utf-8")
    assert check(site, "mark-translated", "docs/zh/pathway.md").returncode == 0
    result = check(site)
    assert result.returncode == 0 and not _warnings(result.stdout), result.stdout
    assert "docs/zh/pathway.md" not in check(site, "status").stdout
    built = build(site)
    assert built.returncode == 0, built.stderr
    assert 'class="rk-stale"' not in (site / "site/zh/pathway/index.html").read_text(encoding="utf-8")


def test_parity_breaking_edit_to_a_current_translation_fails(tmp_path):
    site = _marked(tmp_path)
    (site / "docs/zh/pathway.md").write_text(
        (site / "docs/zh/pathway.md").read_text(encoding="utf-8").replace("[@browne2024resistance]", ""),
        encoding="utf-8")
    result = check(site)
    assert result.returncode == 1
    assert any("citation 'browne2024resistance' is in docs/en/pathway.md" in e for e in errors_of(result.stdout))
    assert build(site).returncode != 0


def test_new_english_page_builds_with_a_chinese_placeholder(tmp_path):
    page = "# New findings\n\nEverolimus was studied in BOLERO-2 [@baselga2012everolimus].\n"
    site = make_site(tmp_path / "site", {"docs/en/new.md": page})
    result = check(site)
    assert result.returncode == 0, result.stdout
    assert "docs/zh/new.md: warning: translation to-do: page is not translated yet" in result.stdout
    built = build(site)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (site / "site/zh/new/index.html").read_text(encoding="utf-8")
    assert "本页尚未翻译。" in html
    assert '<a href="../../new/" hreflang="en">' in html
    assert '<div lang="en" data-pagefind-ignore="all">' in html and "BOLERO-2" in html
    assert "docs/zh/new.md: missing" in check(site, "status").stdout


def test_chinese_page_without_english_source_is_an_error(tmp_path):
    site = make_site(tmp_path / "site", {"docs/zh/extra.md": "# 额外\n\n正文。\n"})
    result = check(site)
    assert result.returncode == 1
    assert "docs/zh/extra.md: error: page is missing: docs/zh/extra.md has no en version to translate from" \
        in errors_of(result.stdout)

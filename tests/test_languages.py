"""A third language is data: a fixture site in English, Simplified and Traditional Chinese builds
strict, checks each translation against the default language and marks stale translations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURE, HOOK, ROOT, build, check, errors_of, make_site

from reviewkit import languages, project

SITE3 = ROOT / "tests" / "fixtures" / "site3"
LANGS = ("en", "zh", "zh-Hant")
EN_PATHWAY = (SITE3 / "docs/en/pathway.md").read_text(encoding="utf-8")
HANT_PATHWAY = (SITE3 / "docs/zh-Hant/pathway.md").read_text(encoding="utf-8")
ZH_PATHWAY = (SITE3 / "docs/zh/pathway.md").read_text(encoding="utf-8")


def config() -> str:
    """The fixture's mkdocs.yml with a third language: one i18n entry and one code in the list."""
    text = (FIXTURE / "mkdocs.yml.in").read_text(encoding="utf-8")
    text = text.replace("HOOKPATH", str(HOOK)).replace("OVERRIDES", str(ROOT / "overrides"))
    text = re.sub(r"\nnav:\n(?:  - .*\n)+", "\n", text)
    text = text.replace("            Home: 首页\n", "            Home: 首页\n"
                        "        - locale: zh-Hant\n          name: 繁體中文\n          build: true\n")
    return re.sub(r"languages: \[en, zh\]", "languages: [en, zh, zh-Hant]", text)


def site3(dest: Path, changes: dict | None = None) -> Path:
    return make_site(dest, {"mkdocs.yml": config(), **(changes or {})}, source=SITE3)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built3(tmp_path_factory) -> Path:
    """Translations marked current, then the English pathway page reworded: its two translations
    are stale, the home pages are not."""
    site = site3(tmp_path_factory.mktemp("three") / "site")
    marked = check(site, "mark-translated", *(f"docs/{lang}/{rel}" for lang in LANGS[1:]
                                               for rel in ("index.md", "pathway.md")))
    assert marked.returncode == 0, marked.stdout + marked.stderr
    (site / "docs/en/pathway.md").write_text(EN_PATHWAY.replace("is often activated", "is frequently activated"),
                                             encoding="utf-8")
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


def test_settings_accept_region_and_script_codes(tmp_path):
    site = site3(tmp_path / "s")
    settings = project.load_settings(str(site))
    assert settings.languages == LANGS and not settings.problems


def test_three_languages_check_clean(tmp_path):
    result = check(site3(tmp_path / "s"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "15 page(s)" in result.stderr


def test_each_translation_is_checked_against_the_default(tmp_path):
    site = site3(tmp_path / "s", {
        "docs/zh-Hant/pathway.md": HANT_PATHWAY.replace("[@browne2024resistance]", ""),
        "docs/zh/pathway.md": ZH_PATHWAY.replace("氟维司群降解", "一种药物降解"),
    })
    result = check(site)
    assert result.returncode == 1
    errors = errors_of(result.stdout)
    assert any(e.startswith("docs/zh-Hant/pathway.md:") and "citation 'browne2024resistance'" in e for e in errors), errors
    assert any(e.startswith("docs/zh/pathway.md:") and "drug 'fulvestrant'" in e for e in errors), errors
    # each translation is compared with English only: the two Chinese pages are not compared
    assert len(errors) == 2, errors


def test_missing_page_in_the_third_language(tmp_path):
    result = check(site3(tmp_path / "s", {"docs/zh-Hant/pathway.md": None}))
    # the default language leads: a missing translation is a to-do, shown as a placeholder
    assert result.returncode == 0, result.stdout
    assert "docs/zh-Hant/pathway.md: warning: translation to-do: page is not translated yet: " \
        "docs/en/pathway.md has no zh-Hant version" in result.stdout


def test_glossary_fields_follow_the_configured_languages(tmp_path):
    glossary = (SITE3 / "glossary.yml").read_text(encoding="utf-8")
    site = site3(tmp_path / "s", {"glossary.yml": glossary.replace("  definition_zh-Hant: 注射用雌激素受體降解劑。\n", "")})
    errors = errors_of(check(site).stdout)
    assert any("entry 'fulvestrant' is missing field(s): definition_zh-Hant" in e for e in errors), errors


def test_unknown_drug_in_traditional_characters(tmp_path):
    """Transliteration endings belong to the Han script, whatever the language code."""
    site = site3(tmp_path / "s", {
        "docs/zh-Hant/pathway.md": HANT_PATHWAY + "\n本文不討論奧希替尼。\n",
        "docs/zh/pathway.md": ZH_PATHWAY + "\n本文不讨论其他药物。\n",
    })
    errors = errors_of(check(site).stdout)
    assert any(e.startswith("docs/zh-Hant/pathway.md:") and "drug '奧希替尼' is not in glossary.yml" in e
               for e in errors), errors


def test_pages_in_the_third_language(built3):
    page = read(built3, "zh-Hant/index.html")
    assert '<html lang="zh-Hant"' in page
    assert 'id="references"' in page and "參考文獻" in page  # the language's own words
    assert 'class="rk-drug" href="glossary/#drug-alpelisib"' in page
    assert "如何引用本頁" in page and "見" in page
    glossary = read(built3, "zh-Hant/glossary/index.html")
    order = [glossary.index(f'id="drug-{d}"') for d in ("alpelisib", "fulvestrant", "capivasertib", "everolimus")]
    assert order == sorted(order), "Traditional Chinese glossary in pinyin order: a, fu, ka, yi"
    # the transliteration note qualifies the Chinese name, never the INN
    assert "<strong>英文名</strong>：alpelisib</li>" in glossary
    assert "<strong>繁體中文名</strong>：阿培利司（音譯名，非官方名稱）</li>" in glossary
    english = read(built3, "glossary/index.html")
    assert "<strong>Traditional Chinese name</strong>: 依維莫司 (transliteration, not an official name)" in english
    assert "<strong>Chinese name</strong>: 依维莫司" in english
    assert "併用氟維司群" in glossary
    news = read(built3, "zh-Hant/whats-new/index.html")
    assert "三種語言的首版。" in news and "訂閱更新（Atom）" in news
    feed = read(built3, "zh-Hant/feed.xml")
    assert 'xml:lang="zh-Hant"' in feed and "——更新</title>" in feed and "三種語言的首版。" in feed


def test_stale_notices_in_each_translation(built3):
    for lang, words in (("zh", "本页中文译文可能尚未同步"), ("zh-Hant", "本頁中文譯文可能尚未同步")):
        stale = read(built3, f"{lang}/pathway/index.html")
        assert 'class="rk-stale"' in stale and words in stale, lang
        assert 'href="../../pathway/" hreflang="en"' in stale
        assert 'class="rk-stale"' not in read(built3, f"{lang}/index.html"), lang
    assert 'class="rk-stale"' not in read(built3, "pathway/index.html")


def test_a_language_without_a_data_file_reads_the_default():
    fr = languages.get("fr", "en")
    assert fr["references"] == "References" and fr.collation == "alphabetical"
    hant = languages.get("zh-Hant", "en")
    assert hant["references"] == "參考文獻"
    assert hant.roman_numerals == languages.get("zh").roman_numerals  # from its primary subtag


FULL_WIDTH_EXEMPT = {"strings.cite_format"}  # GB/T 7714 prescribes its own marks: ". ", "[EB/OL]", "//", "(date)"


@pytest.mark.parametrize("code", ["zh", "zh-Hant"])
def test_every_chinese_interface_string_uses_full_width_punctuation(code):
    """Every word the engine shows a Chinese reader comes from its language file: check them all."""
    lang = languages.get(code, "en")
    own = languages._file(code)
    assert set(languages._file("en")["strings"]) <= set(own["strings"]), "a string missing here would show in English"
    for sep in (lang.sentence, lang.paren_open, lang.paren_close, lang.list_sep, lang.label_sep, lang.item_sep):
        assert not re.search(r"[\x21-\x7e\s]", sep), repr(sep)

    def walk(value, where):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(value, str):
            yield where, value

    shown = {k: own[k] for k in ("strings", "trials", "preview", "notices") if k in own}
    bad = [(where, text) for where, text in walk(shown, "")
           if where not in FULL_WIDTH_EXEMPT and re.search(r"[,:;()!?]", re.sub(r"\{[a-z_0-9]*\}", "", text))]
    assert bad == []

"""Pandoc's citation syntax, as its manual writes it, built for real in both languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import build, check, errors_of, make_site

# Pandoc's manual examples with the fixture's keys: doe99 -> andre2019alpelisib (7+ authors),
# smith04 -> turner2023capivasertib (3+ authors), and a two-author key for the "and" form.
EN = """# Citation syntax

One [see @andre2019alpelisib, pp. 33-35 and *passim*; @turner2023capivasertib, chap. 1].

Two [@andre2019alpelisib, pp. 33-35, 38-39 and *passim*].

Three [@turner2023capivasertib; @andre2019alpelisib].

Four [@turner2023capivasertib{ii, A, D-Z}, with a suffix].

Five [@turner2023capivasertib, {pp. iv, vi-xi, (xv)-(xvii)} with suffix here].

Six [@turner2023capivasertib{}, 99 years later].

Turner says blah [-@turner2023capivasertib].

@turner2023capivasertib says blah.

@browne2024resistance [p. 33] says blah.

Write to team@example.org, see https://example.org/@turner2023capivasertib and
[a profile](https://example.org/@andre2019alpelisib).

```python
@decorator
def f(): pass
```
"""

ZH = """# 引用语法

其一[见@andre2019alpelisib, pp. 33-35 and *passim*; @turner2023capivasertib, chap. 1]。

其二[@andre2019alpelisib, pp. 33-35, 38-39 and *passim*]。

其三[@turner2023capivasertib; @andre2019alpelisib]。

其四[@turner2023capivasertib{ii, A, D-Z}, with a suffix]。

其五[@turner2023capivasertib, {pp. iv, vi-xi, (xv)-(xvii)} with suffix here]。

其六[@turner2023capivasertib{}, 99 years later]。

Turner指出[-@turner2023capivasertib]。

@turner2023capivasertib指出……

@browne2024resistance [p. 33]认为……

请写信至team@example.org，见https://example.org/@turner2023capivasertib 及
[个人页面](https://example.org/@andre2019alpelisib)。

```python
@decorator
def f(): pass
```
"""

EXPECTED_BRACKETS = [
    "[see 1, pp. 33-35 and passim; 2, chap. 1]",
    "[1, pp. 33-35, 38-39 and passim]",
    "[1, 2]",
    "[2, ii, A, D-Z, with a suffix]",
    "[2, pp. iv, vi-xi, (xv)-(xvii) with suffix here]",
    "[2, 99 years later]",
    "[2]",
    "[2]",
    "[3, p. 33]",
]


class _Reader(HTMLParser):
    """The text a reader sees in the page, tooltips left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0  # depth inside a tooltip

    def handle_starttag(self, tag, attrs):
        if self.hidden or ("class", "rk-tip") in attrs:
            self.hidden += tag == "span"

    def handle_endtag(self, tag):
        if self.hidden and tag == "span":
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return re.sub(r"\s+", " ", "".join(reader.parts))


def _cites(html: str) -> list[str]:
    return [_text(m) for m in re.findall(r'<span class="rk-cite" id="cite-\d+">(.*?)<span class="rk-tip"', html, re.S)]


@pytest.fixture(scope="module")
def syntax_site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("syntax") / "site",
                     {"docs/en/syntax.md": EN, "docs/zh/syntax.md": ZH.replace("见@", "见 @")})
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


def _article(site, rel: str) -> str:
    html = (site / rel).read_text(encoding="utf-8")
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("rel", ["syntax/index.html", "zh/syntax/index.html"])
def test_every_manual_example_renders(syntax_site, rel):
    html = _article(syntax_site, rel)
    body = html.split('id="references"')[0]
    shown = [c.replace("见 ", "see ") for c in _cites(body)]
    assert shown == EXPECTED_BRACKETS
    # Markdown inside a locator or suffix is rendered like the text around it
    assert body.count("<em>passim</em>") == 2 and "*passim*" not in body
    # braces of a braced locator are syntax, not text
    assert "{" not in _text(body) and "}" not in _text(body)
    # the reference list holds the three cited works, numbered by first appearance
    # (GB/T 7714 on the Chinese page writes family names in capitals)
    refs = [(n, name.lower()) for n, name in re.findall(r'<li id="ref-(\d)" value="\d">(\w+)', html)]
    assert refs == [("1", "andré"), ("2", "turner"), ("3", "browne")]


def test_in_text_citations_name_the_authors_in_each_language(syntax_site):
    en = _text(_article(syntax_site, "syntax/index.html"))
    zh = _text(_article(syntax_site, "zh/syntax/index.html"))
    assert "Turner et al. [2] says blah." in en
    assert "Browne and Okines [3, p. 33] says blah." in en
    assert "Turner等[2]指出" in zh
    assert "Browne和Okines[3, p. 33]认为" in zh
    assert "@turner2023capivasertib says" not in en and "@browne2024resistance" not in _text(en.split("Write to")[0])


@pytest.mark.parametrize("rel", ["syntax/index.html", "zh/syntax/index.html"])
def test_email_url_link_target_and_code_stay_untouched(syntax_site, rel):
    html = _article(syntax_site, rel)
    assert "team@example.org" in html
    assert 'href="https://example.org/@andre2019alpelisib"' in html
    assert "https://example.org/@turner2023capivasertib" in html
    assert "@decorator" in html
    assert len(_cites(html.split('id="references"')[0])) == 9  # none of these became a citation


def test_in_text_key_typo_is_reported_with_position_and_suggestion(tmp_path):
    en = EN.replace("@turner2023capivasertib says", "@turner2023capivasertb says")
    zh = ZH.replace("@turner2023capivasertib指出", "@turner2023capivasertb指出")
    site = make_site(tmp_path / "site", {"docs/en/syntax.md": en, "docs/zh/syntax.md": zh})
    result = check(site)
    assert result.returncode == 1
    errors = errors_of(result.stdout + result.stderr)
    assert "docs/en/syntax.md:17:2: error: unknown citation key 'turner2023capivasertb'" in errors
    assert "docs/zh/syntax.md:17:2: error: unknown citation key 'turner2023capivasertb'" in errors
    assert "did you mean 'turner2023capivasertib'?" in result.stdout + result.stderr
    assert build(site).returncode != 0


def test_in_text_citation_takes_part_in_parity(tmp_path):
    zh = ZH.replace("@browne2024resistance [p. 33]认为……", "Browne和Okines认为……")
    site = make_site(tmp_path / "site", {"docs/en/syntax.md": EN, "docs/zh/syntax.md": zh})
    result = check(site)
    assert result.returncode == 1
    assert "browne2024resistance" in "\n".join(errors_of(result.stdout + result.stderr))

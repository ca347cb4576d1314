"""reviewkit renders the text MkDocs converts, even when another plugin changed it first."""

from __future__ import annotations

import re

from conftest import HOOK, ROOT, build, make_site

PREPEND = ROOT / "tests" / "fixtures" / "hooks" / "prepend.py"


def test_drug_links_land_on_drug_names_after_another_plugin_prepends_text(tmp_path):
    site = make_site(tmp_path / "site")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    # listed first, so its on_page_markdown runs before ours
    config = config.replace(f"hooks:\n  - {HOOK}\n", f"hooks:\n  - {PREPEND}\n  - {HOOK}\n")
    assert str(PREPEND) in config
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, sentences in (("", ["PI3K signalling is often activated",
                                  "Everolimus blocks mTORC1, and\nfulvestrant"]),
                            ("zh/", ["PI3K信号常被激活",
                                     "依维莫司（everolimus）阻断mTORC1，\n氟维司群（fulvestrant）降解"])):
        html = (site / "site" / lang / "pathway" / "index.html").read_text(encoding="utf-8")
        assert "A note put in by another plugin" in html
        linked = re.findall(r'<a class="rk-drug"[^>]*>([^<]*)</a>', html)
        assert len(linked) == 2, html
        # the links sit on the names: with tooltips and tags taken out, the text reads as written
        text = re.sub(r"<[^>]+>", "", re.sub(r'<span class="rk-tip".*?</span>', "", html))
        for sentence in sentences:
            assert sentence in text, text
        # and the citation still numbered in place
        assert re.search(r'<span class="rk-cite" id="cite-1">\[<a href="#ref-1"', html)

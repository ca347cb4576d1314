"""`mark-translated` on pages as editors save them: with a byte-order mark, with CRLF line ends."""

from __future__ import annotations

import re

from conftest import check, errors_of, make_site

ZH = ("---\ntitle: 通路\n---\n\n# 通路\n\n## 信号转导\n\n"
      "PI3K信号常被激活[@browne2024resistance]。依维莫司（everolimus）阻断mTORC1，\n氟维司群（fulvestrant）降解雌激素受体。\n")


def _front_blocks(text: str) -> int:
    return len(re.findall(r"^---\s*$", text, re.M)) // 2


def test_a_page_saved_with_a_byte_order_mark_keeps_one_front_matter_block(tmp_path):
    site = make_site(tmp_path / "site", {"docs/zh/pathway.md": "\ufeff" + ZH})
    path = site / "docs/zh/pathway.md"
    for _ in range(2):  # marking again replaces the record, never adds a block
        result = check(site, "mark-translated", "docs/zh/pathway.md")
        assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert _front_blocks(text) == 1, text
    assert text.startswith("---\ntitle: 通路\n")  # the page's own front matter is kept, the BOM dropped
    result = check(site)
    assert not [e for e in errors_of(result.stdout) if "docs/zh/pathway.md" in e], result.stdout
    assert "docs/zh/pathway.md" not in check(site, "status").stdout


def test_a_page_with_crlf_line_ends_keeps_them(tmp_path):
    site = make_site(tmp_path / "site", {"docs/zh/pathway.md": ZH.replace("\n", "\r\n").encode("utf-8")})
    assert check(site, "mark-translated", "docs/zh/pathway.md").returncode == 0
    data = (site / "docs/zh/pathway.md").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and _front_blocks(data.decode()) == 1
    assert "docs/zh/pathway.md" not in check(site, "status").stdout

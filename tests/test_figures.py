"""Figures stay figures: nothing the renderer adds may end up inside an image's alt text."""

from __future__ import annotations

import re


def test_drug_names_in_alt_text_are_not_linked(real_site):
    for lang in ("", "zh/"):
        html = (real_site / lang / "pathway" / "index.html").read_text(encoding="utf-8")
        images = re.findall(r"<img\b[^>]*>", html)
        assert images, lang
        for img in images:
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and "<" not in alt.group(1) and "rk-term" not in img, (lang, img[:200])
            assert re.search(r'src="[^"]*pathway\.svg"', img), (lang, img[:200])

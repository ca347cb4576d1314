"""Numbered citations on a page: the bracket with its tooltip, and the page's reference list."""

from __future__ import annotations

import functools

from . import languages, refstyle
from .bibliography import Bibliography
from .markup import esc
from .scanner import Citation, Page, scan


def compress(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> '1–3, 5'."""
    nums = sorted(set(numbers))
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(f"{nums[i]}–{nums[j]}" if j - i >= 2 else
                     (f"{nums[i]}, {nums[j]}" if j > i else f"{nums[i]}"))
        i = j + 1
    return ", ".join(parts)


def numbering(page: Page) -> dict[str, int]:
    """Key -> number, by first appearance on the page."""
    order: dict[str, int] = {}
    for cite in page.citations:
        for key in cite.keys:
            order.setdefault(key, len(order) + 1)
    return order


def cite_html(index: int, cite: Citation, order: dict[str, int], bib: Bibliography, lang: str) -> str:
    tip_id = f"cite-tip-{index}"
    plain_items = not any(i.prefix or i.locator for i in cite.items)
    if plain_items and len(cite.items) > 1:
        nums = sorted({order[k] for k in cite.keys})
        shown = []
        for part in compress(nums).split(", "):
            ends = part.split("–")
            shown.append("–".join(_num_link(int(n), tip_id) for n in ends))
        body = ", ".join(shown)
    else:
        pieces = []
        for item in cite.items:
            text = _num_link(order[item.key], tip_id)
            if item.prefix:
                text = f"{esc(item.prefix)} {text}"
            if item.locator:
                text += f", {esc(item.locator)}"
            pieces.append(text)
        body = "; ".join(pieces)
    seen, tips = set(), []
    for key in cite.keys:
        if key not in seen:
            seen.add(key)
            tips.append(f"<span class=\"rk-tip-item\">{order[key]}. {refstyle.format_entry(bib.entries[key], lang)}</span>")
    return (f'<span class="rk-cite" id="cite-{index}">[{body}]'
            f'<span class="rk-tip" role="tooltip" id="{tip_id}" data-search-exclude>{"".join(tips)}</span></span>')


def _num_link(n: int, tip_id: str) -> str:
    return f'<a href="#ref-{n}" aria-describedby="{tip_id}">{n}</a>'


@functools.lru_cache(maxsize=4096)
def strip_citations(text: str) -> str:
    """Definitions shown in tooltips lose their citation brackets (the glossary page keeps them)."""
    page = scan("", text)
    for cite in reversed(page.citations):
        text = text[: cite.start].rstrip() + text[cite.end:]
    return text


def reference_list(page: Page, order: dict[str, int], bib: Bibliography, lang: str) -> str:
    first_cite: dict[str, int] = {}
    for index, cite in enumerate(page.citations, 1):
        for key in cite.keys:
            first_cite.setdefault(key, index)
    back_label = languages.get(lang)["back"]
    items = []
    for key, n in sorted(order.items(), key=lambda kv: kv[1]):
        entry = bib.entries[key]
        back = f'<a class="rk-back" href="#cite-{first_cite[key]}" aria-label="{esc(back_label)}">↩</a>'
        items.append(f'<li id="ref-{n}" value="{n}">{refstyle.format_entry(entry, lang)} {back}</li>')
    return '<ol class="rk-refs">\n' + "\n".join(items) + "\n</ol>"

"""Numbered citations on a page: the bracket with its tooltip, and the page's reference list."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import languages
from .bibliography import Bibliography, Entry
from .markup import esc, escape_md
from .notices import Notices, labels_html
from .scanner import Citation, Page, scan

_INITIALS = re.compile(r"\s+[A-Z]{1,4}(?:\s+(?:Jr|Sr|II|III|IV))?$")  # "Juric D" -> "Juric"


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


def author_label(entry: Entry, lang: str) -> str:
    """The author part of an in-text citation: 'Juric', 'Juric and Baselga', 'Juric et al.' / 'Juric等'."""
    words = languages.get(lang)
    families = [_INITIALS.sub("", name) for name in entry.authors]
    if not families:
        return entry.get("title")
    if len(families) == 1 and not entry.more_authors:
        return families[0]
    if len(families) == 2 and not entry.more_authors:
        return words["cite_two"].format(families[0], families[1])
    return words["cite_many"].format(families[0])


def cite_markdown(index: int, cite: Citation, order: dict[str, int], bib: Bibliography, lang: str,
                  hold: Callable[[str], str], notices: Notices | None = None, *,
                  fmt: Callable[[Entry], str]) -> str:
    """A citation as Markdown with our HTML held in placeholders: prefixes, locators and suffixes
    stay Markdown (so '*passim*' is emphasis, like the text around it); numbers and the tooltip are ours."""
    tip_id = f"cite-tip-{index}"
    plain_items = not any(i.prefix or i.locator for i in cite.items)
    if plain_items and len(cite.items) > 1:
        nums = sorted({order[k] for k in cite.keys})
        shown = []
        for part in compress(nums).split(", "):
            ends = part.split("–")
            shown.append("–".join(_num_link(int(n), tip_id) for n in ends))
        body = hold(", ".join(shown))
    else:
        pieces = []
        for item in cite.items:
            text = hold(_num_link(order[item.key], tip_id))
            if item.prefix:
                text = f"{item.prefix} {text}"
            if item.locator:
                text += f", {item.locator}"
            pieces.append(text)
        body = "; ".join(pieces)
    author = ""
    if cite.in_text:
        words = languages.get(lang)
        author = escape_md(author_label(bib.entries[cite.keys[0]], lang)) + words["cite_gap"]
    return (author + hold(f'<span class="rk-cite" id="cite-{index}">') + "\\[" + body + "\\]"
            + hold(_tooltip(tip_id, cite, order, bib, lang, notices, fmt=fmt) + "</span>"))


def cite_html(index: int, cite: Citation, order: dict[str, int], bib: Bibliography, lang: str,
              notices: Notices | None = None, *, fmt: Callable[[Entry], str]) -> str:
    """The same citation as one piece of HTML (prefixes and locators as plain text)."""
    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return f"\0{len(held) - 1}\0"

    text = cite_markdown(index, cite, order, bib, lang, hold, notices, fmt=fmt)
    text = esc(text.replace("\\[", "[").replace("\\]", "]"))
    return re.sub("\0(\\d+)\0", lambda m: held[int(m.group(1))], text)


def _labels(notices: Notices | None, key: str, lang: str) -> str:
    """Retracted / Expression of concern / Corrected after a reference the notices name."""
    return labels_html(notices.for_key(key), lang) if notices is not None else ""


def _tooltip(tip_id: str, cite: Citation, order: dict[str, int], bib: Bibliography, lang: str,
             notices: Notices | None = None, *, fmt: Callable[[Entry], str]) -> str:
    seen, tips = set(), []
    for key in cite.keys:
        if key not in seen:
            seen.add(key)
            tips.append(f"<span class=\"rk-tip-item\">{order[key]}. {fmt(bib.entries[key])}"
                        f"{_labels(notices, key, lang)}</span>")
    return f'<span class="rk-tip" role="tooltip" id="{tip_id}" data-pagefind-ignore="all">{"".join(tips)}</span>'


def _num_link(n: int, tip_id: str) -> str:
    return f'<a href="#ref-{n}" aria-describedby="{tip_id}">{n}</a>'


@functools.lru_cache(maxsize=4096)
def _citations_in(text: str) -> tuple[Citation, ...]:
    return tuple(scan("", text).citations)


def strip_citations(text: str, bib: Bibliography | None = None, lang: str = "en") -> str:
    """Definitions shown in tooltips lose their citation brackets (the glossary page keeps them);
    an in-text citation keeps its author part ('Juric et al. showed')."""
    for cite in reversed(_citations_in(text)):
        if cite.in_text and bib is not None and cite.keys[0] in bib.entries:
            text = text[: cite.start] + author_label(bib.entries[cite.keys[0]], lang) + text[cite.end:]
        else:
            text = text[: cite.start].rstrip() + text[cite.end:]
    return text


def reference_list(page: Page, order: dict[str, int], bib: Bibliography, lang: str,
                   notices: Notices | None = None, *, fmt: Callable[[Entry], str]) -> str:
    first_cite: dict[str, int] = {}
    for index, cite in enumerate(page.citations, 1):
        for key in cite.keys:
            first_cite.setdefault(key, index)
    back_label = languages.get(lang)["back"]
    items = []
    for key, n in sorted(order.items(), key=lambda kv: kv[1]):
        entry = bib.entries[key]
        back = f'<a class="rk-back" href="#cite-{first_cite[key]}" aria-label="{esc(back_label)}">↩</a>'
        items.append(f'<li id="ref-{n}" value="{n}">{fmt(entry)}'
                     f'{_labels(notices, key, lang)} {back}</li>')
    return '<ol class="rk-refs">\n' + "\n".join(items) + "\n</ol>"

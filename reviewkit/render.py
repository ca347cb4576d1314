"""Markdown in, Markdown with our HTML out: numbered citations, reference lists, drug links,
and the generated glossary and bibliography pages.

Edits are made at the scanner's offsets, so what was checked is what is rendered.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from urllib.parse import quote

from . import refstyle, trialview
from .scanner import Page, scan

STRINGS = {
    "en": {"references": "References", "glossary": "Drug glossary", "bibliography": "Bibliography",
           "back": "Back to the citation", "cited_on": "Cited in", "mentioned_on": "Discussed in",
           "class": "Class", "target": "Target", "synonyms": "Also known as", "approvals": "Approvals",
           "trials": "Key trials", "chinese": "Chinese name", "english": "English name",
           "not_cited": "No page cites this reference yet.", "no_mentions": "Not yet discussed on any page.",
           "translit": "transliteration, not an official name", "no_zh": "no Chinese name"},
    "zh": {"references": "参考文献", "glossary": "药物词汇表", "bibliography": "文献总表",
           "back": "返回引用处", "cited_on": "引用位置", "mentioned_on": "出现于",
           "class": "类别", "target": "靶点", "synonyms": "别名", "approvals": "获批情况",
           "trials": "关键试验", "chinese": "中文名", "english": "英文名",
           "not_cited": "尚无页面引用此文献。", "no_mentions": "尚无页面讨论此药物。",
           "translit": "音译名，非官方名称", "no_zh": "无中文名"},
}


def strings(lang: str) -> dict:
    return STRINGS.get(lang, STRINGS["en"])


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page_url(rel: str) -> str:
    """MkDocs' directory URL of a page file: 'a/b.md' -> 'a/b/', 'index.md' -> ''."""
    stem = rel[:-3] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative(from_rel: str, to_rel: str, anchor: str = "") -> str:
    src, dst = page_url(from_rel), page_url(to_rel)
    path = posixpath.relpath(dst or ".", src or ".")
    path = "./" if path == "." else quote(path.rstrip("/")) + "/"
    return path + (f"#{anchor}" if anchor else "")


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


def numbering(page: Page) -> dict:
    """Key -> number, by first appearance on the page."""
    order: dict[str, int] = {}
    for cite in page.citations:
        for key in cite.keys:
            order.setdefault(key, len(order) + 1)
    return order


def _cite_html(index: int, cite, order: dict, bib, lang: str) -> str:
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
def _strip_citations(text: str) -> str:
    """Definitions shown in tooltips lose their citation brackets (the glossary page keeps them)."""
    page = scan("", text)
    for cite in reversed(page.citations):
        text = text[: cite.start].rstrip() + text[cite.end:]
    return text


class Rendered:
    """Markdown with short placeholders, and the HTML each stands for.

    Our HTML is put in after Markdown has run (``finish``): Python-Markdown never has to parse
    thousands of inline tags, and nothing of ours can be mistaken for Markdown.
    """

    def __init__(self):
        self.markdown = ""
        self.fragments: dict[str, str] = {}

    def hold(self, html_text: str, block: bool = False) -> str:
        key = f"rkph{len(self.fragments):05d}{'b' if block else 'i'}x"
        self.fragments[key] = html_text
        return key

    def finish(self, html_text: str) -> str:
        if not self.fragments:
            return html_text

        def put(m):
            return self.fragments.get(m.group(1), m.group(0))

        html_text = re.sub(r"<p>(rkph\d{5}bx)</p>", put, html_text)
        return re.sub(r"(rkph\d{5}[bi]x)", put, html_text)


def render(project, lang: str, rel: str, page: Page | None = None) -> Rendered:
    """What MkDocs should convert for ``docs/<lang>/<rel>`` (front matter left out)."""
    page = page or project.pages[(lang, rel)]
    out = Rendered()
    kind = project.generated_kind(page)
    if kind == "glossary":
        page = scan(page.path, page.text.replace(_marker(kind), glossary_markdown(project, lang, rel, out), 1))
    mentions = [] if kind else project.mentions_in(lang, rel, page)
    page, mentions = trialview.expand(project, lang, rel, page, mentions)  # trials tables and forest plot
    text = _render_page(project, lang, rel, page, mentions, out)
    if kind == "bibliography":
        text = text.replace(_marker(kind), "\n\n" + out.hold(bibliography_html(project, lang, rel), True) + "\n\n", 1)
    if kind == "updates":
        text = text.replace(_marker(kind), "\n\n" + out.hold(updates_html(project, lang, rel), True) + "\n\n", 1)
    out.markdown = text[page.body_start:]
    return out


def _marker(kind: str) -> str:
    from .project import GENERATED

    return GENERATED[kind]


def _render_page(project, lang, rel, page: Page, mentions, out: Rendered) -> str:
    bib = project.bib
    order = numbering(page)
    edits = []  # (start, end, replacement)
    for index, cite in enumerate(page.citations, 1):
        if all(k in bib.entries for k in cite.keys):
            edits.append((cite.start, cite.end, _cite_html(index, cite, order, bib, lang)))
    edits += _drug_edits(project, lang, rel, page, mentions)
    pieces, pos = [], 0
    for start, end, new in sorted(edits):
        pieces += [page.text[pos:start], out.hold(new)]
        pos = end
    pieces.append(page.text[pos:])
    text = "".join(pieces)
    if order:
        s = strings(lang)
        text = (text.rstrip("\n") + f"\n\n## {s['references']} {{#references}}\n\n"
                + out.hold(reference_list(page, order, bib, lang), True) + "\n")
    return text


def _drug_edits(project, lang, rel, page, mentions):
    edits, done = [], set()
    glossary_rel = "glossary.md"
    if (lang, glossary_rel) not in project.pages:
        return []
    blocked = [(h.start, h.end) for h in page.headings] + list(page.link_texts)
    for m in mentions:
        if m.drug is None or m.drug in done or any(a <= m.start < b for a, b in blocked):
            continue
        done.add(m.drug)
        drug = project.glossary.drugs[m.drug]
        tip_id = f"drug-tip-{m.drug}"
        href = relative(rel, glossary_rel, f"drug-{m.drug}")
        definition = _strip_citations(drug.definition(lang))
        name = drug.name(lang)
        label = name if name.lower() == m.text.lower() else f"{name} ({drug.en})"
        edits.append((m.start, m.end,
                      f'<span class="rk-term" id="mention-{m.drug}"><a class="rk-drug" href="{esc(href)}" '
                      f'aria-describedby="{tip_id}">{esc(m.text)}</a><span class="rk-tip" role="tooltip" '
                      f'id="{tip_id}" data-search-exclude><b>{esc(label)}</b>: {esc(definition)}</span></span>'))
    return edits


def reference_list(page: Page, order: dict, bib, lang: str) -> str:
    first_cite = {}
    for index, cite in enumerate(page.citations, 1):
        for key in cite.keys:
            first_cite.setdefault(key, index)
    s = strings(lang)
    items = []
    for key, n in sorted(order.items(), key=lambda kv: kv[1]):
        entry = bib.entries[key]
        back = f'<a class="rk-back" href="#cite-{first_cite[key]}" aria-label="{esc(s["back"])}">↩</a>'
        items.append(f'<li id="ref-{n}" value="{n}">{refstyle.format_entry(entry, lang)} {back}</li>')
    return '<ol class="rk-refs">\n' + "\n".join(items) + "\n</ol>"


# ---- generated pages ----

def updates_html(project, lang: str, rel: str) -> str:
    items = []
    for u in project.updates:
        links = []
        for target in u.pages:
            page = project.pages.get((lang, target))
            title = _title(page, target) if page else target
            links.append(f'<a href="{esc(relative(rel, target))}">{esc(title)}</a>')
        text = u.zh if lang == "zh" else u.en
        items.append(f'<li><time datetime="{u.date.isoformat()}">{u.date.isoformat()}</time> — {esc(text)}'
                     + (f' ({", ".join(links)})' if links else "") + "</li>")
    feed = "订阅更新（Atom）" if lang == "zh" else "Subscribe to updates (Atom feed)"
    return (f'<p><a href="{esc(relative(rel, "index.md"))}feed.xml" type="application/atom+xml">{feed}</a></p>\n'
            '<ul class="rk-updates">\n' + "\n".join(items) + "\n</ul>")


def _title(page: Page, rel: str) -> str:
    if isinstance(page.front_matter.get("title"), str):
        return page.front_matter["title"]
    for h in page.headings:
        if h.level == 1:
            return h.title
    return rel


def _section_of(page: Page, offset: int) -> str:
    title = ""
    for h in page.headings:
        if h.start <= offset and h.level >= 2:
            title = h.title
        elif h.start > offset:
            break
    return title


def citing_places(project, lang: str) -> dict:
    """Key -> [(rel, page title, section title, cite index)], one per section that cites it."""
    places: dict[str, list] = {}
    for rel in project.page_paths(lang):
        page = project.pages[(lang, rel)]
        seen = set()
        for index, cite in enumerate(page.citations, 1):
            section = _section_of(page, cite.start)
            for key in cite.keys:
                if (key, section) in seen:
                    continue
                seen.add((key, section))
                places.setdefault(key, []).append((rel, _title(page, rel), section, index))
    return places


def bibliography_html(project, lang: str, rel: str) -> str:
    s = strings(lang)
    places = citing_places(project, lang)
    bib = project.bib
    keys = sorted(places, key=lambda k: (bib.entries[k].authors[:1] if k in bib.entries else (), k))
    items = []
    for n, key in enumerate(keys, 1):
        if key not in bib.entries:
            continue
        links = []
        for target, title, section, index in places[key]:
            label = esc(title) + (f" › {esc(section)}" if section else "")
            links.append(f'<a href="{esc(relative(rel, target, f"cite-{index}"))}">{label}</a>')
        items.append(f'<li id="bib-{n}">{refstyle.format_entry(bib.entries[key], lang)}'
                     f'<br><span class="rk-cited-on">{esc(s["cited_on"])}: {"; ".join(links)}</span></li>')
    return '<ol class="rk-bibliography">\n' + "\n".join(items) + "\n</ol>"


def _sort_key(drug, lang: str):
    if lang == "zh":
        from pypinyin import lazy_pinyin  # imported when a Chinese glossary is built, not before

        return ("".join(lazy_pinyin(drug.zh)).lower(), drug.zh)
    return (drug.en.lower(),)


def glossary_markdown(project, lang: str, rel: str, out: Rendered) -> str:
    """Entries as Markdown (definitions keep their [@key] citations, numbered like any page)."""
    s = strings(lang)
    drugs = sorted(project.glossary.drugs.values(), key=lambda d: _sort_key(d, lang))
    mentioned: dict[str, list] = {}
    for prel in project.page_paths(lang):
        page = project.pages[(lang, prel)]
        if project.generated_kind(page):
            continue
        for m in project.mentions[(lang, prel)]:
            if m.drug and prel not in [p for p, _ in mentioned.get(m.drug, [])]:
                mentioned.setdefault(m.drug, []).append((prel, _title(page, prel)))
    blocks = []
    for drug in drugs:
        name = drug.name(lang)
        other = drug.en if lang == "zh" else drug.zh
        heading = f"## {_escape_md(name)} {{#drug-{drug.id}}}"
        facts = []
        if other and other != name:
            label = s["english"] if lang == "zh" else s["chinese"]
            note = ""
            if drug.zh_source == "transliteration":
                note = f"（{s['translit']}）" if lang == "zh" else f" ({s['translit']})"
            facts.append(f"**{label}**: {_escape_md(other)}{note}")
        elif lang == "en" and drug.zh_source == "none":
            facts.append(f"**{s['chinese']}**: {s['no_zh']}")
        facts.append(f"**{s['class']}**: {_escape_md(drug.class_zh if lang == 'zh' else drug.class_en)}")
        facts.append(f"**{s['target']}**: {_escape_md(drug.target)}")
        synonyms = drug.synonyms_zh + drug.synonyms_en if lang == "zh" else drug.synonyms_en + drug.synonyms_zh
        if synonyms:
            facts.append(f"**{s['synonyms']}**: {_escape_md(', '.join(synonyms))}")
        if drug.approvals:
            key = "indication_zh" if lang == "zh" else "indication"
            parts = [f"{_escape_md(a['agency'])} {a['year']}: {_escape_md(a[key])} [@{a['cite']}]"
                     for a in drug.approvals]
            facts.append(f"**{s['approvals']}**: " + "; ".join(parts))
        if drug.trials:
            facts.append(f"**{s['trials']}**: " + ", ".join(_trial_link(project, lang, rel, t, out) for t in drug.trials))
        pages = mentioned.get(drug.id, [])
        if pages:
            # HTML put in after Markdown: the anchors it points at are put in after Markdown too
            links = out.hold(", ".join(f'<a href="{esc(relative(rel, prel, "mention-" + drug.id))}">{esc(title)}</a>'
                                       for prel, title in pages))
            facts.append(f"**{s['mentioned_on']}**: {links}")
        else:
            facts.append(f"**{s['mentioned_on']}**: {s['no_mentions']}")
        blocks.append(heading + "\n\n" + _md_text(drug.definition(lang)) + "\n\n"
                      + "\n".join(f"- {f}" for f in facts))
    return "\n\n".join(blocks)


def _trial_link(project, lang: str, rel: str, trial: dict, out: Rendered) -> str:
    """A glossary drug's trial, linked to its details on the trials page when there is one."""
    entry = project.trials.by_nct().get(trial["nct"]) if project.trials else None
    if entry is None or (lang, "trials.md") not in project.pages:
        return f"{_escape_md(trial['name'])} ({trial['nct']})"
    href = relative(rel, "trials.md", entry.anchor)
    return out.hold(f'<a href="{esc(href)}">{esc(trial["name"])}</a>') + f" ({trial['nct']})"


def _md_text(text: str) -> str:
    """Glossary text is data, not Markdown: HTML-escape it and neutralise Markdown's markup,
    keeping its [@key] citations so they are numbered like any other."""
    page = scan("", text)
    out, pos = [], 0
    for cite in page.citations:
        out.append(_escape_md(text[pos:cite.start]))
        out.append(text[cite.start:cite.end])
        pos = cite.end
    out.append(_escape_md(text[pos:]))
    return "".join(out)


def _escape_md(text: str) -> str:
    # entities are decoded first so '&lt;script&gt;' shows as the text '<script>', never as a tag
    text = html.escape(html.unescape(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]#|!])", r"\\\1", text)


STALE = {
    "zh": ("英文原文已更新，本页译文可能已过时。", "查看英文原文", "（原文更新于 {}）"),
    "en": ("The source page has changed; this translation may be out of date.", "Read the source page",
           " (changed on {})"),
}


def stale_notice(project, lang: str, rel: str) -> str:
    from . import staleness

    st = staleness.state(project, lang, rel)
    if st is None:
        return ""
    text, link_text, when = STALE.get(lang, STALE["en"])
    # From /<lang>/<page>/ up to the site root, then the source page.
    depth = page_url(rel).count("/") + 1
    href = "../" * depth + page_url(rel)
    date = staleness.changed_on(project, lang, rel)
    return (f'<div class="rk-stale" role="note" data-search-exclude><p><strong>{esc(text)}</strong> '
            f'<a href="{esc(href)}" hreflang="{esc(project.settings.default_language)}">{esc(link_text)}</a>'
            f'{esc(when.format(date))}</p></div>\n\n')


CITE = {
    "en": ("How to cite this page", "Contributors to the living review",
           "Resistance to PI3K/AKT/mTOR pathway inhibitors in ER-positive, HER2-negative advanced breast cancer: "
           "a living review", "Version of {date}", "Last updated {date}"),
    "zh": ("如何引用本页", "动态综述贡献者",
           "ER阳性、HER2阴性晚期乳腺癌对PI3K/AKT/mTOR通路抑制剂的耐药：动态综述", "{date}版本", "最后更新：{date}"),
}


def cite_box(project, lang: str, rel: str, url: str, date: str) -> str:
    """'How to cite this page': who, what, which version, where."""
    heading, authors, work, version, updated = CITE.get(lang, CITE["en"])
    page = project.pages.get((lang, rel))
    title = _title(page, rel) if page else rel
    sep = "。" if lang == "zh" else ". "
    text = (f"{authors}{sep}{title}{sep}{'见' if lang == 'zh' else 'In: '}{work}{sep}"
            f"{version.format(date=date)}{sep}{url}")
    return (f'<aside class="rk-cite-box" aria-label="{esc(heading)}" data-search-exclude>'
            f'<p class="rk-updated">{esc(updated.format(date=date))}</p>'
            f'<p><strong>{esc(heading)}</strong></p><p class="rk-cite-text">{esc(text)}</p></aside>')

"""Markdown in, Markdown with our HTML out: a page's citations, drug links and generated content.

Edits are made at the scanner's offsets, so what was checked is what is rendered. Each job has its
own module: ``links`` (URLs), ``citations``, ``druglinks``, ``glossary_page``,
``bibliography_page``, ``updates_page``, ``extras`` (stale notice, cite box); this one puts a page
together.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import csl, downloads, languages, trialview
from .bibliography_page import bibliography_html, bibliography_keys, citing_places
from .citations import cite_markdown, compress, numbering, reference_list
from .druglinks import drug_edits
from .drugs import Mention
from .extras import cite_box, preview_words, stale_notice, untranslated_notice
from .glossary_page import glossary_markdown
from .links import page_url, relative
from .markup import Rendered, esc
from .project import GENERATED, Project
from .scanner import Page, scan
from .translation_page import status_html
from .updates_page import updates_html

__all__ = ["Rendered", "render", "stale_notice", "untranslated_notice", "cite_box", "preview_words", "page_url",
           "relative", "esc", "compress", "numbering", "reference_list", "bibliography_html", "citing_places",
           "glossary_markdown", "updates_html"]


def render(project: Project, lang: str, rel: str, page: Page | None = None) -> Rendered:
    """What MkDocs should convert for ``docs/<lang>/<rel>`` (front matter left out)."""
    page = page or project.pages[(lang, rel)]
    out = Rendered()
    kind = project.generated_kind(page)
    if kind == "glossary":
        page = scan(page.path, page.text.replace(GENERATED[kind], glossary_markdown(project, lang, rel, out), 1))
    mentions = [] if kind else project.mentions_in(lang, rel, page)
    page, mentions = trialview.expand(project, lang, rel, page, mentions)  # trials tables and forest plot
    text = _render_page(project, lang, rel, page, mentions, out)
    if kind == "bibliography":
        text = text.replace(GENERATED[kind], "\n\n" + out.hold(bibliography_html(project, lang, rel), True) + "\n\n", 1)
        out.cited = bibliography_keys(project, lang)
    if kind == "translations":
        text = text.replace(GENERATED[kind], "\n\n" + out.hold(status_html(project, lang, rel), True) + "\n\n", 1)
    if kind == "updates":
        text = text.replace(GENERATED[kind], "\n\n" + out.hold(updates_html(project, lang, rel), True) + "\n\n", 1)
    out.markdown = text[page.body_start:]
    return out


def render_ahead(project: Project, keys: Sequence[tuple[str, str]]) -> tuple[dict, dict[str, dict[str, str]]]:
    """Pages rendered in the second process (``ahead``), and the references formatted for them
    (for this process's cache of formatted references)."""
    before = csl.known()
    pages = {key: render(project, *key) for key in keys}
    return pages, csl.formatted_since(before)


def _render_page(project: Project, lang: str, rel: str, page: Page, mentions: Sequence[Mention],
                 out: Rendered) -> str:
    bib = project.bib
    order = numbering(page)
    fmt = csl.formatter(project.settings, lang).html
    out.cited = [k for k in order if k in bib.entries]
    edits = []  # (start, end, replacement)
    for index, cite in enumerate(page.citations, 1):
        if all(k in bib.entries for k in cite.keys):
            edits.append((cite.start, cite.end, cite_markdown(index, cite, order, bib, lang, out.hold,
                                                              project.notices, fmt=fmt)))
    edits += [(start, end, out.hold(html)) for start, end, html in drug_edits(project, lang, rel, page, mentions)]
    pieces, pos = [], 0
    for start, end, new in sorted(edits):
        pieces += [page.text[pos:start], new]
        pos = end
    pieces.append(page.text[pos:])
    text = "".join(pieces)
    if order:
        heading = languages.get(lang, project.settings.default_language)["references"]
        text = (text.rstrip("\n") + f"\n\n## {heading} {{#references}}\n\n"
                + out.hold(reference_list(page, order, bib, lang, project.notices, fmt=fmt)
                           + downloads.references_html(project, lang, rel), True) + "\n")
    return text

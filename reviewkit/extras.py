"""What a page carries besides its text: the stale-translation notice and "How to cite this page"."""

from __future__ import annotations

import json

from . import languages
from .links import page_url, title
from .markup import esc
from .project import Project


def stale_notice(project: Project, lang: str, rel: str) -> str:
    from . import staleness  # here: a build whose notices come from the cache never imports it

    st = staleness.state(project, lang, rel)
    if st is None:
        return ""
    words = languages.get(lang, project.settings.default_language)
    # From /<lang>/<page>/ up to the site root, then the source page.
    depth = page_url(rel).count("/") + 1
    href = "../" * depth + page_url(rel)
    date = staleness.changed_on(project, lang, rel)
    return (f'<div class="rk-stale" role="note" data-pagefind-ignore="all"><p><strong>{esc(words["stale"].format(date=date))}'
            f'</strong> <a href="{esc(href)}" hreflang="{esc(project.settings.default_language)}">'
            f'{esc(words["stale_link"])}</a></p></div>\n\n')


def cite_box(project: Project, lang: str, rel: str, url: str, date: str) -> str:
    """'How to cite this page': who, what, which version, where."""
    words = languages.get(lang, project.settings.default_language)
    page = project.pages.get((lang, rel))
    name = title(page, rel) if page else rel
    # each language cites web pages its own way (Chinese readers: GB/T 7714, [EB/OL])
    text = words["cite_format"].format(authors=words["cite_authors"], title=name, work=words["cite_work"],
                                       updated=date, url=url)
    if not url:  # no site_url configured: no address, and no mark left dangling after it
        text = text.rstrip(" .")
    heading = words["cite_heading"]
    return (f'<aside class="rk-cite-box" aria-label="{esc(heading)}" data-pagefind-ignore="all">'
            f'<p class="rk-updated">{esc(words["cite_updated"].format(date=date))}</p>'
            f'<p><strong>{esc(heading)}</strong></p><p class="rk-cite-text">{esc(text)}</p></aside>')


def untranslated_notice(project: Project, lang: str, rel: str) -> str:
    """The top of a page shown in ``lang`` before it is translated: say so and link the original."""
    words = languages.get(lang, project.settings.default_language)
    depth = page_url(rel).count("/") + 1  # from /<lang>/<page>/ up to the site root
    href = "../" * depth + page_url(rel)
    base = project.settings.default_language
    return (f'<div class="rk-stale rk-untranslated" role="note" data-search-exclude data-pagefind-ignore="all">'
            f'<p><strong>{esc(words["untranslated"])}</strong> '
            f'<a href="{esc(href)}" hreflang="{esc(base)}">{esc(words["untranslated_link"])}</a>'
            f'{esc(words.sentence.strip() or " ")}{esc(words["untranslated_below"])}</p></div>')
def preview_words(project: Project, lang: str) -> str:
    """The words previews.js shows (the touch panel's labels), as JSON safe inside <script>."""
    words = languages.get(lang, project.settings.default_language)
    data = {key: words[key] for key in ("panel_cite", "panel_term", "panel_close", "panel_all_refs", "panel_glossary")}
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")

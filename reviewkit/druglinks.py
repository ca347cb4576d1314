"""Drug names in the text become links to their glossary entry, with the definition as a tooltip."""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import languages
from .citations import strip_citations
from .drugs import Mention
from .links import relative
from .markup import esc
from .project import Project
from .scanner import Page

GLOSSARY_PAGE = "glossary.md"
_IMAGE_ALT = re.compile(r"!\[[^\]]*\]")  # an image's alt text

Edit = tuple[int, int, str]  # (start, end, replacement)


def drug_edits(project: Project, lang: str, rel: str, page: Page, mentions: Sequence[Mention]) -> list[Edit]:
    """The first mention of each drug on the page, outside headings, link texts and alt texts."""
    edits: list[Edit] = []
    done: set[str] = set()
    if (lang, GLOSSARY_PAGE) not in project.pages:
        return []
    blocked = [(h.start, h.end) for h in page.headings] + list(page.link_texts)
    # an image's alt text is an HTML attribute: markup there breaks the <img> and hides the figure
    blocked += [(m.start(), m.end()) for m in _IMAGE_ALT.finditer(page.masked)]
    for m in mentions:
        if m.drug is None or m.drug in done or any(a <= m.start < b for a, b in blocked):
            continue
        done.add(m.drug)
        drug = project.glossary.drugs[m.drug]
        tip_id = f"drug-tip-{m.drug}"
        href = relative(rel, GLOSSARY_PAGE, f"drug-{m.drug}")
        definition = strip_citations(drug.definition(lang), project.bib, lang)
        name = drug.name(lang)
        words = languages.get(lang, project.settings.default_language)
        label = name if name.lower() == m.text.lower() else \
            f"{name}{words.parenthesised(drug.name(project.settings.default_language))}"
        edits.append((m.start, m.end,
                      f'<span class="rk-term" id="mention-{m.drug}"><a class="rk-drug" href="{esc(href)}" '
                      f'aria-describedby="{tip_id}">{esc(m.text)}</a><span class="rk-tip" role="tooltip" '
                      f'id="{tip_id}" data-pagefind-ignore="all"><b>{esc(label)}</b>{esc(words.label_sep)}'
                      f'{esc(definition)}</span></span>'))
    return edits

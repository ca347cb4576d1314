"""The generated bibliography page: every cited reference, with the sections that cite it."""

from __future__ import annotations

import functools

from . import csl, downloads, languages
from .links import relative, section_at, title
from .markup import esc
from .notices import labels_html
from .project import Project
from .scanner import Page

Place = tuple[str, str, str, int]  # (page file, page title, section title, citation index)


def citing_places(project: Project, lang: str) -> dict[str, list[Place]]:
    """Key -> [(rel, page title, section title, cite index)], one per section that cites it."""
    places: dict[str, list[Place]] = {}
    for rel in project.page_paths(lang):
        page = project.pages[(lang, rel)]
        for key, place in project.per_page(("citing places", lang, rel), (page,),
                                           functools.partial(_page_places, page, rel)):
            places.setdefault(key, []).append(place)
    return places


def _page_places(page: Page, rel: str) -> list[tuple[str, Place]]:
    out, seen = [], set()
    for index, cite in enumerate(page.citations, 1):
        section = section_at(page, cite.start)
        for key in cite.keys:
            if (key, section) not in seen:
                seen.add((key, section))
                out.append((key, (rel, title(page, rel), section, index)))
    return out


def bibliography_keys(project: Project, lang: str) -> list[str]:
    """The references the bibliography lists, in its order (what its download files hold)."""
    bib = project.bib
    return sorted((k for k in citing_places(project, lang) if k in bib.entries),
                  key=lambda k: (bib.entries[k].authors[:1], k))


def bibliography_html(project: Project, lang: str, rel: str) -> str:
    words = languages.get(lang, project.settings.default_language)
    places = citing_places(project, lang)
    bib = project.bib
    keys = sorted(places, key=lambda k: (bib.entries[k].authors[:1] if k in bib.entries else (), k))
    fmt = csl.formatter(project.settings, lang).html
    items = []
    for n, key in enumerate(keys, 1):
        if key not in bib.entries:
            continue
        links = []
        for target, name, section, index in places[key]:
            label = esc(name) + (f" › {esc(section)}" if section else "")
            links.append(f'<a href="{esc(relative(rel, target, f"cite-{index}"))}">{label}</a>')
        labels = labels_html(project.notices.for_key(key), lang) if project.notices is not None else ""
        items.append(f'<li id="bib-{n}">{fmt(bib.entries[key])}{labels}'
                     f'<br><span class="rk-cited-on">{esc(words["cited_on"])}{esc(words.label_sep)}'
                     f'{esc(words.item_sep).join(links)}</span></li>')
    return (downloads.references_html(project, lang, rel, "download_all")
            + '\n<ol class="rk-bibliography">\n' + "\n".join(items) + "\n</ol>")

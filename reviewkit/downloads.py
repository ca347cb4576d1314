"""The references a page lists, and the page itself, as files a reader downloads.

Each page's references (and the bibliography's) go to ``references/<page>.bib|.ris|.json`` at the
site root: one set per page, linked from every language's version of it. The "cite this page"
record is carried by the page itself, as ``data:`` links (``cite.bib``, ``cite.ris``): its title and
URL are the language's, and two small files a page would double the files a build writes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from . import languages
from .links import page_url, title
from .markup import esc
from .project import Project

FOLDER = "references"
FORMATS = {"bib": ("BibTeX", "application/x-bibtex"), "ris": ("RIS", "application/x-research-info-systems"),
           "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json")}
Memo = Callable[[tuple, Callable[[], str]], str]  # a cache's memo(key, make)


def file_stem(rel: str) -> str:
    """'pathway.md' -> 'pathway'; 'a/b.md' -> 'a-b'."""
    return (rel[:-3] if rel.endswith(".md") else rel).replace("/", "-")


def _links(label: str, hrefs: list[tuple[str, str]], names: dict[str, str] | None = None) -> str:
    links = " · ".join(f'<a href="{esc(href)}" download{_name(names, ext)} type="{FORMATS[ext][1]}">{FORMATS[ext][0]}</a>'
                       for href, ext in hrefs)
    return f'<p class="rk-downloads" data-pagefind-ignore="all">{esc(label)}{links}</p>'


def _name(names: dict[str, str] | None, ext: str) -> str:
    return f'="{esc(names[ext])}"' if names else ""


def references_html(project: Project, lang: str, rel: str, label: str = "download_page") -> str:
    """'Download these references: BibTeX · RIS · CSL-JSON', under a page's reference list."""
    # up from /<page>/ (and from the language's folder, for every language but the default)
    depth = page_url(rel).count("/") + (lang != project.settings.default_language)
    stem = file_stem(rel)
    words = languages.get(lang, project.settings.default_language)
    return _links(words[label], [("../" * depth + f"{FOLDER}/{stem}.{ext}", ext) for ext in FORMATS])


def cite_html(project: Project, lang: str, files: dict[str, str]) -> str:
    """The same links for the "cite this page" box: ``files`` (from ``cite_files``) in the links."""
    from urllib.parse import quote

    words = languages.get(lang, project.settings.default_language)
    hrefs = [(f"data:{FORMATS[ext][1]};charset=utf-8," + quote(files[f"cite.{ext}"], safe=""), ext)
             for ext in ("bib", "ris")]
    return _links(words["download_cite"], hrefs, {ext: f"cite.{ext}" for ext in ("bib", "ris")})


def cite_files(project: Project, lang: str, rel: str, url: str, date: str) -> dict[str, str]:
    """{'cite.bib': ..., 'cite.ris': ...}: the page as a reference, in its language."""
    from . import exports

    words = languages.get(lang, project.settings.default_language)
    page = project.pages.get((lang, rel))
    name = title(page, rel) if page else rel
    version = words["cite_updated"].format(date=date)
    key = f"{file_stem(rel)}{date}".replace("-", "")
    return {"cite.bib": exports.page_bibtex(key, words["cite_authors"], name, words["cite_work"], date[:4], version, url),
            "cite.ris": exports.page_ris(words["cite_authors"], name, words["cite_work"], date, version, url)}


def files(keys: list[str], bib: Any, memo: Memo | None = None) -> dict[str, str]:
    """{'bib': ..., 'ris': ..., 'json': ...}: the references ``keys`` in each format ({} if none).
    ``memo(key, make)``, when given, keeps each reference's records between builds: once per
    reference, however many pages list it."""
    from . import exports  # here: a build that finds every record in the cache never imports pybtex

    entries = [bib.entries[k] for k in keys if k in bib.entries]
    if not entries:
        return {}

    def records(kind: str, make: Callable[[Any], str]) -> list[str]:
        return [memo((kind, e.key), functools.partial(make, e)) if memo else make(e) for e in entries]

    return {"bib": "\n".join(records("bibtex", exports.bibtex_record)),
            "ris": "\n".join(records("ris", exports.ris_record)),
            "json": exports.json_array(records("csljson", exports.csl_json_record))}


def write(site_dir: str, cited: dict[str, list[str]], bib: Any, memo: Memo | None = None) -> None:
    """One file per format for each page that lists references (``cited``: page -> keys)."""
    folder = os.path.join(site_dir, FOLDER)
    for rel, keys in cited.items():
        texts = files(keys, bib, memo)
        if texts:
            os.makedirs(folder, exist_ok=True)
        for ext, text in texts.items():
            with open(os.path.join(folder, f"{file_stem(rel)}.{ext}"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)

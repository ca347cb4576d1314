"""notices.yml: the notices about cited papers (retractions, expressions of concern, corrections)
that the review has read and acknowledges.

Each is shown to readers as a label on the reference, and ``watch`` counts a notice found online
as new until it is recorded here.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

import yaml

from . import languages
from .diagnostics import Diagnostic, error, not_utf8, yaml_error
from .textpos import NotUtf8, decode

PATH = "notices.yml"
KINDS = ("retraction", "expression_of_concern", "correction")
FIELDS = {"key", "type", "doi", "pmid", "url", "date", "cite", "acknowledged_in"}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Words that show a page speaks of the notice (checked on each page listed in acknowledged_in).
MENTIONS = {
    "retraction": ("retract", "撤稿", "撤回"),
    "expression_of_concern": ("expression of concern", "关注声明"),
    "correction": ("correct", "erratum", "更正", "勘误"),
}


@dataclass(frozen=True)
class Notice:
    key: str  # the cited paper's key in references.bib
    type: str  # one of KINDS
    doi: str = ""  # the notice's own DOI
    pmid: str = ""
    url: str = ""
    date: str = ""
    cite: str = ""  # the notice's own entry in references.bib, when the review cites it
    acknowledged_in: tuple[str, ...] = ()  # pages whose text states it
    line: int = 0

    @property
    def href(self) -> str:
        if self.doi:
            return "https://doi.org/" + self.doi
        if self.url:
            return self.url
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return ""


@dataclass(frozen=True)
class Notices:
    items: tuple[Notice, ...] = ()
    problems: tuple[Diagnostic, ...] = ()

    def for_key(self, key: str) -> tuple[Notice, ...]:
        return tuple(n for n in self.items if n.key == key)

    def retracted(self) -> set[str]:
        return {n.key for n in self.items if n.type == "retraction"}


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load(root: str, bib_keys: Container[str] | None = None) -> Notices:
    path = os.path.join(root, PATH)
    if not os.path.exists(path):
        return Notices()
    problems: list[Diagnostic] = []

    def problem(line: int, message: str, hint: str) -> None:
        problems.append(error(PATH, line, 1, "RK110", message, hint))

    try:
        with open(path, "rb") as fh:
            data = yaml.load(decode(fh.read()), Loader=_LineLoader)
    except NotUtf8 as exc:
        return Notices((), (not_utf8(PATH, exc),))
    except yaml.YAMLError as exc:
        return Notices((), (yaml_error(PATH, exc, "RK110", f"{PATH} cannot be read: {{problem}}",
                                       "fix the YAML on this line"),))
    if data is None:
        return Notices()
    if not isinstance(data, list):
        problem(1, f"{PATH} must be a list of notices", "start each notice with '- key: ...'")
        return Notices((), tuple(problems))
    items = []
    for item in data:
        if not isinstance(item, dict):
            problem(1, "each notice must be a mapping", "write 'key:', 'type:', 'doi:', 'date:', 'acknowledged_in:'")
            continue
        line = item.pop("__line__", 1)
        unknown = sorted(set(item) - FIELDS)
        if unknown:
            problem(line, f"unknown field(s) {', '.join(unknown)}", f"known fields: {', '.join(sorted(FIELDS))}")
        key, kind = str(item.get("key") or ""), str(item.get("type") or "")
        doi, pmid = str(item.get("doi") or ""), str(item.get("pmid") or "")
        url, date, cite = str(item.get("url") or ""), str(item.get("date") or ""), str(item.get("cite") or "")
        pages = item.get("acknowledged_in") or []
        if not key:
            problem(line, "notice without 'key'", "give the key of the cited paper the notice is about")
        elif bib_keys is not None and key not in bib_keys:
            problem(line, f"notice for unknown citation key '{key}'", "use the paper's key in references.bib")
        if kind not in KINDS:
            problem(line, f"notice type '{kind}' is not one of {', '.join(KINDS)}",
                    "an erratum or corrigendum is 'correction'; a withdrawal is 'retraction'")
        if doi and not _DOI.match(doi):
            problem(line, f"malformed notice DOI '{doi}'", "a DOI looks like 10.1016/S1470-2045(23)00673-3")
        if pmid and not pmid.isdigit():
            problem(line, f"malformed notice PMID '{pmid}'", "a PMID is 1 to 8 digits")
        if url and not re.match(r"^https?://", url):
            problem(line, "notice url must start with http:// or https://", "give the notice's web address")
        if not (doi or pmid or url):
            problem(line, f"notice for '{key}' has no doi, pmid or url", "readers need a link to the notice itself")
        if not _DATE.match(date):
            problem(line, f"notice date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD",
                    "give the date the notice was published, as far as it is known")
        if cite and bib_keys is not None and cite not in bib_keys:
            problem(line, f"cite '{cite}' is not in references.bib", "add the notice's entry or remove 'cite'")
        if not isinstance(pages, list) or not pages or not all(isinstance(p, str) for p in pages):
            problem(line, f"notice for '{key}' must list the pages that state it under acknowledged_in",
                    "e.g. acknowledged_in: [docs/en/trials.md, docs/zh/trials.md]")
            pages = []
        items.append(Notice(key, kind, doi, pmid, url, date, cite, tuple(pages), line))
    return Notices(tuple(items), tuple(problems))


def acknowledgement_problems(root: str, notices: Notices) -> list[Diagnostic]:
    """Each page listed in acknowledged_in exists and speaks of the notice (its DOI, its entry or its name)."""
    out = []
    for n in notices.items:
        for rel in n.acknowledged_in:
            path = os.path.join(root, rel)
            try:
                with open(path, "rb") as fh:
                    text = decode(fh.read())
            except (OSError, NotUtf8):
                out.append(error(PATH, n.line, 1, "RK110", f"acknowledged_in: '{rel}' cannot be read",
                                      "list pages by their path from the repository root, e.g. docs/en/trials.md"))
                continue
            low = text.lower()
            said = (n.doi and n.doi.lower() in low) or (n.cite and f"@{n.cite}".lower() in low) \
                or any(word in low for word in MENTIONS.get(n.type, ()))
            if not said:
                out.append(error(PATH, n.line, 1, "RK110",
                                      f"{rel} is listed as acknowledging the {n.type.replace('_', ' ')} for '{n.key}', "
                                      "but does not mention it",
                                      "state the notice on that page (its name or DOI), or remove the page from the list"))
    return out


# ---- what readers see ----

ORDER = {k: i for i, k in enumerate(KINDS)}


def labels_html(notices: tuple[Notice, ...], lang: str) -> str:
    """' <a class="rk-notice ...">Expression of concern</a>' for each notice, most serious first."""
    words = languages.get(lang).section("notices")
    out = []
    for n in sorted(notices, key=lambda n: ORDER.get(n.type, 9)):
        text = html.escape(words.get(n.type, n.type))
        cls = f"rk-notice rk-notice-{n.type.replace('_', '-')}"
        if n.href:
            out.append(f'<a class="{cls}" href="{html.escape(n.href, quote=True)}">{text}</a>')
        else:
            out.append(f'<span class="{cls}">{text}</span>')
    return (" " + " ".join(out)) if out else ""

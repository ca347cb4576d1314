"""How current a page is: the month up to which its evidence was checked.

A living review is judged on being current, so every content page (a page that cites something)
states in its front matter ``evidence_checked: YYYY-MM``, in each language, and the reader sees it
under the title. Sites opt in with ``extra.reviewkit.evidence_dates: true`` in mkdocs.yml.
"""

from __future__ import annotations

import datetime
import re

from . import languages
from .diagnostics import Diagnostic, error
from .markup import esc
from .project import Project
from .scanner import Page

KEY = "evidence_checked"
CODE = "RK100"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_HINT = f"add '{KEY}: 2026-11' (the year and month up to which this page's evidence was checked) to the front matter"


def parse(value: object) -> tuple[int, int] | None:
    """(year, month) from 'YYYY-MM' or a YAML date; None if the value is not one of those."""
    if isinstance(value, datetime.date):
        return value.year, value.month
    m = _MONTH.match(value.strip()) if isinstance(value, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def _month_name(words: languages.Language, month: int) -> str:
    """The language's full month word (the longest of those the parity check counts as this month)."""
    names = [w for w, n in words.months.items() if str(n) == str(month)]
    return max(names, key=len).capitalize() if names else str(month)


def label(value: object, lang: str, default: str = languages.BASE) -> str:
    ym = parse(value)
    if not ym:
        return ""
    words = languages.get(lang, default)
    return words["evidence_checked"].format(year=ym[0], month=ym[1], month_name=_month_name(words, ym[1]))


def _is_content(project: Project, page: Page) -> bool:
    return bool(page.citations) and project.generated_kind(page) is None


def _key_line(page: Page) -> int:
    """Line of the key in the front matter, else 1 (where front matter starts)."""
    head = page.text[:page.body_start].splitlines()
    for i, line in enumerate(head, 1):
        if line.startswith(KEY + ":"):
            return i
    return 1


def check(project: Project) -> list[Diagnostic]:
    if not project.settings.evidence_dates:
        return []
    out, base = [], project.settings.default_language
    for (lang, rel), page in sorted(project.pages.items()):
        if not _is_content(project, page):
            continue
        value = page.front_matter.get(KEY)
        if value is None:
            out.append(error(page.path, 1, 1, CODE, "page cites evidence but does not say up to when it was checked",
                             _HINT))
        elif parse(value) is None:
            out.append(error(page.path, _key_line(page), 1, CODE,
                             f"'{KEY}' must be a year and month such as 2026-11, got {value!r}", _HINT))
        elif lang != base:
            source = project.pages.get((base, rel))
            theirs = parse(source.front_matter.get(KEY)) if source else None
            if source and theirs and theirs != parse(value):
                out.append(error(page.path, _key_line(page), 1, CODE,
                                 f"'{KEY}' differs from {source.path} ({theirs[0]}-{theirs[1]:02d})",
                                 "both languages state the same evidence: give them the same month"))
    return out


def badge(project: Project, lang: str, rel: str) -> str:
    """The line shown under the title, or '' when the page gives no (valid) date."""
    page = project.pages.get((lang, rel))
    value = page.front_matter.get(KEY) if page else None
    ym = parse(value)
    if not ym:
        return ""
    return (f'<p class="rk-evidence"><time datetime="{ym[0]}-{ym[1]:02d}">'
            f'{esc(label(value, lang, project.settings.default_language))}</time></p>')


_H1 = re.compile(r"^#[ \t]+\S.*$", re.MULTILINE)


def after_title(markdown: str, html: str) -> str:
    """``html`` as its own block right after the first '# Title' line (at the top if there is none)."""
    if not html:
        return markdown
    m = _H1.search(markdown)
    if not m:
        return html + "\n\n" + markdown
    return markdown[:m.end()] + "\n\n" + html + "\n" + markdown[m.end():]

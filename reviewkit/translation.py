"""The default language leads; translations follow, visibly.

A translation that claims to be current (its source has not changed since it was last marked
translated, or it was never marked) must say the same things as its source: every parity
difference is an error. Once the source page changes, the differences on that pair are the
translator's to-do list: warnings, not errors, and the page shows the stale notice. A page that
exists only in the default language builds too: the other languages show a placeholder that
links to it. A page with no source in the default language stays an error.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from . import parity, staleness
from .diagnostics import Diagnostic, error, warning
from .project import Project

PARITY_CODES = frozenset({"RK051", "RK052", "RK053", "RK054", "RK055"})
TODO = "translation to-do: "


@dataclass(frozen=True)
class PageState:
    lang: str
    rel: str
    path: str  # the translation's file (which may not exist)
    source: str  # the default-language file it follows
    state: str  # "current" | "stale" | "missing" | "unmarked"
    since: str = ""  # date the source changed (stale) or was last changed (missing)
    todo: tuple[Diagnostic, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"language": self.lang, "page": self.rel, "file": self.path, "source": self.source,
                "state": self.state, "since": self.since or None,
                "todo": [{"line": d.line, "col": d.col, "code": d.code, "message": d.message[len(TODO):]
                          if d.message.startswith(TODO) else d.message, "hint": d.hint} for d in self.todo]}


def lagging(project: Project, lang: str, rel: str) -> bool:
    """The source page changed since this translation was last marked: parity is a to-do."""
    st = staleness.state(project, lang, rel)
    return st is not None and not st.never


def missing(project: Project) -> list[tuple[str, str]]:
    """(language, page) pairs where the default language has the page and this language does not."""
    base = project.settings.default_language
    out = []
    for lang in project.settings.languages:
        if lang == base:
            continue
        have = set(project.page_paths(lang))
        for rel in sorted(set(project.page_paths(base)) - have):
            if not os.path.exists(os.path.join(project.settings.root, project.file_path(lang, rel))):
                out.append((lang, rel))
    return out


def as_todo(d: Diagnostic) -> Diagnostic:
    return dataclasses.replace(d, severity="warning", message=TODO + d.message)


def parity_diagnostics(project: Project) -> list[Diagnostic]:
    """Parity, with the differences of lagging translations turned into to-do warnings."""
    behind = {project.file_path(lang, rel) for (lang, rel) in project.pages
              if lang != project.settings.default_language and lagging(project, lang, rel)}
    return [as_todo(d) if d.path in behind and d.code in PARITY_CODES else d for d in parity.check(project)]


def missing_diagnostics(project: Project) -> list[Diagnostic]:
    """A page without its source is an error; a source without its translation is a to-do."""
    out = []
    base = project.settings.default_language
    for lang, rel in missing(project):
        out.append(warning(project.file_path(lang, rel), 0, 0, "RK050",
                           f"{TODO}page is not translated yet: {project.file_path(base, rel)} has no "
                           f"{lang} version (readers see a placeholder that links to it)",
                           f"create {project.file_path(lang, rel)} as a translation of "
                           f"{project.file_path(base, rel)}, then run "
                           f"python -m reviewkit mark-translated {project.file_path(lang, rel)}"))
    for lang in project.settings.languages:
        if lang == base:
            continue
        for rel in sorted(set(project.page_paths(lang)) - set(project.page_paths(base))):
            if os.path.exists(os.path.join(project.settings.root, project.file_path(base, rel))):
                continue  # there, but unreadable: reported as such
            out.append(error(project.file_path(lang, rel), 0, 0, "RK050",
                             f"page is missing: {project.file_path(lang, rel)} has no "
                             f"{base} version to translate from",
                             f"create {project.file_path(base, rel)} (the source of "
                             f"{project.file_path(lang, rel)}) or remove {project.file_path(lang, rel)}"))
    return out


def states(project: Project, diagnostics: list[Diagnostic]) -> list[PageState]:
    """Every translation of every page, with its state and the to-do items from ``diagnostics``."""
    base = project.settings.default_language
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.message.startswith(TODO):
            by_file.setdefault(d.path, []).append(d)
    absent = set(missing(project))
    out = []
    for lang in project.settings.languages:
        if lang == base:
            continue
        for rel in sorted(project.page_paths(base)):
            source = project.pages[(base, rel)]
            if project.generated_kind(source):
                continue
            path = project.file_path(lang, rel)
            todo = tuple(sorted(by_file.get(path, [])))
            if (lang, rel) in absent:
                since = staleness.file_date(project.settings.root, source.path, project.stamp)
                out.append(PageState(lang, rel, path, source.path, "missing", since, todo))
                continue
            st = staleness.state(project, lang, rel)
            if st is None:
                out.append(PageState(lang, rel, path, source.path, "current", "", todo))
            elif st.never:
                out.append(PageState(lang, rel, path, source.path, "unmarked", "", todo))
            else:
                out.append(PageState(lang, rel, path, source.path, "stale",
                                     staleness.changed_on(project, lang, rel), todo))
    return out

"""The whole review as one model: settings, bibliography, glossary, every page scanned.

Built once per change of the files (cached by modification time), then every check and every
rendered page reads from it, whichever MkDocs language build asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml

from . import bibliography, glossary, languages
from . import notices as notices_mod
from . import trials as trials_mod
from . import updates as updates_mod
from .diagnostics import Diagnostic, error, not_utf8, yaml_error
from .drugs import Allowlist, Detector, Mention, parse_allowlist
from .fuzzy import process
from .scanner import Page, scan
from .textpos import NotUtf8, decode

GENERATED = {"glossary": "<!-- reviewkit:glossary -->", "bibliography": "<!-- reviewkit:bibliography -->",
             "updates": "<!-- reviewkit:updates -->", "translations": "<!-- reviewkit:translation-status -->"}

T = TypeVar("T")


@dataclass
class Settings:
    root: str
    docs_dir: str = "docs"
    languages: tuple[str, ...] = ("en", "zh")
    default_language: str = "en"
    bibliography: str = "references.bib"
    glossary: str = "glossary.yml"
    trials: str = "trials.yml"
    allowlist: str = "drug-allowlist.txt"
    site_url: str = ""
    repo_url: str = ""
    mailto: str = ""  # contact address the evidence watch gives Crossref and NCBI
    styles: dict = field(default_factory=dict)  # language -> CSL style (reviewkit.csl)
    evidence_dates: bool = False  # content pages must state evidence_checked (evidence.py)
    problems: list = field(default_factory=list)

    def ordered_languages(self) -> tuple[str, ...]:
        """The languages, the default first."""
        if self.default_language not in self.languages:
            return self.languages
        return (self.default_language, *(c for c in self.languages if c != self.default_language))


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name tags for Material's extensions; we only read plain keys."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)

_SETTING_TYPES = {"bibliography": str, "glossary": str, "trials": str, "allowlist": str, "languages": list,
                  "default_language": str, "mailto": str, "styles": dict,
                  "evidence_dates": bool}


def load_settings(root: str) -> Settings:
    settings = Settings(root=root)
    path = os.path.join(root, "mkdocs.yml")
    if not os.path.exists(path):
        return settings
    try:
        with open(path, "rb") as fh:
            config = yaml.load(decode(fh.read()), Loader=_Loader) or {}
    except (yaml.YAMLError, NotUtf8) as exc:
        settings.problems.append(yaml_error("mkdocs.yml", exc, "RK070", "mkdocs.yml cannot be read: {problem}",
                                            "fix the YAML on this line"))
        return settings
    if not isinstance(config, dict):
        return settings
    settings.docs_dir = str(config.get("docs_dir") or "docs")
    settings.site_url = str(config.get("site_url") or "")
    settings.repo_url = str(config.get("repo_url") or "")
    extra = config.get("extra") or {}
    ours = extra.get("reviewkit") if isinstance(extra, dict) else None
    if ours is None:
        return settings
    if not isinstance(ours, dict):
        settings.problems.append(error("mkdocs.yml", 1, 1, "RK070",
                                            "extra.reviewkit must be a mapping of settings",
                                            "write settings as 'bibliography: references.bib' lines"))
        return settings
    entries: list[tuple[str, Any]] = list(ours.items())
    for key, value in entries:
        want = _SETTING_TYPES.get(key)
        right_type = want is not None and isinstance(value, want)
        if want is None:
            settings.problems.append(error("mkdocs.yml", 1, 1, "RK070",
                                                f"unknown setting extra.reviewkit.{key}",
                                                f"known settings: {', '.join(_SETTING_TYPES)}"))
        elif not right_type or (want is str and (not value or ".." in value.split("/")
                                                                or os.path.isabs(value))):
            settings.problems.append(error("mkdocs.yml", 1, 1, "RK070",
                                                f"extra.reviewkit.{key} has an unusable value {value!r}",
                                                "give a path inside the repository, e.g. references.bib"))
        elif key == "languages":
            if len(value) < 1 or not all(isinstance(v, str) and languages.CODE.match(v) for v in value) \
                    or len(set(value)) != len(value):
                settings.problems.append(error("mkdocs.yml", 1, 1, "RK070",
                                                    "extra.reviewkit.languages must list language codes",
                                                    "e.g. [en, zh] or [en, zh, zh-Hant, fr]"))
            else:
                settings.languages = tuple(value)
        else:
            setattr(settings, key, value)
    if settings.default_language not in settings.languages:
        settings.problems.append(error("mkdocs.yml", 1, 1, "RK070",
                                            "extra.reviewkit.default_language is not one of the languages",
                                            f"use one of {', '.join(settings.languages)}"))
    return settings


@dataclass
class Project:
    settings: Settings
    bib: bibliography.Bibliography
    glossary: glossary.Glossary
    allow: Allowlist
    pages: dict[tuple[str, str], Page]  # (lang, relpath) -> Page
    mentions: dict[tuple[str, str], list[Mention]]  # (lang, relpath) -> drug mentions
    problems: list[Diagnostic]  # file-level problems (unreadable pages)
    stamp: tuple = ()
    updates: list[updates_mod.Update] = field(default_factory=list)  # newest first
    trials: trials_mod.Trials | None = None
    notices: notices_mod.Notices | None = None  # acknowledged retractions, concerns, corrections
    detector: Detector | None = None  # finds drug mentions in a text; built from the glossary
    _diagnostics: list[Diagnostic] | None = None
    # per-page results of checks, with the pages they were made from: see per_page
    memo: dict[tuple, tuple[tuple[Page, ...], Any]] = field(default_factory=dict)

    def per_page(self, key: tuple, pages: tuple[Page, ...], make: Callable[[], T]) -> T:
        """``make()``, a result that depends on ``pages`` and the data files alone: the last
        project's while these are the same page objects (an unchanged file keeps its scan; the
        memo is not carried over when a data file changed)."""
        hit = self.memo.get(key)
        if hit is not None and len(hit[0]) == len(pages) and all(a is b for a, b in zip(hit[0], pages)):
            return hit[1]
        value = make()
        self.memo[key] = (pages, value)
        return value

    def adopt(self, memo: dict[tuple, tuple[tuple[Page, ...], Any]]) -> None:
        """Memo entries made by a copy of this project (in the second process), on our pages."""
        by_path = {p.path: p for p in self.pages.values()}
        for key, (pages, value) in memo.items():
            mine = tuple(m for p in pages if (m := by_path.get(p.path)) is not None and m.text == p.text)
            if len(mine) == len(pages):
                self.memo[key] = (mine, value)

    # ---- reading ----
    def page_paths(self, lang: str) -> list[str]:
        return sorted(rel for (lg, rel) in self.pages if lg == lang)

    def generated_kind(self, page: Page) -> str | None:
        for kind, marker in GENERATED.items():
            if marker in page.text:
                return kind
        return None

    def mentions_in(self, lang: str, rel: str, page: Page) -> list[Mention]:
        """The drug mentions of ``page`` at its own offsets: the file's, or found again in the text
        being rendered when another MkDocs plugin changed it."""
        known = self.pages.get((lang, rel))
        if known is not None and page.text == known.text:
            return self.mentions.get((lang, rel), [])
        return self.detector.find(page.prose()) if self.detector else []

    def file_path(self, lang: str, rel: str) -> str:
        return "/".join(p for p in (self.settings.docs_dir, lang, rel) if p)

    def ordered_languages(self) -> tuple[str, ...]:
        """The review's languages, the default first (the order of glossary and updates fields)."""
        return self.settings.ordered_languages()


_cache: dict = {}


def _fingerprint(settings: Settings) -> tuple:
    """(data files, page files): each (path, modification time, size)."""
    data: list[tuple[str, int | None, int | None]] = []
    for rel in (settings.bibliography, settings.glossary, settings.trials, settings.allowlist, "mkdocs.yml",
                "updates.yml", "notices.yml"):
        try:
            st = os.stat(os.path.join(settings.root, rel))
            data.append((rel, st.st_mtime_ns, st.st_size))
        except OSError:
            data.append((rel, None, None))
    pages: list[tuple[str, int, int]] = []
    for lang in settings.languages:
        base = os.path.join(settings.root, settings.docs_dir, lang)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".md"):
                    full = os.path.join(dirpath, name)
                    st = os.stat(full)
                    pages.append((full, st.st_mtime_ns, st.st_size))
    return tuple(data), tuple(pages)


def unchanged_pages(old: tuple, new: tuple) -> set[str]:
    """Page files (full paths) with the same stamp in two fingerprints."""
    return {item[0] for item in set(old[1]) & set(new[1])} if old and new else set()


def load(root: str, previous: Project | None = None) -> Project:
    """The project at ``root``; the same object again while no file has changed. What did not
    change since ``previous`` (or the last project loaded here) is taken from it, not read again:
    the data files' objects when none of them changed, each unchanged page's scan and mentions."""
    root = os.path.abspath(root)
    settings = load_settings(root)
    stamp = _fingerprint(settings)
    hit = _cache.get(root)
    if hit and hit.stamp == stamp:
        return hit
    previous = previous or hit
    if previous is not None and (previous.settings.root != root or len(previous.stamp) != 2):
        previous = None
    same_pages = unchanged_pages(previous.stamp, stamp) if previous is not None else set()
    # the last project, when no data file changed: its parsed data, detector and memo still hold
    same = previous if previous is not None and previous.stamp[0] == stamp[0] else None
    if same is not None and same.trials is not None and same.detector is not None:
        bib, gloss, trial_set, allow, detector = same.bib, same.glossary, same.trials, same.allow, same.detector
    else:
        same = None
        bib = bibliography.load(settings.bibliography, root)
        gloss = glossary.load(settings.glossary, root, settings.ordered_languages())
        trial_set = trials_mod.load(settings.trials, root)
        allow = _allowlist(root, settings)
        trial_names = tuple({t.name for d in gloss.drugs.values() for t in d.trials} | set(trial_set.trials))
        detector = Detector(gloss.by_name(), allow.terms, trial_names)
    pages, problems = {}, list(settings.problems)
    for lang in settings.languages:
        base = os.path.join(root, settings.docs_dir, lang)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(".md"):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, base).replace(os.sep, "/")
                if full in same_pages and previous is not None and (lang, rel) in previous.pages:
                    pages[(lang, rel)] = previous.pages[(lang, rel)]  # a scan depends on the text alone
                    continue
                shown = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as fh:
                    data = fh.read()
                try:
                    text = decode(data)
                except NotUtf8 as exc:
                    problems.append(not_utf8(shown, exc))
                    continue
                pages[(lang, rel)] = scan(shown, text)
    # an unchanged page is the last project's own object (see above)
    mentions = {key: (same.mentions[key] if same is not None and same.pages.get(key) is page and key in same.mentions
                      else detector.find(page.prose()))
                for key, page in pages.items()}
    names = {rel for (_, rel) in pages}
    updates, update_problems = updates_mod.load(root, names, settings.ordered_languages())
    problems += update_problems
    notices = notices_mod.load(root, bib.entries)
    project = Project(settings, bib, gloss, allow, pages, mentions, problems, stamp, updates, trial_set, notices,
                      detector=detector, memo=dict(same.memo) if same is not None else {})
    _cache[root] = project
    return project


def _allowlist(root: str, settings: Settings) -> Allowlist:
    allow_path = os.path.join(root, settings.allowlist)
    if not os.path.exists(allow_path):
        return Allowlist(())
    with open(allow_path, "rb") as fh:
        try:
            return parse_allowlist(settings.allowlist, decode(fh.read()))
        except NotUtf8 as exc:
            return Allowlist((), (not_utf8(settings.allowlist, exc),))


def closest(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    return [c for c, score, _ in process.extract(word, list(choices), limit=limit) if score >= cutoff]


__all__ = ["Project", "Settings", "load", "load_settings", "closest", "Mention"]

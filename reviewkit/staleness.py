"""Which translations lag behind their source page.

A translated page records, in its front matter, content hashes of the source page and of each
of its sections. Content hashes (not commits) survive squash-merges, rebases and shallow clones,
and need no git at all. White space is folded before hashing, so re-wrapping a paragraph never
makes a translation stale.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import Diagnostic, error
from .project import Project
from .scanner import _FRONT, Page
from .textpos import decode

FIELD = "translation"


@dataclass(frozen=True)
class Stale:
    """How a translation lags behind its source page (section titles of the source)."""

    never: bool  # never marked as a translation
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()

    def changes(self) -> dict[str, tuple[str, ...]]:
        return {"added": self.added, "removed": self.removed, "edited": self.edited}


def digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def fingerprint(page: Page) -> dict[str, Any]:
    body = page.text[page.body_start:]
    from .parity import sections  # here: a build whose notices come from the cache never needs it

    secs = [[s.title, digest(page.text[s.start:s.end])] for s in sections(page)]
    return {"hash": digest(body), "sections": secs}


def record(page: Page) -> dict[str, Any] | None:
    """The stored record, or None; raises ValueError when it is malformed."""
    data = page.front_matter.get(FIELD)
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("hash"), str) or \
            not isinstance(data.get("sections", []), list):
        raise ValueError("malformed")
    return data


def source_of(project: Project, lang: str, rel: str) -> Page | None:
    base = project.settings.default_language
    if lang == base:
        return None
    return project.pages.get((base, rel))


def state(project: Project, lang: str, rel: str) -> Stale | None:
    """None when current (or not a translation); else what changed."""
    page = project.pages.get((lang, rel))
    source = source_of(project, lang, rel)
    if page is None or source is None or project.generated_kind(source):
        return None
    try:
        rec = record(page)
    except ValueError:
        return None  # reported by check()
    now = fingerprint(source)
    if rec is None:
        return Stale(never=True)
    if rec["hash"] == now["hash"]:
        return None
    old: dict[str, Any] = {}
    for item in rec.get("sections", []):
        if isinstance(item, list) and len(item) == 2:
            old.setdefault(str(item[0]), item[1])
    new: dict[str, str] = {}
    for title, h in now["sections"]:
        new.setdefault(title, h)
    return Stale(never=False,
                 added=tuple(t for t in new if t not in old),
                 removed=tuple(t for t in old if t not in new),
                 edited=tuple(t for t in new if t in old and old[t] != new[t]))


_GIT_LOG = ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", "."]
_GIT_STATUS = ["git", "status", "--porcelain", "--untracked-files=all"]
_asked: dict[tuple[str, Hashable], tuple[subprocess.Popen, subprocess.Popen] | None] = {}


def ask_git(root: str, stamp: Hashable) -> None:
    """Start the two git calls ``_git_dates`` reads, so that they run while the build goes on."""
    if (root, stamp) in _asked or (root, stamp) in _dates:
        return
    try:
        _asked[(root, stamp)] = tuple(  # type: ignore[assignment]
            subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            for cmd in (_GIT_LOG, _GIT_STATUS))
    except OSError:
        _asked[(root, stamp)] = None


_dates: dict[tuple[str, Hashable], dict[str, str]] = {}


def _git_dates(root: str, stamp: Hashable) -> dict[str, str]:
    """Last commit date of every committed, unmodified file: one git call for the whole tree."""
    if (root, stamp) not in _dates:
        if len(_dates) > 8:
            _dates.clear()
        ask_git(root, stamp)
        _dates[(root, stamp)] = _read_git(_asked.pop((root, stamp), None))
    return _dates[(root, stamp)]


def _read_git(procs: tuple[subprocess.Popen, subprocess.Popen] | None) -> dict[str, str]:
    if procs is None:
        return {}
    try:
        (log, _), (dirty, _) = (p.communicate(timeout=60) for p in procs)
    except subprocess.SubprocessError:
        for p in procs:
            p.kill()
        return {}
    if procs[0].returncode != 0:
        return {}
    dates: dict[str, str] = {}
    for block in log.split("\x00")[1:]:
        lines = block.strip("\n").split("\n")
        for name in lines[1:]:
            if name:
                dates.setdefault(name, lines[0])  # newest first: keep the first date seen
    for line in dirty.splitlines():
        dates.pop(line[3:].strip('"'), None)
    return dates


def _git_date(root: str, path: str, stamp: Hashable) -> str | None:
    return _git_dates(root, stamp).get(path)


def file_date(root: str, path: str, stamp: Hashable = None) -> str:
    """The date a file last changed: its last commit when committed and clean, else its mtime.
    Works in a shallow clone (one commit is enough) and with no git at all."""
    found = _git_date(root, path, stamp)
    return found or datetime.date.fromtimestamp(os.path.getmtime(os.path.join(root, path))).isoformat()


def changed_on(project: Project, lang: str, rel: str) -> str:
    """Date of the source page's last change: from git when there is history, else the file."""
    source = source_of(project, lang, rel)
    path = source.path if source else project.file_path(lang, rel)
    return file_date(project.settings.root, path, project.stamp)


def problems(project: Project) -> list[Diagnostic]:
    out = []
    for page in project.pages.values():
        try:
            record(page)
        except ValueError:
            out.append(error(page.path, 2, 1, "RK061",
                                  f"the '{FIELD}' record in the front matter is malformed",
                                  f"do not edit it by hand: run python -m reviewkit mark-translated {page.path}"))
    return out


def report(project: Project) -> list[str]:
    lines = []
    for (lang, rel) in sorted(project.pages):
        st = state(project, lang, rel)
        if st is None:
            continue
        page = project.pages[(lang, rel)]
        source = source_of(project, lang, rel)
        if source is None:
            continue
        if st.never:
            lines.append(f"{page.path}: never marked as a translation of {source.path}")
            continue
        parts = []
        for what, titles in st.changes().items():
            if titles:
                parts.append(f"{what}: " + ", ".join(f"'{t or '(opening text)'}'" for t in titles))
        detail = "; ".join(parts) or "text changed"
        lines.append(f"{page.path}: stale since {changed_on(project, lang, rel)} — {source.path} {detail}")
    return lines


def mark_translated(project: Project, path: str, typo_only: bool = False) -> tuple[bool, str]:
    norm = os.path.normpath(path).replace(os.sep, "/")
    match = [(k, p) for k, p in project.pages.items() if p.path == norm]
    if not match:
        return False, f"{path}: not a page of this review (expected e.g. docs/zh/pathway.md)"
    (lang, rel), page = match[0]
    source = source_of(project, lang, rel)
    if source is None:
        return False, f"{path}: no source page to translate from (is it in the default language?)"
    rec = fingerprint(source)
    if typo_only:
        try:
            old = record(page)
        except ValueError:
            old = None
        if old is None:
            return False, f"{path}: --typo-only needs an earlier translation record; mark it without the flag"
    full = os.path.join(project.settings.root, page.path)
    with open(full, "rb") as fh:
        data = fh.read()
    text = decode(data)  # as the scanner read it: a byte-order mark would hide the front matter
    m = _FRONT.match(text)  # the scanner's own front-matter pattern
    front: dict[str, Any] = {}
    if m:
        front = yaml.safe_load(m.group(1) or "") or {}
        text = text[m.end():]
    front[FIELD] = rec
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    with open(full, "w", encoding="utf-8", newline="\r\n" if b"\r\n" in data else "\n") as fh:
        fh.write("---\n" + dumped + "---\n" + text)
    how = "typo-only change accepted" if typo_only else "marked as translated"
    return True, f"{page.path}: {how} (source {source.path}, {rec['hash']})"

"""The parsed project and its rendered pages, kept on disk between runs (as Sphinx pickles its
environment): a build, a `mkdocs serve` restart or a check that finds nothing changed reads one
file instead of parsing the bibliography and glossary and scanning every page again.

The cache is `.cache/reviewkit/project.pickle` (ignored by git). It is used only when every input
file has the same modification time and size as when it was written, and when reviewkit's own
code and the Python version are the same; anything else and the project is built afresh.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from typing import TypeVar

from . import project as rk_project

T = TypeVar("T")

FOLDER = os.path.join(".cache", "reviewkit")
NAME = "project.pickle"
LIBRARIES = ("pybtex", "PyYAML", "pypinyin", "RapidFuzz", "citeproc-py")  # their output is in the cache


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A digest of reviewkit's source and data files, the Python version and the versions of the
    libraries that parse and format: a cache written by other code is never read."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for dist in LIBRARIES:
        try:
            digest.update(f"{dist}=={version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(dist.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".yml", ".yaml", ".json")):
                full = os.path.join(dirpath, name)
                digest.update(os.path.relpath(full, package).encode())
                with open(full, "rb") as fh:
                    digest.update(fh.read())
    return digest.hexdigest()


DATA = (".yml", ".yaml", ".bib", ".txt", ".csl")  # data files at the top of the repository


def _stamp(root: str, settings: rk_project.Settings) -> tuple:
    """The project's own fingerprint, and the stamp of every data file at the top of the repository
    (a data file added later is covered before anyone remembers to list it)."""
    top = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.endswith(DATA) and entry.is_file():
            st = entry.stat()
            top.append((entry.name, st.st_mtime_ns, st.st_size))
    return rk_project._fingerprint(settings), tuple(top)


class Store:
    """The project of one root, what was rendered from it, and whether the disk copy is behind."""

    def __init__(self, root: str, key: tuple, project: rk_project.Project, rendered: dict | None = None,
                 dirty: bool = True):
        self.root, self.key, self.project = root, key, project
        self.rendered: dict = rendered if rendered is not None else {}
        self.dirty = dirty  # the disk copy is behind

    def diagnostics(self) -> list:
        """Every diagnostic: kept with the project, so a warm build does not even import the checks."""
        if self.project._diagnostics is None:
            from .checks import run

            return run(self.project)
        return self.project._diagnostics

    def render(self, key: tuple, text: str, make: Callable[[], T]) -> T:
        """``make()``, once per page text for this project."""
        return self.memo(("page",) + key + (hashlib.blake2b(text.encode(), digest_size=16).digest(),), make)

    def memo(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()``, once per key for this project (what it returns depends on nothing else)."""
        hit = self.rendered.get(key)
        if hit is None:
            hit = self.rendered[key] = make()
            self.dirty = True
        return hit

    def save(self) -> None:
        """Write the cache if anything is new; a read-only checkout simply goes without."""
        if not self.dirty:
            return
        folder = os.path.join(self.root, FOLDER)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((code_key(), self.key, self.project, self.rendered), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, os.path.join(folder, NAME))  # readers never see half a file
        except OSError:
            return
        self.dirty = False


_stores: dict[str, Store] = {}
_settings: dict[str, tuple] = {}  # root -> (mkdocs.yml stamp, Settings): read once per change


def _settings_of(root: str) -> rk_project.Settings:
    try:
        st = os.stat(os.path.join(root, "mkdocs.yml"))
        mark = (st.st_mtime_ns, st.st_size)
    except OSError:
        mark = None
    hit = _settings.get(root)
    if hit is None or hit[0] != mark:
        hit = _settings[root] = (mark, rk_project.load_settings(root))
    return hit[1]


def load(root: str) -> Store:
    """The project at ``root`` from memory, else from the disk cache, else built afresh (from what
    did not change since the last one: see ``carried``)."""
    root = os.path.abspath(root)
    key = _stamp(root, _settings_of(root))
    store = _stores.get(root)
    if store is not None and store.key == key:
        return store
    old = store or _read(root)
    if old is not None and old.key == key:
        store = old
        rk_project._cache[root] = store.project  # callers of project.load get the same object
    else:
        project = rk_project.load(root, old.project if old is not None else None)
        store = Store(root, key, project, carried(old, key, project) if old is not None else None)
    _stores[root] = store
    return store


RECORDS = ("bibtex", "ris", "csljson")  # downloads' per-reference records: they depend on the bibliography alone


def carried(old: Store, key: tuple, project: rk_project.Project) -> dict | None:
    """What an edit to some pages leaves valid of ``old``'s rendered pages: when no data file
    changed (bibliography, glossary, trials, settings, any file at the top) and no page came or
    went, an unchanged page renders as before, except the generated ones, which list every page,
    and its citation records are the same. Stale notices and evidence dates compare pages: made
    again."""
    if old.key[1] != key[1] or old.project.stamp[0] != project.stamp[0] or set(old.project.pages) != set(project.pages):
        return None
    keep = {}
    for k, value in old.rendered.items():
        if k[0] in RECORDS:
            keep[k] = value
        elif k[0] in ("page", "cite"):
            page = project.pages.get((k[1], k[2]))
            # an unchanged file keeps its scan: the same object in both projects
            if page is not None and page is old.project.pages.get((k[1], k[2])) \
                    and (k[0] == "cite" or project.generated_kind(page) is None):
                keep[k] = value  # a citation box: the page's title, address and date (all but the title in the key)
    return keep


def _read(root: str) -> Store | None:
    """The store last written for ``root`` by this code, whatever has changed since."""
    try:
        with open(os.path.join(root, FOLDER, NAME), "rb") as fh:
            code, stamp, project, rendered = pickle.load(fh)
    except Exception:  # missing, truncated, or written by other code: build afresh
        return None
    if code != code_key() or project.settings.root != root:
        return None
    return Store(root, stamp, project, rendered, dirty=False)

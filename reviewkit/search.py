"""The site's search index: Pagefind run over each language's HTML as soon as it is written.

Each language has its own index (``pagefind/``, ``zh/pagefind/``): a reader searches only the
language being read, and the first language's index is built on the other core while the next
language's pages are. Pagefind splits the index into chunks fetched per word typed, and segments Chinese (the extended
binary, from PyPI's pagefind[extended]). Only the article is indexed. Hidden or repeated text
would otherwise turn up in results and excerpts: reviewkit marks what it writes (tooltips, notices,
the citation box) with data-pagefind-ignore, and the selectors below name the rest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .glossary import Glossary

ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE = (
    ".rk-tip",         # citation and drug tooltips (shown on hover)
    ".rk-refs",        # a page's own reference list: the bibliography page holds them all
    ".rk-cite-box",    # "How to cite this page", the same on every page
    ".rk-back",        # back-links from references to the text
    ".rk-cited-on",    # the bibliography's "cited on" page lists
    ".rk-downloads",   # "Download these references: BibTeX · RIS · CSL-JSON"
    ".headerlink",     # the pilcrow after headings
    ".rk-stale",       # "the English original has changed" notice
    ".rk-errors", ".rk-error-notice",  # build errors shown in the page by mkdocs serve
)
BUNDLE = "pagefind"  # the folder in the built site


class SearchIndexError(RuntimeError):
    pass


def _executable() -> list[str]:
    """Pagefind's binary itself: `python -m pagefind` would first start a second interpreter."""
    try:
        from pagefind_bin_extended import get_executable

        return [str(get_executable())]
    except Exception:  # another packaging of Pagefind: let its wrapper find the binary
        return [sys.executable, "-m", "pagefind"]


def pages_glob(folders: set[str] | None = None) -> str:
    """The pages of the language at the site root: the root page and ``folders`` (its pages' top
    folders), not the other languages' folders beside them."""
    return "{" + ",".join(["index.html", *(f"{f}/**/index.html" for f in sorted(folders or ()))]) + "}"


def command(site_dir: str, glob: str = "**/index.html") -> list[str]:
    """Pagefind over ``glob`` in ``site_dir`` (a language's folder: result URLs are relative to
    it, as the search box's base URL is), its index written to ``site_dir/pagefind``."""
    cmd = [*_executable(), "--site", site_dir, "--output-subdir", BUNDLE, "--silent",
           "--root-selector", ROOT_SELECTOR, "--glob", glob]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return cmd


HINT = ". Install the pinned requirements: 'pip install -r requirements.txt' (pagefind[extended])."


def _pages(site_dir: str, folders: set[str] | None) -> list[str]:
    """The files ``pages_glob(folders)`` (or, with no folders given, ``**/index.html``) matches."""
    tops = [site_dir] if folders is None else [os.path.join(site_dir, f) for f in sorted(folders)]
    found = [os.path.join(site_dir, "index.html")] if folders is not None else []
    for top in tops:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            if "index.html" in filenames:
                found.append(os.path.join(dirpath, "index.html"))
    return [f for f in found if os.path.isfile(f)]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        try:
            return f"{dist}=={version(dist)}"
        except PackageNotFoundError:
            continue
    return "unknown"


def _place(src: str, dest: str) -> None:
    """``src``'s files at ``dest`` (which must not exist): hard links where the file system allows
    (nothing here is ever rewritten in place: a build removes the site's files before writing)."""
    for dirpath, _, filenames in os.walk(src):
        target = os.path.join(dest, os.path.relpath(dirpath, src))
        os.makedirs(target, exist_ok=True)
        for name in filenames:
            try:
                os.link(os.path.join(dirpath, name), os.path.join(target, name))
            except OSError:
                shutil.copy2(os.path.join(dirpath, name), os.path.join(target, name))


class Indexing:
    """Pagefind running over one language's pages; the caller goes on with its own work meanwhile.

    With ``cache_dir``, pages identical to those of an earlier build (a warm build, a `mkdocs serve`
    rebuild that changed the other language) get that build's index back instead: Pagefind's
    output depends on the pages, its version and its options alone."""

    def __init__(self, site_dir: str, folders: set[str] | None = None, cache_dir: str | None = None):
        self.site_dir, self.proc, self.cache = site_dir, None, None
        cmd = command(site_dir, "**/index.html" if folders is None else pages_glob(folders))
        bundle = os.path.join(site_dir, BUNDLE)
        if cache_dir is not None:
            digest = hashlib.blake2b("\0".join([_version(), *cmd[1:]]).encode(), digest_size=16)
            for path in _pages(site_dir, folders):
                digest.update(os.path.relpath(path, site_dir).encode() + b"\0")
                with open(path, "rb") as fh:
                    digest.update(fh.read())
            # one entry per language folder: a new build's index replaces the last one
            slot = os.path.join(cache_dir, os.path.basename(os.path.normpath(site_dir)) if folders is None else "_root")
            self.cache = (slot, digest.hexdigest())
            hit = os.path.join(slot, digest.hexdigest())
            if os.path.isdir(hit):
                shutil.rmtree(bundle, ignore_errors=True)
                try:
                    _place(hit, bundle)
                    return
                except OSError:  # a half-copied index: Pagefind writes it afresh
                    self.cache = None
        shutil.rmtree(bundle, ignore_errors=True)  # Pagefind writes new files, never into old ones
        # its messages go to a file: a pipe nobody reads yet could fill and stall it
        self.out = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        try:
            self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.out.close()
            raise SearchIndexError(f"could not run Pagefind: {exc}{HINT}") from None

    def cancel(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.out.close()

    def wait(self) -> None:
        """Until the index is written; a failure says what to do instead of a traceback."""
        if self.proc is None:  # taken from the cache
            return
        try:
            self.proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.out.close()
            raise SearchIndexError(f"Pagefind did not finish within 600 s{HINT}") from None
        self.out.seek(0)
        out = self.out.read()
        self.out.close()
        if self.proc.returncode != 0:
            lines = [ln for ln in out.splitlines() if ln.strip() and "is ignored" not in ln]
            raise SearchIndexError("the search index was not built: "
                                   + (" ".join(lines[-5:]) or f"exit {self.proc.returncode}") + HINT)
        if self.cache is not None:
            self._keep(*self.cache)

    def _keep(self, slot: str, key: str) -> None:
        """The index, for the next build; a read-only checkout simply goes without."""
        try:
            os.makedirs(slot, exist_ok=True)
            tmp = tempfile.mkdtemp(dir=slot, prefix=".new-")
            _place(os.path.join(self.site_dir, BUNDLE), os.path.join(tmp, BUNDLE))
            for old in os.listdir(slot):
                if not old.startswith(".new-"):
                    shutil.rmtree(os.path.join(slot, old), ignore_errors=True)
            os.replace(os.path.join(tmp, BUNDLE), os.path.join(slot, key))
            shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


def build_index(site_dir: str) -> None:
    """Index the built site in place."""
    Indexing(site_dir).wait()


NAMES_FILE = "drug-names.json"  # beside the index, read by the search box


def drug_names(glossary: Glossary, languages: Iterable[str]) -> dict[str, dict]:
    """Every glossary name and synonym (and trial of a single drug), in either language and lower-cased, with its drug's id
    (typing a drug's name puts its glossary entry, anchor drug-<id>, first), and each drug's name
    in each language (a drug typed in the other language finds the sections about it)."""
    names = glossary.by_name()
    trials: dict = {}  # a trial name typed finds the entry of the one drug it tested (SOLAR-1: alpelisib)
    for drug in glossary.drugs.values():
        for trial in drug.trials:
            trials.setdefault(trial.name.lower(), set()).add(drug.id)
    for trial, ids in trials.items():
        if trial and len(ids) == 1 and trial not in names:
            names[trial] = ids.pop()
    return {"names": dict(sorted(names.items())),
            "drugs": {d.id: {lang: d.name(lang) for lang in languages} for d in glossary.drugs.values()}}


def write_names(site_dir: str, glossary: Glossary, languages: Iterable[str]) -> None:
    """The drug names file, beside the index Pagefind wrote."""
    import json
    import os

    with open(os.path.join(site_dir, BUNDLE, NAMES_FILE), "w", encoding="utf-8") as fh:
        json.dump(drug_names(glossary, languages), fh, ensure_ascii=False, separators=(",", ":"))

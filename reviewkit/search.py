"""The site's search index: Pagefind run over each language's HTML as soon as it is written.

Each language has its own index (``pagefind/``, ``zh/pagefind/``): a reader searches only the
language being read, and the first language's index is built on the other core while the next
language's pages are. Pagefind splits the index into chunks fetched per word typed, and segments Chinese (the extended
binary, from PyPI's pagefind[extended]). Only the article is indexed. Hidden or repeated text
would otherwise turn up in results and excerpts: reviewkit marks what it writes (tooltips, notices,
the citation box) with data-pagefind-ignore, and the selectors below name the rest.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

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


class Indexing:
    """Pagefind running over the built site; the caller goes on with its own work meanwhile."""

    def __init__(self, site_dir: str, glob: str = "**/index.html"):
        self.site_dir = site_dir
        # its messages go to a file: a pipe nobody reads yet could fill and stall it
        self.out = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        try:
            self.proc = subprocess.Popen(command(site_dir, glob), stdout=self.out, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.out.close()
            raise SearchIndexError(f"could not run Pagefind: {exc}{HINT}") from None

    def cancel(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.out.close()

    def wait(self) -> None:
        """Until the index is written; a failure says what to do instead of a traceback."""
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


def build_index(site_dir: str) -> None:
    """Index the built site in place."""
    Indexing(site_dir).wait()


NAMES_FILE = "drug-names.json"  # beside the index, read by the search box


def drug_names(glossary, languages) -> dict:
    """Every glossary name and synonym (and trial of a single drug), in either language and lower-cased, with its drug's id
    (typing a drug's name puts its glossary entry, anchor drug-<id>, first), and each drug's name
    in each language (a drug typed in the other language finds the sections about it)."""
    names = glossary.by_name()
    trials: dict = {}  # a trial name typed finds the entry of the one drug it tested (SOLAR-1: alpelisib)
    for drug in glossary.drugs.values():
        for trial in drug.trials:
            trials.setdefault(str(trial.get("name", "")).lower(), set()).add(drug.id)
    for trial, ids in trials.items():
        if trial and len(ids) == 1 and trial not in names:
            names[trial] = ids.pop()
    return {"names": dict(sorted(names.items())),
            "drugs": {d.id: {lang: d.name(lang) for lang in languages} for d in glossary.drugs.values()}}


def write_names(site_dir: str, glossary, languages) -> None:
    """The drug names file, beside the index Pagefind wrote."""
    import json
    import os

    with open(os.path.join(site_dir, BUNDLE, NAMES_FILE), "w", encoding="utf-8") as fh:
        json.dump(drug_names(glossary, languages), fh, ensure_ascii=False, separators=(",", ":"))

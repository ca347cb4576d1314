"""The site's search index: Pagefind run over the built HTML once every language is written.

Pagefind indexes each page under its `<html lang>` (a reader searches only the language being
read), splits the index into chunks fetched per word typed, and segments Chinese (the extended
binary, from PyPI's pagefind[extended]). Only the article is indexed. Hidden or repeated text
would otherwise turn up in results and excerpts: reviewkit marks what it writes (tooltips, notices,
the citation box) with data-pagefind-ignore, and the selectors below name the rest.
"""

from __future__ import annotations

import subprocess
import sys

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


def command(site_dir: str) -> list[str]:
    cmd = [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", BUNDLE, "--silent",
           "--root-selector", ROOT_SELECTOR, "--glob", "**/index.html"]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return cmd


def build_index(site_dir: str) -> None:
    """Index the built site in place; a failure says what to do instead of a traceback."""
    try:
        done = subprocess.run(command(site_dir), capture_output=True, text=True, timeout=600)
    except FileNotFoundError as exc:  # pragma: no cover - the interpreter itself is missing
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip() and "is ignored" not in ln]
    if done.returncode != 0:
        raise SearchIndexError("the search index was not built: " + (" ".join(lines[-5:]) or f"exit {done.returncode}")
                               + ". Install the pinned requirements: 'pip install -r requirements.txt' "
                               "(pagefind[extended]).")


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


def write_index(site_dir: str, glossary, languages) -> None:
    import json
    import os

    build_index(site_dir)
    with open(os.path.join(site_dir, BUNDLE, NAMES_FILE), "w", encoding="utf-8") as fh:
        json.dump(drug_names(glossary, languages), fh, ensure_ascii=False, separators=(",", ":"))

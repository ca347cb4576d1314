"""Search as a reader meets it, measured: for each language, how many of the clinicians' queries in
tests/searching.py put the right result first, and how many bytes of search code and index a reader
downloads before the first results appear.

    python bench/search.py SITE_DIR        # a built site (mkdocs build -d SITE_DIR)
    python bench/search.py SITE_DIR -v     # and each query's first result
    python bench/search.py --sizes 10 100 1000   # the real review and synthetic sites (bench/run.py's),
                                                 # written to bench/search-results.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import StaticServer  # noqa: E402
from searching import QUERIES, download_to_first_results, is_right, other_language, run_query  # noqa: E402


def launch(p):
    from conftest import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    return p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else p.chromium.launch(args=CHROMIUM_ARGS)


def quality(site: Path, verbose: bool = False) -> dict:
    """{lang: {"right": n, "of": total, "other_language": n}} for the query set."""
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    out = {}
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        page = context.new_page()
        for lang, cases in QUERIES.items():
            right = mixed = 0
            for query, expected in cases:
                results = run_query(page, server.url, lang, query)
                ok = is_right(results, lang, expected)
                right += ok
                mixed += bool(other_language(results, lang))
                if verbose:
                    first = results[0][1] if results and len(results[0]) > 1 else (results[0][0] if results else "-")
                    print(f"{lang} {'OK ' if ok else 'BAD'} {query!r:32} {first}", flush=True)
            out[lang] = {"right": right, "of": len(cases), "other_language": mixed}
        browser.close()
    server.close()
    return out


def download(site: Path, queries: dict[str, str] | None = None) -> dict:
    """{lang: bytes of search code and index fetched before the first results of a typical query}."""
    from playwright.sync_api import sync_playwright

    queries = queries or {"en": "alpelisib", "zh": "阿培利司"}
    server = StaticServer(site)
    with sync_playwright() as p:
        browser = launch(p)
        out = {lang: download_to_first_results(browser, server, lang, q) for lang, q in queries.items()}
        out.update({lang + "_gzip": download_to_first_results(browser, server, lang, q, gzipped=True)
                    for lang, q in queries.items()})
        browser.close()
    server.close()
    return out


def bundle_size(site: Path) -> int:
    """Every language's index together (pagefind/, zh/pagefind/)."""
    return sum(p.stat().st_size for b in (site / "pagefind", *site.glob("*/pagefind")) for p in b.rglob("*") if p.is_file())


def sizes(pages_per_lang: list[int]) -> str:
    """Build the real review and synthetic sites; a table of what a reader downloads to search."""
    import shutil
    import subprocess
    import tempfile

    from run import real_site, synthetic_site

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sites = [("real review", len(list((ROOT / "docs" / "en").glob("*.md"))), real_site(tmp))]
        sites += [("synthetic", n, None) for n in pages_per_lang]
        for name, pages, src in sites:
            src = src or synthetic_site(tmp / f"s{pages}", pages, 500)
            out = src / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(src / "mkdocs.yml"),
                            "-d", str(out)], cwd=src, check=True, capture_output=True,
                           env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
            got = download(out)
            row = {"site": name, "pages": pages, "en_kb": got["en"] / 1000, "zh_kb": got["zh"] / 1000,
                   "en_gzip_kb": got["en_gzip"] / 1000, "zh_gzip_kb": got["zh_gzip"] / 1000,
                   "index_kb": bundle_size(out) / 1000}
            print(json.dumps(row), flush=True)
            rows.append(row)
            shutil.rmtree(src)
    lines = ["Search code and index downloaded from opening a page to the first results of `alpelisib` (en) "
             "or `阿培利司` (zh), in KB (1,000 bytes): as sent by a plain server, and as sent by a host that "
             "gzips (GitHub Pages does).", "",
             "| site | pages/lang | en | zh | en, gzip | zh, gzip | whole search bundle on disk |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['site']} | {r['pages']} | {r['en_kb']:.0f} | {r['zh_kb']:.0f} | {r['en_gzip_kb']:.0f} | "
              f"{r['zh_gzip_kb']:.0f} | {r['index_kb']:.0f} |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path, nargs="?")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="+", help="pages per language of synthetic sites")
    args = parser.parse_args()
    if args.sizes:
        table = sizes(args.sizes)
        print(table)
        (ROOT / "bench" / "search-results.md").write_text(table + "\n", encoding="utf-8")
        return 0
    if not args.site:
        parser.error("give a built site, or --sizes")
    result = {"quality": quality(args.site, args.verbose), "download_bytes": download(args.site)}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

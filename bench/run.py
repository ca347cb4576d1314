"""Benchmark: what the reviewkit hooks cost, and whether they scale linearly.

Builds synthetic bilingual sites (10, 100 and 1,000 pages per language; 500 and 5,000 references)
and the real review, each with the hooks off and on, and reports medians. Hooks on is measured
cold (no `.cache/`: everything parsed and rendered) and warm (the project and its rendered pages
read from `.cache/`, as on a second build or a `mkdocs serve` restart with nothing changed).
"Edited" is the build after a contributor's edit to one English page, with the cache of the warm
build in place: the project is read again from what changed, and that page (and the generated
pages, which list every page) rendered again. Hooks off is MkDocs alone plus the same Pagefind
search index the hooks build, so both sides have search. Times are wall-clock; the CPU columns (user + system, children included) are
steadier on a busy machine. Rows are kept in bench/results.json (a partial run replaces only
its own rows) and written to bench/results.md and bench/results.png.

    make bench                            # the full run
    python bench/run.py --quick           # 10 and 100 pages only, one run each (a smoke test)
    python bench/run.py --sizes 1000x5000 --no-real --runs 1   # one size
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "hooks" / "reviewkit_hooks.py"
OUT = ROOT / "bench"

EN_WORDS = ("pathway inhibitor resistance tumour signalling mutation patients treatment response "
            "endocrine therapy progression survival analysis evidence trial cohort biomarker").split()
ZH_WORDS = "通路 抑制剂 耐药 肿瘤 信号 突变 患者 治疗 应答 内分泌 进展 生存 分析 证据 试验 队列 标志物".split()


def synthetic_site(dest: Path, pages: int, refs: int, seed: int = 1) -> Path:
    """A site shaped like the review: sections, tables, ~12 citations and ~6 drug names a page."""
    rnd = random.Random(seed)
    (dest / "docs" / "en").mkdir(parents=True)
    (dest / "docs" / "zh").mkdir(parents=True)
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    keys = [f"bench{i:05d}" for i in range(refs)]
    with open(dest / "references.bib", "w", encoding="utf-8") as fh:
        for i, key in enumerate(keys):
            fh.write(f"@article{{{key},\n  author = {{Author{i}, Ann and Writer, Bo and others}},\n"
                     f"  title = {{Synthetic benchmark entry {i} on {{PIK3CA}} signalling}},\n"
                     f"  journal = {{J Bench}},\n  year = {{{2000 + i % 25}}},\n  volume = {{{i % 90 + 1}}},\n"
                     f"  pages = {{{i}--{i + 9}}},\n  doi = {{10.5555/bench.{i}}},\n}}\n\n")
    # The real glossary, its citations pointed at synthetic keys.
    glossary = (ROOT / "glossary.yml").read_text(encoding="utf-8")
    glossary = re.sub(r"@[A-Za-z0-9_:./-]*[A-Za-z0-9_]", lambda m: "@" + rnd.choice(keys), glossary)
    glossary = re.sub(r"cite: [A-Za-z0-9_:./-]+", lambda m: "cite: " + rnd.choice(keys), glossary)
    (dest / "glossary.yml").write_text(glossary, encoding="utf-8")
    # The real trials file too (the glossary names its trials), cited the same way.
    trials = (ROOT / "trials.yml").read_text(encoding="utf-8")
    trials = re.sub(r"@[A-Za-z0-9_:./-]*[A-Za-z0-9_]", lambda m: "@" + rnd.choice(keys), trials)
    trials = re.sub(r"cite: [A-Za-z0-9_:./-]+", lambda m: "cite: " + rnd.choice(keys), trials)
    (dest / "trials.yml").write_text(trials, encoding="utf-8")
    shutil.copy(ROOT / "drug-allowlist.txt", dest / "drug-allowlist.txt")
    import yaml

    drugs = [(d["en"], d["zh"]) for d in yaml.safe_load(glossary).values() if d["zh_source"] != "none"]
    for n in range(pages):
        front = "---\nevidence_checked: 2026-11\n---\n\n"  # as every page of the review
        en, zh = [f"{front}# Page {n}\n"], [f"{front}# 第{n}页\n"]
        for s in range(4):
            en.append(f"\n## Section {s}\n")
            zh.append(f"\n## 第{s}节\n")
            for _ in range(3):
                cited = rnd.sample(keys, 3)
                drug = rnd.choice(drugs)
                hr = f"0.{rnd.randint(30, 95)}"
                words = " ".join(rnd.choice(EN_WORDS) for _ in range(45))
                zwords = "".join(rnd.choice(ZH_WORDS) for _ in range(45))
                en.append(f"\n{drug[0].capitalize()} {words} with HR {hr} [@{cited[0]}] and "
                          f"{words[:80]} [@{cited[1]}; @{cited[2]}].\n")
                zh.append(f"\n{drug[1]}{zwords}，HR {hr}[@{cited[0]}]，{zwords[:40]}[@{cited[1]}; @{cited[2]}]。\n")
            en.append("\n| Trial | n |\n|---|---|\n| A | 120 |\n| B | 340 |\n")
            zh.append("\n| 试验 | n |\n|---|---|\n| A | 120 |\n| B | 340 |\n")
        (dest / "docs" / "en" / f"page{n:04d}.md").write_text("".join(en), encoding="utf-8")
        (dest / "docs" / "zh" / f"page{n:04d}.md").write_text("".join(zh), encoding="utf-8")
    for lang, title_g, title_b in (("en", "Drug glossary", "Bibliography"), ("zh", "药物词汇表", "文献总表")):
        (dest / "docs" / lang / "index.md").write_text(f"# {title_b}\n\nSynthetic site.\n", encoding="utf-8")
        (dest / "docs" / lang / "glossary.md").write_text(f"# {title_g}\n\n<!-- reviewkit:glossary -->\n")
        (dest / "docs" / lang / "bibliography.md").write_text(f"# {title_b}\n\n<!-- reviewkit:bibliography -->\n")
    (dest / "docs" / "zh" / "index.md").write_text("# 文献总表\n\n合成站点。\n", encoding="utf-8")
    (dest / "docs" / "en" / "index.md").write_text("# Bibliography\n\nSynthetic site.\n", encoding="utf-8")
    write_config(dest, hooks=True)
    # translations are current, as on the real site
    subprocess.run([sys.executable, "-m", "reviewkit", "--root", str(dest), "mark-translated",
                    *[str(p.relative_to(dest)) for p in sorted((dest / "docs" / "zh").glob("*.md"))]],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return dest


def write_config(site: Path, hooks: bool) -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = re.sub(r"\nnav:\n(?:  - .*\n)+", "\n", config)  # synthetic pages are not in the real nav
    config = config.replace("hooks/reviewkit_hooks.py", str(HOOK))
    if not hooks:
        config = re.sub(r"\nhooks:\n  - .*\n", "\n", config)
    (site / ("mkdocs.yml" if hooks else "mkdocs-nohooks.yml")).write_text(config, encoding="utf-8")


class Timing:
    """One child process: wall time, CPU time (user + system, its children included), peak MiB."""

    def __init__(self, wall: float = 0.0, cpu: float = 0.0, mem: float = 0.0):
        self.wall, self.cpu, self.mem = wall, cpu, mem

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu, max(self.mem, other.mem))


def timed(cmd, cwd, env=None) -> Timing:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{err[-3000:]}")
    return Timing(took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def build(site: Path, hooks: bool, stats: Path | None = None) -> Timing:
    config = site / ("mkdocs.yml" if hooks else "mkdocs-nohooks.yml")
    env = {"REVIEWKIT_STATS": str(stats)} if stats else None
    out = site / "site"
    took = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                  "-d", str(out)], site, env)
    if not hooks:  # the same search index the hooks build, so that both sides have search
        sys.path.insert(0, str(ROOT))
        from reviewkit import search

        took = took + timed(search.command(str(out)), site)
    return took


def measure(name: str, site: Path, pages: int, refs: int, runs: int) -> dict:
    if not (site / "mkdocs-nohooks.yml").exists():
        write_config(site, hooks=False)
    off, cold, warm, edited = [], [], [], []
    stats = site.parent / f"{site.name}-stats.json"  # outside the project: its files are the cache's key
    page = [p for p in sorted((site / "docs" / "en").glob("*.md"))
            if "<!-- reviewkit:" not in p.read_text(encoding="utf-8")][-1]  # a page of prose, not a generated one
    original = page.read_text(encoding="utf-8")
    for _ in range(runs):
        off.append(build(site, hooks=False))
        shutil.rmtree(site / ".cache", ignore_errors=True)
        cold.append(build(site, hooks=True))
        warm.append(build(site, hooks=True, stats=stats))  # reads what the cold build left
        try:  # a sentence added, with nothing the parity check compares (numbers, citations, drugs)
            page.write_text(original + "\nA sentence added by a contributor.\n", encoding="utf-8")
            edited.append(build(site, hooks=True))
        finally:
            page.write_text(original, encoding="utf-8")
    checks = [timed([sys.executable, "-m", "reviewkit", "--root", str(site), "check"], ROOT,
                    {"PYTHONPATH": str(ROOT)}).wall for _ in range(max(runs, 3))]
    parsed = json.loads(stats.read_text())

    def med(ts, what):
        return statistics.median(getattr(t, what) for t in ts)

    row = {"site": name, "pages": pages, "refs": refs, "runs": runs,
           "off": med(off, "wall"), "cold": med(cold, "wall"), "warm": med(warm, "wall"),
           "edited": med(edited, "wall"),
           "off_cpu": med(off, "cpu"), "cold_cpu": med(cold, "cpu"), "warm_cpu": med(warm, "cpu"),
           "check": statistics.median(checks), "mem": max(t.mem for t in cold + warm),
           "warm_bib_parses": parsed["bibliography"], "warm_glossary_parses": parsed["glossary"]}
    row["edited_ratio"] = row["edited"] / row["off"]
    for kind in ("cold", "warm"):
        row[f"{kind}_ratio"] = row[kind] / row["off"]
        row[f"{kind}_cpu_ratio"] = row[f"{kind}_cpu"] / row["off_cpu"]
    row["per_page"] = row["cold"] / (2 * pages)
    print(json.dumps(row), flush=True)
    return row


def real_site(tmp: Path) -> Path:
    site = tmp / "real"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(".venv", "site", ".git", "test-artifacts", ".cache",
                                                              "bench", "__pycache__"))
    write_config(site, hooks=True)
    (site / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8")
                                     .replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
                                     .replace("hooks/reviewkit_hooks.py", str(HOOK)), encoding="utf-8")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs-nohooks.yml").write_text(re.sub(r"\nhooks:\n  - .*\n", "\n", config), encoding="utf-8")
    return site


def report(rows: list[dict]) -> str:
    lines = ["| site | pages/lang | refs | runs | hooks off (s) | on, cold (s) | on, warm (s) | on, one page edited (s) | "
             "cold/off | warm/off | edited/off | cold/off CPU | warm/off CPU | check (s) | peak MiB | "
             "warm parses (bib, glossary) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        edited = (f"{r['edited']:.2f}", f"{r['edited_ratio']:.2f}") if "edited" in r else ("–", "–")
        lines.append(f"| {r['site']} | {r['pages']} | {r['refs']} | {r['runs']} | {r['off']:.2f} | {r['cold']:.2f} | "
                     f"{r['warm']:.2f} | {edited[0]} | {r['cold_ratio']:.2f} | {r['warm_ratio']:.2f} | {edited[1]} | "
                     f"{r['cold_cpu_ratio']:.2f} | "
                     f"{r['warm_cpu_ratio']:.2f} | {r['check']:.2f} | {r['mem']:.0f} | "
                     f"{r['warm_bib_parses']}, {r['warm_glossary_parses']} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for refs in sorted({r["refs"] for r in rows if r["site"] == "synthetic"}):
        pts = sorted((r["pages"], r["cold"], r["warm"], r["off"]) for r in rows
                     if r["site"] == "synthetic" and r["refs"] == refs)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=f"hooks on, cold, {refs} refs")
        ax.plot([p[0] for p in pts], [p[2] for p in pts], "s-", label=f"hooks on, warm, {refs} refs")
        ax.plot([p[0] for p in pts], [p[3] for p in pts], "x--", label=f"hooks off, {refs} refs")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("pages per language")
    ax.set_ylabel("build time (s), median")
    ax.set_title("mkdocs build --strict, English + Chinese")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def _size(text: str) -> tuple[int, int]:
    pages, _, refs = text.partition("x")
    return int(pages), int(refs or 500)


def merged(rows: list[dict], path: Path) -> list[dict]:
    """Earlier rows from ``path``, with the rows of this run in place of theirs."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    if old and "cold" not in old[0]:
        old = []  # written by an earlier version of this script
    key = lambda r: (r["site"], r["pages"], r["refs"])  # noqa: E731
    new = {key(r): r for r in rows}
    out = [new.pop(key(r), r) for r in old] + list(new.values())
    return sorted(out, key=lambda r: (r["site"] != "real review", r["pages"], r["refs"]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke test")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", nargs="*", type=_size, metavar="PAGESxREFS",
                        help="synthetic sizes, e.g. 100x500 1000x5000 (default: all six)")
    parser.add_argument("--no-real", action="store_true", help="skip the real review")
    args = parser.parse_args()
    sizes = args.sizes if args.sizes is not None else (
        [(10, 500), (100, 500)] if args.quick else [(10, 500), (10, 5000), (100, 500), (100, 5000),
                                                    (1000, 500), (1000, 5000)])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.no_real:
            rows.append(measure("real review", real_site(tmp), len(list((ROOT / "docs" / "en").glob("*.md"))),
                                len(re.findall(r"^@\w+\{", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M)),
                                1 if args.quick else args.runs))
        for pages, refs in sizes:
            site = synthetic_site(tmp / f"s{pages}-{refs}", pages, refs)
            runs = 1 if args.quick else (min(2, args.runs) if pages >= 1000 else args.runs)
            rows.append(measure("synthetic", site, pages, refs, runs))
            shutil.rmtree(site)
    if args.quick:
        print(report(rows))
        return 0
    rows = merged(rows, OUT / "results.json")
    (OUT / "results.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    table = report(rows)
    print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(table + "\n", encoding="utf-8")
    plot(rows, OUT / "results.png")
    print(f"wrote {OUT / 'results.md'} and {OUT / 'results.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

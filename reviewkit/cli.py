"""python -m reviewkit check | status | mark-translated FILE | watch | add doi:…|pmid:…"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from . import checks, project, staleness, translation
from .diagnostics import report


def _root(args: argparse.Namespace) -> str:
    return os.path.abspath(args.root)


def cmd_check(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    proj = project.load(_root(args))
    diags = checks.run(proj)
    errors = [d for d in diags if d.is_error]
    warnings = [d for d in diags if not d.is_error]
    report(errors + warnings, sys.stdout)
    took = time.perf_counter() - start
    pages = len(proj.pages)
    summary = (f"reviewkit: {len(errors)} error(s), {len(warnings)} warning(s) "
               f"in {pages} page(s), {len(proj.bib.entries)} reference(s), "
               f"{len(proj.glossary.drugs)} drug(s) ({took:.2f} s)")
    print(summary, file=sys.stderr)
    return 1 if errors else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Per translated page: current, stale since a date, unmarked or missing, with its to-do items."""
    proj = project.load(_root(args))
    rows = translation.states(proj, checks.run(proj))
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    described = {line.split(": ", 1)[0]: line for line in staleness.report(proj)}
    shown = 0
    for row in rows:
        if row.state == "current" and not row.todo:
            continue
        shown += 1
        if row.state == "missing":
            print(f"{row.path}: missing — {row.source} (changed {row.since}) has no translation yet")
        else:
            print(described.get(row.path, f"{row.path}: {row.state}"))
        for d in row.todo:
            print(f"  {d.location()}: {d.message[len(translation.TODO):]} [{d.code}]")
    if not shown:
        print("All translations are current.")
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    proj = project.load(_root(args))
    code = 0
    for path in args.files:
        ok, message = staleness.mark_translated(proj, path, typo_only=args.typo_only)
        print(message, file=sys.stdout if ok else sys.stderr)
        code |= 0 if ok else 1
    return code


def _client(args: argparse.Namespace, root: str, settings: project.Settings) -> tuple[Any, Any]:
    from .watch.http import Client
    from .watch.services import configure

    services = configure(settings.mailto)
    cache = os.path.join(root, ".cache", "reviewkit-watch")  # git-ignored, outside site/
    client = Client(cache, ttl=args.cache_hours * 3600, refresh=args.refresh, timeout=args.timeout,
                    retries=args.retries, user_agent=services.user_agent)
    return client, services


def cmd_watch(args: argparse.Namespace) -> int:
    from . import project
    from .notices import Notices
    from .watch import report as watch_report
    from .watch import run

    root = _root(args)
    proj = project.load(root)
    problems = [d for d in (proj.notices.problems if proj.notices else ()) if d.is_error]
    if problems:
        report(problems, sys.stderr)
        print("reviewkit watch: fix notices.yml first", file=sys.stderr)
        return 2
    client, services = _client(args, root, proj.settings)
    result = run.run(proj, client, services, proj.notices or Notices())
    text = watch_report.markdown(result)
    sys.stdout.write(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"reviewkit watch: exit {result.exit_code} ({result.requests} request(s), "
          f"{result.cache_hits} from the cache)", file=sys.stderr)
    return result.exit_code


def cmd_add(args: argparse.Namespace) -> int:
    from . import addref, project

    root = _root(args)
    settings = project.load_settings(root)
    client, services = _client(args, root, settings)
    code, message = addref.add(root, settings.bibliography, args.identifier, client, services, dry_run=args.dry_run)
    print(message, file=sys.stdout if code == 0 else sys.stderr)
    return code


def _network_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--refresh", action="store_true", help="ignore cached answers and ask the services again")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for an answer (default 20)")
    p.add_argument("--retries", type=int, default=3,
                   help="how often a timeout, 429 or 5xx answer is retried, with growing pauses (default 3)")
    p.add_argument("--cache-hours", type=float, default=20.0,
                   help="how long a cached answer is reused (default 20 hours)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reviewkit",
                                     description="Checks for a bilingual living review.")
    parser.add_argument("--root", default=".", help="the repository (default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="run every check without building the site; exit 1 on any error")
    status = sub.add_parser("status", help="each translation's state (current, stale since a date, missing) "
                                           "and its to-do items")
    status.add_argument("--json", action="store_true", help="the same as JSON, for tools")
    mark = sub.add_parser("mark-translated", help="record that a translation matches its English page")
    mark.add_argument("files", nargs="+", help="translated page(s), e.g. docs/zh/pathway.md")
    mark.add_argument("--typo-only", action="store_true",
                      help="the English change was whitespace or typos: keep the translation current")
    watch = sub.add_parser("watch", help="ask Crossref, PubMed and ClinicalTrials.gov what changed; "
                                         "exit 0 nothing new, 1 changes to review, 3 needs attention, 4 could not check")
    _network_options(watch)
    watch.add_argument("--output", help="also write the report (Markdown) to this file")
    add = sub.add_parser("add", help="append a references.bib entry fetched by DOI or PMID")
    add.add_argument("identifier", help="doi:10.… or pmid:…")
    add.add_argument("--dry-run", action="store_true", help="print the entry without writing it")
    _network_options(add)
    args = parser.parse_args(argv)
    handler = {"check": cmd_check, "status": cmd_status, "mark-translated": cmd_mark, "watch": cmd_watch,
               "add": cmd_add}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130

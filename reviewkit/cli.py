"""python -m reviewkit check | status | mark-translated FILE"""

from __future__ import annotations

import argparse
import os
import sys
import time

from .diagnostics import report


def _root(args) -> str:
    return os.path.abspath(args.root)


def cmd_check(args) -> int:
    from . import project

    start = time.perf_counter()
    proj = project.load(_root(args))
    diags = proj.check()
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


def cmd_status(args) -> int:
    from . import project, staleness

    proj = project.load(_root(args))
    stale = staleness.report(proj)
    if not stale:
        print("All translations are current.")
        return 0
    for line in stale:
        print(line)
    return 0


def cmd_mark(args) -> int:
    from . import project, staleness

    proj = project.load(_root(args))
    code = 0
    for path in args.files:
        ok, message = staleness.mark_translated(proj, path, typo_only=args.typo_only)
        print(message, file=sys.stdout if ok else sys.stderr)
        code |= 0 if ok else 1
    return code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reviewkit",
                                     description="Checks for a bilingual living review.")
    parser.add_argument("--root", default=".", help="the repository (default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="run every check without building the site; exit 1 on any error")
    sub.add_parser("status", help="list Chinese pages whose English source changed since translation")
    mark = sub.add_parser("mark-translated", help="record that a translation matches its English page")
    mark.add_argument("files", nargs="+", help="translated page(s), e.g. docs/zh/pathway.md")
    mark.add_argument("--typo-only", action="store_true",
                      help="the English change was whitespace or typos: keep the translation current")
    args = parser.parse_args(argv)
    handler = {"check": cmd_check, "status": cmd_status, "mark-translated": cmd_mark}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130

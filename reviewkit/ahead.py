"""Work started ahead in a second process, on the other core, while MkDocs builds the pages.

The second process is a fork of this one, so it inherits the project and the jobs as they are
when it starts; only results travel back. Fork is Linux's default start method; elsewhere it is
unsafe or absent, and everything is done in this process, as it is needed.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_jobs: dict[int, Callable[[], Any]] = {}
_ids = itertools.count()


def _run(job: int) -> Any:
    return _jobs[job]()  # inherited through fork: nothing large is pickled


def start(jobs: list[Callable[[], Any]]) -> list[Future] | None:
    """``jobs`` run one after another in a forked process: their futures, or None when no such
    process can be had (the caller then does the work itself)."""
    if not jobs or not sys.platform.startswith("linux"):
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ids = [next(_ids) for _ in jobs]
    _jobs.update(zip(ids, jobs))  # all in place before the process is forked (at the first submit)
    try:
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        futures = [executor.submit(_run, job) for job in ids]
        executor.shutdown(wait=False)  # nothing more to submit; the queued jobs still run
    except (OSError, RuntimeError):
        return None
    finally:
        for job in ids:  # the forked process has its own copy
            del _jobs[job]
    return futures

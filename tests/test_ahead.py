"""Work done in the second process (a first build's checks and other languages' pages) is the
same as the work done here."""

from __future__ import annotations

import functools
import os
import sys

import pytest
from conftest import FIXTURE, make_site

from reviewkit import ahead, checks, csl, render
from reviewkit import project as rk_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the second process is a fork: Linux's default only")


def _fresh(site):
    rk_project._cache.clear()
    csl._formatters.clear()
    return rk_project.load(str(site))


def test_pages_rendered_in_the_second_process_are_those_rendered_here(tmp_path):
    proj = _fresh(make_site(tmp_path / "site"))
    keys = [("zh", rel) for rel in proj.page_paths("zh")]
    [future] = ahead.start([functools.partial(render.render_ahead, proj, keys)])
    pages, formatted = future.result(timeout=120)
    for key in keys:
        here = render.render(proj, *key)
        assert (pages[key].markdown, pages[key].fragments, pages[key].cited) == \
            (here.markdown, here.fragments, here.cited), key
    # the references it formatted come back, for the cache of formatted references
    zh = csl.formatter(proj.settings, "zh")
    assert formatted[zh.style.digest] and all(zh.cache.get(k, v) == v for k, v in formatted[zh.style.digest].items())


def test_the_checks_in_the_second_process_find_what_they_find_here(tmp_path):
    page = (FIXTURE / "docs" / "en" / "pathway.md").read_text(encoding="utf-8") + "\nCited wrongly [@nosuchkey2099].\n"
    proj = _fresh(make_site(tmp_path / "site", {"docs/en/pathway.md": page}))
    [future] = ahead.start([functools.partial(checks.run_all, proj)])
    there = future.result(timeout=120)
    assert there and there == checks.run_all(proj)
    assert any(d.is_error for d in there)


def test_the_second_process_s_per_page_results_are_kept_on_our_pages(tmp_path):
    proj = _fresh(make_site(tmp_path / "site"))
    [future] = ahead.start([lambda: (checks.run(proj), proj.memo)])
    found, memo = future.result(timeout=120)
    assert memo and not proj.memo
    proj.adopt(memo)
    assert proj.memo.keys() == memo.keys()
    ours = list(proj.pages.values())
    assert all(any(p is q for q in ours) for pages, _ in proj.memo.values() for p in pages)
    assert found == checks.run(proj)


def test_jobs_run_in_another_process_and_in_order(tmp_path):
    futures = ahead.start([os.getpid, functools.partial(sum, [1, 2])])
    assert futures is not None
    assert futures[0].result(timeout=60) != os.getpid() and futures[1].result(timeout=60) == 3
    assert ahead._jobs == {}  # nothing kept here once the process has its copy

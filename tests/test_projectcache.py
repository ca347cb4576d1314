"""The project kept on disk between runs: used when nothing changed, never when anything did."""

from __future__ import annotations

import json
import os
import re
import shutil

from conftest import build, make_site

from reviewkit import projectcache

CACHE = os.path.join(".cache", "reviewkit", "project.pickle")


def _build(site, tmp_path):
    stats = tmp_path / "stats.json"
    result = build(site, env={"REVIEWKIT_STATS": str(stats)})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(stats.read_text()), (site / "site" / "pathway" / "index.html").read_text(encoding="utf-8")


def _pages(site):
    """Every built HTML page and feed: what readers get."""
    out = site / "site"
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*"))
            if p.suffix in (".html", ".xml") and "pagefind" not in p.parts}


def _as_built_afresh(site, tmp_path):
    """The same files built with no cache at all."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".cache", "site"))
    result = build(fresh)
    assert result.returncode == 0, result.stdout + result.stderr
    return _pages(fresh)


def test_a_second_build_reads_the_cache_and_a_change_is_seen(tmp_path):
    site = make_site(tmp_path / "site")
    cold, html = _build(site, tmp_path)
    assert cold["bibliography"] == 1 and (site / CACHE).exists()
    warm, again = _build(site, tmp_path)
    assert warm == {**warm, "bibliography": 0, "glossary": 0}  # nothing parsed: all from the cache
    assert again == html
    assert warm["rendered"] == []
    # an edit (in both languages) is rendered; the data files are not parsed again, and only the
    # edited pages and the generated ones (they list every page) are rendered again
    for lang, old, new in (("en", "often activated", "frequently activated"), ("zh", "常被激活", "经常被激活")):
        page = site / "docs" / lang / "pathway.md"
        page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    changed, html = _build(site, tmp_path)
    assert "frequently activated" in html
    assert changed["bibliography"] == 0 and changed["glossary"] == 0
    assert changed["rendered"] == ["bibliography.md"] * 2 + ["glossary.md"] * 2 + ["pathway.md"] * 2
    assert _pages(site) == _as_built_afresh(site, tmp_path)  # the same site as without any cache


def test_after_a_data_file_changes_every_page_is_rendered_again(tmp_path):
    site = make_site(tmp_path / "site")
    _build(site, tmp_path)
    # a reference's title changes: every page citing it changes, and the pages are built afresh
    bib = site / "references.bib"
    text = bib.read_text(encoding="utf-8")
    title = re.search(r"title\s*=\s*\{+([^{}]+)", text).group(1)
    bib.write_text(text.replace(title, "A renamed reference " + title, 1), encoding="utf-8")
    changed, _ = _build(site, tmp_path)
    assert changed["bibliography"] == 1 and "index.md" in changed["rendered"]
    built = _pages(site)
    assert any("A renamed reference" in html for html in built.values())
    assert built == _as_built_afresh(site, tmp_path)


def test_the_cache_is_not_read_after_a_code_change_or_when_damaged(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    projectcache._stores.clear()
    store = projectcache.load(str(site))
    store.save()
    assert projectcache._read(str(site)) is not None
    monkeypatch.setattr(projectcache, "code_key", lambda: "other code")
    assert projectcache._read(str(site)) is None
    monkeypatch.undo()
    (site / CACHE).write_bytes(b"not a pickle")
    assert projectcache._read(str(site)) is None
    projectcache._stores.clear()
    assert projectcache.load(str(site)).project.pages  # built afresh


def test_any_top_level_file_changes_the_key(tmp_path):
    site = make_site(tmp_path / "site")
    projectcache._stores.clear()
    key = projectcache.load(str(site)).key
    (site / "trials.yml").write_text("{}\n", encoding="utf-8")
    assert projectcache.load(str(site)).key != key


def test_an_edit_checks_again_only_the_pages_it_touched(tmp_path, monkeypatch):
    from reviewkit import checks, parity
    from reviewkit import project as rk_project

    site = make_site(tmp_path / "site")
    rk_project._cache.clear()
    first = rk_project.load(str(site))
    checks.run(first)
    page = site / "docs" / "en" / "pathway.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by a contributor.\n", encoding="utf-8")
    compared = []
    real = parity.check_pair
    monkeypatch.setattr(parity, "check_pair", lambda p, a, b: compared.append(a[1]) or real(p, a, b))
    second = rk_project.load(str(site), first)
    assert second.bib is first.bib and second.pages[("zh", "pathway.md")] is first.pages[("zh", "pathway.md")]
    found = checks.run(second)
    assert compared == ["pathway.md"]  # the other pairs' results are the last project's
    rk_project._cache.clear()
    assert found == checks.run(rk_project.load(str(site)))  # the same as a project read afresh

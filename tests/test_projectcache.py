"""The project kept on disk between runs: used when nothing changed, never when anything did."""

from __future__ import annotations

import json
import os

from conftest import build, make_site

from reviewkit import projectcache

CACHE = os.path.join(".cache", "reviewkit", "project.pickle")


def _build(site, tmp_path):
    stats = tmp_path / "stats.json"
    result = build(site, env={"REVIEWKIT_STATS": str(stats)})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(stats.read_text()), (site / "site" / "pathway" / "index.html").read_text(encoding="utf-8")


def test_a_second_build_reads_the_cache_and_a_change_is_seen(tmp_path):
    site = make_site(tmp_path / "site")
    cold, html = _build(site, tmp_path)
    assert cold["bibliography"] == 1 and (site / CACHE).exists()
    warm, again = _build(site, tmp_path)
    assert warm == {**warm, "bibliography": 0, "glossary": 0}  # nothing parsed: all from the cache
    assert again == html
    # an edit (in both languages) is rendered: the cache is not used
    for lang, old, new in (("en", "often activated", "frequently activated"), ("zh", "常被激活", "经常被激活")):
        page = site / "docs" / lang / "pathway.md"
        page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    changed, html = _build(site, tmp_path)
    assert changed["bibliography"] == 1 and "frequently activated" in html


def test_the_cache_is_not_read_after_a_code_change_or_when_damaged(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    projectcache._stores.clear()
    store = projectcache.load(str(site))
    store.save()
    assert projectcache._read(str(site), store.key) is not None
    monkeypatch.setattr(projectcache, "code_key", lambda: "other code")
    assert projectcache._read(str(site), store.key) is None
    monkeypatch.undo()
    (site / CACHE).write_bytes(b"not a pickle")
    assert projectcache._read(str(site), store.key) is None
    projectcache._stores.clear()
    assert projectcache.load(str(site)).project.pages  # built afresh


def test_any_top_level_file_changes_the_key(tmp_path):
    site = make_site(tmp_path / "site")
    projectcache._stores.clear()
    key = projectcache.load(str(site)).key
    (site / "trials.yml").write_text("{}\n", encoding="utf-8")
    assert projectcache.load(str(site)).key != key

"""MkDocs glue for reviewkit: read the config, call the core, log or stop, hand back Markdown.

mkdocs-static-i18n runs the whole build once per language, so every event below fires once per
language; the core caches the project and we report each message once per process.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

# The core lives beside mkdocs.yml; MkDocs loads hooks by path, not as an installed package.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from reviewkit import evidence, extras, languages, projectcache
from reviewkit import project as rk_project

if TYPE_CHECKING:
    from reviewkit.preview import Preview

log = logging.getLogger("mkdocs.plugins.reviewkit")
_reported: set = set()
_project = None  # loaded (or found unchanged) once per build, in on_pre_build
_store: projectcache.Store | None = None  # the project with its rendered pages, kept on disk
_config = None  # the configuration of the current top-level build
_preview: Preview | None = None  # under `mkdocs serve` only: the errors, shown in the pages


def on_startup(command, dirty, **kwargs):
    """`mkdocs serve` keeps serving with errors and shows them in the pages; a build stays strict."""
    global _preview
    if command == "serve":
        from reviewkit.preview import Preview

        _preview = Preview([], {})
        # Printed like MkDocs' own messages but outside the 'mkdocs' logger: with `strict: true`
        # MkDocs counts every 'mkdocs.*' warning and would stop the server after the first build.
        serve_log = logging.getLogger("reviewkit.serve")
        serve_log.propagate = False
        serve_log.handlers = [h for h in logging.getLogger("mkdocs").handlers if h.name == "MkDocsStreamHandler"]


def _root(config) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path))


def _load(config):
    return _project or projectcache.load(_root(config)).project


def _repo_url() -> str:
    """The GitHub repository, for 'edit this page': from Actions' variables, else REPO_URL."""
    if os.environ.get("REPO_URL"):
        return os.environ["REPO_URL"]
    server, repo = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    return f"{server}/{repo}" if server and repo else ""


def on_config(config, **kwargs):
    # Once per top-level build (mkdocs serve reloads the config on every change; the extra
    # language builds reuse it): report the errors again on the next rebuild.
    global _project, _config
    if config is not _config:
        _config = config
        _reported.clear()
        _cited.clear()
        _made.clear()
        _stop_indexing()  # a build stopped before its last language
        _stop_ahead()
        _page_folders.clear()
    _project = None
    if not config.repo_url and _repo_url():
        config.repo_url = _repo_url()
        config.edit_uri = "edit/main/docs/"
    return config


def on_serve(server, config, builder, **kwargs):
    """MkDocs watches docs/ and mkdocs.yml; the review also lives in these files."""
    settings = rk_project.load_settings(_root(config))
    for rel in (settings.bibliography, settings.glossary, settings.trials, settings.allowlist, "updates.yml"):
        path = os.path.join(settings.root, rel)
        if os.path.exists(path):
            server.watch(path)
    return server


def on_pre_build(config, **kwargs):
    """Whole-site checks, before any page is written: all files are known on disk already."""
    global _project, _preview, _store
    _store = projectcache.load(_root(config))
    _project = proj = _store.project
    lang = config.theme.get("language") or proj.settings.default_language
    if not _preview:
        _start_ahead(proj, lang)  # before git is asked: the second process must not share its pipes
    # the search box of this language's pages asks this language's index
    config.extra["rk_search_bundle"] = _prefix(proj, lang) + "pagefind/"
    from reviewkit import staleness

    staleness.ask_git(proj.settings.root, proj.stamp)  # each page's date: git answers while pages build
    if _checking:
        return  # reported (and the build stopped) in on_env, before any page is written
    found = _store.diagnostics()
    errors = _report(found)
    if _preview is not None:
        from reviewkit.preview import Preview

        _preview = Preview(errors, {proj.file_path(lang, rel): (lang, rel) for lang, rel in proj.pages})
    elif errors:
        _stop(errors)


def _report(found) -> list:
    """Print each error once; translation to-dos are printed, not counted (`--strict` counts
    every 'mkdocs.*' warning). The errors."""
    errors = [d for d in found if d.is_error]
    for d in errors:
        if d not in _reported:
            _reported.add(d)
            (logging.getLogger("reviewkit.serve") if _preview else log).error(d.format())
    for d in found:
        if d.is_error:
            continue
        from reviewkit import translation

        if d.message.startswith(translation.TODO) and d not in _reported:
            _reported.add(d)
            log.info(d.format())
    return errors


def _stop(errors):
    raise PluginError(f"reviewkit: {len(errors)} error(s) above; nothing was published. "
                      "Run 'python -m reviewkit check' to see them without building.")


# A first build does work ahead in a second process (Linux): the first language's references from
# the last one back (this process formats from the first one on), the checks, and the other
# languages' pages.
_checking: list = []  # the future of the checks, until on_env (or a page that fails) reports them
_rendering: list = []  # futures of pages of the other languages, rendered ahead
_ahead_pages: dict = {}  # (lang, rel) -> Rendered, from the second process
PAGES_A_CHUNK = 5


def _checks(proj):
    from reviewkit import checks

    return checks.run(proj), proj.memo  # the per-page results too, for the build after an edit


def _start_ahead(proj, lang):
    if _checking or _rendering or _store is None or _store.rendered:
        return  # started already, or not a first build: after an edit most pages come from the
        # cache, and the pages would be rendered before a second process had even checked them
    from reviewkit import ahead, csl, render

    jobs = [functools.partial(_checks, proj)] if proj._diagnostics is None else []
    later = [(other, rel) for other in proj.settings.languages if other != lang for rel in proj.page_paths(other)]
    jobs += [functools.partial(render.render_ahead, proj, later[i:i + PAGES_A_CHUNK])
             for i in range(0, len(later), PAGES_A_CHUNK)]
    cited = dict.fromkeys(k for rel in proj.page_paths(lang) for c in proj.pages[(lang, rel)].citations
                          for k in c.keys)
    plan: list = []
    try:
        plan = csl.plan_ahead(proj.settings, [proj.bib.entries[k] for k in cited if k in proj.bib.entries], [lang])
    except csl.StyleError:
        pass  # reported by the checks, at its line of mkdocs.yml
    # this language's references first (needed first), then the checks (needed once its pages are
    # rendered), then the other languages' pages
    futures = ahead.start([job for _, job in plan] + jobs)
    if futures is None:
        return  # all done here, as it is needed
    csl.expect(plan, futures[:len(plan)])
    futures = futures[len(plan):]
    if proj._diagnostics is None:
        _checking.append(futures.pop(0))
    _rendering.extend(futures)


def _settle(stop: bool = True) -> None:
    """The checks' result, awaited: errors printed, and the build stopped (``stop``) if any."""
    if not _checking or _store is None:
        return
    future = _checking.pop()
    try:
        _store.project._diagnostics, memo = future.result()
        _store.project.adopt(memo)
    except Exception:  # the second process failed: check here
        pass
    errors = _report(_store.diagnostics())
    if errors and stop:
        _stop(errors)


def _rendered_ahead(proj, lang, rel):
    """A page rendered by the second process, if it is done (never waited for)."""
    while _rendering and _rendering[0].done():
        try:
            pages, formatted = _rendering.pop(0).result()
        except Exception:  # rendered here instead
            continue
        from reviewkit import csl

        _ahead_pages.update(pages)
        try:
            csl.take(proj.settings, formatted)
        except csl.StyleError:
            pass
    return _ahead_pages.pop((lang, rel), None)


def _stop_ahead() -> None:
    for future in _rendering:
        future.cancel()  # not started: dropped; one being rendered finishes on its own
    _rendering.clear()
    _ahead_pages.clear()
    _checking.clear()


def on_env(env, config, files, **kwargs):
    _settle()  # before any page is written
    return env


def on_build_error(error, **kwargs):
    _settle(stop=False)  # the checks' errors too, if the build failed before they were reported


def _which(proj, page):
    """(lang, relpath) of a page, from its source path 'en/pathway.md'."""
    src = page.file.src_uri
    lang, _, rel = src.partition("/")
    if (lang, rel) in proj.pages:
        return lang, rel
    return None, None


_rendered: dict = {}  # page source path -> reviewkit.render.Rendered, from markdown to content
_cited: dict = {}  # page file -> keys it lists, every language (one set of download files per page)
_indexing: list = []  # search.Indexing of each language built so far, running until the last is built
_page_folders: dict = {}  # language -> top folders of its pages (what its search index covers)
_made: list = []  # pages rendered in this process, not taken from the cache (for the benchmark and tests)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if _preview and _preview.errors:
        try:
            return _page_markdown(markdown, page, config)
        except Exception:  # a page of a project with errors may not render; show it as written
            return markdown
    try:
        return _page_markdown(markdown, page, config)
    except Exception:
        _settle()  # a project with errors may fail to render: report the errors, not a traceback
        raise


def _untranslated(proj, page, config) -> str | None:
    """The language being built when static-i18n filled a missing translation with the default
    language's page (``fallback_to_default``); else None."""
    lang, rel = _which(proj, page)
    build = config.theme.get("language")
    if lang is None or build == lang or build not in proj.settings.languages or (build, rel) in proj.pages:
        return None
    return build


def _page_markdown(markdown, page, config):
    proj = _load(config)
    lang, rel = _which(proj, page)
    if lang is None:
        return markdown
    shown_in = _untranslated(proj, page, config)
    if shown_in:
        # Never a silent copy: say it is untranslated, link the original, mark its text's language.
        from reviewkit import render

        rendered = render.render(proj, lang, rel)
        _rendered[page.file.src_uri] = rendered
        return (rendered.hold(render.untranslated_notice(proj, shown_in, rel), True) + "\n\n"
                + rendered.hold(f'<div lang="{lang}" data-pagefind-ignore="all">', True) + "\n\n"
                + rendered.markdown + "\n\n" + rendered.hold("</div>", True) + "\n")

    def make():
        # not needed at all when every page comes from the cache
        from reviewkit import render

        scanned = proj.pages[(lang, rel)]
        if scanned.text[scanned.body_start:].strip() != markdown.strip():
            # Another plugin changed the text first: render what MkDocs will convert.
            from reviewkit.scanner import scan

            scanned = scan(scanned.path, markdown)
        elif not _preview:
            done = _rendered_ahead(proj, lang, rel)
            if done is not None:
                return done
        _made.append(rel)
        if _preview and _preview.errors:
            from reviewkit import preview

            return render.render(proj, lang, rel, preview.known_citations(scanned, proj.bib.entries))
        return render.render(proj, lang, rel, scanned)

    # a page renders the same while the project and its text are unchanged: from the cache
    usable = _store is not None and _store.project is proj and not (_preview and _preview.errors)
    rendered = _store.render((lang, rel), markdown, make) if usable and _store is not None else make()
    _rendered[page.file.src_uri] = rendered
    # the evidence date and the stale-translation notice depend on the project alone
    badge, notice = (_store.memo(("extras", lang, rel), lambda: _extras(proj, lang, rel)) if usable and _store
                     else _extras(proj, lang, rel))
    markdown = evidence.after_title(rendered.markdown, badge)
    return notice + markdown if notice else markdown


def _extras(proj, lang, rel):
    return evidence.badge(proj, lang, rel), extras.stale_notice(proj, lang, rel)


def on_page_content(html, page, config, files, **kwargs):
    if _preview and _preview.errors:
        lang, rel = _which(_load(config), page)
        lang = lang or config.theme.get("language") or "en"
        page.meta["rk_preview_notice"] = _preview.notice(lang, rel)
        try:
            html = _page_content(html, page, config)
        except Exception:  # as in on_page_markdown: the box says what is wrong
            pass
        return _preview.box(lang, rel) + html
    try:
        return _page_content(html, page, config)
    except Exception:
        _settle()
        raise


def _page_content(html, page, config):
    rendered = _rendered.pop(page.file.src_uri, None)
    proj = _load(config)
    lang, rel = _which(proj, page)
    if lang is not None and not _untranslated(proj, page, config):
        from reviewkit import staleness

        date = staleness.file_date(proj.settings.root, proj.pages[(lang, rel)].path, proj.stamp)
        url = page.canonical_url or "/" + page.url
        from reviewkit import downloads

        box = extras.cite_box(proj, lang, rel, url, date)
        files = (_store.memo(("cite", lang, rel, url, date), lambda: downloads.cite_files(proj, lang, rel, url, date))
                 if _store is not None and _store.project is proj else downloads.cite_files(proj, lang, rel, url, date))
        page.meta["rk_cite_box"] = box.replace("</aside>", downloads.cite_html(proj, lang, files) + "</aside>")
        if rendered is not None:
            keys = _cited.setdefault(rel, [])
            keys += [k for k in rendered.cited if k not in keys]
        page.meta["rk_words"] = extras.preview_words(proj, lang)
    return rendered.finish(html) if rendered else html


def _prefix(proj, lang: str) -> str:
    """Where a language's pages lie in the built site: '' for the default language, 'zh/'."""
    return "" if lang == proj.settings.default_language else f"{lang}/"


def _stop_indexing() -> None:
    for indexing in _indexing:
        indexing.cancel()
    _indexing.clear()


def on_post_page(output, page, config, **kwargs):
    """Note the page's top folder: the default language's index covers exactly its pages."""
    folder = page.url.split("/")[0]
    if folder:
        _page_folders.setdefault(config.theme.get("language"), set()).add(folder)
    return output


def on_post_build(config, **kwargs):
    """The Atom feed of updates for this language; after the last language, the search index; for
    the benchmark, how often the bibliography and glossary were parsed in this process."""
    proj = _load(config)
    from reviewkit import downloads, search

    lang = config.theme.get("language") or proj.settings.default_language
    last = lang == proj.settings.languages[-1]
    if lang in proj.settings.languages:
        # This language's pages are all written: Pagefind indexes them while the next language
        # builds (or, after the last, while the files below are written).
        folders = _page_folders.pop(lang, set())
        cache = os.path.join(proj.settings.root, ".cache", "reviewkit-search")  # a warm build's index: as before
        try:  # the default language's pages lie beside the others' folders; each other's in its own
            _indexing.append(search.Indexing(config.site_dir, folders, cache) if not _prefix(proj, lang)
                             else search.Indexing(os.path.join(config.site_dir, lang), None, cache))
        except search.SearchIndexError as exc:
            raise PluginError(f"reviewkit: {exc}") from None
    if last:
        _stop_ahead()  # what the second process has not started is not needed any more
    try:
        csl = sys.modules.get("reviewkit.csl")  # not imported: nothing was formatted in this process
        if csl is not None:
            csl.save_all()  # formatted references, for the next build
        if last:  # once, when every language has listed its pages (while Pagefind runs)
            downloads.write(config.site_dir, _cited, proj.bib, _store.memo if _store is not None else None)
        if lang in proj.settings.languages:
            from reviewkit import updates

            prefix = _prefix(proj, lang)
            words = languages.get(lang, proj.settings.default_language)
            title = words["feed_title"].format(site=config.site_name)
            # every language build writes into the one site_dir; its pages live under the prefix
            with open(os.path.join(config.site_dir, prefix, "feed.xml"), "w", encoding="utf-8") as fh:
                fh.write(updates.atom(proj.updates, lang, title, config.site_url or "", prefix))
        if _store is not None and last:
            _store.save()  # once, with every language's pages rendered
    except BaseException:
        _stop_indexing()
        raise
    if last:
        try:
            while _indexing:
                indexing = _indexing.pop(0)
                indexing.wait()
                search.write_names(indexing.site_dir, proj.glossary, proj.settings.languages)
        except search.SearchIndexError as exc:
            _stop_indexing()
            raise PluginError(f"reviewkit: {exc}") from None
    path = os.environ.get("REVIEWKIT_STATS")
    if path:
        import json

        from reviewkit import bibliography, glossary

        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"bibliography": bibliography.PARSE_COUNT, "glossary": glossary.PARSE_COUNT,
                       "rendered": sorted(_made)}, fh)

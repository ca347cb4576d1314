"""The translation status page: every translation's state and to-do items, for translators."""

from __future__ import annotations

from . import languages, translation
from .checks import run
from .links import page_url
from .links import title as page_title
from .markup import esc
from .project import Project


def status_html(project: Project, lang: str, rel: str) -> str:
    words = languages.get(lang, project.settings.default_language)
    rows = translation.states(project, run(project))
    if not rows:
        return f"<p>{esc(words['status_none'])}</p>"
    lines = ['<table class="rk-translation-status">',
             f"<thead><tr><th>{esc(words['status_page_col'])}</th><th>{esc(words['status_state'])}</th>"
             f"<th>{esc(words['status_since'])}</th><th>{esc(words['status_todo'])}</th></tr></thead><tbody>"]
    for row in rows:
        name = languages.get(row.lang, project.settings.default_language).name
        page = project.pages.get((row.lang, row.rel)) or project.pages.get((project.settings.default_language, row.rel))
        title = page_title(page, row.rel) if page else row.rel
        base = project.settings.default_language
        # from this page up to the site root, then down to the translation (/<lang>/<page>/)
        root = "../" * (page_url(rel).count("/") + (lang != base))
        href = root + ("" if row.lang == base else f"{row.lang}/") + page_url(row.rel)
        todo = ""
        if row.todo:
            items = "".join(f"<li><code>{esc(d.location())}</code> {esc(d.message[len(translation.TODO):])}</li>"
                            for d in row.todo)
            todo = (f"<details><summary>{esc(words['status_items'].format(n=len(row.todo)))}</summary>"
                    f"<ul>{items}</ul></details>")
        lines.append(f"<tr class=\"rk-status-{row.state}\"><td><a href=\"{esc(href)}\">{esc(title)}</a> "
                     f"({esc(name)})</td><td>{esc(words['status_' + row.state])}</td>"
                     f"<td>{esc(row.since)}</td><td>{todo}</td></tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)

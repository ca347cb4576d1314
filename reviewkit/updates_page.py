"""The generated "What's new" page: updates.yml as a list, with links to the pages touched."""

from __future__ import annotations

from . import languages
from .links import relative, title
from .markup import esc
from .project import Project


def updates_html(project: Project, lang: str, rel: str) -> str:
    words = languages.get(lang, project.settings.default_language)
    items = []
    for u in project.updates:
        links = []
        for target in u.pages:
            page = project.pages.get((lang, target))
            name = title(page, target) if page else target
            links.append(f'<a href="{esc(relative(rel, target))}">{esc(name)}</a>')
        date = f'<time datetime="{u.date.isoformat()}">{u.date.isoformat()}</time>'
        pages = (esc(words.paren_open) + esc(words.list_sep).join(links) + esc(words.paren_close)) if links else ""
        items.append("<li>" + words["update_entry"].format(date=date, text=esc(u.text(lang)), pages=pages) + "</li>")
    feed = words["feed_link"]
    return (f'<p><a href="{esc(relative(rel, "index.md"))}feed.xml" type="application/atom+xml">{feed}</a></p>\n'
            '<ul class="rk-updates">\n' + "\n".join(items) + "\n</ul>")

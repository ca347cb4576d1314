"""The generated "What's new" page: updates.yml as a list, with links to the pages touched."""

from __future__ import annotations

from . import languages
from .links import relative, title
from .markup import esc
from .project import Project


def updates_html(project: Project, lang: str, rel: str) -> str:
    items = []
    for u in project.updates:
        links = []
        for target in u.pages:
            page = project.pages.get((lang, target))
            name = title(page, target) if page else target
            links.append(f'<a href="{esc(relative(rel, target))}">{esc(name)}</a>')
        items.append(f'<li><time datetime="{u.date.isoformat()}">{u.date.isoformat()}</time> — {esc(u.text(lang))}'
                     + (f' ({", ".join(links)})' if links else "") + "</li>")
    feed = languages.get(lang, project.settings.default_language)["feed_link"]
    return (f'<p><a href="{esc(relative(rel, "index.md"))}feed.xml" type="application/atom+xml">{feed}</a></p>\n'
            '<ul class="rk-updates">\n' + "\n".join(items) + "\n</ul>")

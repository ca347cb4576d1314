"""The generated glossary page: one entry per drug, in the page's language and order."""

from __future__ import annotations

from . import languages
from .glossary import Drug, TrialLink
from .links import relative, title
from .markup import Rendered, esc, escape_md, md_text
from .project import Project


def mentioned_on(project: Project, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Drug id -> [(page file, page title)] of the pages that name it."""
    mentioned: dict[str, list[tuple[str, str]]] = {}
    for prel in project.page_paths(lang):
        page = project.pages[(lang, prel)]
        if project.generated_kind(page):
            continue
        for m in project.mentions[(lang, prel)]:
            if m.drug and prel not in [p for p, _ in mentioned.get(m.drug, [])]:
                mentioned.setdefault(m.drug, []).append((prel, title(page, prel)))
    return mentioned


def _other_names(project: Project, drug: Drug, lang: str) -> list[str]:
    """The drug's name in each other language, or why it has none."""
    words = languages.get(lang, project.settings.default_language)
    default = project.settings.default_language
    name = drug.name(lang)
    facts = []
    for other in project.settings.languages:
        if other == lang:
            continue
        other_name = drug.name(other)
        label = words.name_label(other)
        # the note belongs to the translated name it qualifies, never to the INN
        if other_name and other_name != name:
            facts.append(f"**{label}**{words.label_sep}{escape_md(other_name)}{_translit(drug, other, words)}")
        elif drug.source(other) == "none":
            facts.append(f"**{label}**{words.label_sep}{words.no_name(other)}")
    if lang != default and drug.source(lang) == "transliteration":
        # on the page of the translation, the heading is that name: say so next to it once more
        facts.insert(0, f"**{words.name_label(lang)}**{words.label_sep}{escape_md(name)}{_translit(drug, lang, words)}")
    return facts


def _translit(drug: Drug, code: str, words: languages.Language) -> str:
    """'（音译名，非官方名称）' after a name in ``code`` that is a transliteration."""
    return words.parenthesised(words["translit"]) if drug.source(code) == "transliteration" else ""


def glossary_markdown(project: Project, lang: str, rel: str, out: Rendered) -> str:
    """Entries as Markdown (definitions keep their [@key] citations, numbered like any page)."""
    words = languages.get(lang, project.settings.default_language)
    # the glossary's order depends on the glossary alone: kept while it is unchanged (pypinyin not
    # even imported after an edit to a page)
    ids = project.per_page(("glossary order", lang), (), lambda: [
        d.id for d in sorted(project.glossary.drugs.values(), key=lambda d: words.sort_key(d.name(lang)))])
    drugs = [project.glossary.drugs[i] for i in ids]
    mentioned = mentioned_on(project, lang)
    order = [lang] + [c for c in project.settings.languages if c != lang]
    blocks = []
    for drug in drugs:
        heading = f"## {escape_md(drug.name(lang))} {{#drug-{drug.id}}}"
        facts = _other_names(project, drug, lang)
        label = words.label_sep
        facts.append(f"**{words['class']}**{label}{escape_md(drug.drug_class(lang))}")
        facts.append(f"**{words['target']}**{label}{escape_md(drug.drug_target(lang))}")
        synonyms = [s for code in order for s in drug.synonyms_in(code)]
        if synonyms:
            facts.append(f"**{words['synonyms']}**{label}{escape_md(words.list_sep.join(synonyms))}")
        if drug.approvals:
            parts = [f"{escape_md(a.agency)} {a.year}{label}{escape_md(a.indication(lang))} [@{a.cite}]"
                     for a in drug.approvals]
            facts.append(f"**{words['approvals']}**{label}" + words.item_sep.join(parts))
        if drug.trials:
            trials = [_trial_link(project, lang, rel, t, out) for t in drug.trials]
            facts.append(f"**{words['trials']}**{label}" + words.list_sep.join(trials))
        pages = mentioned.get(drug.id, [])
        if pages:
            # HTML put in after Markdown: the anchors it points at are put in after Markdown too
            links = out.hold(words.list_sep.join(f'<a href="{esc(relative(rel, prel, "mention-" + drug.id))}">{esc(name)}</a>'
                                       for prel, name in pages))
            facts.append(f"**{words['mentioned_on']}**{label}{links}")
        else:
            facts.append(f"**{words['mentioned_on']}**{label}{words['no_mentions']}")
        blocks.append(heading + "\n\n" + md_text(drug.definition(lang)) + "\n\n"
                      + "\n".join(f"- {f}" for f in facts))
    return "\n\n".join(blocks)


def _trial_link(project: Project, lang: str, rel: str, trial: TrialLink, out: Rendered) -> str:
    """A glossary drug's trial, linked to its details on the trials page when there is one."""
    entry = project.trials.by_nct().get(trial.nct) if project.trials else None
    if entry is None or (lang, "trials.md") not in project.pages:
        return f"{escape_md(trial.name)} ({trial.nct})"
    href = relative(rel, "trials.md", entry.anchor)
    return out.hold(f'<a href="{esc(href)}">{esc(trial.name)}</a>') + f" ({trial.nct})"

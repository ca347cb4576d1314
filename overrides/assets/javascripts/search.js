// Search in the header box, answered by the Pagefind index of the language being read.
// Pagefind loads only the index chunks for the words typed, so what a reader downloads grows with
// the query, not with the site. Results are drawn with Material's own search markup and styles.
(() => {
  "use strict";
  const root = document.querySelector("[data-rk-search]");
  if (!root) return;
  const input = root.querySelector("input.md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const result = root.querySelector(".md-search-result");
  const toggle = document.getElementById("__search");
  const bundle = new URL(root.dataset.rkSearch, location.href).href;
  const siteRoot = new URL("..", bundle).href;
  const config = JSON.parse(document.getElementById("__config").textContent);
  const t = (key) => config.translations[key];
  meta.textContent = t("search.result.placeholder");

  // Readers write either spelling; the review uses British spellings. Search both.
  const VARIANTS = [
    [/(\w)aemi/g, "$1emi"], [/(\w)emi(a|c)/g, "$1aemi$2"],
    [/\boestr/g, "estr"], [/\bestr(o|a|i)/g, "oestr$1"],
    [/tumours?\b/g, (m) => m.replace("our", "or")], [/tumors?\b/g, (m) => m.replace("or", "our")],
    [/diarrhoea/g, "diarrhea"], [/diarrhea/g, "diarrhoea"],
    [/oedema/g, "edema"], [/\bedema/g, "oedema"],
    [/haemat/g, "hemat"], [/\bhemat/g, "haemat"],
    [/signalling/g, "signaling"], [/signaling/g, "signalling"],
  ];
  function spellings(query) {
    const q = query.toLowerCase();
    const out = new Set([q]);
    for (const [pattern, to] of VARIANTS) out.add(q.replace(pattern, to));
    return [...out];
  }

  let pagefind = null;
  // From the glossary: every name of a drug in either language (lower case) -> its id, and each
  // drug's name in each language, so that a drug typed in the other language is found too.
  let drugs = { names: {}, drugs: {} };
  async function load() {
    if (!pagefind) {
      const names = fetch(bundle + "drug-names.json").then((r) => r.ok ? r.json() : drugs)
        .then((d) => { drugs = d; }, () => {});
      pagefind = import(bundle + "pagefind.js").then(async (pf) => {
        await pf.options({
          basePath: bundle,
          baseUrl: new URL(siteRoot).pathname,
          excerptLength: 24,
          // an exact word counts for more than a longer word it is the start of
          ranking: { termSimilarity: 4.0, pageLength: 0.5, termSaturation: 1.2 },
        });
        await pf.init();
        await names;  // the first query already needs them
        return pf;
      });
    }
    return pagefind;
  }

  // How well a section answers the query, in tiers: the glossary entry of a drug whose name was
  // typed; then sections whose heading holds the whole query (the section about it: an exact term
  // before partial ones, which matters for Chinese, where 高血糖 is also read as 高 + 血糖); then
  // the weight of the matching words.
  const TIER = 1e6;
  const squash = (text) => text.toLowerCase().replace(/[\s\-‐‑–—_/]+/g, "");
  function sectionScore(sub, query, anchor) {
    const words = (sub.weighted_locations || []).reduce((s, w) => s + w.balanced_score, 0);
    if (anchor && sub.url.endsWith("#" + anchor)) return 2 * TIER + words;
    if (!words) return 0;
    return squash(sub.title).includes(squash(query)) ? TIER + words : words;
  }
  function ranked(data, score, query, anchor) {
    const subs = (data.sub_results || []).map((sub) => ({ sub, score: sectionScore(sub, query, anchor) }))
      .filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
    return { data, subs, best: subs.length ? subs[0].score : score };
  }

  function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function link(url, heading, title, excerpt, score) {
    const a = document.createElement("a");
    a.href = url;
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    a.dataset.mdScore = String(score);
    a.innerHTML = `<article class="md-search-result__article md-typeset">` +
      (heading === "h1" ? `<div class="md-search-result__icon md-icon"></div>` : "") +
      `<${heading}>${escapeText(title)}</${heading}><p>${excerpt}</p></article>`;
    return a;
  }

  function render(pages) {
    list.replaceChildren();
    meta.textContent = pages.length === 0 ? t("search.result.none")
      : pages.length === 1 ? t("search.result.one")
      : t("search.result.other").replace("#", String(pages.length));
    for (const { data, subs, best } of pages) {
      const li = document.createElement("li");
      li.className = "md-search-result__item";
      const shown = subs.filter((s) => s.sub.url !== data.url).slice(0, 3);
      li.append(link(data.url, "h1", data.meta.title, shown.length ? "" : data.excerpt, best));
      for (const { sub, score } of shown) li.append(link(sub.url, "h2", sub.title, sub.excerpt, score));
      list.append(li);
    }
  }

  let latest = 0;
  async function run() {
    const query = input.value.trim();
    const mine = ++latest;
    if (!query) {
      delete result.dataset.busy;
      list.replaceChildren();
      meta.textContent = t("search.result.placeholder");
      return;
    }
    result.dataset.busy = "1";
    const pf = await load();
    if (mine !== latest) return;
    const found = new Map();
    const drug = drugs.names[query.toLowerCase()];
    const anchor = drug ? "drug-" + drug : null;
    const lang = document.documentElement.lang.split("-")[0];
    const names = spellings(query);
    if (drug && drugs.drugs[drug][lang] && !names.includes(drugs.drugs[drug][lang].toLowerCase())) {
      names.push(drugs.drugs[drug][lang].toLowerCase());
    }
    for (const spelling of names) {
      const search = await pf.search(spelling);
      if (mine !== latest) return;  // a newer query is on its way: fetch nothing more for this one
      for (const r of search.results.slice(0, 6)) {
        if (!found.has(r.id) || found.get(r.id).score < r.score) found.set(r.id, r);
      }
    }
    const best = [...found.values()].sort((a, b) => b.score - a.score).slice(0, 6);
    const pages = (await Promise.all(best.map(async (r) => ranked(await r.data(), r.score, query, anchor))))
      .sort((a, b) => b.best - a.best);
    if (mine !== latest) return;  // a newer query is on its way
    render(pages);
    delete result.dataset.busy;
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);  // not every keystroke: each search fetches index chunks
  });
  input.addEventListener("focus", load, { once: true });
  root.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
  root.querySelector("button[type=reset]").addEventListener("click", () => {
    input.value = "";
    run();
    input.focus();
  });

  // Keyboard, as in Material's own search: / s f open it, Esc closes, arrows move through results.
  const open = () => { toggle.checked = true; input.focus(); input.select(); };
  const close = () => { toggle.checked = false; input.blur(); };
  toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  list.addEventListener("click", (e) => { if (e.target.closest("a")) close(); });
  document.addEventListener("keydown", (e) => {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    const active = document.activeElement;
    if (!toggle.checked) {
      const typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
      if (!typing && ["/", "s", "f"].includes(e.key)) { e.preventDefault(); open(); }
      return;
    }
    const links = [input, ...list.querySelectorAll("a.md-search-result__link")];
    if (e.key === "Escape") { close(); e.preventDefault(); }
    else if (e.key === "Enter" && active === input && links.length > 1) {
      // the best match: the first result's top section, else its page
      const first = list.querySelector(".md-search-result__item");
      const best = first.querySelectorAll("a.md-search-result__link");
      e.preventDefault();
      (best[1] || best[0]).click();
    }
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const i = Math.max(0, links.indexOf(active));
      links[(i + (e.key === "ArrowUp" ? -1 : 1) + links.length) % links.length].focus();
      e.preventDefault();
    }
  });
})();

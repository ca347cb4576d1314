/* Citation and drug previews, as a progressive enhancement of the CSS-only tooltips.
 *
 * Without this script a preview shows on hover and focus (CSS) and a citation links to the
 * reference list. With it:
 *  - a preview is placed inside the viewport (flipped above or shifted sideways, sized to fit);
 *  - Escape closes it and leaves focus where it was (WCAG 2.2, 1.4.13); the pointer may move
 *    onto it without it closing;
 *  - on a touch screen a tap opens the reference or definition in a panel over the text and
 *    keeps the reading position; a tap outside, the close button or Escape closes it.
 * Words come from the page (#rk-words), written from the review's language files.
 */
(function () {
  "use strict";
  var MARGIN = 8; // px kept free at the viewport's edges
  var CLOSE_DELAY = 250; // ms, so the pointer can cross the gap between a link and its preview
  var words = {};
  try {
    words = JSON.parse((document.getElementById("rk-words") || {}).textContent || "{}");
  } catch (e) { words = {}; }
  document.documentElement.classList.add("rk-js");

  var open = null; // the container (.rk-cite or .rk-term) whose preview is shown
  var timer = null;
  var lastPointer = "mouse";

  function tipOf(box) { return box.querySelector(".rk-tip"); }

  function place(box) {
    var tip = tipOf(box);
    if (!tip) return;
    var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    var anchor = (box.querySelector("a") || box).getBoundingClientRect();
    tip.style.width = Math.min(448, vw - 2 * MARGIN) + "px";
    tip.style.maxHeight = "";
    var rect = tip.getBoundingClientRect();
    var left = Math.min(Math.max(anchor.left, MARGIN), vw - MARGIN - rect.width);
    var below = anchor.bottom + 4, above = anchor.top - 4 - rect.height;
    var top = below;
    if (below + rect.height > vh - MARGIN && above >= MARGIN) top = above; // flip above
    if (top + rect.height > vh - MARGIN) { // neither fits: use the larger side and scroll inside
      var room = Math.max(anchor.top - MARGIN, vh - MARGIN - below) - 4;
      tip.style.maxHeight = room + "px";
      top = room === anchor.top - MARGIN - 4 ? MARGIN : below;
    }
    tip.style.left = Math.max(MARGIN, left) + "px";
    tip.style.top = top + "px";
  }

  function show(box) {
    clearTimeout(timer);
    if (open && open !== box) hide(open);
    open = box;
    box.classList.add("rk-open");
    box.classList.remove("rk-dismissed");
    place(box);
  }

  function hide(box) {
    box.classList.remove("rk-open");
    if (open === box) open = null;
  }

  function later(box) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!box.contains(document.activeElement)) hide(box);
    }, CLOSE_DELAY);
  }

  function boxes() { return document.querySelectorAll(".rk-cite, .rk-term"); }

  // ---- the panel for touch screens ----
  var panel = null, backdrop = null;

  function makePanel() {
    backdrop = document.createElement("div");
    backdrop.className = "rk-backdrop";
    backdrop.hidden = true;
    backdrop.addEventListener("click", closePanel);
    panel = document.createElement("div");
    panel.className = "rk-panel";
    panel.setAttribute("role", "dialog");
    panel.hidden = true;
    panel.tabIndex = -1;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "rk-panel-close";
    close.setAttribute("aria-label", words.panel_close || "Close");
    close.textContent = "×";
    close.addEventListener("click", closePanel);
    var body = document.createElement("div");
    body.className = "rk-panel-body";
    var more = document.createElement("p");
    more.className = "rk-panel-more";
    panel.appendChild(close);
    panel.appendChild(body);
    panel.appendChild(more);
    document.body.appendChild(backdrop);
    document.body.appendChild(panel);
  }

  function openPanel(box, link) {
    if (!panel) makePanel();
    var tip = tipOf(box);
    var isCite = box.classList.contains("rk-cite");
    panel.setAttribute("aria-label", isCite ? (words.panel_cite || "Reference") : (words.panel_term || "Definition"));
    panel.querySelector(".rk-panel-body").innerHTML = tip ? tip.innerHTML : "";
    var more = panel.querySelector(".rk-panel-more");
    more.innerHTML = "";
    var a = document.createElement("a");
    a.href = link.getAttribute("href");
    a.textContent = isCite ? (words.panel_all_refs || "All references") : (words.panel_glossary || "Glossary entry");
    a.addEventListener("click", closePanel);
    more.appendChild(a);
    backdrop.hidden = false;
    panel.hidden = false;
    panel.focus({ preventScroll: true });
    panel.opener = link;
  }

  function closePanel() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    backdrop.hidden = true;
    if (panel.opener) panel.opener.focus({ preventScroll: true });
  }

  function touchLike() {
    return lastPointer === "touch" || window.matchMedia("(hover: none) and (pointer: coarse)").matches;
  }

  function init() {
    boxes().forEach(function (box) {
      box.addEventListener("mouseenter", function () { if (!touchLike()) show(box); });
      box.addEventListener("mouseleave", function () { later(box); });
      box.addEventListener("focusin", function () { if (!touchLike()) show(box); });
      box.addEventListener("focusout", function () { later(box); });
      box.querySelectorAll("a").forEach(function (link) {
        link.addEventListener("click", function (event) {
          if (!touchLike() || link.closest(".rk-tip")) return;
          event.preventDefault(); // keep the reading position: no jump to the reference list
          if (open) hide(open);
          openPanel(box, link);
        });
      });
    });
    document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      if (panel && !panel.hidden) { closePanel(); return; }
      if (open) { open.classList.add("rk-dismissed"); hide(open); } // focus stays where it was
    });
    window.addEventListener("resize", function () { if (open) place(open); });
    window.addEventListener("scroll", function () { if (open) place(open); }, { passive: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

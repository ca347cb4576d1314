"""A forest plot as inline SVG, drawn at build time: no JavaScript, no fonts or files from
elsewhere, text kept as text (searchable, translatable, sharp at any zoom).

Hand-written rather than matplotlib: a dozen rows need a few rectangles and lines, and this
module costs nothing to import (matplotlib.pyplot's import measured 0.57–0.86 s on the
development machine, a fifth of a whole build of the review).
The drawing is 360 units wide so that on a 390-pixel phone it is shown at about its natural
size and the labels stay readable (on wider screens the stylesheet caps it). Each result takes
two lines, the trial and cohort across the whole width above its bar, so long cohort names
never squeeze the plot.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 360
PLOT_X0, PLOT_X1 = 14, 250  # the figures are printed to the right of the plot
ROW_H = 40
GROUP_H = 24
TOP = 8
AXIS_H = 58
FONT = 12
SMALL = 10.5


@dataclass(frozen=True)
class Row:
    group: str  # e.g. 'Progression-free survival'
    label: str  # trial
    sublabel: str  # cohort
    hr: float
    low: float
    high: float
    text: str  # the figure as printed beside the label, e.g. '0.65 (0.50–0.85)'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def domain(rows: Iterable[Row]) -> tuple[float, float]:
    """Powers of two around every interval and the line of no effect."""
    lo = min([r.low for r in rows] + [1.0])
    hi = max([r.high for r in rows] + [1.0])
    return 2.0 ** math.floor(math.log2(lo)), 2.0 ** math.ceil(math.log2(hi))


def ticks(lo: float, hi: float) -> list[float]:
    out, t = [], lo
    while t <= hi * 1.0001:
        out.append(t)
        t *= 2
    return out


def _x(value: float, lo: float, hi: float) -> float:
    return PLOT_X0 + (math.log(value) - math.log(lo)) / (math.log(hi) - math.log(lo)) * (PLOT_X1 - PLOT_X0)


def _tick_label(t: float) -> str:
    return f"{t:g}"


def svg(rows: list[Row], title: str, description: str, axis_label: str, favours_left: str,
        favours_right: str, svg_id: str = "forest") -> str:
    """The plot; ``title`` and ``description`` are what a screen reader announces."""
    lo, hi = domain(rows)
    groups: list[str] = []
    for r in rows:
        if r.group not in groups:
            groups.append(r.group)
    height = TOP + len(groups) * GROUP_H + len(rows) * ROW_H + AXIS_H
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="rk-forest" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" '
             f'font-size="{FONT}" font-family="inherit">',
             f'<title id="{svg_id}-title">{_esc(title)}</title>',
             f'<desc id="{svg_id}-desc">{_esc(description)}</desc>']
    y = TOP
    one = _x(1.0, lo, hi)
    for group in groups:
        parts.append(f'<text x="0" y="{y + 16}" font-weight="bold">{_esc(group)}</text>')
        y += GROUP_H
        for r in (r for r in rows if r.group == group):
            cy = y + 27
            parts.append(f'<text x="0" y="{y + 13}" font-weight="bold">{_esc(r.label)}'
                         f'<tspan font-weight="normal" font-size="{SMALL}"> {_esc(r.sublabel)}</tspan></text>')
            # the line of no effect, drawn beside each bar only, so it never crosses a label
            parts.append(f'<line x1="{one:.1f}" y1="{y + 18}" x2="{one:.1f}" y2="{y + ROW_H}" stroke="currentColor" '
                         f'stroke-dasharray="3 3" class="rk-forest-null"/>')
            x0, x1, xm = _x(max(r.low, lo), lo, hi), _x(min(r.high, hi), lo, hi), _x(r.hr, lo, hi)
            parts.append(f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" stroke="currentColor" stroke-width="1.5"/>')
            parts.append(f'<rect x="{xm - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="currentColor"/>')
            parts.append(f'<text x="{WIDTH}" y="{cy + 4:.1f}" font-size="{SMALL}" text-anchor="end">{_esc(r.text)}</text>')
            y += ROW_H
    plot_bottom = y
    parts.append(f'<line x1="{PLOT_X0}" y1="{plot_bottom}" x2="{PLOT_X1}" y2="{plot_bottom}" stroke="currentColor"/>')
    for t in ticks(lo, hi):
        tx = _x(t, lo, hi)
        parts.append(f'<line x1="{tx:.1f}" y1="{plot_bottom}" x2="{tx:.1f}" y2="{plot_bottom + 4}" stroke="currentColor"/>')
        parts.append(f'<text x="{tx:.1f}" y="{plot_bottom + 16}" text-anchor="middle" font-size="{SMALL}">{_tick_label(t)}</text>')
    mid = (PLOT_X0 + PLOT_X1) / 2
    parts.append(f'<text x="{mid:.1f}" y="{plot_bottom + 31}" text-anchor="middle" font-size="{SMALL}">{_esc(axis_label)}</text>')
    parts.append(f'<text x="{one - 3:.1f}" y="{plot_bottom + 46}" text-anchor="end" font-size="{SMALL}">← {_esc(favours_left)}</text>')
    parts.append(f'<text x="{one + 3:.1f}" y="{plot_bottom + 46}" text-anchor="start" font-size="{SMALL}">{_esc(favours_right)} →</text>')
    parts.append("</svg>")
    return "".join(p for p in parts if p)

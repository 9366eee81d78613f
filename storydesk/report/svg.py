"""The story timeline as an inline SVG, drawn at build time so the report needs no script or library.

Layout: one row per entry (so labels never overlap, 1–60 entries stay readable), a shared time axis
with dated ticks across the top, a dot for a day and a bar spanning the period for a month, season or
year, then the entry's short label and its number of sources. When a few entries lie far before the rest
(a 1975 precedent in a 2021 story), the axis starts at the bulk of the entries and those few are drawn as
arrows at its left edge, so one old date does not squeeze every recent one into a corner.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from storydesk.model import TimelineEntry

WIDTH = 960
DATE_W = 112  # left column: the date label at its precision
PLOT_X0, PLOT_X1 = DATE_W + 8, 440  # the time axis
LABEL_X = PLOT_X1 + 16
LABEL_CHARS = 56  # what fits, with the source count, between LABEL_X and the right edge at 13px
ROW_H, TOP, BOTTOM = 24, 40, 12
REPEAT_AXIS_AFTER = 15  # rows; longer timelines get tick labels at the bottom too
MONTHS_PER_PERIOD = {"month": 1, "season": 3, "year": 12}
OUTLIER_SHARE = 0.2  # at most this share of entries may sit before the axis start
OUTLIER_SPREAD = 4  # ... and only when keeping them would stretch the axis this many times


def timeline_svg(entries: list[TimelineEntry]) -> str:
    """Inline SVG markup for timeline entries; every label is escaped."""
    rows = [(e, _period(e)) for e in entries]
    rows.sort(key=lambda r: (r[1][0], r[1][1]))
    if not rows:
        return ""
    hi = max(e for _, (_, e) in rows)
    lo = _axis_start([s for _, (s, _) in rows], hi)
    scale = _scale(lo, hi)
    height = TOP + ROW_H * len(rows) + BOTTOM + (20 if len(rows) > REPEAT_AXIS_AFTER else 0)
    parts = [
        f'<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" font-family="system-ui, sans-serif" font-size="13" '
        f'aria-label="Timeline of {len(rows)} dated events, {_tick_label(lo, "month")} to '
        f'{_tick_label(hi - dt.timedelta(days=1), "month")}">',
    ]
    parts += _axis(lo, hi, scale, height)
    for i, (entry, (start, end)) in enumerate(rows):
        parts.append(_row(TOP + ROW_H * i + ROW_H / 2, entry, start, end, scale))
    parts.append("</svg>")
    return "\n".join(parts)


def _period(entry: TimelineEntry) -> tuple[dt.date, dt.date]:
    """[start, end) of the entry's period."""
    start = entry.start
    months = MONTHS_PER_PERIOD.get(entry.precision)
    return start, _add_months(start, months) if months else start + dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _axis_start(starts: list[dt.date], hi: dt.date) -> dt.date:
    """The earliest start, unless a few outlying early entries would stretch the axis OUTLIER_SPREAD times."""
    starts = sorted(starts)
    cuts = range(1, max(1, int(len(starts) * OUTLIER_SHARE)) + 1)
    if len(starts) < 2:
        return starts[0]
    bulk = starts[max(cuts, key=lambda i: (starts[i] - starts[i - 1], -i))]  # after the widest early gap
    focus = max((hi - bulk).days, 1)
    if (hi - starts[0]).days <= OUTLIER_SPREAD * focus:
        return starts[0]
    return bulk - dt.timedelta(days=max(1, focus // 20))


def _scale(lo: dt.date, hi: dt.date):
    """Map a date to an x between PLOT_X0 and PLOT_X1; dates before `lo` sit at the left edge."""
    total = max((hi - lo).days, 1)

    def x(day: dt.date) -> float:
        return PLOT_X0 + (PLOT_X1 - PLOT_X0) * max((day - lo).days, 0) / total

    return x


def _ticks(lo: dt.date, hi: dt.date) -> tuple[list[dt.date], str]:
    """A few ticks on year, month or day boundaries, spaced so their labels never touch."""
    days = (hi - lo).days
    if days > 2 * 365:
        step = max(1, (hi.year - lo.year + 5) // 6)
        years = range(lo.year + (lo != dt.date(lo.year, 1, 1)), hi.year + 1, step)
        return [dt.date(y, 1, 1) for y in years], "year"
    if days > 62:
        first = lo if lo.day == 1 else _add_months(lo, 1)
        months = (hi.year - first.year) * 12 + hi.month - first.month + 1
        step = max(1, (months + 3) // 4)
        return [d for k in range(0, months, step) if (d := _add_months(first, k)) <= hi], "month"
    step = max(1, (days + 4) // 5)
    return [lo + dt.timedelta(days=k) for k in range(0, days + 1, step)], "day"


def _tick_label(day: dt.date, unit: str) -> str:
    return {"year": f"{day.year}", "month": f"{day:%b %Y}", "day": f"{day.day} {day:%b}"}[unit]


def _axis(lo: dt.date, hi: dt.date, x, height: int) -> list[str]:
    """The axis line, grid lines and tick labels (repeated at the bottom for long timelines)."""
    ticks, unit = _ticks(lo, hi)
    repeat = height - BOTTOM - TOP > ROW_H * REPEAT_AXIS_AFTER
    grid_end = height - BOTTOM - (16 if repeat else 0)
    label_ys = [TOP - 14, height - BOTTOM] if repeat else [TOP - 14]
    parts = [
        f'<line class="axis" x1="{PLOT_X0}" y1="{TOP - 6}" x2="{PLOT_X1}" y2="{TOP - 6}" stroke="#6b7280"/>'
    ]
    for day in ticks:
        tx, label = round(x(day), 1), _tick_label(day, unit)
        parts.append(
            f'<line class="grid" x1="{tx}" y1="{TOP - 10}" x2="{tx}" y2="{grid_end}" stroke="#e5e7eb"/>'
        )
        parts += [
            f'<text x="{tx}" y="{ty}" text-anchor="middle" fill="#4b5563" font-size="11">{label}</text>'
            for ty in label_ys
        ]
    return parts


def _row(y: float, entry: TimelineEntry, start: dt.date, end: dt.date, x) -> str:
    """One entry: date label, dot or period bar, short label with its source count, full text on hover."""
    precision = entry.precision
    text = " ".join(entry.text.split())
    label = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
    n = len(entry.sources)
    if x(end) <= PLOT_X0:  # before the axis start: an arrow at the left edge
        marker = f'<path class="before-axis" d="M{PLOT_X0} {y} l9 -6 v12 z" fill="#6b7280"/>'
    elif precision == "day":
        marker = f'<circle cx="{x(start):.1f}" cy="{y}" r="5" fill="#1d4ed8"/>'
    else:
        x0, x1 = x(start), max(x(end), x(start) + 6)
        marker = (
            f'<rect x="{x0:.1f}" y="{y - 4}" width="{x1 - x0:.1f}" height="8" rx="3" '
            f'fill="#93c5fd" stroke="#1d4ed8"/>'
        )
    return (
        f'<g class="tl-entry" data-precision="{escape(precision)}">'
        f"<title>{escape(entry.date)} ({escape(precision)}): {escape(text)}</title>"
        f'<text x="{DATE_W}" y="{y + 4}" text-anchor="end" fill="#111827" '
        f'font-variant-numeric="tabular-nums">{escape(entry.date)}</text>'
        f"{marker}"
        f'<text x="{LABEL_X}" y="{y + 4}" fill="#111827">{escape(label)}'
        f'<tspan fill="#6b7280" font-size="11"> · {n} source{"" if n == 1 else "s"}</tspan></text></g>'
    )

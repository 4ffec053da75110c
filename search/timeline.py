"""A query's matches over time: buckets of a day, a week or a month, gaps filled with zeros.

Input: articles per day (``Engine.days``); output: the ``timeline`` of the JSON and
the chart.  The bucket is chosen from the span of the dates: a day up to
``DAY_SPAN`` days, a week (starting on Monday) up to ``WEEK_SPAN``, a month beyond.
``share``: each bucket's matches as a share of all the collection's articles in it.
"""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

UNITS = ("day", "week", "month")
DAY_SPAN = 92
WEEK_SPAN = 731
#: The chart's drawing box (it is scaled to the page's width).
SVG_WIDTH, SVG_HEIGHT = 720, 180


def choose_unit(first: date, last: date) -> str:
    span = (last - first).days + 1
    return "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"


def bucket_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _label(start: date, unit: str) -> str:
    return start.strftime("%Y-%m") if unit == "month" else start.isoformat()


def _bucketed(days: dict[str, int], unit: str) -> dict[date, int]:
    out: dict[date, int] = {}
    for day, n in days.items():
        start = bucket_start(date.fromisoformat(day), unit)
        out[start] = out.get(start, 0) + n
    return out


def timeline(per_day: dict, unit: str | None = None, all_days: dict | None = None) -> dict:
    """``{"unit", "buckets": [{"start", "count"(, "share")(, "sources")}], "undated", "total"}``
    from :meth:`Engine.days` output; ``unit`` None: chosen from the span; ``all_days``: the
    whole collection's ``days`` (adds each bucket's ``share``)."""
    days, sources = per_day["days"], per_day.get("sources") or {}
    out = {"unit": unit, "buckets": [], "undated": per_day["undated"], "total": sum(days.values())}
    if not days:
        out["unit"] = unit or "day"
        return out
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    unit = unit or choose_unit(first, last)
    out["unit"] = unit
    counts = _bucketed(days, unit)
    totals = _bucketed(all_days, unit) if all_days is not None else None
    by_source = {s: _bucketed(d, unit) for s, d in sources.items()}
    start, end = bucket_start(first, unit), bucket_start(last, unit)
    while start <= end:
        bucket = {"start": _label(start, unit), "count": counts.get(start, 0)}
        if totals is not None:
            whole = totals.get(start, 0)
            bucket["share"] = round(bucket["count"] / whole, 4) if whole else 0.0
        if by_source:
            bucket["sources"] = {s: c.get(start, 0) for s, c in sorted(by_source.items())}
        out["buckets"].append(bucket)
        start = _next(start, unit)
    return out


def svg(tl: dict, share: bool = False) -> str:
    """The timeline as an SVG bar chart (escaped; the page's table says the same in text):
    one bar per bucket, or stacked per outlet when the buckets carry ``sources``."""
    buckets = tl["buckets"]
    if not buckets:
        return ""
    key = "share" if share and "share" in buckets[0] else "count"
    top = max(b[key] for b in buckets) or 1
    width = SVG_WIDTH / len(buckets)
    sources = sorted(buckets[0].get("sources", {}))
    parts = [f'<svg class="timeline-chart" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT + 20}" role="img" '
             f'aria-labelledby="timeline-h" preserveAspectRatio="none">']
    for n, b in enumerate(buckets):
        x = n * width
        label = f"{b['start']}: {b['count']}" + (f" ({b['share']:.1%})" if "share" in b else "")
        if sources and key == "count":
            y = SVG_HEIGHT
            for k, s in enumerate(sources):
                h = SVG_HEIGHT * b["sources"][s] / top
                y -= h
                parts.append(f'<rect class="s{k % 6}" x="{x:.1f}" y="{y:.1f}" width="{max(width - 1, 0.5):.1f}" '
                             f'height="{h:.1f}"><title>{escape(label)} — {escape(s)}: {b["sources"][s]}</title></rect>')
        else:
            h = SVG_HEIGHT * b[key] / top
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{SVG_HEIGHT - h:.1f}" width="{max(width - 1, 0.5):.1f}" '
                         f'height="{h:.1f}"><title>{escape(label)}</title></rect>')
    parts.append(f'<text x="0" y="{SVG_HEIGHT + 16}" class="axis">{escape(buckets[0]["start"])}</text>')
    parts.append(f'<text x="{SVG_WIDTH}" y="{SVG_HEIGHT + 16}" text-anchor="end" class="axis">'
                 f'{escape(buckets[-1]["start"])}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""A query's matches over time: buckets of a day, a week, a month or longer, gaps filled with zeros.

Input: articles per day (``Engine.days``); output: the ``timeline`` of the JSON and
the chart.  The bucket is chosen from the span of the dates: a day up to
``DAY_SPAN`` days, a week (starting on Monday) up to ``WEEK_SPAN``, beyond that the
finest of a month, a quarter, a year, a decade or a century that gives at most
``MAX_BUCKETS`` buckets (a century always does: the calendar has years 1 to 9999).
Buckets are numbered, not stepped through as dates, so no date near the calendar's
ends overflows; a day that does not parse counts with the undated.
``series``: at most ``MAX_SERIES`` outlets, the most frequent, the rest summed as ``other``.
``share``: each bucket's matches as a share of all the collection's articles in it.
"""
from __future__ import annotations

from datetime import date
from html import escape

UNITS = ("day", "week", "month", "quarter", "year", "decade", "century")
DAY_SPAN = 92
WEEK_SPAN = 731
#: The most buckets a timeline has, whatever its dates.
MAX_BUCKETS = 400
#: The most series drawn (one colour each: the stylesheet's s0 to s5): beyond, the first MAX_SERIES - 1 outlets and the others together.
MAX_SERIES = 6
#: Years in a bucket of each unit longer than a quarter.
_YEARS = {"year": 1, "decade": 10, "century": 100}
#: The chart's drawing box (it is scaled to the page's width).
SVG_WIDTH, SVG_HEIGHT = 720, 180


def bucket_number(day: date, unit: str) -> int:
    """The bucket holding ``day``, as a number that grows by one from a bucket to the next."""
    if unit == "day":
        return day.toordinal()
    if unit == "week":
        return (day.toordinal() - 1) // 7  # day 1 (1 January of year 1) was a Monday
    if unit == "month":
        return day.year * 12 + day.month - 1
    if unit == "quarter":
        return (day.year * 12 + day.month - 1) // 3
    return day.year // _YEARS[unit]


def bucket_label(number: int, unit: str) -> str:
    """A bucket's first day as the JSON gives it: «2021-03-01» (day, week), «2021-03» (month,
    quarter), «2021» (year), «2020» (decade), «1900» (century); a decade or century that would
    start before year 1 starts at year 1 («0001»)."""
    if unit == "day":
        return date.fromordinal(number).isoformat()
    if unit == "week":
        return date.fromordinal(number * 7 + 1).isoformat()
    if unit in ("month", "quarter"):
        month = number * 3 if unit == "quarter" else number
        return f"{month // 12:04d}-{month % 12 + 1:02d}"
    return f"{max(number * _YEARS[unit], 1):04d}"


def choose_unit(first: date, last: date, finest: str = "day") -> str:
    """The unit for dates from ``first`` to ``last``: a day or a week for short spans, else the
    finest unit (not finer than ``finest``) with at most MAX_BUCKETS buckets."""
    span = (last - first).days + 1
    units = UNITS[UNITS.index(finest):]
    if span > DAY_SPAN:
        units = tuple(u for u in units if u != "day")
    if span > WEEK_SPAN:
        units = tuple(u for u in units if u != "week")
    return next(u for u in units if bucket_number(last, u) - bucket_number(first, u) < MAX_BUCKETS)


def _dates(days: dict) -> tuple[dict[date, int], int]:
    """``{"YYYY-MM-DD": n}`` -> ``{date: n}``, and the articles of the days that do not parse."""
    out: dict[date, int] = {}
    bad = 0
    for day, n in days.items():
        try:
            out[date.fromisoformat(day)] = n
        except (TypeError, ValueError):
            bad += n
    return out, bad


def _bucketed(days: dict[date, int], unit: str) -> dict[int, int]:
    out: dict[int, int] = {}
    for day, n in days.items():
        b = bucket_number(day, unit)
        out[b] = out.get(b, 0) + n
    return out


def _series(sources: dict) -> tuple[dict[str, dict[date, int]], dict[date, int], int]:
    """The outlets drawn (at most MAX_SERIES, the most frequent, by name), the others' days
    summed, and how many outlets those are."""
    parsed = {s: _dates(d)[0] for s, d in sources.items()}
    if len(parsed) <= MAX_SERIES:
        return dict(sorted(parsed.items())), {}, 0
    ranked = sorted(parsed, key=lambda s: (-sum(parsed[s].values()), s))
    kept, rest = ranked[:MAX_SERIES - 1], ranked[MAX_SERIES - 1:]
    other: dict[date, int] = {}
    for s in rest:
        for day, n in parsed[s].items():
            other[day] = other.get(day, 0) + n
    return {s: parsed[s] for s in sorted(kept)}, other, len(rest)


def timeline(per_day: dict, unit: str | None = None, all_days: dict | None = None) -> dict:
    """``{"unit", "buckets": [{"start", "count"(, "share")(, "sources"(, "other"))}], "undated",
    "total"(, "other_sources")}`` from :meth:`Engine.days` output; ``unit``: the finest wanted
    (None: chosen from the span; a coarser one when it would make more than MAX_BUCKETS);
    ``all_days``: the whole collection's ``days`` (adds each bucket's ``share``).  With more
    than MAX_SERIES outlets, ``sources`` holds the first MAX_SERIES - 1 by count, ``other`` the
    rest's matches in the bucket and ``other_sources`` how many outlets they are."""
    days, bad = _dates(per_day["days"])
    out: dict = {"unit": unit or "day", "buckets": [], "undated": per_day["undated"] + bad, "total": sum(days.values())}
    if not days:
        return out
    first, last = min(days), max(days)
    unit = out["unit"] = choose_unit(first, last, unit or "day")
    counts = _bucketed(days, unit)
    totals = _bucketed(_dates(all_days)[0], unit) if all_days is not None else None
    shown, other, folded = _series(per_day.get("sources") or {})
    by_source = {s: _bucketed(d, unit) for s, d in shown.items()}
    other_counts = _bucketed(other, unit)
    if folded:
        out["other_sources"] = folded
    for number in range(bucket_number(first, unit), bucket_number(last, unit) + 1):
        count = counts.get(number, 0)
        bucket: dict = {"start": bucket_label(number, unit), "count": count}
        if totals is not None:
            whole = totals.get(number, 0)
            bucket["share"] = round(count / whole, 4) if whole else 0.0
        if by_source:
            bucket["sources"] = {s: c.get(number, 0) for s, c in by_source.items()}
            if folded:
                bucket["other"] = other_counts.get(number, 0)
        out["buckets"].append(bucket)
    return out


def svg(tl: dict, share: bool = False) -> str:
    """The timeline as an SVG bar chart (escaped; the page's table says the same in text):
    one bar per bucket, or stacked per outlet (the other outlets last) when the buckets carry
    ``sources``; an empty bucket or outlet draws nothing."""
    buckets = tl["buckets"]
    if not buckets:
        return ""
    key = "share" if share and "share" in buckets[0] else "count"
    top = max(b[key] for b in buckets) or 1
    width = SVG_WIDTH / len(buckets)
    bar_width = f"{max(width - 1, 0.5):.1f}"
    series = list(buckets[0].get("sources", {}))
    parts = [f'<svg class="timeline-chart" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT + 20}" role="img" '
             f'aria-labelledby="timeline-h" preserveAspectRatio="none">']
    for n, b in enumerate(buckets):
        x = n * width
        label = f"{b['start']}: {b['count']}" + (f" ({b['share']:.1%})" if "share" in b else "")
        if series and key == "count":
            y = SVG_HEIGHT
            stack = [(f"s{k % MAX_SERIES}", s, b["sources"][s]) for k, s in enumerate(series)]
            if "other" in b:
                stack.append((f"s{MAX_SERIES - 1}", f"مصادر أخرى ({tl.get('other_sources', 0)})", b["other"]))
            for cls, name, count in stack:
                if not count:
                    continue
                h = SVG_HEIGHT * count / top
                y -= h
                parts.append(f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{bar_width}" '
                             f'height="{h:.1f}"><title>{escape(label)} — {escape(name)}: {count}</title></rect>')
        elif b[key]:
            h = SVG_HEIGHT * b[key] / top
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{SVG_HEIGHT - h:.1f}" width="{bar_width}" '
                         f'height="{h:.1f}"><title>{escape(label)}</title></rect>')
    parts.append(f'<text x="0" y="{SVG_HEIGHT + 16}" class="axis">{escape(buckets[0]["start"])}</text>')
    parts.append(f'<text x="{SVG_WIDTH}" y="{SVG_HEIGHT + 16}" text-anchor="end" class="axis">'
                 f'{escape(buckets[-1]["start"])}</text>')
    parts.append("</svg>")
    return "".join(parts)

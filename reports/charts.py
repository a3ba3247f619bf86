"""The dashboard's charts, drawn as SVG on the server from the same rows as its tables.

No chart library reaches the browser: the page is readable and its links work as soon as the
HTML has arrived (the province dashboard must be usable within a second of signing in, on
intranet machines), and the charts print. Each mark carries a ``<title>`` with its figure,
which browsers show on hover; map areas are links that drill down.

Money axes are in 万元, or in 亿元 once the largest figure reaches 1 亿元, with plain numbers
and thousands separators on the ticks (never "40k"); the unit is in the axis title. Texts go
through the translation machinery like any other chrome; place names are data.
"""

import math
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from gansu_sme import formatting

from .geo import LANZHOU_NEW_AREA, gansu_map

TEN_THOUSAND = Decimal(10_000)
MONTH_TICKS = (
    pgettext_lazy("month on a chart axis", "Jan"),
    pgettext_lazy("month on a chart axis", "Feb"),
    pgettext_lazy("month on a chart axis", "Mar"),
    pgettext_lazy("month on a chart axis", "Apr"),
    pgettext_lazy("month on a chart axis", "May"),
    pgettext_lazy("month on a chart axis", "Jun"),
    pgettext_lazy("month on a chart axis", "Jul"),
    pgettext_lazy("month on a chart axis", "Aug"),
    pgettext_lazy("month on a chart axis", "Sep"),
    pgettext_lazy("month on a chart axis", "Oct"),
    pgettext_lazy("month on a chart axis", "Nov"),
    pgettext_lazy("month on a chart axis", "Dec"),
)
CLASSES = 5


def money_unit(largest):
    """(divisor, unit label) for an axis of figures in 万元: 亿元 from 1 亿元 up."""
    if largest is not None and Decimal(largest) >= TEN_THOUSAND:
        return TEN_THOUSAND, _("100 million yuan")
    return Decimal(1), _("10k yuan")


def nice_ticks(largest, count=5):
    """Round tick values from 0 to at least ``largest``: steps of 1, 2, 2.5 or 5 × 10^k."""
    largest = float(largest or 0)
    if largest <= 0:
        return [0.0, 1.0]
    rough = largest / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    ticks = [0.0]
    while ticks[-1] < largest - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def tick_label(value, ticks):
    """A tick value with the decimals its step needs and thousands separators."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    places = 0 if float(step).is_integer() else (1 if float(step * 10).is_integer() else 2)
    return formatting.number(Decimal(str(value)), places)


def _svg(width, height, body, label):
    return format_html(
        '<svg class="svg-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width, height, label, mark_safe(body),
    )


# -- monthly trend -------------------------------------------------------------------------

TREND = {"width": 960, "height": 280, "left": 64, "right": 16, "top": 34, "bottom": 34}
SERIES = (
    ("operating_revenue", "#1F4E79"),
    ("taxes", "#C55A11"),
)


def trend_chart(rows, *, year):
    """Operating revenue and taxes per month of ``year`` as lines. Months still being filed
    (``incomplete``) are drawn apart, as hollow markers labelled as such, never joined to the
    line: a partly filed month is not a fall."""
    names = {"operating_revenue": _("Operating revenue"), "taxes": _("Taxes paid")}
    largest = max(
        (Decimal(row[key]) for row in rows for key, _colour in SERIES if row[key] is not None),
        default=Decimal(0),
    )
    divisor, unit = money_unit(largest)
    ticks = nice_ticks(largest / divisor)
    width, height = TREND["width"], TREND["height"]
    left, right, top, bottom = TREND["left"], TREND["right"], TREND["top"], TREND["bottom"]
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / 12

    def x(month):
        return left + slot * (month - 0.5)

    def y(value):
        return top + plot_h * (1 - float(Decimal(value) / divisor) / ticks[-1])

    axis_title = _("Amount (%(unit)s)") % {"unit": unit}
    partial = _("Still being filed (partial)")
    # Under a month whose reports are still coming in.
    filing = pgettext("chart mark", "filing")
    parts = []
    for tick in ticks:
        ty = top + plot_h * (1 - tick / ticks[-1])
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{escape(tick_label(tick, ticks))}</text>"
        )
    parts.append(
        f'<text class="axis-title" x="{left}" y="14">'
        f"{escape(axis_title)}</text>"
    )
    for month in range(1, 13):
        parts.append(
            f'<text class="tick" x="{x(month):.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{escape(MONTH_TICKS[month - 1])}</text>'
        )
    legend_x = left + 240
    for key, colour in SERIES:
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 18}" y1="10" y2="10" stroke="{colour}" '
            f'stroke-width="2.5"/><text class="legend" x="{legend_x + 22}" y="14">'
            f"{escape(names[key])}</text>"
        )
        legend_x += 150
    if any(row["incomplete"] for row in rows):
        parts.append(
            f'<circle cx="{legend_x + 6}" cy="10" r="4" class="incomplete-mark"/>'
            f'<text class="legend" x="{legend_x + 14}" y="14">'
            f"{escape(partial)}</text>"
        )
    for key, colour in SERIES:
        complete = [row for row in rows if not row["incomplete"] and row[key] is not None]
        points = " ".join(f"{x(row['period']):.1f},{y(row[key]):.1f}" for row in complete)
        if len(complete) > 1:
            parts.append(
                f'<polyline class="series" data-series="{key}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5" points="{points}"/>'
            )
        for row in rows:
            if row[key] is None:
                continue
            text = _("%(month)s: %(figure)s %(amount)s 10k yuan, %(firms)s firms filed") % {
                "month": formatting.month(year, row["period"]),
                "figure": names[key],
                "amount": formatting.wanyuan(row[key]),
                "firms": formatting.number(row["firms"]),
            }
            if row["incomplete"]:
                text = _("%(text)s (still being filed)") % {"text": text}
                parts.append(
                    f'<circle class="point incomplete-mark" data-series="{key}" '
                    f'data-month="{row["period"]}" data-incomplete="1" cx="{x(row["period"]):.1f}" '
                    f'cy="{y(row[key]):.1f}" r="5" stroke="{colour}"><title>{escape(text)}</title>'
                    "</circle>"
                )
            else:
                parts.append(
                    f'<circle class="point" data-series="{key}" data-month="{row["period"]}" '
                    f'cx="{x(row["period"]):.1f}" cy="{y(row[key]):.1f}" r="3.5" '
                    f'fill="{colour}"><title>{escape(text)}</title></circle>'
                )
    for row in rows:
        if row["incomplete"]:
            parts.append(
                f'<text class="incomplete-label" x="{x(row["period"]):.1f}" '
                f'y="{top + 12}" text-anchor="middle">{escape(filing)}</text>'
            )
    label = _("Operating revenue and taxes paid by month; the same figures are in the table.")
    return _svg(width, height, "".join(parts), label)


# -- map of the prefectures ----------------------------------------------------------------


def classes(values):
    """Upper bounds of at most ``CLASSES`` classes of whole counts from 1 to the largest
    value: one class per count while there are few, else equal steps."""
    largest = max((v for v in values if v is not None), default=0)
    if not largest:
        return []
    if largest <= CLASSES:
        return list(range(1, int(largest) + 1))
    step = math.ceil(largest / CLASSES)
    return [step * (i + 1) for i in range(CLASSES)]


def _class_of(value, bounds):
    """The colour class (0 for none, up to ``CLASSES``) of a count."""
    if not value or not bounds:
        return 0
    for index, bound in enumerate(bounds, start=1):
        if value <= bound:
            return index if len(bounds) == CLASSES else CLASSES - len(bounds) + index
    return CLASSES


def short_name(name):
    """兰州市 → 兰州, 临夏回族自治州 → 临夏: the map has room for short names only."""
    for suffix in ("回族自治州", "藏族自治州", "自治州", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def map_chart(*, values, describe, link, selected=None):
    """A choropleth of the prefectures: ``values`` maps division codes to a count (None where
    the region has no figure), ``describe(code)`` gives the tooltip of an area, ``link(code)``
    its drill-down address or None. 兰州新区 (no outline in the data) is a marker.

    Returns (svg, legend): the legend as (class, low, high) triples for the template.
    """
    geo = gansu_map()
    # Short names read well in Chinese; other languages get the names as stored (data).
    short = formatting.is_chinese()
    bounds = classes(list(values.values()))
    parts = []
    labels = []
    for outline in geo.outlines:
        value = values.get(outline.code)
        css = f"area c{_class_of(value, bounds)}"
        if selected and outline.code == selected:
            css += " selected"
        shape = (
            f'<path class="{css}" data-region="{outline.code}" d="{outline.path}">'
            f"<title>{escape(describe(outline.code))}</title></path>"
        )
        href = link(outline.code)
        if href:
            shape = f'<a href="{escape(href)}">{shape}</a>'
        parts.append(shape)
        lx, ly = outline.label
        name = short_name(outline.name) if short else outline.name
        labels.append(
            f'<text class="area-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    nx, ny = geo.new_area
    value = values.get(LANZHOU_NEW_AREA)
    css = f"marker c{_class_of(value, bounds)}"
    if selected == LANZHOU_NEW_AREA:
        css += " selected"
    marker = (
        f'<circle class="{css}" data-region="{LANZHOU_NEW_AREA}" cx="{nx:.1f}" cy="{ny:.1f}" '
        f'r="6"><title>{escape(describe(LANZHOU_NEW_AREA))}</title></circle>'
    )
    href = link(LANZHOU_NEW_AREA)
    if href:
        marker = f'<a href="{escape(href)}">{marker}</a>'
    parts.append(marker)
    labels.append(
        # A place name (the region's stored name), not chrome.
        f'<text class="area-label marker-label" x="{nx - 9:.1f}" y="{ny - 4:.1f}" '
        f'text-anchor="end">兰州新区</text>'
    )
    svg = _svg(
        geo.width, geo.height, "".join(parts) + "".join(labels),
        _("Map of the prefectures of Gansu; the same figures are in the table."),
    )
    legend = []
    low = 1
    for index, bound in enumerate(bounds, start=1):
        # With fewer classes than colours, the darkest colours go to the largest counts.
        shade = index if len(bounds) == CLASSES else CLASSES - len(bounds) + index
        legend.append((shade, low, bound))
        low = bound + 1
    return svg, legend

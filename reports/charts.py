"""Plotly figures of the dashboard, built on the server from the same rows as its tables.

Labels are Chinese whatever the page's language, as the printed forms are; the page shows the
same numbers as tables for screen readers and for anyone who prefers them.
"""

FONT = {"family": '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'}


def _layout(**extra):
    return {
        "font": FONT,
        "margin": {"t": 20, "r": 60, "b": 60, "l": 70},
        "height": 320,
        **extra,
    }


def funnel_chart(funnel):
    return {
        "data": [
            {
                "type": "funnel",
                "y": ["培育库在库企业", "省级专精特新（有效）", "国家级小巨人（有效）"],
                "x": [funnel["pool"], funnel["certified"], funnel["little_giant"]],
                "textinfo": "value",
                "marker": {"color": ["#1F4E79", "#2E75B6", "#9DC3E6"]},
            }
        ],
        "layout": _layout(margin={"t": 20, "r": 20, "b": 20, "l": 170}),
    }


def targets_chart(rows):
    labels = [f"{row['region']}·{row['metric']}" for row in rows]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "完成率（%）",
                "y": labels,
                "x": [_number(row["percent"]) for row in rows],
                "marker": {"color": "#2E75B6"},
            }
        ],
        "layout": _layout(
            height=max(240, 26 * len(rows) + 80),
            margin={"t": 20, "r": 30, "b": 40, "l": 260},
            xaxis={"title": {"text": "完成率（%）"}, "rangemode": "tozero"},
            yaxis={"automargin": True, "autorange": "reversed"},
            shapes=[
                {
                    "type": "line", "x0": 100, "x1": 100, "yref": "paper", "y0": 0, "y1": 1,
                    "line": {"color": "#C00000", "dash": "dash"},
                }
            ],
        ),
    }


def _number(value):
    return None if value is None else float(value)


def trend_chart(rows):
    months = [f"{row['period']}月" for row in rows]
    return {
        "data": [
            {
                "type": "scatter", "mode": "lines+markers", "name": "营业收入（万元）",
                "x": months, "y": [_number(row["operating_revenue"]) for row in rows],
            },
            {
                "type": "scatter", "mode": "lines+markers", "name": "实缴税金（万元）",
                "x": months, "y": [_number(row["taxes"]) for row in rows],
            },
            {
                "type": "bar", "name": "从业人员（人）", "yaxis": "y2", "width": 0.35,
                "x": months, "y": [_number(row["employees"]) for row in rows],
                "marker": {"color": "rgba(20, 72, 154, 0.18)"},
            },
        ],
        "layout": _layout(
            xaxis={"title": {"text": "月份"}, "type": "category"},
            yaxis={"title": {"text": "金额（万元）"}, "rangemode": "tozero"},
            yaxis2={
                "title": {"text": "从业人员（人）"}, "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False,
            },
            legend={"orientation": "h", "y": -0.3},
        ),
    }

"""How evaluations and application lists read on the pages: one place for labels and order."""

import re
from dataclasses import dataclass

from django.utils import translation

from certification.choices import ItemKind, Verdict
from certification.rubric import FIGURE_LABELS, METRICS

_BY_YEAR = re.compile(r"^(?P<name>.+)_(?P<year>\d{4})$")
VERDICT_BADGE = {
    Verdict.PASS: "ok",
    Verdict.FAIL: "fail",
    Verdict.SCORED: "scored",
    Verdict.UNKNOWN: "unknown",
}


def _chinese():
    return (translation.get_language() or "").startswith("zh")


def figure_label(key):
    """The label of a figure an item used: a report figure, a metric, or a figure of a year."""
    zh_first = _chinese()
    labels = FIGURE_LABELS.get(key)
    if labels is None and key in METRICS:
        labels = (METRICS[key].label, METRICS[key].label_en)
    if labels is not None:
        return labels[0] if zh_first else labels[1]
    match = _BY_YEAR.match(key)
    if match and match["name"] in FIGURE_LABELS:
        zh, en = FIGURE_LABELS[match["name"]]
        return f"{match['year']}年{zh}" if zh_first else f"{en} {match['year']}"
    return key


@dataclass(frozen=True)
class ItemRow:
    code: str
    title: str
    kind: str
    verdict: str
    verdict_label: str
    badge: str
    points: str
    max_points: str
    band: str
    reasons: list
    figures: list


def precheck_rows(results, summary):
    """Rows of the pre-check table from an evaluation's ``results`` and ``summary`` JSON:
    code, title, verdict, points, the reasons given for the item and the figures used."""
    zh_first = _chinese()
    reasons = {}
    for reason in summary.get("reasons", []):
        reasons.setdefault(reason.get("item"), []).append(
            reason["zh"] if zh_first else reason["en"]
        )
    rows = []
    for result in results:
        verdict = result["verdict"]
        rows.append(
            ItemRow(
                code=result["code"],
                title=result["title"] if zh_first else result["title_en"],
                kind=ItemKind(result["kind"]).label,
                verdict=verdict,
                verdict_label=Verdict(verdict).label,
                badge=VERDICT_BADGE[verdict],
                points=result.get("points") or "",
                max_points=result.get("max_points") or "",
                band=result.get("band") or "",
                reasons=reasons.get(result["code"], []),
                figures=[(figure_label(k), v) for k, v in (result.get("figures") or {}).items()],
            )
        )
    return rows


def summary_reasons(summary):
    """The reasons about the outcome as a whole (not tied to one item)."""
    zh_first = _chinese()
    return [
        reason["zh"] if zh_first else reason["en"]
        for reason in summary.get("reasons", [])
        if not reason.get("item")
    ]

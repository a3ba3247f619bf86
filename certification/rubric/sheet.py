"""The expert's score sheet as a document: every criterion of the rule set in order, in the page
language, with its tiers and their points, the figures the evaluation used, its verdict in
words, and beside each manual item what the filing county declared and the evidence to open.

Built from plain data (the rule set's items, the stored evaluation's results, the
application's declared entries and attachments); no database access.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from certification.choices import ItemKind, ItemMode, Verdict
from gansu_sme import formatting

from . import labels
from .criteria import band_for, is_ranged, to_decimal
from .metrics import METRICS

VERDICT_BADGE = {
    Verdict.PASS: "ok",
    Verdict.FAIL: "fail",
    Verdict.SCORED: "scored",
    Verdict.UNKNOWN: "unknown",
}
# Attachments that back manual entries; the financial statements back the automatic figures.
FINANCIAL = "financial"


@dataclass
class Tier:
    label: str
    points: str
    marked: bool = False


@dataclass
class TierGroup:
    heading: str
    tiers: list


@dataclass
class Declared:
    """What the filing county entered for a manual item: the value or points, and its note."""

    text: str
    evidence: str


@dataclass
class Criterion:
    code: str
    kind: str
    title: str
    description: str
    manual: bool
    scored_by_expert: bool
    max_points: str
    tier_groups: list
    tier_note: str
    figures: list
    verdict: str
    verdict_text: str
    badge: str
    points: str
    notes: list
    declared: Declared | None = None
    evidence_files: list = field(default_factory=list)
    # Set by the page: the expert's form fields (points, evidence), or their submitted entry.
    fields: tuple | None = None
    entry: dict | None = None


@dataclass
class Group:
    key: str
    title: str
    max_points: str
    rows: list


@dataclass
class Sheet:
    conditions: list
    routes: list
    groups: list
    vetoes: list
    pass_mark: str
    expert_max: str
    automatic_max: str

    @property
    def expert_codes(self):
        return [row.code for group in self.groups for row in group.rows if row.scored_by_expert]


def _bare_points(value):
    return "" if value is None or value == "" else formatting.number(value, 1)


def _band_text(band, unit, *, generated):
    if not generated or (band.get("min") is None and band.get("max") is None):
        return formatting.in_language(band.get("label", ""), band.get("label_en", ""))
    low, high = band.get("min"), band.get("max")
    if low is not None and high is not None:
        return _("%(low)s to under %(high)s") % {
            "low": labels.threshold(low, unit), "high": labels.threshold(high, unit)
        }
    if low is not None:
        return _("%(low)s or more") % {"low": labels.threshold(low, unit)}
    return _("under %(high)s") % {"high": labels.threshold(high, unit)}


def _tiers(bands, unit, marked_band, *, generated):
    return [
        Tier(
            label=_band_text(band, unit, generated=generated),
            points=labels.plain_points(band.get("points")),
            marked=band is marked_band,
        )
        for band in bands
    ]


def _marked_band(bands, result_band, points):
    """The band a stored result names (by its label, else by its points), or None."""
    if result_band:
        for band in bands:
            if band.get("label") == result_band:
                return band
    if points is not None:
        for band in bands:
            if to_decimal(band.get("points")) == to_decimal(points):
                return band
    return None


def reached_tier(item, result):
    """The tier an automatic result reached, as the page's language writes it ("" if none).

    Results store the tier by its Chinese rule label; the rule item's bands give its bounds.
    """
    reached = result.get("band") if result.get("verdict") == Verdict.SCORED else ""
    if not reached or item is None:
        return reached or ""
    choices = [{"metric": item.metric, "bands": item.bands}] if item.metric else item.alternatives
    for choice in choices:
        band = _marked_band(list(choice.get("bands") or []), reached, None)
        if band is not None:
            unit = METRICS[choice["metric"]].unit if choice.get("metric") in METRICS else None
            return _band_text(band, unit, generated=item.mode == ItemMode.AUTOMATIC)
    return formatting.in_language(reached, "")


def figure_rows(figures):
    """(label, value as it reads) of each figure an item used, in the page's language."""
    units = {key: metric.unit for key, metric in METRICS.items()}
    return [labels.figure(key, value, units) for key, value in (figures or {}).items()]


def _tier_groups(item, result, entry):
    """The item's tiers, with the one reached (automatic) or declared (manual) marked."""
    reached = result.get("band") if result.get("verdict") == Verdict.SCORED else ""
    if item.mode == ItemMode.AUTOMATIC:
        choices = (
            [{"metric": item.metric, "bands": item.bands}] if item.metric else item.alternatives
        )
        groups = []
        for choice in choices:
            bands = list(choice["bands"])
            unit = METRICS[choice["metric"]].unit
            marked = _marked_band(bands, reached, None) if reached else None
            heading = labels.metric_label(choice["metric"]) if len(choices) > 1 else ""
            groups.append(TierGroup(heading, _tiers(bands, unit, marked, generated=True)))
        return groups
    bands = list(item.bands)
    marked = None
    if entry is not None:
        if "value" in entry and is_ranged(bands):
            marked = band_for(bands, to_decimal(entry["value"]))
        elif "points" in entry:
            marked = _marked_band(bands, "", entry["points"])
    return [TierGroup("", _tiers(bands, None, marked, generated=False))] if bands else []


def _gap_text(gap):
    label, _value = labels.figure(
        f"{gap['figure']}_{gap['year']}" if gap.get("year") else gap["figure"], None, {}
    )
    if gap["problem"] == "zero":
        return _("%(figure)s is zero") % {"figure": label}
    if gap["problem"] == "undeclared":
        return _("%(figure)s not declared") % {"figure": label}
    if gap["problem"] == "not_classed":
        return _("The size standard classes no industry for this division")
    if gap["problem"] == "before_founding":
        return _("%(figure)s is before the founding date") % {"figure": label}
    return _("%(figure)s missing") % {"figure": label}


def _notes(result):
    notes = [_gap_text(gap) for gap in result.get("missing") or []]
    if result.get("needs_input"):
        notes.append(_("Awaits a manual entry with evidence"))
    if result.get("pending"):
        notes.append(_("Waits for %(codes)s") % {"codes": ", ".join(result["pending"])})
    if result.get("waived_by"):
        notes.append(
            _("Met through direct route %(codes)s") % {"codes": ", ".join(result["waived_by"])}
        )
    return notes


def _declared(item, entry):
    if entry is None:
        return None
    if "met" in entry:
        text = labels.verdict_label(Verdict.PASS if entry["met"] else Verdict.FAIL)
        if item.kind == ItemKind.VETO:
            # A veto's entry says whether the circumstance applies.
            text = _("Applies") if entry["met"] else _("Does not apply")
    elif "points" in entry:
        text = labels.plain_points(entry["points"])
    else:
        text = _("Value %(value)s") % {"value": labels.plain(entry["value"])}
    return Declared(text=text, evidence=entry.get("evidence", ""))


_BY_YEAR = re.compile(r"^(?P<name>.+)_(?P<year>\d{4})$")
_SCORE_FIGURES = ("total_points", "pass_mark")


def _figure_order(headline, groups):
    """Sort key of a figure: the score test's figures, the item's own metric, then each figure
    with its years together, oldest first."""

    def key(name):
        if name in _SCORE_FIGURES:
            return (0, _SCORE_FIGURES.index(name), "", 0)
        base = name.removesuffix("_minimum")
        if base in groups:
            return (1, groups.index(base), name, 0)
        if name in headline:
            return (2, headline.index(name), "", 0)
        match = _BY_YEAR.match(name)
        if match:
            return (3, 0, match["name"], int(match["year"]))
        return (3, 0, name, 0)

    return key


def _leaves(node):
    """The metrics a criteria tree reads, in the order the criteria state them."""
    if "metric" in node:
        return [node["metric"]]
    return [key for child in node.get("all") or node.get("any") or [] for key in _leaves(child)]


def _figures(item, result, declared_figures, groups):
    headline = [item.metric] if item.metric else [a["metric"] for a in item.alternatives]
    headline += _leaves(item.criteria or {})
    figures = result.get("figures") or {}
    rows = []
    for key in sorted(figures, key=_figure_order(headline, groups)):
        if key == "value":
            continue  # a manual value is shown as the county's declaration
        ((label, text),) = figure_rows({key: figures[key]})
        evidence = (declared_figures.get(key) or {}).get("evidence", "")
        rows.append((label, text, evidence))
    return rows


def _criterion(item, result, entry, declared_figures, attachments, expert_codes, groups):
    verdict = result.get("verdict", Verdict.UNKNOWN)
    manual = item.mode == ItemMode.MANUAL
    marked_is_declared = manual and entry is not None
    return Criterion(
        code=item.code,
        kind=item.kind,
        title=formatting.in_language(item.title, item.title_en),
        description=formatting.in_language(item.description, getattr(item, "description_en", "")),
        manual=manual,
        scored_by_expert=item.code in expert_codes,
        max_points="" if item.max_points is None else labels.plain(item.max_points),
        tier_groups=_tier_groups(item, result, entry),
        tier_note=_("declared by the county") if marked_is_declared else _("reached"),
        figures=_figures(item, result, declared_figures, groups),
        verdict=verdict,
        verdict_text=labels.verdict_label(verdict),
        badge=VERDICT_BADGE[verdict],
        points=_bare_points(result.get("points")),
        notes=_notes(result),
        declared=_declared(item, entry) if manual else None,
        evidence_files=[a for a in attachments if a.kind != FINANCIAL] if manual else [],
    )


def score_sheet(*, items, results, declared, declared_figures, attachments, pass_mark):
    """The sheet of one application.

    ``items``: the rule set's items in order (``RuleItem`` rows or anything with their fields);
    ``results``: the stored evaluation's item results (JSON), possibly empty; ``declared``: the
    application's manual inputs ``{code: {points|value|met, evidence}}``; ``declared_figures``:
    ``{name: {value, evidence}}``; ``attachments``: the application's evidence files.
    """
    by_code = {result["code"]: result for result in results}
    attachments = list(attachments)
    expert_codes = {
        item.code for item in items
        if item.kind == ItemKind.SCORED and item.mode == ItemMode.MANUAL
    }
    sheet = Sheet(
        conditions=[], routes=[], groups=[], vetoes=[], expert_max="", automatic_max="",
        pass_mark="" if pass_mark is None else labels.plain_points(pass_mark),
    )
    groups = {}
    group_order = list(dict.fromkeys(i.group for i in items if i.kind == ItemKind.SCORED))
    expert_max = automatic_max = Decimal(0)
    for item in items:
        row = _criterion(
            item, by_code.get(item.code, {}), declared.get(item.code), declared_figures,
            attachments, expert_codes, group_order,
        )
        if item.kind == ItemKind.SCORED:
            if item.group not in groups:
                groups[item.group] = Group(item.group, labels.group_label(item.group), "", [])
                sheet.groups.append(groups[item.group])
            groups[item.group].rows.append(row)
            if row.scored_by_expert:
                expert_max += item.max_points
            else:
                automatic_max += item.max_points
        elif item.kind == ItemKind.BASIC_CONDITION:
            sheet.conditions.append(row)
        elif item.kind == ItemKind.DIRECT_ROUTE:
            sheet.routes.append(row)
        else:
            sheet.vetoes.append(row)
    for group in sheet.groups:
        total = sum(
            (item.max_points for item in items
             if item.kind == ItemKind.SCORED and item.group == group.key),
            Decimal(0),
        )
        group.max_points = labels.plain(total)
    sheet.expert_max = labels.plain(expert_max)
    sheet.automatic_max = labels.plain(automatic_max)
    return sheet

"""The evaluation itself: items, score test, direct routes, vetoes and the outcome."""

from collections import defaultdict
from decimal import Decimal

from certification.choices import ItemKind, ItemMode, Outcome, Verdict

from .criteria import band_for, check, to_decimal
from .metrics import SCORE_PASSED, Measure, measure
from .reasons import reasons_for
from .results import ItemResult, Result


def _score_item(item, facts):
    given = facts.inputs.get(item.code)
    if item.mode == ItemMode.MANUAL:
        if given is None:
            return ItemResult(item, Verdict.UNKNOWN, needs_input=True)
        if given.points is not None:
            option = next((b for b in item.bands if to_decimal(b["points"]) == given.points), {})
            return ItemResult(
                item,
                Verdict.SCORED,
                points=given.points,
                band=option.get("label", ""),
                evidence=given.evidence,
            )
        band = band_for(item.bands, given.value) or {}
        return ItemResult(
            item,
            Verdict.SCORED,
            points=to_decimal(band.get("points", 0)),
            band=band.get("label", ""),
            figures={"value": given.value},
            evidence=given.evidence,
        )

    choices = [{"metric": item.metric, "bands": item.bands}] if item.metric else item.alternatives
    figures, gaps, best, undecided = {}, [], None, False
    for choice in choices:
        result = measure(choice["metric"], facts)
        figures.update(result.figures)
        if result.value is None:
            undecided = True
            gaps.extend(gap for gap in result.gaps if gap not in gaps)
            continue
        band = band_for(choice["bands"], result.value) or {}
        points = to_decimal(band.get("points", 0))
        if best is None or points > best[0]:
            best = (points, band.get("label", ""))
    # An alternative still open could only raise the points, unless they are already the most.
    if best is None or (undecided and best[0] < item.max_points):
        return ItemResult(item, Verdict.UNKNOWN, figures=figures, gaps=gaps)
    return ItemResult(item, Verdict.SCORED, points=best[0], band=best[1], figures=figures)


def _test_item(item, facts, derived):
    if item.mode == ItemMode.MANUAL:
        given = facts.inputs.get(item.code)
        if given is None:
            return ItemResult(item, Verdict.UNKNOWN, needs_input=True)
        met, figures, gaps, pending, evidence = given.met, {}, [], [], given.evidence
    else:
        measures = {}

        def measure_of(key):
            if key not in measures:
                measures[key] = derived[key] if key in derived else measure(key, facts)
            return measures[key]

        met = check(item.criteria, measure_of)
        figures, gaps, pending, evidence = {}, [], [], ""
        for result in measures.values():
            figures.update(result.figures)
            gaps.extend(gap for gap in result.gaps if gap not in gaps)
            pending.extend(code for code in result.pending if code not in pending)
    if met is None:
        return ItemResult(item, Verdict.UNKNOWN, figures=figures, gaps=gaps, pending=pending)
    # A veto's criteria describe the circumstance that stops the enterprise.
    passed = not met if item.kind == ItemKind.VETO else met
    return ItemResult(
        item, Verdict.PASS if passed else Verdict.FAIL, figures=figures, evidence=evidence
    )


def _reaches(known, still_open, threshold):
    if known >= threshold:
        return True
    if known + still_open < threshold:
        return False
    return None


def _all(values):
    if any(value is False for value in values):
        return False
    return True if all(value is True for value in values) else None


def _score(rules, scored):
    groups = {}
    for result in scored:
        group = groups.setdefault(
            result.item.group,
            {
                "group": result.item.group,
                "points": Decimal(0),
                "max_points": Decimal(0),
                "open_points": Decimal(0),
            },
        )
        group["max_points"] += result.item.max_points
        if result.verdict == Verdict.SCORED:
            group["points"] += result.points
        else:
            group["open_points"] += result.item.max_points
    for name, group in groups.items():
        minimum = to_decimal(rules.group_minimums.get(name))
        group["minimum"] = minimum
        group["met"] = (
            None if minimum is None else _reaches(group["points"], group["open_points"], minimum)
        )
    total = sum((group["points"] for group in groups.values()), Decimal(0))
    still_open = sum((group["open_points"] for group in groups.values()), Decimal(0))
    passed = None
    if rules.pass_mark is not None:
        passed = _all(
            [_reaches(total, still_open, rules.pass_mark)]
            + [group["met"] for group in groups.values() if group["minimum"] is not None]
        )
    score = {
        "total_points": total,
        "open_points": still_open,
        "pass_mark": rules.pass_mark,
        "passed": passed,
    }
    return score, list(groups.values())


def _score_measure(score, groups, scored):
    figures = {"total_points": score["total_points"], "pass_mark": score["pass_mark"]}
    for group in groups:
        figures[group["group"]] = group["points"]
        if group["minimum"] is not None:
            figures[f"{group['group']}_minimum"] = group["minimum"]
    pending = []
    if score["passed"] is None:
        pending = [r.item.code for r in scored if r.verdict == Verdict.UNKNOWN]
    return Measure(score["passed"], figures, [], pending)


def _apply_direct_routes(conditions, routes):
    """A direct route met stands in for the basic conditions of the group it waives."""
    by_group = defaultdict(list)
    for route in routes:
        by_group[route.item.waives].append(route)
    for condition in conditions:
        if condition.verdict == Verdict.PASS:
            continue
        candidates = by_group.get(condition.item.group, [])
        met = [r.item.code for r in candidates if r.verdict == Verdict.PASS]
        if met:
            condition.verdict = Verdict.PASS
            condition.waived_by = met
            condition.gaps, condition.pending = [], []
            continue
        undecided = [r.item.code for r in candidates if r.verdict == Verdict.UNKNOWN]
        if undecided:
            condition.verdict = Verdict.UNKNOWN
            condition.pending.extend(undecided)


def evaluate(rules, facts):
    """Evaluate the facts against the rules; see the module docstring for the semantics."""
    results = {}
    scored = [_score_item(item, facts) for item in rules.items if item.kind == ItemKind.SCORED]
    results.update((result.item.code, result) for result in scored)
    score, groups = _score(rules, scored)
    derived = {SCORE_PASSED: _score_measure(score, groups, scored)}
    for item in rules.items:
        if item.kind != ItemKind.SCORED:
            results[item.code] = _test_item(item, facts, derived)
    ordered = [results[item.code] for item in rules.items]
    conditions = [r for r in ordered if r.item.kind == ItemKind.BASIC_CONDITION]
    routes = [r for r in ordered if r.item.kind == ItemKind.DIRECT_ROUTE]
    vetoes = [r for r in ordered if r.item.kind == ItemKind.VETO]
    _apply_direct_routes(conditions, routes)

    deciding = vetoes + conditions
    if any(r.verdict == Verdict.FAIL for r in deciding):
        outcome = Outcome.FAILED
    elif any(r.verdict == Verdict.UNKNOWN for r in deciding):
        outcome = Outcome.INCOMPLETE
    else:
        outcome = Outcome.PASSED
    return Result(
        ruleset=rules.code,
        year=facts.year,
        outcome=outcome,
        total_points=score["total_points"],
        score=score,
        groups=groups,
        items=ordered,
        reasons=reasons_for(
            outcome, vetoes, conditions, score, groups, {r.item.code for r in scored}
        ),
    )

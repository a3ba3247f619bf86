"""Checks of manual inputs, declared figures and rule-set data before the engine sees them."""

from decimal import Decimal, InvalidOperation

from certification.choices import ItemKind, ItemMode

from .criteria import OPS, criteria_metrics, is_ranged, to_decimal
from .data import ManualInput
from .metrics import DECLARED_FIGURES, DERIVED_METRICS, METRICS, SCORE_PASSED


class InvalidInput(ValueError):
    """Manual inputs or declared figures that do not fit the rule set; ``errors`` by key."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))


def _parse_number(raw):
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


def _parse_entry(item, raw):
    if not isinstance(raw, dict):
        raise ValueError("须为对象。 Must be an object.")
    evidence = raw.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        raise ValueError("须附证明材料说明。 An evidence note is required.")
    if item.kind != ItemKind.SCORED:
        if set(raw) != {"met", "evidence"} or not isinstance(raw["met"], bool):
            raise ValueError("须填写 met（是/否）。 Give met as true or false.")
        return ManualInput(evidence=evidence.strip(), met=raw["met"])
    given = set(raw) - {"evidence"}
    if given not in ({"points"}, {"value"}):
        raise ValueError("须填写 points 或 value 之一。 Give either points or value.")
    try:
        number = _parse_number(raw[given.pop()])
    except ValueError:
        raise ValueError("须为数字。 Must be a number.") from None
    if number < 0:
        raise ValueError("不能为负数。 Must not be negative.")
    if "value" in raw:
        if not is_ranged(item.bands):
            raise ValueError("此指标按选项打分，请填写 points。 This item takes points.")
        return ManualInput(evidence=evidence.strip(), value=number)
    options = {to_decimal(band["points"]) for band in item.bands}
    if options and number not in options:
        allowed = "、".join(str(o) for o in sorted(options, reverse=True))
        raise ValueError(f"分值须为 {allowed} 之一。 Points must be one of {allowed}.")
    if number > item.max_points or number != number.quantize(Decimal("0.1")):
        raise ValueError(
            f"分值须在 0–{item.max_points} 之间，至多一位小数。"
            f" Points must lie in 0–{item.max_points} with at most one decimal."
        )
    return ManualInput(evidence=evidence.strip(), points=number)


def parse_inputs(rules, raw):
    """Manual inputs keyed by item code, checked against the rule set; raises InvalidInput."""
    if not isinstance(raw, dict):
        raise InvalidInput({"": "须为对象。 Must be an object."})
    items = {item.code: item for item in rules.items}
    parsed, errors = {}, {}
    for code, entry in raw.items():
        item = items.get(code)
        if item is None:
            errors[code] = "规则集中无此项。 The rule set has no such item."
        elif item.mode != ItemMode.MANUAL:
            errors[code] = "此项自动计算，不接受人工填报。 This item is computed automatically."
        else:
            try:
                parsed[code] = _parse_entry(item, entry)
            except ValueError as error:
                errors[code] = str(error)
    if errors:
        raise InvalidInput(errors)
    return parsed


def parse_declared(raw):
    """Declared figures ``{name: {"value", "evidence"}}`` as ``{name: ManualInput}``."""
    if not isinstance(raw, dict):
        raise InvalidInput({"": "须为对象。 Must be an object."})
    parsed, errors = {}, {}
    for name, entry in raw.items():
        if name not in DECLARED_FIGURES:
            errors[name] = "不是可申报的数据项。 Not a figure that can be declared."
            continue
        evidence = entry.get("evidence") if isinstance(entry, dict) else None
        if not isinstance(evidence, str) or not evidence.strip():
            errors[name] = "须附证明材料说明。 An evidence note is required."
            continue
        try:
            value = _parse_number(entry.get("value"))
        except ValueError:
            errors[name] = "须为数字。 Must be a number."
            continue
        if value < 0:
            errors[name] = "不能为负数。 Must not be negative."
            continue
        parsed[name] = ManualInput(evidence=evidence.strip(), value=value)
    if errors:
        raise InvalidInput(errors)
    return parsed


def _bands_errors(bands, max_points, *, ranged):
    if not isinstance(bands, list | tuple):
        return ["bands must be a list"]
    errors = []
    for band in bands:
        if not isinstance(band, dict) or not set(band) <= {"min", "max", "points", "label"}:
            errors.append(f"band {band!r} may only have min, max, points and label")
            continue
        try:
            points = to_decimal(band.get("points"))
            low, high = to_decimal(band.get("min")), to_decimal(band.get("max"))
        except (InvalidOperation, TypeError):
            errors.append(f"band {band!r} has a bound or points that are not numbers")
            continue
        if points is None or points < 0 or (max_points is not None and points > max_points):
            errors.append(f"band {band!r} needs points between 0 and {max_points}")
        if low is not None and high is not None and low >= high:
            errors.append(f"band {band!r} has min not below max")
    if ranged and not is_ranged(bands):
        errors.append("an automatic scored item needs bands with bounds")
    return errors


def _criteria_errors(node):
    if not isinstance(node, dict) or not node:
        return ["criteria must be a non-empty object"]
    if set(node) in ({"all"}, {"any"}):
        children = next(iter(node.values()))
        if not isinstance(children, list) or not children:
            return ["all/any need a non-empty list"]
        return [error for child in children for error in _criteria_errors(child)]
    if set(node) != {"metric", "op", "value"}:
        return [f"criterion {node!r} needs metric, op and value"]
    errors = []
    if node["metric"] not in METRICS and node["metric"] not in DERIVED_METRICS:
        errors.append(f"unknown metric {node['metric']!r}")
    if node["op"] not in OPS:
        errors.append(f"unknown operator {node['op']!r}")
    if not isinstance(node["value"], bool | int | float | str):
        errors.append(f"criterion {node!r} needs a number or true/false")
    return errors


def item_errors(item):
    """What is wrong with one item's rule data (an empty list when nothing is)."""
    errors = []
    if item.kind == ItemKind.SCORED:
        if item.max_points is None or item.max_points <= 0:
            errors.append("a scored item needs positive max points")
        if item.criteria or item.waives:
            errors.append("a scored item has no criteria and waives nothing")
        if item.mode == ItemMode.AUTOMATIC:
            if bool(item.metric) == bool(item.alternatives):
                errors.append("an automatic scored item reads one metric or a list of alternatives")
            choices = (
                [{"metric": item.metric, "bands": item.bands}] if item.metric else item.alternatives
            )
            for choice in choices:
                if not isinstance(choice, dict) or set(choice) != {"metric", "bands"}:
                    errors.append(f"alternative {choice!r} needs metric and bands")
                    continue
                if choice["metric"] not in METRICS:
                    errors.append(f"unknown metric {choice['metric']!r}")
                errors += _bands_errors(choice["bands"], item.max_points, ranged=True)
        else:
            if item.metric or item.alternatives:
                errors.append("a manual item reads no metric")
            errors += _bands_errors(item.bands, item.max_points, ranged=False)
            if is_ranged(item.bands) and not all(
                b.get("min") is not None or b.get("max") is not None for b in item.bands
            ):
                errors.append("manual bands are either all ranges or all options")
        return errors
    if item.max_points is not None or item.bands or item.alternatives or item.metric:
        errors.append("only scored items have points, bands, alternatives or a metric")
    if item.mode == ItemMode.AUTOMATIC:
        errors += _criteria_errors(item.criteria)
    elif item.criteria:
        errors.append("a manual item has no criteria")
    if (item.kind == ItemKind.DIRECT_ROUTE) != bool(item.waives):
        errors.append("a direct route, and only a direct route, names the group it waives")
    return errors


def rules_errors(rules):
    """What is wrong with a whole rule set, each message prefixed with the item it concerns."""
    errors = [f"{item.code}: {error}" for item in rules.items for error in item_errors(item)]
    codes = [item.code for item in rules.items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    errors += [f"{code}: duplicate code" for code in duplicates]
    condition_groups = {i.group for i in rules.items if i.kind == ItemKind.BASIC_CONDITION}
    scored_groups = {i.group for i in rules.items if i.kind == ItemKind.SCORED}
    if not condition_groups:
        errors.append("a rule set needs at least one basic condition")
    for group in rules.group_minimums:
        if group not in scored_groups:
            errors.append(f"group minimum for {group!r}, which has no scored items")
    for item in rules.items:
        if item.kind == ItemKind.DIRECT_ROUTE and item.waives not in condition_groups:
            errors.append(f"{item.code}: waives {item.waives!r}, which has no basic conditions")
        readable = item.mode == ItemMode.AUTOMATIC and not _criteria_errors(item.criteria)
        if readable and SCORE_PASSED in criteria_metrics(item.criteria) and not rules.pass_mark:
            errors.append(f"{item.code}: reads the score test but the rule set has no pass mark")
    if (rules.pass_mark is None) != (not scored_groups):
        errors.append("a rule set has a pass mark exactly when it has scored items")
    return errors

"""Checks of manual inputs, declared figures and rule-set data before the engine sees them."""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from certification.choices import ItemKind, ItemMode

from .criteria import OPS, criteria_metrics, is_ranged, to_decimal
from .data import ManualInput
from .metrics import DATE_FIGURES, DECLARED_FIGURES, DERIVED_METRICS, METRICS, SCORE_PASSED


class EntryError(ValueError):
    """One entry refused: a translated message and a stable code tests and clients read."""

    def __init__(self, message, code):
        self.message, self.code = str(message), code
        super().__init__(self.message)


class InvalidInput(ValueError):
    """Manual inputs or declared figures that do not fit the rule set.

    ``errors`` maps each key to its message, ``codes`` to the stable code of that message.
    """

    def __init__(self, errors):
        self.errors = {key: error.message for key, error in errors.items()}
        self.codes = {key: error.code for key, error in errors.items()}
        super().__init__("; ".join(f"{key}: {message}" for key, message in self.errors.items()))


def _not_an_object():
    return EntryError(_("Must be an object."), "not_an_object")


def _evidence_missing():
    return EntryError(_("An evidence note is required."), "evidence_required")


def _not_a_number():
    return EntryError(_("Must be a number."), "not_a_number")


def _negative():
    return EntryError(_("Must not be negative."), "negative")


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
        raise _not_an_object()
    evidence = raw.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        raise _evidence_missing()
    if item.kind != ItemKind.SCORED:
        if set(raw) != {"met", "evidence"} or not isinstance(raw["met"], bool):
            raise EntryError(_("Say whether it is met (yes or no)."), "met_required")
        return ManualInput(evidence=evidence.strip(), met=raw["met"])
    given = set(raw) - {"evidence"}
    if given not in ({"points"}, {"value"}):
        raise EntryError(_("Give either the points or the value."), "points_or_value")
    try:
        number = _parse_number(raw[given.pop()])
    except ValueError:
        raise _not_a_number() from None
    if number < 0:
        raise _negative()
    if "value" in raw:
        if not is_ranged(item.bands):
            raise EntryError(_("This item is scored by its tiers: give the points."),
                             "points_required")
        return ManualInput(evidence=evidence.strip(), value=number)
    options = {to_decimal(band["points"]) for band in item.bands}
    if options and number not in options:
        allowed = ", ".join(str(o) for o in sorted(options, reverse=True))
        raise EntryError(
            _("The points must be one of %(allowed)s.") % {"allowed": allowed}, "not_a_tier"
        )
    if number > item.max_points or number != number.quantize(Decimal("0.1")):
        raise EntryError(
            _("The points must lie between 0 and %(max)s, with at most one decimal.")
            % {"max": item.max_points},
            "points_out_of_range",
        )
    return ManualInput(evidence=evidence.strip(), points=number)


def parse_inputs(rules, raw):
    """Manual inputs keyed by item code, checked against the rule set; raises InvalidInput."""
    if not isinstance(raw, dict):
        raise InvalidInput({"": _not_an_object()})
    items = {item.code: item for item in rules.items}
    parsed, errors = {}, {}
    for code, entry in raw.items():
        item = items.get(code)
        if item is None:
            errors[code] = EntryError(_("The rule set has no such item."), "unknown_item")
        elif item.mode != ItemMode.MANUAL:
            errors[code] = EntryError(
                _("This item is computed automatically and takes no entry."), "automatic_item"
            )
        else:
            try:
                parsed[code] = _parse_entry(item, entry)
            except EntryError as error:
                errors[code] = error
    if errors:
        raise InvalidInput(errors)
    return parsed


def parse_declared(raw):
    """Declared figures ``{name: {"value", "evidence"}}`` as ``{name: ManualInput}``; a date
    figure (DATE_FIGURES) takes an ISO date, the others a number not below 0."""
    if not isinstance(raw, dict):
        raise InvalidInput({"": _not_an_object()})
    parsed, errors = {}, {}
    for name, entry in raw.items():
        if name not in DECLARED_FIGURES:
            errors[name] = EntryError(_("Not a figure that can be declared."), "unknown_figure")
            continue
        evidence = entry.get("evidence") if isinstance(entry, dict) else None
        if not isinstance(evidence, str) or not evidence.strip():
            errors[name] = _evidence_missing()
            continue
        if name in DATE_FIGURES:
            try:
                day = datetime.date.fromisoformat(str(entry.get("value")))
            except ValueError:
                errors[name] = EntryError(_("Must be a date, YYYY-MM-DD."), "not_a_date")
                continue
            parsed[name] = ManualInput(evidence=evidence.strip(), value=day)
            continue
        try:
            value = _parse_number(entry.get("value"))
        except ValueError:
            errors[name] = _not_a_number()
            continue
        if value < 0:
            errors[name] = _negative()
            continue
        parsed[name] = ManualInput(evidence=evidence.strip(), value=value)
    if errors:
        raise InvalidInput(errors)
    return parsed


def _shown(value):
    # Rule data as the admin shows it: JSON-like, Chinese labels readable.
    return json.dumps(value, ensure_ascii=False, default=str)


def _on(code, error):
    return _("%(code)s: %(error)s") % {"code": code, "error": error}


# A tier: its bounds (absent for an option), its points, and its label in Chinese and English.
BAND_KEYS = frozenset({"min", "max", "points", "label", "label_en"})


def _bands_errors(bands, max_points, *, ranged):
    if not isinstance(bands, list | tuple):
        return [_("The tiers must be a list.")]
    errors = []
    for band in bands:
        if not isinstance(band, dict) or not set(band) <= BAND_KEYS:
            errors.append(
                _("Tier %(band)s may only have min, max, points, label and label_en.")
                % {"band": _shown(band)}
            )
            continue
        try:
            points = to_decimal(band.get("points"))
            low, high = to_decimal(band.get("min")), to_decimal(band.get("max"))
        except (InvalidOperation, TypeError):
            errors.append(
                _("Tier %(band)s has a bound or points that are not numbers.")
                % {"band": _shown(band)}
            )
            continue
        if points is None or points < 0 or (max_points is not None and points > max_points):
            errors.append(
                _("Tier %(band)s needs points between 0 and %(max)s.")
                % {"band": _shown(band), "max": max_points}
            )
        if low is not None and high is not None and low >= high:
            errors.append(_("Tier %(band)s has min not below max.") % {"band": _shown(band)})
    if ranged and not is_ranged(bands):
        errors.append(_("An automatic scored item needs tiers with bounds."))
    return errors


def _criteria_errors(node):
    if not isinstance(node, dict) or not node:
        return [_("The criteria must be a non-empty object.")]
    if set(node) in ({"all"}, {"any"}):
        children = next(iter(node.values()))
        if not isinstance(children, list) or not children:
            return [_("all and any need a non-empty list.")]
        return [error for child in children for error in _criteria_errors(child)]
    if set(node) != {"metric", "op", "value"}:
        return [_("Criterion %(node)s needs metric, op and value.") % {"node": _shown(node)}]
    errors = []
    if node["metric"] not in METRICS and node["metric"] not in DERIVED_METRICS:
        errors.append(_("Unknown metric %(metric)s.") % {"metric": _shown(node["metric"])})
    if node["op"] not in OPS:
        errors.append(_("Unknown operator %(op)s.") % {"op": _shown(node["op"])})
    if not isinstance(node["value"], bool | int | float | str):
        errors.append(
            _("Criterion %(node)s needs a number or true/false.") % {"node": _shown(node)}
        )
    return errors


def item_errors(item):
    """What is wrong with one item's rule data (an empty list when nothing is)."""
    errors = []
    if item.kind == ItemKind.SCORED:
        if item.max_points is None or item.max_points <= 0:
            errors.append(_("A scored item needs positive maximum points."))
        if item.criteria or item.waives:
            errors.append(_("A scored item has no criteria and waives nothing."))
        if item.mode == ItemMode.AUTOMATIC:
            if bool(item.metric) == bool(item.alternatives):
                errors.append(
                    _("An automatic scored item reads one metric or a list of alternatives.")
                )
            choices = (
                [{"metric": item.metric, "bands": item.bands}] if item.metric else item.alternatives
            )
            for choice in choices:
                if not isinstance(choice, dict) or set(choice) != {"metric", "bands"}:
                    errors.append(
                        _("Alternative %(choice)s needs metric and bands.")
                        % {"choice": _shown(choice)}
                    )
                    continue
                if choice["metric"] not in METRICS:
                    errors.append(
                        _("Unknown metric %(metric)s.") % {"metric": _shown(choice["metric"])}
                    )
                errors += _bands_errors(choice["bands"], item.max_points, ranged=True)
        else:
            if item.metric or item.alternatives:
                errors.append(_("A manual item reads no metric."))
            errors += _bands_errors(item.bands, item.max_points, ranged=False)
            if is_ranged(item.bands) and not all(
                b.get("min") is not None or b.get("max") is not None for b in item.bands
            ):
                errors.append(_("The tiers of a manual item are either all ranges or all options."))
        return errors
    if item.max_points is not None or item.bands or item.alternatives or item.metric:
        errors.append(_("Only scored items have points, tiers, alternatives or a metric."))
    if item.mode == ItemMode.AUTOMATIC:
        errors += _criteria_errors(item.criteria)
    elif item.criteria:
        errors.append(_("A manual item has no criteria."))
    if (item.kind == ItemKind.DIRECT_ROUTE) != bool(item.waives):
        errors.append(_("A direct route, and only a direct route, names the group it waives."))
    return errors


def rules_errors(rules):
    """What is wrong with a whole rule set, each message prefixed with the item it concerns."""
    errors = [_on(item.code, error) for item in rules.items for error in item_errors(item)]
    codes = [item.code for item in rules.items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    errors += [_on(code, _("The code is used twice.")) for code in duplicates]
    condition_groups = {i.group for i in rules.items if i.kind == ItemKind.BASIC_CONDITION}
    scored_groups = {i.group for i in rules.items if i.kind == ItemKind.SCORED}
    if not condition_groups:
        errors.append(_("A rule set needs at least one basic condition."))
    for group in rules.group_minimums:
        if group not in scored_groups:
            errors.append(
                _("A group minimum for %(group)s, which has no scored items.") % {"group": group}
            )
    for item in rules.items:
        if item.kind == ItemKind.DIRECT_ROUTE and item.waives not in condition_groups:
            errors.append(_on(item.code, _("Waives %(group)s, which has no basic conditions.")
                               % {"group": item.waives}))
        readable = item.mode == ItemMode.AUTOMATIC and not _criteria_errors(item.criteria)
        if readable and SCORE_PASSED in criteria_metrics(item.criteria) and not rules.pass_mark:
            errors.append(
                _on(item.code, _("Reads the score test, but the rule set has no pass mark."))
            )
    if (rules.pass_mark is None) != (not scored_groups):
        errors.append(_("A rule set has a pass mark exactly when it has scored items."))
    return errors

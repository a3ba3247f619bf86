"""Bands and criteria trees: the two shapes in which rule items state their thresholds."""

import operator
from decimal import Decimal

OPS = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


def to_decimal(raw):
    return None if raw is None else Decimal(str(raw))


def band_for(bands, value):
    """The first band with ``min <= value < max`` (an absent bound is open), or None."""
    for band in bands:
        low, high = to_decimal(band.get("min")), to_decimal(band.get("max"))
        if (low is None or low <= value) and (high is None or value < high):
            return band
    return None


def is_ranged(bands):
    return any(band.get("min") is not None or band.get("max") is not None for band in bands)


def _operand(raw):
    return raw if isinstance(raw, bool) else to_decimal(raw)


def check(node, measure_of):
    """True, False or None (undecidable) for a criteria tree; every leaf is read."""
    if "all" in node:
        results = [check(child, measure_of) for child in node["all"]]
        if any(result is False for result in results):
            return False
        return True if all(result is True for result in results) else None
    if "any" in node:
        results = [check(child, measure_of) for child in node["any"]]
        if any(result is True for result in results):
            return True
        return False if all(result is False for result in results) else None
    value = measure_of(node["metric"]).value
    if value is None:
        return None
    return OPS[node["op"]](value, _operand(node["value"]))


def criteria_metrics(node):
    """Every metric a criteria tree reads."""
    if "all" in node or "any" in node:
        children = node.get("all") or node.get("any")
        return {key for child in children for key in criteria_metrics(child)}
    return {node["metric"]} if "metric" in node else set()

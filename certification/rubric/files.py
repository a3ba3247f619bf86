"""Rule sets as files (YAML or JSON): read with every error located, written back the same way.

A rule-set file is one mapping::

    code: gansu-2026-zjtx             # version code, a slug of at most 40 characters
    kind: zjtx                        # innovative | zjtx | little_giant
    title: 专精特新中小企业认定标准（甘肃版，2026年）
    title_en: ...                     # optional
    legal_basis: 工信部企业〔2022〕63号 ...
    effective_from: 2026-12-01        # in force from this day ...
    effective_until: null             # ... to this day, both inclusive (null: until replaced)
    pass_mark: 60                     # null when the rule set has no scored items
    group_minimums: {}                # {group: minimum points}
    notes: ''
    active: true                      # optional, true by default
    items:                            # in the order they are shown
      - code: C1
        kind: basic_condition         # scored | basic_condition | direct_route | veto
        mode: automatic               # automatic | manual
        group: basic
        title: 从事特定细分市场时间达到2年以上
        title_en: In the niche market for at least 2 years
        criteria: {metric: years_in_niche, op: '>=', value: 2}
      - code: I1
        kind: scored
        ...
        max_points: 5
        metric: main_business_share
        bands: [{min: 0.8, points: 5, label: 80%及以上}, ...]

An item also takes ``description``, ``description_en``, ``alternatives`` and ``waives``; the
shapes of bands, alternatives and criteria are those of ``certification.rubric`` (checked by
``item_errors`` and ``rules_errors``). Nothing here touches the database: the loader
(``certification.services.rulesets``) adds the checks against the rule sets already held.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext as _

from certification.choices import ItemKind, ItemMode, RuleSetKind
from gansu_sme.exceptions import DomainError

from .data import Item, Rules
from .validation import item_errors, rules_errors

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

# (name, required, maximum length or None) of the rule set's own fields that are text.
RULESET_TEXT = (
    ("code", True, 40),
    ("title", True, 200),
    ("title_en", False, 200),
    ("legal_basis", True, 200),
    ("notes", False, None),
)
RULESET_KEYS = frozenset({
    "code", "kind", "title", "title_en", "legal_basis", "effective_from", "effective_until",
    "pass_mark", "group_minimums", "notes", "active", "items",
})
ITEM_TEXT = (
    ("code", True, 8),
    ("group", True, 20),
    ("title", True, 300),
    ("title_en", True, 300),
    ("description", False, None),
    ("description_en", False, None),
    ("metric", False, 40),
    ("waives", False, 20),
)
ITEM_KEYS = frozenset({
    "code", "kind", "mode", "group", "title", "title_en", "description", "description_en",
    "metric", "max_points", "bands", "alternatives", "criteria", "waives",
})
ITEM_ORDER = (
    "code", "kind", "mode", "group", "title", "title_en", "description", "description_en",
    "metric", "max_points", "bands", "alternatives", "criteria", "waives",
)
# Item fields left out of a written file when they hold their default.
ITEM_DEFAULTS = {
    "description": "", "description_en": "", "metric": "", "max_points": None, "bands": [],
    "alternatives": [], "criteria": {}, "waives": "",
}


@dataclass(frozen=True)
class FileError:
    """One error: where it is (a path such as ``items[3].bands``, and the line when known)."""

    path: str
    message: str
    line: int | None = None

    def __str__(self):
        where = f"line {self.line}, {self.path}" if self.line else self.path
        return f"{where}: {self.message}"


class RuleSetFileInvalid(DomainError):
    """A rule-set file with errors; ``errors`` lists every one of them (FileError), in file
    order, and ``fields`` maps each path to its messages."""

    code = "ruleset_file_invalid"

    def __init__(self, errors):
        self.errors = list(errors)
        fields = {}
        for error in self.errors:
            fields.setdefault(error.path, []).append(error.message)
        super().__init__(
            "\n".join(str(error) for error in self.errors), code=self.code, fields=fields
        )


@dataclass
class RuleSetSpec:
    """A rule set read from a file: the RuleSet fields and the RuleItem fields of each item."""

    fields: dict
    items: list = field(default_factory=list)

    def as_rules(self):
        return Rules(
            code=self.fields["code"],
            kind=self.fields["kind"],
            pass_mark=self.fields["pass_mark"],
            group_minimums=self.fields["group_minimums"],
            items=tuple(_item(entry) for entry in self.items),
        )

    def document(self):
        """The spec as a file document (see ``ruleset_document``), for comparing."""
        return canonical({**self.fields, "items": self.items})


def _item(entry):
    return Item(
        code=entry["code"], kind=entry["kind"], mode=entry["mode"], group=entry["group"],
        title=entry["title"], title_en=entry["title_en"], metric=entry["metric"],
        max_points=entry["max_points"], bands=tuple(entry["bands"]),
        alternatives=tuple(entry["alternatives"]), criteria=entry["criteria"],
        waives=entry["waives"],
    )


class _Loader(yaml.SafeLoader):
    """A SafeLoader that leaves dates as text, so a wrong date is reported at its place
    (``_date``) instead of stopping the whole reading."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _lines(node, path=(), lines=None):
    """{path tuple: 1-based line} for every mapping value and sequence entry of a YAML node."""
    lines = {} if lines is None else lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            lines[child] = key.start_mark.line + 1
            _lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            _lines(value, (*path, index), lines)
    return lines


def _shown(path):
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


class _Errors:
    def __init__(self, lines):
        self.lines, self.found = lines, []

    def add(self, path, message):
        self.found.append(FileError(_shown(path), str(message), self.lines.get(tuple(path))))


def _text(errors, raw, path, *, required, max_length):
    value = raw.get(path[-1])
    if value is None or value == "":
        if required:
            errors.add(path, _("Required."))
        return ""
    if not isinstance(value, str):
        errors.add(path, _("Must be text."))
        return ""
    if max_length is not None and len(value) > max_length:
        errors.add(path, _("At most %(n)s characters.") % {"n": max_length})
    return value


def _decimal(errors, raw, path, *, positive=False):
    value = raw.get(path[-1])
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors.add(path, _("Must be a number."))
        return None
    if positive and number <= 0:
        errors.add(path, _("Must be above 0."))
    return number


def _date(errors, raw, path, *, required):
    value = raw.get(path[-1])
    if value is None:
        if required:
            errors.add(path, _("Required."))
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.add(path, _("Must be a date, YYYY-MM-DD."))
        return None


def _choice(errors, raw, path, choices):
    value = raw.get(path[-1])
    if value not in choices:
        errors.add(path, _("Must be one of %(choices)s.") % {"choices": ", ".join(choices)})
        return None
    return value


def _unknown(errors, raw, path, allowed):
    for key in raw:
        if key not in allowed:
            errors.add((*path, key), _("Unknown field."))


def _read_item(errors, raw, path):
    if not isinstance(raw, dict):
        errors.add(path, _("An item must be a mapping."))
        return None
    _unknown(errors, raw, path, ITEM_KEYS)
    entry = {name: _text(errors, raw, (*path, name), required=required, max_length=length)
             for name, required, length in ITEM_TEXT}
    entry["kind"] = _choice(errors, raw, (*path, "kind"), ItemKind.values)
    entry["mode"] = _choice(errors, raw, (*path, "mode"), ItemMode.values)
    entry["max_points"] = _decimal(errors, raw, (*path, "max_points"))
    for name, shape in (("bands", list), ("alternatives", list), ("criteria", dict)):
        value = raw.get(name, ITEM_DEFAULTS[name])
        if value is None:
            value = ITEM_DEFAULTS[name]
        if not isinstance(value, shape):
            errors.add((*path, name), _("Must be a list.") if shape is list
                       else _("Must be a mapping."))
            value = ITEM_DEFAULTS[name]
        entry[name] = value
    if entry["kind"] is None or entry["mode"] is None:
        return None
    for message in item_errors(_item(entry)):
        errors.add(path, message)
    return entry


def read_ruleset(text, *, name="(file)"):
    """The RuleSetSpec of a YAML or JSON text (JSON is read as YAML, of which it is a subset).

    Raises RuleSetFileInvalid listing every error with its path and line: unknown or missing
    fields, wrong types, unknown kinds and modes, and every error ``item_errors`` and
    ``rules_errors`` find in the items and the whole rule set.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RuleSetFileInvalid(
            [FileError(name, _("Not readable as YAML or JSON: %(error)s")
                       % {"error": getattr(error, "problem", None) or error}, line)]
        ) from error
    errors = _Errors(_lines(node) if node is not None else {})
    if not isinstance(raw, dict):
        errors.add((), _("A rule-set file holds one mapping."))
        raise RuleSetFileInvalid(errors.found)
    _unknown(errors, raw, (), RULESET_KEYS)
    fields = {name: _text(errors, raw, (name,), required=required, max_length=length)
              for name, required, length in RULESET_TEXT}
    if fields["code"] and not SLUG.match(fields["code"]):
        errors.add(("code",), _("Letters, digits, hyphens and underscores only."))
    fields["kind"] = _choice(errors, raw, ("kind",), RuleSetKind.values)
    fields["effective_from"] = _date(errors, raw, ("effective_from",), required=True)
    fields["effective_until"] = _date(errors, raw, ("effective_until",), required=False)
    start, end = fields["effective_from"], fields["effective_until"]
    if start and end and end < start:
        errors.add(("effective_until",), _("The period ends before it starts."))
    fields["pass_mark"] = _decimal(errors, raw, ("pass_mark",), positive=True)
    minimums = raw.get("group_minimums") or {}
    if not isinstance(minimums, dict):
        errors.add(("group_minimums",), _("Must be a mapping."))
        minimums = {}
    fields["group_minimums"] = {
        str(group): _decimal(errors, minimums, ("group_minimums", group))
        for group in minimums
    }
    active = raw.get("active", True)
    if not isinstance(active, bool):
        errors.add(("active",), _("Must be true or false."))
    fields["is_active"] = active is True
    items = raw.get("items")
    entries = []
    if not isinstance(items, list) or not items:
        errors.add(("items",), _("A non-empty list of items is required."))
    else:
        entries = [_read_item(errors, entry, ("items", index))
                   for index, entry in enumerate(items)]
    if None in entries or None in (fields["kind"], fields["effective_from"]):
        raise RuleSetFileInvalid(errors.found)
    spec = RuleSetSpec(fields=fields, items=entries)
    _whole_rules_errors(errors, spec)
    if errors.found:
        raise RuleSetFileInvalid(errors.found)
    return spec


def _whole_rules_errors(errors, spec):
    # rules_errors repeats each item's own errors (reported above) prefixed with its code; the
    # rest concern the whole rule set, or one item by its code.
    rules = spec.as_rules()
    own = {
        _("%(code)s: %(error)s") % {"code": item.code, "error": error}
        for item in rules.items for error in item_errors(item)
    }
    where = {entry["code"]: ("items", index) for index, entry in enumerate(spec.items)}
    for message in rules_errors(rules):
        if message in own:
            continue
        code = message.split(":", 1)[0]
        errors.add(where.get(code, ("items",)), message)


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(child) for child in value]
    return value


def canonical(document):
    """A document with defaults filled and numbers made plain, so two equal rule sets compare
    equal whichever way they were written."""
    document = dict(document)
    document.setdefault("is_active", document.pop("active", True))
    items = []
    for entry in document.get("items", []):
        items.append(_plain({**ITEM_DEFAULTS, **entry}))
    document["items"] = items
    for name in ("pass_mark", "group_minimums"):
        document[name] = _plain(document.get(name))
    return document


def dump_ruleset(document):
    """A rule-set document as YAML text in the file format above (defaults left out)."""
    document = canonical(document)
    out = {
        "code": document["code"],
        "kind": document["kind"],
        "title": document["title"],
        "title_en": document.get("title_en", ""),
        "legal_basis": document["legal_basis"],
        "effective_from": document["effective_from"],
        "effective_until": document.get("effective_until"),
        "pass_mark": document.get("pass_mark"),
        "group_minimums": document.get("group_minimums") or {},
        "notes": document.get("notes", ""),
        "active": document.get("is_active", True),
        "items": [
            {key: entry[key] for key in ITEM_ORDER
             if key not in ITEM_DEFAULTS or entry[key] != ITEM_DEFAULTS[key]}
            for entry in document["items"]
        ],
    }
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)


def _bounds(band):
    low, high = band.get("min"), band.get("max")
    if low is None and high is None:
        return ""
    return f"[{'' if low is None else low}, {'' if high is None else high}) "


def ruleset_outline(spec):
    """The lines a dry run prints: the rule set, then every item with every band."""
    fields = spec.fields
    until = fields["effective_until"] or "—"
    lines = [
        f"{fields['code']} ({fields['kind']}): {fields['title']}",
        f"  in force {fields['effective_from']} – {until}; pass mark "
        f"{fields['pass_mark'] if fields['pass_mark'] is not None else '—'}; "
        f"group minimums {_plain(fields['group_minimums']) or '—'}; "
        f"{'active' if fields['is_active'] else 'inactive'}",
    ]
    for entry in spec.items:
        points = f", max {_plain(entry['max_points'])}" if entry["max_points"] else ""
        metric = f", metric {entry['metric']}" if entry["metric"] else ""
        lines.append(
            f"  {entry['code']} {entry['kind']}/{entry['mode']} [{entry['group']}]{points}"
            f"{metric}: {entry['title']}"
        )
        choices = [{"metric": entry["metric"], "bands": entry["bands"]}]
        if entry["alternatives"]:
            choices = entry["alternatives"]
        for choice in choices:
            if entry["alternatives"]:
                lines.append(f"      alternative {choice.get('metric')}:")
            for band in choice.get("bands") or []:
                label = band.get("label", "")
                lines.append(f"      {_bounds(band)}→ {band.get('points')} {label}".rstrip())
        if entry["criteria"]:
            lines.append(f"      criteria {_plain(entry['criteria'])}")
        if entry["waives"]:
            lines.append(f"      waives {entry['waives']}")
    return lines

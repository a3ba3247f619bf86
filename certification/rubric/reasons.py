"""Why an outcome is what it is, stored in Chinese and in English.

An evaluation keeps its reasons in both languages (``{"item", "zh", "en"}``) so that a page in
either language reads them as they were when the evaluation ran. Each text is one translatable
message rendered once per language; the Chinese lives in the catalogue, not here.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certification.choices import Outcome, Verdict
from gansu_sme import formatting

from . import labels
from .criteria import criteria_metrics
from .metrics import FLAG, METRICS, SCORE_PASSED

LANGUAGES = (("zh", "zh-hans"), ("en", "en"))


def _in_both(build):
    """``build()`` rendered under each stored language: ``{"zh": …, "en": …}``."""
    texts = {}
    for key, language in LANGUAGES:
        with translation.override(language):
            texts[key] = build()
    return texts


def _title(item):
    return formatting.in_language(item.title, item.title_en)


def _join(values):
    return pgettext("list separator", ", ").join(values)


def _plain(number):
    # 60.0 reads as 60 and 7.50 as 7.5; no exponent notation.
    return format(number.normalize(), "f")


def _gap_text(gap):
    if gap["problem"] == "not_classed":
        return _("a size class (the size standard classes no industry for this division)")
    if gap["problem"] == "undeclared":
        label = labels.metric_label(gap["figure"])
    else:
        known = labels.FIGURES.get(gap["figure"])
        label = known[0] if known else gap["figure"]
    if gap["year"]:
        label = _("%(figure)s %(year)s") % {"figure": label, "year": gap["year"]}
    if gap["problem"] == "zero":
        return _("%(figure)s is zero") % {"figure": label}
    if gap["problem"] == "undeclared":
        return _("%(figure)s (to be declared)") % {"figure": label}
    if gap["problem"] == "before_founding":
        return _("%(figure)s (declared before the founding date)") % {"figure": label}
    return str(label)


def _flag_figures(item, figures):
    """The figures behind a condition read through a yes/no metric (an SME, a certificate
    held): its verdict alone does not say why, so a failure names them. Empty otherwise."""
    read = criteria_metrics(item.criteria)
    if not read or any(key not in METRICS or METRICS[key].unit != FLAG for key in read):
        return {}
    return {key: value for key, value in figures.items() if key not in read}


def _figures_text(figures):
    """The figures behind a verdict, as they read: "Employees 2,000 persons, …"."""
    units = {key: metric.unit for key, metric in METRICS.items()}
    parts = []
    for key, value in figures.items():
        if isinstance(value, bool):
            continue
        label, shown = labels.figure(key, value, units)
        parts.append(_("%(figure)s %(value)s") % {"figure": label, "value": shown})
    return _join(parts)


def _score_text(score, groups):
    text = _("score %(total)s, pass mark %(pass_mark)s") % {
        "total": _plain(score["total_points"]), "pass_mark": _plain(score["pass_mark"])
    }
    for group in groups:
        if group["met"] is False:
            text += _("; %(group)s %(points)s, below its minimum %(minimum)s") % {
                "group": labels.group_label(group["group"]),
                "points": _plain(group["points"]),
                "minimum": _plain(group["minimum"]),
            }
    return text


def _undecided_text(result, scored_codes):
    parts = []
    if result.gaps:
        parts.append(_("missing %(figures)s") % {
            "figures": _join(_gap_text(gap) for gap in result.gaps)
        })
    if result.needs_input:
        parts.append(_("awaiting a manual entry with evidence"))
    open_scores = [code for code in result.pending if code in scored_codes]
    open_routes = [code for code in result.pending if code not in scored_codes]
    if open_scores:
        parts.append(_("scored items still open: %(codes)s") % {"codes": _join(open_scores)})
    if open_routes:
        parts.append(_("direct routes still open: %(codes)s") % {"codes": _join(open_routes)})
    return pgettext("clause separator", "; ").join(parts)


def _reason(result, build):
    return {"item": result.item.code, **_in_both(build)}


def _named(item):
    return {"code": item.code, "title": _title(item)}


def reasons_for(outcome, vetoes, conditions, score, groups, scored_codes):
    """Vetoes hit, conditions failed or met through a direct route, and, when the outcome is
    incomplete, what each undecided veto or condition waits for."""
    reasons = []
    for veto in vetoes:
        if veto.verdict == Verdict.FAIL:
            reasons.append(_reason(
                veto, lambda item=veto.item: _("Veto %(code)s (%(title)s): applies") % _named(item)
            ))
    for condition in conditions:
        item = condition.item
        if condition.verdict == Verdict.FAIL:
            with_score = SCORE_PASSED in criteria_metrics(item.criteria)

            flagged = _flag_figures(item, condition.figures)

            def failed(item=item, with_score=with_score, figures=flagged):
                text = _("%(code)s (%(title)s): not met") % _named(item)
                if with_score:
                    text = _("%(reason)s (%(score)s)") % {
                        "reason": text, "score": _score_text(score, groups)
                    }
                elif figures:
                    text = _("%(reason)s (%(score)s)") % {
                        "reason": text, "score": _figures_text(figures)
                    }
                return text

            reasons.append(_reason(condition, failed))
        elif condition.waived_by:
            reasons.append(_reason(condition, lambda item=item, routes=condition.waived_by: (
                _("%(code)s (%(title)s): met through direct route %(routes)s")
                % {**_named(item), "routes": _join(routes)}
            )))
    if outcome == Outcome.INCOMPLETE:
        for result in vetoes + conditions:
            if result.verdict == Verdict.UNKNOWN:
                reasons.append(_reason(result, lambda result=result: (
                    _("%(code)s (%(title)s): undecided, %(detail)s")
                    % {**_named(result.item), "detail": _undecided_text(result, scored_codes)}
                )))
    if outcome == Outcome.PASSED:
        if score["pass_mark"] is not None:
            texts = _in_both(lambda: _("All conditions are met; score %(total)s") % {
                "total": _plain(score["total_points"])
            })
        else:
            texts = _in_both(lambda: _("All conditions are met"))
        reasons.append({"item": "", **texts})
    return reasons

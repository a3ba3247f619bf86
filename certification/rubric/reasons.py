"""Why an outcome is what it is, in Chinese and English."""

from certification.choices import Outcome, Verdict

from .criteria import criteria_metrics
from .metrics import FIGURE_LABELS, SCORE_PASSED


def _gap_text(gap):
    label, label_en = FIGURE_LABELS[gap["figure"]]
    year = gap["year"]
    zh = f"{year}年{label}" if year else label
    en = f"{label_en} {year}" if year else label_en
    if gap["problem"] == "zero":
        return f"{zh}为零", f"{en} is zero"
    if gap["problem"] == "undeclared":
        return f"{zh}（待企业申报）", f"{en} (to be declared)"
    return zh, en


def _plain(number):
    # 60.0 reads as 60 and 7.50 as 7.5; no exponent notation.
    return format(number.normalize(), "f")


def _score_text(score, groups):
    total, pass_mark = _plain(score["total_points"]), _plain(score["pass_mark"])
    zh = f"评价得分 {total} 分，及格线 {pass_mark} 分"
    en = f"score {total}, pass mark {pass_mark}"
    for group in groups:
        if group["met"] is False:
            points, minimum = _plain(group["points"]), _plain(group["minimum"])
            zh += f"；{group['group']} {points} 分，低于最低 {minimum} 分"
            en += f"; {group['group']} {points}, below its minimum {minimum}"
    return zh, en


def _undecided_text(result, scored_codes):
    parts_zh, parts_en = [], []
    if result.gaps:
        texts = [_gap_text(gap) for gap in result.gaps]
        parts_zh.append("缺少" + "、".join(zh for zh, _ in texts))
        parts_en.append("missing " + ", ".join(en for _, en in texts))
    if result.needs_input:
        parts_zh.append("待人工填报（附证明材料）")
        parts_en.append("awaiting a manual entry with evidence")
    open_scores = [code for code in result.pending if code in scored_codes]
    open_routes = [code for code in result.pending if code not in scored_codes]
    if open_scores:
        parts_zh.append("待评分指标 " + "、".join(open_scores))
        parts_en.append("scored items still open: " + ", ".join(open_scores))
    if open_routes:
        parts_zh.append("待判定直通条件 " + "、".join(open_routes))
        parts_en.append("direct routes still open: " + ", ".join(open_routes))
    return "；".join(parts_zh), "; ".join(parts_en)


def _reason(result, zh, en):
    return {"item": result.item.code, "zh": zh, "en": en}


def reasons_for(outcome, vetoes, conditions, score, groups, scored_codes):
    """Vetoes hit, conditions failed or met through a direct route, and, when the outcome is
    incomplete, what each undecided veto or condition waits for."""
    reasons = []
    for veto in vetoes:
        item = veto.item
        if veto.verdict == Verdict.FAIL:
            reasons.append(
                _reason(
                    veto,
                    f"否决项 {item.code}「{item.title}」：情形存在",
                    f"Veto {item.code} ({item.title_en}): applies",
                )
            )
    for condition in conditions:
        item = condition.item
        if condition.verdict == Verdict.FAIL:
            zh = f"{item.code}「{item.title}」：不满足"
            en = f"{item.code} ({item.title_en}): not met"
            if SCORE_PASSED in criteria_metrics(item.criteria):
                score_zh, score_en = _score_text(score, groups)
                zh, en = f"{zh}（{score_zh}）", f"{en} ({score_en})"
            reasons.append(_reason(condition, zh, en))
        elif condition.waived_by:
            reasons.append(
                _reason(
                    condition,
                    f"{item.code}「{item.title}」：经直通条件 "
                    f"{'、'.join(condition.waived_by)} 满足",
                    f"{item.code} ({item.title_en}): met through direct route "
                    f"{', '.join(condition.waived_by)}",
                )
            )
    if outcome == Outcome.INCOMPLETE:
        for result in vetoes + conditions:
            if result.verdict == Verdict.UNKNOWN:
                item = result.item
                detail_zh, detail_en = _undecided_text(result, scored_codes)
                reasons.append(
                    _reason(
                        result,
                        f"{item.code}「{item.title}」：待定，{detail_zh}",
                        f"{item.code} ({item.title_en}): undecided, {detail_en}",
                    )
                )
    if outcome == Outcome.PASSED:
        zh, en = "全部条件均已满足", "All conditions are met"
        if score["pass_mark"] is not None:
            zh += f"，评价得分 {_plain(score['total_points'])} 分"
            en += f"; score {_plain(score['total_points'])}"
        reasons.append({"item": "", "zh": zh, "en": en})
    return reasons

"""The one timeline names statuses and actions by their labels, in the reader's language."""

from django.template.loader import render_to_string
from django.utils import translation

from registry.models import MonitoringReportTransition


def _timeline():
    move = MonitoringReportTransition(
        verb="submit", from_status="draft", to_status="submitted", reason=""
    )
    return render_to_string("includes/timeline.html", {"transitions": [move]})


def test_the_timeline_shows_labels_not_status_values():
    with translation.override("zh-hans"):
        html = _timeline()
    assert "草稿" in html and "已报送" in html
    assert "draft" not in html and "submitted" not in html


def test_the_english_timeline_has_no_chinese():
    with translation.override("en"):
        html = _timeline()
    assert "Draft" in html and "Submitted" in html
    assert not any("\u4e00" <= char <= "\u9fff" for char in html)

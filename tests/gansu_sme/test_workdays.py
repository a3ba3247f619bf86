"""Working days: the package's data, the administrator's notice, and the computation beyond
the package's years (全国年节及纪念日放假办法 as revised in 2024)."""

import datetime
import logging

import chinese_calendar
import pytest

from gansu_sme import workdays
from gansu_sme.models import OfficialDay

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_package_has_no_data_for_2027():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 2, 8))


def test_the_2027_statutory_holidays_follow_the_2024_revision():
    assert workdays.statutory_holidays(2027) == [
        [D(2027, 1, 1)],
        [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)],  # 除夕 to 初三
        [D(2027, 4, 5)],
        [D(2027, 5, 1), D(2027, 5, 2)],
        [D(2027, 6, 9)],
        [D(2027, 9, 15)],
        [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)],
    ]


def test_a_2027_deadline_across_the_spring_festival_is_computed(caplog):
    # 除夕 Fri 5 Feb to 初三 Mon 8 Feb are holidays; 初一 and 初二 fall on the weekend, so Tue 9
    # and Wed 10 Feb are made up (补假). Counting weekends only gave Fri 5 Feb.
    with caplog.at_level(logging.INFO, logger="gansu_sme.workdays"):
        assert workdays.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 11)

    assert "sources: computed" in caplog.text
    assert workdays.working_day_source(D(2027, 2, 8)) == (False, workdays.COMPUTED)
    assert workdays.working_day_source(D(2027, 2, 11)) == (True, workdays.COMPUTED)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_computed_holidays_are_rest_days_in_the_package_for_the_revised_years(year):
    for days in workdays.statutory_holidays(year):
        for day in days:
            assert chinese_calendar.is_holiday(day), day


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_computed_qingming_is_the_packages_tomb_sweeping_day(year):
    assert chinese_calendar.get_holiday_detail(workdays.qingming(year))[1] == "Tomb-sweeping Day"


def test_an_administrator_entered_worked_saturday_counts(caplog):
    OfficialDay.objects.create(date=D(2027, 2, 20), is_working_day=True, notice="2027年通知")

    with caplog.at_level(logging.INFO, logger="gansu_sme.workdays"):
        assert workdays.add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)

    assert "notice" in caplog.text
    assert workdays.working_day_source(D(2027, 2, 20)) == (True, workdays.NOTICE)


def test_an_administrator_entered_rest_day_overrides_the_computation():
    OfficialDay.objects.create(date=D(2027, 2, 11), is_working_day=False, notice="2027年通知")

    assert workdays.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 12)


def test_the_2026_replay_where_weekends_only_came_late_is_right_with_the_package(caplog):
    # 28 Feb 2026 is a Saturday worked in exchange for the Spring Festival.
    with caplog.at_level(logging.INFO, logger="gansu_sme.workdays"):
        assert workdays.add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)

    assert "sources: package" in caplog.text


def test_counting_between_two_dates_uses_the_same_calendar():
    assert workdays.working_days_between(D(2027, 2, 4), D(2027, 2, 11)) == 1
    assert workdays.working_days_between(D(2027, 2, 11), D(2027, 2, 4)) == 0

"""Working days (工作日) as Chinese government offices count them.

Each day is decided by the first of three sources that knows it, and every deadline logs which
sources it used:

1. ``notice``: the State Council's yearly holiday notice as an administrator entered it
   (gansu_sme.models.OfficialDay, in the admin): its extra rest days and the weekend days worked
   in exchange (调休). It overrides the other two for its dates.
2. ``package``: chinese_calendar's data, which carries those notices for the years up to its
   release (to 2026 for 1.11.0).
3. ``computed``: for a later year, the statutory holidays of 全国年节及纪念日放假办法 as revised by
   the State Council in November 2024 (in force from 1 January 2025): 元旦 1 day (1 Jan);
   春节 4 days (除夕 and 正月初一 to 初三); 清明 1 day (the solar term); 劳动节 2 days (1–2 May);
   端午 1 day (五月初五); 中秋 1 day (八月十五); 国庆 3 days (1–3 Oct). Lunar dates come from
   ``lunardate``; 清明 from the solar-term formula. A holiday day that falls on a Saturday or
   Sunday is made up on the next working day after the holiday (补假, Art. 6 of the 办法).

A computed year does not know the notice's own arrangements: the bridging rest days it adds
make a computed deadline early, and the weekends it makes working days make it late. It can
therefore be wrong in either direction by a few days around a holiday until the notice is
entered, and the log says so.
"""

import datetime
import functools
import logging

import chinese_calendar
from lunardate import LunarDate

logger = logging.getLogger(__name__)

NOTICE, PACKAGE, COMPUTED = "notice", "package", "computed"


def _span(first, days):
    return [first + datetime.timedelta(days=i) for i in range(days)]


def qingming(year):
    """The day of the solar term 清明 in 2001–2099: [Y·D + C] − [Y/4] of April, Y the year's last
    two digits, D = 0.2422, C = 4.81 (the usual solar-term formula; checked against the
    package's 清明 holidays of 2008–2026)."""
    y = year % 100
    return datetime.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@functools.cache
def statutory_holidays(year):
    """Each statutory holiday of ``year`` under the 2024 revision, as a list of its days."""
    new_year = LunarDate(year, 1, 1).to_solar_date()
    return [
        [datetime.date(year, 1, 1)],
        _span(new_year - datetime.timedelta(days=1), 4),
        [qingming(year)],
        _span(datetime.date(year, 5, 1), 2),
        [LunarDate(year, 5, 5).to_solar_date()],
        [LunarDate(year, 8, 15).to_solar_date()],
        _span(datetime.date(year, 10, 1), 3),
    ]


@functools.cache
def computed_rest_days(year):
    """Rest days other than weekends, computed for ``year``: the holidays and their make-up."""
    rest = set()
    for days in statutory_holidays(year):
        rest.update(days)
        owed = sum(1 for d in days if d.weekday() >= 5)
        day = max(days)
        while owed:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5 and day not in rest:
                rest.add(day)
                owed -= 1
    return frozenset(rest)


def _notice_days(years):
    from gansu_sme.models import OfficialDay

    return dict(
        OfficialDay.objects.filter(date__year__in=years).values_list("date", "is_working_day")
    )


class _Calendar:
    """One lookup of the notice days per year, and the sources used, for one computation."""

    def __init__(self):
        self.notice = {}
        self.years = set()
        self.sources = set()

    def is_working_day(self, day):
        if day.year not in self.years:
            self.notice.update(_notice_days([day.year]))
            self.years.add(day.year)
        if day in self.notice:
            self.sources.add(NOTICE)
            return self.notice[day]
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.sources.add(COMPUTED)
            return day.weekday() < 5 and day not in computed_rest_days(day.year)
        self.sources.add(PACKAGE)
        return working

    def log(self, what, start, days, result):
        sources = ", ".join(sorted(self.sources)) or "-"
        log = logger.warning if COMPUTED in self.sources else logger.info
        log(
            "%s: %s working days from %s gives %s; sources: %s%s", what, days, start, result,
            sources,
            " (computed holidays; enter the State Council's notice in the admin)"
            if COMPUTED in self.sources else "",
        )


def working_day_source(day):
    """(whether ``day`` is a working day, the source that decided it)."""
    calendar = _Calendar()
    working = calendar.is_working_day(day)
    return working, calendar.sources.pop()


def is_working_day(day):
    return _Calendar().is_working_day(day)


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    calendar = _Calendar()
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    calendar.log("Deadline", start, days, day)
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``; 0 when ``end`` <= ``start``."""
    calendar = _Calendar()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    calendar.log("Count", start, count, end)
    return count

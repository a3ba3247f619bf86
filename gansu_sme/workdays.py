"""Working days (工作日) as Chinese government offices count them.

chinese_calendar knows the State Council's holidays and the weekends worked in exchange
(调休) for the years it has data for. For a later year, whose holiday schedule the State Council
has not yet published, weekends alone are counted: a deadline then errs early, never late, and
the warning says so in the log.
"""

import datetime
import functools
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_no_holidays(day.year)
        return day.weekday() < 5


@functools.cache
def _warn_no_holidays(year):
    logger.warning("No official holiday data for %s; counting weekends only.", year)


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``; 0 when ``end`` <= ``start``."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count

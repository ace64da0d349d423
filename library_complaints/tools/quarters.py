"""Quarters as the office counts them: Buddhist-era years, calendar quarters or the
Thai fiscal year (1 October to 30 September). Long dates: res.company._format_long_date."""

from datetime import date, timedelta

BE_OFFSET = 543
# The Thai government's fiscal year starts on 1 October and is named after the
# year it ends in: fiscal year 2570 B.E. runs from 1 October 2569 to 30 September 2570.
FISCAL_FIRST_MONTH = 10


def be_year(year):
    """The Buddhist-era year of a Gregorian year."""
    return year + BE_OFFSET


def quarter_of(day, basis):
    """(year, quarter) of a date: the calendar year, or the fiscal year it belongs to."""
    if basis == "fiscal":
        year = day.year + 1 if day.month >= FISCAL_FIRST_MONTH else day.year
        return year, (day.month - FISCAL_FIRST_MONTH) % 12 // 3 + 1
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year, quarter, basis):
    """(first day, day after the last day) of a quarter."""
    month = (quarter - 1) * 3 + 1
    if basis == "fiscal":
        month = (FISCAL_FIRST_MONTH - 1 + (quarter - 1) * 3) % 12 + 1
        year = year - 1 if month >= FISCAL_FIRST_MONTH else year
    start = date(year, month, 1)
    end_month = month + 3
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end


def shift_quarter(year, quarter, count):
    """The quarter `count` quarters after (or before, when negative) the given one."""
    index = year * 4 + quarter - 1 + count
    return index // 4, index % 4 + 1


def last_completed_quarter(today, basis):
    """The last quarter that ended before `today`."""
    return shift_quarter(*quarter_of(today, basis), -1)


def quarter_code(year, quarter, basis):
    """A sortable label in Buddhist-era years: '2569-Q4', or 'FY2570-Q1' for fiscal years."""
    prefix = "FY" if basis == "fiscal" else ""
    return f"{prefix}{be_year(year)}-Q{quarter}"


def last_day(end_exclusive):
    return end_exclusive - timedelta(days=1)

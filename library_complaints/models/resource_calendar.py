from bisect import bisect_right
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import ormcache


class WorkingDayClock:
    """The present moment seen through a working calendar, for a batch of complaints.

    Built once per run with one call to the calendar; all the cut-offs a run
    needs then come without another query.
    """

    def __init__(self, calendar, now, days_back):
        self.calendar = calendar
        self.now = now
        self.today = calendar._get_local_date(now)
        self.today_start = calendar._to_utc(self.today)
        self.past_working_dates = calendar._get_working_dates(
            self.today - timedelta(days=days_back), self.today
        )

    @property
    def is_working_day(self):
        return bool(self.past_working_dates) and self.past_working_dates[-1] == self.today

    def cutoff(self, working_days):
        """Naive UTC datetime before which something is `working_days` working days old.

        Something that happened on local day D is n working days old when n
        working dates lie after D, up to and including today.
        """
        if working_days <= 0:
            return self.now
        dates = self.past_working_dates
        if working_days > len(dates):
            return self.calendar._to_utc(self.today - timedelta(days=36500))
        return self.calendar._to_utc(dates[-working_days])


class ResourceCalendar(models.Model):
    """Working-day arithmetic for complaint handling on a working calendar.

    A working day is a local date with at least one attendance interval left
    once the calendar's leaves without resource (public holidays) are removed.
    """

    _inherit = "resource.calendar"

    # Translated: the office's shipped calendar reads "วันทำการราชการ" in Thai.
    name = fields.Char(translate=True)

    def _get_working_day_ends(self, date_from, date_to):
        """{working date: end of its office hours as naive UTC}, date_from to date_to.

        Taken from the working days of each year (``_get_year_working_day_ends``),
        cached: no query once the years are known, so creating a complaint costs
        no calendar read; callers still ask once for a batch and count in Python.
        """
        self.ensure_one()
        ends = {}
        for year in range(date_from.year, date_to.year + 1):
            ends.update(
                (day, end)
                for day, end in self._get_year_working_day_ends(year)
                if date_from <= day <= date_to
            )
        return ends

    @ormcache("self.id", "year")
    def _get_year_working_day_ends(self, year):
        """((working date, end of its office hours as naive UTC), ...) of a year, sorted.

        Cached until the calendar, its attendances or its public holidays change
        (``_clear_working_day_cache``); read as the superuser, so that the cached
        value is the same for everyone.
        """
        calendar = self.sudo()
        tz = calendar._get_tz()
        start = tz.localize(datetime(year, 1, 1))
        stop = tz.localize(datetime(year + 1, 1, 1))
        ends = {}
        for interval_start, interval_stop, __ in calendar._work_intervals_batch(
            start, stop, compute_leaves=True
        )[False]:
            day = interval_start.date()
            end = interval_stop.astimezone(pytz.utc).replace(tzinfo=None)
            ends[day] = max(ends.get(day, end), end)
        return tuple(sorted(ends.items()))

    @api.model
    def _clear_working_day_cache(self):
        """Forget the cached working days and time zones (every worker does)."""
        self.env.registry.clear_cache()

    def write(self, vals):
        result = super().write(vals)
        self._clear_working_day_cache()
        if "tz" in vals:
            self._queue_hours_change()
        return result

    def _queue_hours_change(self):
        """Open complaints on these calendars follow their new working hours."""
        self.env["library.complaint.calendar.change"]._queue(
            [
                {"calendar_id": calendar.id, "kind": "hours", "name": calendar.name}
                for calendar in self
            ]
        )

    def unlink(self):
        result = super().unlink()
        self._clear_working_day_cache()
        return result

    def _get_working_dates(self, date_from, date_to):
        """The working dates from date_from to date_to (both included), sorted."""
        return list(self._get_working_day_ends(date_from, date_to))

    # ------------------------------------------------------------------
    # Time zone: the calendar's, the one rule for every complaint date

    def _get_tz(self):
        self.ensure_one()
        return pytz.timezone(self._get_tz_name())

    @ormcache("self.id")
    def _get_tz_name(self):
        """The calendar's time zone, cached like its working days."""
        return self.sudo().tz or "UTC"

    def _to_utc(self, local, at=time.min):
        """A local time of the calendar as naive UTC, as Odoo stores datetimes.

        :param local: a date (at the local time `at`, midnight by default), a naive
            local datetime, or an aware datetime (converted as it is)
        """
        if not isinstance(local, datetime):
            local = datetime.combine(local, at)
        if local.tzinfo is None:
            local = self._get_tz().localize(local)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _get_local_datetime(self, dt):
        """The calendar's local (aware) datetime of a naive UTC datetime."""
        return pytz.utc.localize(dt).astimezone(self._get_tz())

    def _get_local_date(self, dt):
        """The calendar's local date of a naive UTC datetime."""
        return self._get_local_datetime(dt).date()

    def _get_local_dates(self, datetimes):
        """The calendar's local dates of naive UTC datetimes (the time zone read once)."""
        tz = self._get_tz()
        localize = pytz.utc.localize
        return [localize(dt).astimezone(tz).date() for dt in datetimes]

    def _plan_working_days_after(self, pairs):
        """For each (naive UTC datetime, n): the end of office hours of the n-th working
        day after the datetime's local day, as naive UTC.

        The day something arrives is day 0, whatever its hour: a complaint received
        on a Friday evening before a holiday counts from the first working day after
        the holiday. One call to the calendar for all the pairs.
        """
        self.ensure_one()
        if not pairs:
            return []
        return self._plan_on_working_day_ends(self._get_working_day_ends_for(pairs), pairs)

    def _get_working_day_ends_for(self, pairs, today=None):
        """The working-day ends that planning `pairs` (and looking at `today`) needs."""
        starts = self._get_local_dates([dt for dt, __ in pairs]) + ([today] if today else [])
        longest = max(days for __, days in pairs)
        return self._get_working_day_ends(
            min(starts), max(starts) + timedelta(days=2 * longest + 60)
        )

    def _plan_on_working_day_ends(self, ends, pairs):
        dates = list(ends)
        result = []
        local_dates = self._get_local_dates([dt for dt, __ in pairs])
        for (__, days), local_date in zip(pairs, local_dates, strict=True):
            index = bisect_right(dates, local_date) + days - 1
            result.append(ends[dates[index]] if days > 0 and index < len(dates) else False)
        return result

    def _get_due_soon_limit(self, today, ends=None):
        """Naive UTC end of the next working day after `today`: due before it = due soon."""
        self.ensure_one()
        if ends is None:
            ends = self._get_working_day_ends(today + timedelta(days=1), today + timedelta(days=31))
        upcoming = [day for day in ends if day > today]
        return self._to_utc((upcoming[0] if upcoming else today) + timedelta(days=1))

    def _get_clock(self, now=None, max_working_days=0):
        """A WorkingDayClock able to count back `max_working_days` working days."""
        self.ensure_one()
        return WorkingDayClock(
            self, now or fields.Datetime.now(), days_back=max(31, 3 * max_working_days + 31)
        )

    def _count_working_days(self, pairs):
        """For each (date_from, date_to) pair: the working dates after date_from up to date_to.

        Negative when date_to is before date_from. One call to the calendar for
        all the pairs.
        """
        self.ensure_one()
        if not pairs:
            return []
        bounds = [day for pair in pairs for day in pair]
        dates = self._get_working_dates(min(bounds), max(bounds))

        def count(day_from, day_to):
            if day_to >= day_from:
                return bisect_right(dates, day_to) - bisect_right(dates, day_from)
            return -count(day_to, day_from)

        return [count(day_from, day_to) for day_from, day_to in pairs]


def _queue_calendar_changes(env, vals_list):
    env["library.complaint.calendar.change"]._queue(vals_list)


class ResourceCalendarAttendance(models.Model):
    """A changed attendance changes the working days: forget the cached ones."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["resource.calendar"]._clear_working_day_cache()
        records.calendar_id._queue_hours_change()
        return records

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        self.env["resource.calendar"]._clear_working_day_cache()
        (calendars | self.calendar_id)._queue_hours_change()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        self.env["resource.calendar"]._clear_working_day_cache()
        calendars.exists()._queue_hours_change()
        return result


class ResourceCalendarLeaves(models.Model):
    """A public holiday (a leave without resource) changes the working days: forget
    the cached ones; a person's time off does not."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if records._has_public_holiday():
            self.env["resource.calendar"]._clear_working_day_cache()
            _queue_calendar_changes(self.env, records._get_calendar_changes("holiday_added"))
        return records

    def write(self, vals):
        public = "resource_id" in vals or self._has_public_holiday()
        before = self._get_calendar_changes("holiday_changed") if public else []
        result = super().write(vals)
        if public:
            self.env["resource.calendar"]._clear_working_day_cache()
            # moved, renamed or given a resource: both the old and the new days count
            _queue_calendar_changes(
                self.env, before + self._get_calendar_changes("holiday_changed")
            )
        return result

    def unlink(self):
        public = self._has_public_holiday()
        removed = self._get_calendar_changes("holiday_removed") if public else []
        result = super().unlink()
        if public:
            self.env["resource.calendar"]._clear_working_day_cache()
            _queue_calendar_changes(self.env, removed)
        return result

    def _get_calendar_changes(self, kind):
        """The calendar changes the public holidays among these leaves make: one per
        holiday and calendar (a holiday without calendar counts on every calendar)."""
        holidays = self.sudo().filtered(lambda leave: not leave.resource_id)
        if not holidays:
            return []
        every = None
        changes = []
        for holiday in holidays:
            calendars = holiday.calendar_id
            if not calendars:
                every = every or self.env["resource.calendar"].union(
                    *(
                        company._get_complaint_calendar()
                        for company in self.env["res.company"]
                        .sudo()
                        .search([("active", "=", True)])
                    )
                )
                calendars = every
            changes += [
                {
                    "calendar_id": calendar.id,
                    "kind": kind,
                    "name": holiday.name,
                    "date_from": holiday.date_from,
                    "date_to": holiday.date_to,
                }
                for calendar in calendars
            ]
        return changes

    def _has_public_holiday(self):
        """Whether one of the leaves is a public holiday (has no resource)."""
        return any(not leave.resource_id for leave in self)

    @api.model
    def _name_shipped_holidays_in_thai(self):
        """The public holidays shipped with the module (data/resource_calendar_data.xml)
        named in Thai, as the `holidays` package names them: databases installed
        before they were created in Thai still have the English names. A holiday the
        manager renamed keeps its name. Written in SQL: a new name moves no day, so no
        calendar change is logged."""
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "library_complaints"),
                    ("model", "=", self._name),
                    ("name", "=like", "holiday\\_%"),
                ]
            )
        )
        leaves = self.sudo().browse(data.mapped("res_id")).exists()
        if not leaves:
            return
        Wizard = self.env["library.complaint.holiday.wizard"]
        default_calendar = leaves.calendar_id[:1]
        days = {
            leave: (leave.calendar_id or default_calendar)._get_local_date(leave.date_from)
            for leave in leaves
        }
        renames = []
        for year in {day.year for day in days.values()}:
            english = Wizard.with_context(lang="en_US")._get_official_holidays(year)
            thai = Wizard.with_context(lang="th_TH")._get_official_holidays(year)
            for leave, day in days.items():
                if day.year == year and english.get(day) == leave.name and thai.get(day):
                    renames.append((thai[day], leave.id))
        if renames:
            self.env.cr.executemany(
                "UPDATE resource_calendar_leaves SET name = %s WHERE id = %s", renames
            )
            leaves.invalidate_recordset(["name"])

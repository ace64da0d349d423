from datetime import date, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools.misc import format_date

# Years accepted by the wizard: a year above the range is most likely a
# Buddhist Era year (B.E. 2570 is 2027).
MIN_YEAR = 1900
MAX_YEAR = 2399


class LibraryComplaintHolidayWizard(models.TransientModel):
    """Add the public holidays of a year to a working calendar.

    The wizard proposes the holidays of the most recent earlier year moved to
    the same day and month, so the manager only corrects the days that move
    (Buddhist lunar days, substitution days) before creating them.
    """

    _name = "library.complaint.holiday.wizard"
    _description = "Add a year's public holidays"

    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working calendar",
        required=True,
        default=lambda self: self._default_calendar_id(),
    )
    year = fields.Integer(
        required=True,
        default=lambda self: self._default_year(),
        help="Year of the Common Era, e.g. 2027 for B.E. 2570.",
    )
    line_ids = fields.One2many(
        comodel_name="library.complaint.holiday.wizard.line",
        inverse_name="wizard_id",
        string="Public holidays",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_calendar_id(self):
        return self.env.ref(
            "library_complaints.resource_calendar_official", raise_if_not_found=False
        )

    @api.model
    def _default_year(self):
        """The year after the calendar's last year of holidays, else the current year."""
        calendar = (
            self.env["resource.calendar"].browse(self.env.context.get("default_calendar_id"))
            or self._default_calendar_id()
        )
        last_holiday = self._find_last_holiday(calendar)
        if not last_holiday:
            return fields.Date.context_today(self).year
        return calendar._get_local_date(last_holiday.date_from).year + 1

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _get_public_holiday_domain(self, calendar):
        """The calendar's public holidays: its time off without resource."""
        return [
            ("calendar_id", "=", calendar.id),
            ("resource_id", "=", False),
            ("time_type", "=", "leave"),
        ]

    @api.model
    def _find_last_holiday(self, calendar, before_year=None):
        """The calendar's latest public holiday, starting before `before_year` if given."""
        if not calendar:
            return self.env["resource.calendar.leaves"]
        domain = self._get_public_holiday_domain(calendar)
        if before_year:
            domain += [("date_from", "<", calendar._to_utc(date(before_year, 1, 1)))]
        return self.env["resource.calendar.leaves"].search(domain, order="date_from desc", limit=1)

    def _get_local_days(self, leave):
        """The local dates a time off covers; one ending at midnight does not cover the next day."""
        calendar = self.calendar_id
        first_day = calendar._get_local_date(leave.date_from)
        last_day = max(calendar._get_local_date(leave.date_to - timedelta(seconds=1)), first_day)
        return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    def _is_valid_year(self):
        self.ensure_one()
        return MIN_YEAR <= self.year <= MAX_YEAR

    def _get_year_holidays(self, year):
        """The calendar's public holidays starting in `year` (local time)."""
        self.ensure_one()
        calendar = self.calendar_id
        return self.env["resource.calendar.leaves"].search(
            self._get_public_holiday_domain(calendar)
            + [
                ("date_from", ">=", calendar._to_utc(date(year, 1, 1))),
                ("date_from", "<", calendar._to_utc(date(year + 1, 1, 1))),
            ],
            order="date_from",
        )

    # ------------------------------------------------------------------
    # Proposed lines
    # ------------------------------------------------------------------

    @api.depends("calendar_id", "year")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create({"name": name, "date": day})
                for day, name in wizard._get_proposed_holidays()
            ]

    def _get_proposed_holidays(self):
        """(date, name) of the most recent earlier year's holidays, moved to `year`.

        A day that does not exist in `year` (29 February) is left out, and a
        day covered by several holidays is proposed once.
        """
        self.ensure_one()
        if not (self.calendar_id and self._is_valid_year()):
            return []
        last_holiday = self._find_last_holiday(self.calendar_id, before_year=self.year)
        if not last_holiday:
            return []
        source_year = self.calendar_id._get_local_date(last_holiday.date_from).year
        proposed = {}
        for leave in self._get_year_holidays(source_year):
            for day in self._get_local_days(leave):
                new_day = self._move_to_year(day, self.year)
                if new_day:
                    proposed.setdefault(new_day, leave.name or "")
        return sorted(proposed.items())

    @api.model
    def _move_to_year(self, day, year):
        """The same day and month in `year`, or None if it does not exist (29 February)."""
        try:
            return day.replace(year=year)
        except ValueError:
            return None

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    def action_create_holidays(self):
        self.ensure_one()
        self._check_year()
        self._check_has_lines()
        self._check_lines_within_year()
        self._check_no_duplicate_dates()
        self._check_no_existing_holidays()
        holidays = self.env["resource.calendar.leaves"].create(self._prepare_holiday_vals_list())
        return self._get_holidays_action(holidays)

    def _check_year(self):
        self.ensure_one()
        if not self._is_valid_year():
            raise ValidationError(
                self.env._(
                    "Enter a year of the Common Era between %(min)s and %(max)s "
                    "(e.g. 2027, not B.E. 2570).",
                    min=MIN_YEAR,
                    max=MAX_YEAR,
                )
            )

    def _check_has_lines(self):
        self.ensure_one()
        if not self.line_ids:
            raise ValidationError(self.env._("Add at least one public holiday."))

    def _check_lines_within_year(self):
        self.ensure_one()
        outside = self.line_ids.filtered(lambda line: line.date.year != self.year)
        if outside:
            raise ValidationError(
                self.env._(
                    "These holidays are not in %(year)s:\n%(holidays)s",
                    year=self.year,
                    holidays=self._format_holidays((line.date, line.name) for line in outside),
                )
            )

    def _check_no_duplicate_dates(self):
        self.ensure_one()
        lines_per_date = self.line_ids.grouped("date")
        duplicates = [
            (day, " / ".join(lines.mapped("name")))
            for day, lines in lines_per_date.items()
            if len(lines) > 1
        ]
        if duplicates:
            raise ValidationError(
                self.env._(
                    "Each day can be entered only once:\n%(holidays)s",
                    holidays=self._format_holidays(duplicates),
                )
            )

    def _check_no_existing_holidays(self):
        self.ensure_one()
        existing = self._get_existing_holidays_by_date(set(self.line_ids.mapped("date")))
        if existing:
            raise ValidationError(
                self.env._(
                    "These days are already public holidays of %(calendar)s:\n%(holidays)s",
                    calendar=self.calendar_id.display_name,
                    holidays=self._format_holidays(sorted(existing.items())),
                )
            )

    def _get_existing_holidays_by_date(self, days):
        """{date: name} of the calendar's public holidays already covering one of `days`."""
        self.ensure_one()
        if not days:
            return {}
        calendar = self.calendar_id
        holidays = self.env["resource.calendar.leaves"].search(
            self._get_public_holiday_domain(calendar)
            + [
                ("date_from", "<=", calendar._to_utc(max(days), time(23, 59, 59))),
                ("date_to", ">", calendar._to_utc(min(days))),
            ]
        )
        existing = {}
        for holiday in holidays:
            for day in self._get_local_days(holiday):
                if day in days:
                    existing.setdefault(day, holiday.name or "")
        return existing

    def _format_holidays(self, holidays):
        """One line per (date, name), the date in the user's language."""
        return "\n".join(f"- {format_date(self.env, day)}: {name}" for day, name in holidays)

    def _prepare_holiday_vals_list(self):
        """Each line as a public holiday from local midnight to 23:59:59, in naive UTC."""
        self.ensure_one()
        calendar = self.calendar_id
        return [
            {
                "name": line.name,
                "calendar_id": self.calendar_id.id,
                "resource_id": False,
                "time_type": "leave",
                "date_from": calendar._to_utc(line.date),
                "date_to": calendar._to_utc(line.date, time(23, 59, 59)),
            }
            for line in self.line_ids.sorted("date")
        ]

    def _get_holidays_action(self, holidays):
        """The public holidays list, showing only `holidays`."""
        action = self.env["ir.actions.actions"]._for_xml_id(
            "library_complaints.action_library_complaint_public_holidays"
        )
        action["name"] = self.env._("Public holidays %(year)s", year=self.year)
        action["domain"] = [("id", "in", holidays.ids)]
        action["context"] = {
            "default_calendar_id": self.calendar_id.id,
            "default_time_type": "leave",
        }
        return action


class LibraryComplaintHolidayWizardLine(models.TransientModel):
    _name = "library.complaint.holiday.wizard.line"
    _description = "Public holiday to add"
    _order = "date, id"

    wizard_id = fields.Many2one(
        comodel_name="library.complaint.holiday.wizard",
        required=True,
        ondelete="cascade",
        index=True,
    )
    name = fields.Char(string="Holiday", required=True)
    date = fields.Date(required=True)
    weekday = fields.Char(
        compute="_compute_weekday",
        help="A holiday on a Saturday or a Sunday usually gets a substitution day.",
    )

    @api.depends("date")
    def _compute_weekday(self):
        for line in self:
            line.weekday = format_date(self.env, line.date, date_format="EEEE") if line.date else ""

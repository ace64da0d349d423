from datetime import time, timedelta

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools.misc import format_date

from ..tools.years import check_common_era_year, is_common_era_year

# Thailand's official days off in the `holidays` package: its public holidays
# (lunar days and days in lieu included) and the government's own (the Royal
# Ploughing Ceremony, special days the cabinet announced before the release).
OFFICIAL_CATEGORIES = (PUBLIC, GOVERNMENT)
# Public holidays of the package that are no day off for government offices, by
# their English name: Labour Day is the private and financial sectors' only, and
# Children's Day is always a Saturday. Their days in lieu start with the same name.
NOT_OFFICE_DAYS_OFF = ("National Labor Day", "National Children's Day")


class LibraryComplaintHolidayWizard(models.TransientModel):
    """Add the public holidays of a year to a working calendar.

    The wizard proposes Thailand's official holidays of the year from the
    `holidays` package (lunar days and days in lieu computed), except the days
    the calendar already has; the manager adds the cabinet's special days.
    The holidays shipped with the module come from the same proposal.
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
    def _find_last_holiday(self, calendar):
        """The calendar's latest public holiday."""
        if not calendar:
            return self.env["resource.calendar.leaves"]
        return self.env["resource.calendar.leaves"].search(
            self._get_public_holiday_domain(calendar), order="date_from desc", limit=1
        )

    def _get_local_days(self, leave):
        """The local dates a time off covers; one ending at midnight does not cover the next day."""
        calendar = self.calendar_id
        first_day = calendar._get_local_date(leave.date_from)
        last_day = max(calendar._get_local_date(leave.date_to - timedelta(seconds=1)), first_day)
        return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    def _is_valid_year(self):
        self.ensure_one()
        return is_common_era_year(self.year)

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
        """(date, name) of the year's official holidays the calendar does not have yet."""
        self.ensure_one()
        if not (self.calendar_id and self._is_valid_year()):
            return []
        official = self._get_official_holidays(self.year)
        existing = self._get_existing_holidays_by_date(set(official))
        return [(day, name) for day, name in sorted(official.items()) if day not in existing]

    @api.model
    def _get_official_holidays(self, year):
        """{date: name} of Thailand's official holidays of `year`, named in the user's language."""
        options = {"years": year, "categories": OFFICIAL_CATEGORIES}
        english = holidays.country_holidays("TH", language="en_US", **options)
        named = holidays.country_holidays("TH", language=self._get_holidays_language(), **options)
        official = {}
        for day in english:
            # Both lists name the day's holidays in the same order.
            pairs = zip(named.get_list(day), english.get_list(day), strict=True)
            names = [name for name, key in pairs if not key.startswith(NOT_OFFICE_DAYS_OFF)]
            if names:
                official[day] = "; ".join(names)
        return official

    @api.model
    def _get_holidays_language(self):
        """The package's language for the user's: Thai for Thai, else English."""
        supported = holidays.Thailand.supported_languages
        # the context's language even when not installed: the shipped holidays are Thai
        lang = self.env.context.get("lang") or self.env.lang or "en_US"
        for candidate in (lang, lang.split("_")[0]):
            if candidate in supported:
                return candidate
        return "en_US"

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    def action_create_holidays(self):
        return self._get_holidays_action(self._create_holidays())

    def _create_holidays(self):
        """The lines as public holidays of the calendar, once checked."""
        self.ensure_one()
        self._check_year()
        self._check_has_lines()
        self._check_lines_within_year()
        self._check_no_duplicate_dates()
        self._check_no_existing_holidays()
        return self.env["resource.calendar.leaves"].create(self._prepare_holiday_vals_list())

    def _check_year(self):
        self.ensure_one()
        check_common_era_year(self.env, self.year)

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
        leaves = self.env["resource.calendar.leaves"].search(
            self._get_public_holiday_domain(calendar)
            + [
                ("date_from", "<=", calendar._to_utc(max(days), time(23, 59, 59))),
                ("date_to", ">", calendar._to_utc(min(days))),
            ]
        )
        existing = {}
        for holiday in leaves:
            for day in self._get_local_days(holiday):
                if day in days:
                    existing.setdefault(day, holiday.name or "")
        return existing

    def _format_holidays(self, day_names):
        """One line per (date, name), the date in the user's language."""
        return "\n".join(f"- {format_date(self.env, day)}: {name}" for day, name in day_names)

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

    def _get_holidays_action(self, leaves):
        """The public holidays list, showing only `leaves`."""
        action = self.env["ir.actions.actions"]._for_xml_id(
            "library_complaints.action_library_complaint_public_holidays"
        )
        action["name"] = self.env._("Public holidays %(year)s", year=self.year)
        action["domain"] = [("id", "in", leaves.ids)]
        action["context"] = {
            "default_calendar_id": self.calendar_id.id,
            "default_time_type": "leave",
        }
        return action

    @api.model
    def _create_official_holidays(self, calendar_id, years):
        """The official holidays of `years` on the calendar, as "Add a year" proposes
        them: the holidays shipped with the module, created once at install
        (data/resource_calendar_data.xml), then the manager's to edit. Each is
        named like a data record (holiday_2026_04_13): the module's uninstall
        removes them with the calendar, an update leaves them alone."""
        for year in years:
            wizard = self.create({"calendar_id": calendar_id, "year": year})
            if not wizard.line_ids:
                continue
            calendar = wizard.calendar_id
            self.env["ir.model.data"]._update_xmlids(
                [
                    {
                        "xml_id": "library_complaints.holiday_"
                        + calendar._get_local_date(leave.date_from).strftime("%Y_%m_%d"),
                        "record": leave,
                        "noupdate": True,
                    }
                    for leave in wizard._create_holidays()
                ]
            )


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

from datetime import date, datetime, time, timedelta

import pytz

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

BANGKOK = pytz.timezone("Asia/Bangkok")


def bangkok_to_utc(day, at=time.min):
    """Naive UTC datetime of a Bangkok local time, as Odoo stores datetimes."""
    return BANGKOK.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestOfficialCalendar(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("library_complaints.resource_calendar_official")
        cls.Wizard = cls.env["library.complaint.holiday.wizard"]
        cls.Leaves = cls.env["resource.calendar.leaves"]

    def work_hours_on(self, day):
        """Working hours of the official calendar on a Bangkok day, public holidays removed."""
        start = pytz.utc.localize(bangkok_to_utc(day))
        return self.calendar.get_work_hours_count(start, start + timedelta(days=1))

    def holidays_of_year(self, year):
        return self.Leaves.search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("resource_id", "=", False),
                ("date_from", ">=", bangkok_to_utc(date(year, 1, 1))),
                ("date_from", "<", bangkok_to_utc(date(year + 1, 1, 1))),
            ]
        )

    def test_official_calendar_is_shared_bangkok_monday_to_friday(self):
        self.assertEqual(self.calendar.tz, "Asia/Bangkok")
        self.assertFalse(self.calendar.company_id)
        self.assertEqual(self.calendar.hours_per_day, 7)
        work_periods = self.calendar.attendance_ids.filtered(lambda a: a.day_period != "lunch")
        self.assertEqual(set(work_periods.mapped("dayofweek")), {"0", "1", "2", "3", "4"})
        monday = date(2026, 1, 5)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            self.assertEqual(self.calendar._works_on_date(day), offset < 5, day)
        self.assertEqual(self.work_hours_on(date(2026, 1, 7)), 7)  # an ordinary Wednesday

    def test_new_year_and_songkran_2026_are_holidays(self):
        for day in (date(2026, 1, 1), date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15)):
            self.assertEqual(self.work_hours_on(day), 0, day)
        self.assertEqual(self.work_hours_on(date(2026, 4, 16)), 7)

    def test_plan_days_skips_songkran(self):
        friday_evening = bangkok_to_utc(date(2026, 4, 10), time(18, 0))
        planned = self.calendar.plan_days(1, friday_evening, compute_leaves=True)
        planned_day = pytz.utc.localize(planned).astimezone(BANGKOK).date()
        # Saturday, Sunday, then Songkran from Monday 13 to Wednesday 15 April
        self.assertEqual(planned_day, date(2026, 4, 16))

    def test_wizard_defaults_to_official_calendar_and_next_year(self):
        wizard = self.Wizard.create({})
        self.assertEqual(wizard.calendar_id, self.calendar)
        self.assertEqual(wizard.year, 2028)

    def test_wizard_proposes_last_year_and_creates_holidays(self):
        holidays_2027 = self.holidays_of_year(2027)
        wizard = self.Wizard.create({"year": 2028})
        self.assertEqual(len(wizard.line_ids), len(holidays_2027))
        self.assertEqual({line.date.year for line in wizard.line_ids}, {2028})
        songkran = wizard.line_ids.filtered(lambda line: line.date == date(2028, 4, 13))
        self.assertEqual(songkran.name, "Songkran Festival")

        action = wizard.action_create_holidays()

        created = self.Leaves.search(action["domain"])
        self.assertEqual(action["res_model"], "resource.calendar.leaves")
        self.assertEqual(created, self.holidays_of_year(2028))
        self.assertEqual(len(created), len(holidays_2027))
        new_year = created.filtered(lambda h: h.name == "New Year's Day")
        self.assertEqual(new_year.date_from, datetime(2027, 12, 31, 17, 0, 0))
        self.assertEqual(new_year.date_to, datetime(2028, 1, 1, 16, 59, 59))
        self.assertFalse(new_year.resource_id)
        self.assertEqual(new_year.time_type, "leave")
        self.assertEqual(self.work_hours_on(date(2028, 4, 13)), 0)  # Songkran, a Thursday
        self.assertEqual(self.work_hours_on(date(2028, 1, 3)), 7)  # substitution not copied

    def test_wizard_skips_29_february(self):
        self.Leaves.create(
            [
                {
                    "name": name,
                    "calendar_id": self.calendar.id,
                    "date_from": bangkok_to_utc(day),
                    "date_to": bangkok_to_utc(day, time(23, 59, 59)),
                }
                for day, name in ((date(2028, 2, 29), "Leap day"), (date(2028, 3, 1), "Next day"))
            ]
        )
        wizard = self.Wizard.create({"year": 2029})
        self.assertEqual(
            [(line.date, line.name) for line in wizard.line_ids],
            [(date(2029, 3, 1), "Next day")],
        )

    def test_refuses_a_year_or_date_outside_the_year(self):
        wizard = self.Wizard.create(
            {
                "year": 2028,
                "line_ids": [Command.create({"name": "Too early", "date": date(2027, 12, 30)})],
            }
        )
        with self.assertRaises(ValidationError):
            wizard.action_create_holidays()
        buddhist_era = self.Wizard.create(
            {
                "year": 2571,
                "line_ids": [Command.create({"name": "New Year", "date": date(2571, 1, 1)})],
            }
        )
        with self.assertRaises(ValidationError):
            buddhist_era.action_create_holidays()

    def test_refuses_the_same_date_twice(self):
        wizard = self.Wizard.create(
            {
                "year": 2028,
                "line_ids": [
                    Command.create({"name": "Makha Bucha Day", "date": date(2028, 2, 10)}),
                    Command.create({"name": "Typo", "date": date(2028, 2, 10)}),
                ],
            }
        )
        with self.assertRaises(ValidationError):
            wizard.action_create_holidays()

    def test_refuses_a_day_that_is_already_a_holiday(self):
        wizard = self.Wizard.create(
            {
                "year": 2027,
                "line_ids": [Command.create({"name": "Songkran", "date": date(2027, 4, 13)})],
            }
        )
        with self.assertRaises(ValidationError):
            wizard.action_create_holidays()
        self.assertEqual(
            self.Leaves.search_count(
                [("calendar_id", "=", self.calendar.id), ("name", "=", "Songkran")]
            ),
            0,
        )

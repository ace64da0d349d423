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

    def local_holidays_of_year(self, year):
        """{Bangkok date: name} of the official calendar's public holidays of `year`."""
        return {
            self.calendar._get_local_date(leave.date_from): leave.name
            for leave in self.holidays_of_year(year)
        }

    def test_shipped_years_are_the_packages_official_holidays(self):
        # named in Thai, as the office reads them
        Wizard = self.Wizard.with_context(lang="th_TH")
        for year in (2026, 2027):
            with self.subTest(year=year):
                self.assertEqual(
                    self.local_holidays_of_year(year), Wizard._get_official_holidays(year)
                )
        # The government's Royal Ploughing Ceremony is a day off, Labour Day is not.
        ploughing = self.env.ref("library_complaints.holiday_2026_05_13")
        self.assertEqual(
            ploughing.name,
            Wizard._get_official_holidays(2026)[date(2026, 5, 13)],
            "Royal Ploughing Ceremony, in Thai",
        )
        self.assertNotEqual(ploughing.name, "Royal Ploughing Ceremony")
        self.assertTrue(ploughing.get_external_id() and ploughing.get_metadata()[0]["noupdate"])
        self.assertEqual(self.work_hours_on(date(2026, 5, 13)), 0)
        self.assertEqual(self.work_hours_on(date(2026, 5, 1)), 7)
        # The day in lieu of Makha Bucha (Sunday 21 February 2027).
        self.assertEqual(self.work_hours_on(date(2027, 2, 22)), 0)

    def test_wizard_proposes_the_years_holidays_and_creates_them(self):
        wizard = self.Wizard.with_context(lang="en_US").create({"year": 2028})
        proposed = {line.date: line.name for line in wizard.line_ids}
        # Lunar days of a year the module does not ship
        self.assertEqual(proposed[date(2028, 2, 10)], "Makha Bucha")
        self.assertEqual(proposed[date(2028, 5, 8)], "Visakha Bucha")
        self.assertEqual(proposed[date(2028, 7, 6)], "Asarnha Bucha")
        self.assertEqual(proposed[date(2028, 7, 7)], "Buddhist Lent Day")
        # Days in lieu: New Year's Day and Constitution Day fall on a weekend, and
        # Songkran from Thursday to Saturday.
        self.assertEqual(proposed[date(2028, 1, 3)], "New Year's Day (in lieu)")
        self.assertEqual(proposed[date(2028, 4, 17)], "Songkran Festival (in lieu)")
        self.assertEqual(proposed[date(2028, 12, 11)], "Constitution Day (in lieu)")
        # No day off for government offices: Labour Day and Children's Day.
        self.assertNotIn(date(2028, 5, 1), proposed)
        self.assertNotIn(date(2028, 1, 8), proposed)
        self.assertEqual(len(proposed), 23)

        action = wizard.action_create_holidays()

        created = self.Leaves.search(action["domain"])
        self.assertEqual(action["res_model"], "resource.calendar.leaves")
        self.assertEqual(created, self.holidays_of_year(2028))
        self.assertEqual(self.local_holidays_of_year(2028), proposed)
        new_year = created.filtered(lambda h: h.name == "New Year's Day")
        self.assertEqual(new_year.date_from, datetime(2027, 12, 31, 17, 0, 0))
        self.assertEqual(new_year.date_to, datetime(2028, 1, 1, 16, 59, 59))
        self.assertFalse(new_year.resource_id)
        self.assertEqual(new_year.time_type, "leave")
        self.assertEqual(self.work_hours_on(date(2028, 2, 10)), 0)  # Makha Bucha, a Thursday
        self.assertEqual(self.work_hours_on(date(2028, 1, 3)), 0)  # in lieu of New Year's Day
        self.assertEqual(self.work_hours_on(date(2028, 5, 1)), 7)  # Labour Day
        # The next year is proposed next.
        self.assertEqual(self.Wizard.create({}).year, 2029)

    def test_wizard_names_the_holidays_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("th_TH")
        wizard = self.Wizard.with_context(lang="th_TH").create({"year": 2028})
        makha_bucha = wizard.line_ids.filtered(lambda line: line.date == date(2028, 2, 10))
        self.assertEqual(makha_bucha.name, "วันมาฆบูชา")
        self.assertEqual(len(wizard.line_ids), 23)

    def test_wizard_leaves_out_the_days_the_calendar_has(self):
        # The manager entered a cabinet's special day, then a holiday of 2028.
        self.Leaves.create(
            [
                {
                    "name": name,
                    "calendar_id": self.calendar.id,
                    "date_from": bangkok_to_utc(day),
                    "date_to": bangkok_to_utc(day, time(23, 59, 59)),
                }
                for day, name in (
                    (date(2028, 1, 10), "Special holiday"),
                    (date(2028, 2, 10), "Makha Bucha Day"),
                )
            ]
        )
        wizard = self.Wizard.with_context(lang="en_US").create({"year": 2028})
        days = wizard.line_ids.mapped("date")
        self.assertNotIn(date(2028, 2, 10), days)
        self.assertIn(date(2028, 1, 3), days)
        self.assertEqual(len(days), 22)
        wizard.action_create_holidays()
        self.assertEqual(len(self.holidays_of_year(2028)), 24)
        # A year whose holidays are all there proposes none.
        self.assertFalse(self.Wizard.create({"year": 2027}).line_ids)

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

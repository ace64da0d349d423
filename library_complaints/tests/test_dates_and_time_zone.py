"""Dates as the office writes them, one time zone (the complaint calendar's), and
mails in the recipient's language."""

import re
from datetime import date, datetime, time

from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import LibraryComplaintsCase
from .test_escalation import EscalationCase

THAI = re.compile(r"[\u0e00-\u0e7f]")


class TimeZoneCase(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.official = cls.env.ref("library_complaints.resource_calendar_official")
        # The company's working calendar is not the complaint calendar: its time zone
        # must never be the one complaint dates are read in.
        cls.company.resource_calendar_id.tz = "Europe/Paris"
        cls.tokyo = cls.env["resource.calendar"].create({"name": "Tokyo", "tz": "Asia/Tokyo"})


@tagged("post_install", "-at_install")
class TestLongDates(TimeZoneCase):
    def test_thai_month_names_and_buddhist_era_year(self):
        expected = {
            date(2026, 1, 15): "15 มกราคม 2569",
            date(2026, 2, 1): "1 กุมภาพันธ์ 2569",
            date(2026, 10, 1): "1 ตุลาคม 2569",
            date(2027, 12, 31): "31 ธันวาคม 2570",
        }
        for day, thai in expected.items():
            self.assertEqual(self.company._format_long_date(day, "th_TH"), thai)
        self.assertEqual(
            self.company._format_long_date(date(2026, 1, 15), "en_US"), "January 15, 2026"
        )
        self.assertEqual(self.company._format_long_date(False, "th_TH"), "")

    def test_language_defaults_to_the_current_one(self):
        day = date(2026, 1, 15)
        self.assertEqual(
            self.company.with_context(lang="th_TH")._format_long_date(day), "15 มกราคม 2569"
        )
        self.assertEqual(
            self.company.with_context(lang="en_US")._format_long_date(day), "January 15, 2026"
        )

    def test_a_datetime_is_the_complaint_calendars_day(self):
        moment = datetime(2026, 1, 14, 17, 30)  # 00:30 on 15 January in Bangkok
        self.assertEqual(self.company._format_long_date(moment, "th_TH"), "15 มกราคม 2569")
        self.assertEqual(self.company._format_long_date(moment, "en_US"), "January 15, 2026")


@tagged("post_install", "-at_install")
class TestOneTimeZone(TimeZoneCase):
    def test_calendar_converts_local_times(self):
        self.assertEqual(self.official._to_utc(date(2026, 1, 5)), datetime(2026, 1, 4, 17, 0))
        self.assertEqual(
            self.official._to_utc(date(2026, 1, 5), time(23, 59, 59)),
            datetime(2026, 1, 5, 16, 59, 59),
        )
        self.assertEqual(
            self.official._to_utc(datetime(2026, 1, 5, 9, 30)), datetime(2026, 1, 5, 2, 30)
        )
        self.assertEqual(
            self.official._to_utc(datetime.fromisoformat("2026-01-05T09:30+09:00")),
            datetime(2026, 1, 5, 0, 30),
        )
        self.assertEqual(
            self.official._get_local_date(datetime(2026, 1, 4, 17, 0)), date(2026, 1, 5)
        )
        self.assertEqual(self.tokyo._get_local_date(datetime(2026, 1, 4, 15, 0)), date(2026, 1, 5))

    def test_form_date_is_read_in_the_complaint_calendars_time_zone(self):
        checker = self.env["library.complaint.form"]
        self.assertEqual(checker._parse_date("2026-01-05"), (datetime(2026, 1, 4, 17, 0), None))
        self.assertEqual(
            checker._parse_date("2026-01-05T09:30"), (datetime(2026, 1, 5, 2, 30), None)
        )
        self.company.complaint_calendar_id = self.tokyo
        self.assertEqual(checker._parse_date("2026-01-05"), (datetime(2026, 1, 4, 15, 0), None))

    def test_holiday_wizard_uses_the_edited_calendars_time_zone(self):
        Leaves = self.env["resource.calendar.leaves"]
        Leaves.create(
            {
                "name": "New Year's Day",
                "calendar_id": self.tokyo.id,
                "date_from": datetime(2026, 12, 31, 15, 0),
                "date_to": datetime(2027, 1, 1, 14, 59, 59),
            }
        )
        wizard = (
            self.env["library.complaint.holiday.wizard"]
            .with_context(lang="en_US")
            .create({"calendar_id": self.tokyo.id, "year": 2028})
        )
        self.assertEqual(
            (wizard.line_ids[0].date, wizard.line_ids[0].name),
            (date(2028, 1, 1), "New Year's Day"),
        )
        created = Leaves.search(wizard.action_create_holidays()["domain"])
        new_year = created.filtered(lambda leave: leave.name == "New Year's Day")
        self.assertEqual(
            (new_year.date_from, new_year.date_to),
            (datetime(2027, 12, 31, 15, 0), datetime(2028, 1, 1, 14, 59, 59)),
        )
        self.assertEqual(
            wizard._get_existing_holidays_by_date({date(2028, 1, 1)}),
            {date(2028, 1, 1): "New Year's Day"},
        )


@tagged("post_install", "-at_install")
class TestPortalDateTimeZone(TimeZoneCase, HttpCase):
    def test_portal_date_is_read_in_the_calendars_time_zone_not_the_patrons(self):
        self.patron.tz = "America/New_York"
        self.authenticate(self.patron.login, self.patron.login)
        service = self.env.ref("library_complaints.service_information")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "The clock in the hall is wrong",
                "description": "It shows the wrong hour.",
                "service": service.id,
                "date_observed": "2026-01-05T09:30",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "The clock in the hall is wrong")]
        )
        self.assertEqual(len(complaint), 1)
        # 09:30 in Bangkok (the complaint calendar), not in New York
        self.assertEqual(complaint.date_observed, datetime(2026, 1, 5, 2, 30))


@tagged("post_install", "-at_install")
class TestRecipientLanguage(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("th_TH")
        cls.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])

    def test_cron_escalation_writes_to_a_thai_head_in_thai(self):
        self.wg_head.lang = "th_TH"
        odoobot = self.env.ref("base.user_root")
        odoobot.lang = "en_US"
        # Monday 2 March; track 3: 15 working days, overdue on 25 March
        with freeze_time(datetime(2026, 3, 2, 2, 0)):
            ticket = self.create_complaint(user_id=self.staff.id, track_id=self.track_3.id)
        cron_env = self.env(user=odoobot, context=dict(self.env.context, lang="en_US"))
        with freeze_time(datetime(2026, 3, 25, 0, 30)):
            self.assertEqual(self.Ticket.with_env(cron_env)._run_escalation_rules(), (1, 0))
        self.flush_tracking()
        self.assertEqual(ticket.escalation_level, "wg_head")
        note = ticket.message_ids.filtered(lambda m: self.wg_head.partner_id in m.partner_ids)
        self.assertEqual(len(note), 1)
        self.assertIn("ถูกส่งต่อมายังท่าน", note.subject)
        self.assertIn("ส่งต่อจาก", note.body)
        self.assertTrue(THAI.search(str(note.body).split("</p>", 1)[1]), "the template is Thai")
        self.assertNotIn("was escalated by the rule", note.body)

    def test_mixed_languages_get_the_offices(self):
        self.wg_head.lang = "th_TH"
        self.division_head.lang = "th_TH"
        heads = (self.wg_head | self.division_head).partner_id
        self.assertEqual(self.env.company._get_recipients_lang(heads), "th_TH")
        self.division_head.lang = "en_US"
        self.assertEqual(
            self.env.company._get_recipients_lang(heads), self.env.company._get_report_lang()
        )

    def test_quarterly_summary_mail_is_in_the_committees_language(self):
        self.env["library.complaint.meeting"]._get_committee_members().partner_id.lang = "th_TH"
        report = (
            self.env["library.complaint.quarter.report"]
            .sudo()
            .create(
                {
                    "basis": "fiscal",
                    "year": 2020,
                    "quarter": 1,
                    "date_from": date(2019, 10, 1),
                    "date_to": date(2020, 1, 1),
                }
            )
        )
        template = self.env.ref("library_complaints.mail_template_quarter_report")
        self.assertEqual(template._render_lang(report.ids), {report.id: "th_TH"})

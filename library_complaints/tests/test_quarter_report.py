"""The quarterly summary of the MT committee: made at quarter end, also with no
complaints, or for a chosen quarter that has ended."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.quarters import (
    last_completed_quarter,
    quarter_bounds,
    quarter_code,
    quarter_of,
)
from .test_committee import CommitteeCase

# Meetings of the tests are far in the future, after any demo meeting.


@tagged("post_install", "-at_install")
class TestQuarterlyReport(CommitteeCase):
    def test_quarters_in_buddhist_era_years(self):
        self.assertEqual(quarter_of(date(2026, 10, 1), "fiscal"), (2027, 1))
        self.assertEqual(quarter_of(date(2026, 9, 30), "fiscal"), (2026, 4))
        self.assertEqual(quarter_of(date(2026, 2, 1), "calendar"), (2026, 1))
        self.assertEqual(quarter_bounds(2027, 1, "fiscal"), (date(2026, 10, 1), date(2027, 1, 1)))
        self.assertEqual(quarter_bounds(2026, 4, "fiscal"), (date(2026, 7, 1), date(2026, 10, 1)))
        self.assertEqual(quarter_bounds(2026, 4, "calendar"), (date(2026, 10, 1), date(2027, 1, 1)))
        self.assertEqual(quarter_code(2027, 1, "fiscal"), "FY2570-Q1")
        self.assertEqual(quarter_code(2026, 4, "calendar"), "2569-Q4")
        self.assertEqual(last_completed_quarter(date(2027, 1, 1), "fiscal"), (2027, 1))
        self.assertEqual(last_completed_quarter(date(2027, 1, 1), "calendar"), (2026, 4))

    def test_zero_complaint_quarter_still_gets_its_report(self):
        meeting = self.new_meeting()
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.assertEqual(report.basis, "fiscal")
        self.assertEqual((report.date_from, report.date_to), (date(2019, 10, 1), date(2020, 1, 1)))
        self.assertEqual(report.quarter_code, "FY2563-Q1")
        self.assertEqual(report.received_count, 0)
        self.assertEqual(report.resolved_count, 0)
        self.assertEqual(report.avg_handling_days, 0.0)
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.meeting_id, self.Meeting._get_next_open_meeting())
        self.assertTrue(meeting)
        mail = report.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(mail), 1)
        self.assertIn(self.committee.partner_id, mail.partner_ids)
        # in the committee's language: the demo's member reads Thai, the test's English,
        # so the office's (Thai)
        no_complaints = {"th_TH": "ไตรมาสนี้ไม่มีข้อร้องเรียน"}.get(
            report._get_committee_lang(), "There were no complaints this quarter."
        )
        self.assertIn(no_complaints, mail.body)
        self.assertEqual(len(mail.attachment_ids), 1)

    def test_cron_is_idempotent(self):
        with freeze_time(datetime(2030, 1, 2, 3, 0)):
            self.Report._cron_generate_quarter_reports()
            self.Report._cron_generate_quarter_reports()
        reports = self.Report.search([("date_from", "=", date(2029, 10, 1))])
        self.assertEqual(len(reports), 1)
        self.assertEqual(reports.quarter_code, "FY2573-Q1")

    def test_calendar_basis(self):
        self.env.company.complaint_quarter_basis = "calendar"
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.assertEqual((report.date_from, report.date_to), (date(2020, 1, 1), date(2020, 4, 1)))
        self.assertEqual(report.quarter_code, "2563-Q1")

    def received(self, when, track, closed=None, **vals):
        with freeze_time(when):
            ticket = self.create_complaint(track_id=track.id, service_id=self.service.id, **vals)
        if closed:
            ticket.sudo().write(
                {"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id}
            )
            ticket.sudo().closed_date = closed
        return ticket

    def test_figures_and_comparisons(self):
        # Fiscal 2021 Q2 = January to March 2021 (2564 B.E.)
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        on_time = self.received(
            datetime(2021, 1, 12, 3),
            self.track_3,
            closed=datetime(2021, 1, 14, 3),
            channel_id=web.id,
        )
        late = self.received(datetime(2021, 2, 1, 3), self.track_1, closed=datetime(2021, 2, 9, 3))
        still_open = self.received(datetime(2021, 3, 30, 3), self.track_4)
        self.received(datetime(2020, 11, 2, 3), self.track_3)  # previous quarter
        self.received(datetime(2020, 1, 15, 3), self.track_3)  # same quarter last year
        self.received(datetime(2020, 2, 15, 3), self.track_1)
        self.assertEqual(on_time.report_quarter, "FY2564-Q2")
        self.assertEqual(on_time.resolution_timeliness, "on_time")
        self.assertEqual(on_time.handling_working_days, 2)
        self.assertEqual(late.resolution_timeliness, "late")

        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        self.assertRecordValues(
            report,
            [
                {
                    "received_count": 3,
                    "resolved_count": 2,
                    "on_time_count": 1,
                    "late_count": 1,
                    "on_time_rate": 50.0,
                    "prev_received_count": 1,
                    "last_year_received_count": 2,
                }
            ],
        )
        self.assertEqual(report.avg_handling_days, (2 + late.handling_working_days) / 2)
        self.assertGreaterEqual(report.open_count, 2)  # still_open and the one of November
        tracks = {line.name: line for line in report._get_lines("track")}
        self.assertEqual(tracks[self.track_3.display_name].count, 1)
        self.assertEqual(tracks[self.track_3.display_name].on_time_count, 1)
        self.assertEqual(tracks[self.track_1.display_name].late_count, 1)
        channels = {line.name: line.count for line in report._get_lines("channel")}
        self.assertEqual(channels[web.display_name], 1)
        comparison = {line.name: line for line in report._get_lines("track_comparison")}
        self.assertEqual(comparison[self.track_3.display_name].prev_count, 1)
        self.assertEqual(comparison[self.track_3.display_name].last_year_count, 1)

        # A complaint closed since: the manager regenerates, the text stays.
        report.with_user(self.committee).recommendations = "<p>Budget for shelving</p>"
        # it waits for the division head (track 4): a complaint manager closes it
        still_open.with_user(self.manager)._close_with_reason("Solved by the summer works.")
        still_open.sudo().closed_date = datetime(2021, 3, 31, 3)
        report.with_user(self.manager).action_regenerate()
        self.assertEqual(report.resolved_count, 3)
        self.assertIn("Budget for shelving", report.recommendations)

    def test_forward_to_the_operating_committee(self):
        director = self.env["res.partner"].create(
            {"name": "Office director", "email": "director@example.com"}
        )
        self.env.company.complaint_operating_committee_ids = director
        report = self.Report._generate_quarter_report(self.env.company, 2020, 3)
        with self.assertRaises(UserError):
            report.with_user(self.committee).action_forward()  # not approved yet
        report.with_user(self.committee).action_approve()
        action = report.with_user(self.committee).action_forward()
        composer = (
            self.env[action["res_model"]]
            .with_user(self.committee)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(director, composer.partner_ids)
        composer._action_send_mail()
        self.assertEqual(report.state, "forwarded")

    def test_figures_take_as_many_queries_for_many_complaints_as_for_few(self):
        def count_queries(report):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            report._collect_figures()
            return self.env.cr.sql_log_count - before

        report = self.Report._generate_quarter_report(self.env.company, 2022, 2)
        for track in (self.track_1, self.track_3):
            self.received(datetime(2022, 1, 4, 3), track, closed=datetime(2022, 1, 6, 3))
        few = count_queries(report)
        for day in range(5, 29):
            self.received(datetime(2022, 2, day, 3), self.track_1, closed=datetime(2022, 3, 1, 3))
            self.received(datetime(2022, 2, day, 3), self.track_3)
        many = count_queries(report)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 25)
        figures, __ = report._collect_figures()
        self.assertEqual(figures["received_count"], 50)


@tagged("post_install", "-at_install")
class TestChosenQuarterSummary(CommitteeCase):
    """Generate the summary of a chosen quarter that ended (fiscal basis: fiscal
    2030 Q2 is January to March 2030)."""

    def received(self, when, **vals):
        with freeze_time(when):
            return self.create_complaint(
                track_id=self.track_3.id, service_id=self.service.id, **vals
            )

    def generate_as(self, user, year, quarter):
        wizard = (
            self.env["library.complaint.quarter.wizard"]
            .with_user(user)
            .create({"year": year, "quarter": str(quarter)})
        )
        action = wizard.action_generate()
        self.flush_tracking()
        return self.Report.browse(action["res_id"]), wizard

    def committee_mails(self, report):
        return report.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.committee.partner_id in m.partner_ids
        )

    def test_the_committee_generates_a_past_quarter_once(self):
        # A complaint of another team: the member cannot read it, the summary counts it.
        self.received(datetime(2029, 2, 5, 3), team_id=self.other_team.id)
        with freeze_time(datetime(2030, 1, 2, 3, 0)):
            wizard = self.env["library.complaint.quarter.wizard"].with_user(self.committee)
            self.assertEqual(wizard.create({}).year, 2030)  # the last quarter that ended:
            self.assertEqual(wizard.create({}).quarter, "1")  # October-December 2029
            report, wizard = self.generate_as(self.committee, 2029, 2)
        self.assertRecordValues(
            report,
            [
                {
                    "quarter_code": "FY2572-Q2",
                    "date_from": date(2029, 1, 1),
                    "date_to": date(2029, 4, 1),
                    "received_count": 1,
                    "state": "sent",
                }
            ],
        )
        self.assertEqual(report.create_uid, self.committee)
        self.assertEqual(wizard.title, "Complaints, quarter 2 of fiscal year 2572")
        self.assertEqual(len(self.committee_mails(report)), 1)
        # The same quarter again opens the summary that exists.
        with freeze_time(datetime(2030, 1, 2, 3, 0)):
            again, wizard = self.generate_as(self.committee, 2029, 2)
        self.assertEqual(again, report)
        self.assertEqual(wizard.report_id, report)
        self.assertEqual(self.Report.search_count([("date_from", "=", date(2029, 1, 1))]), 1)
        self.assertEqual(len(self.committee_mails(report)), 1)

    def test_a_quarter_that_has_not_ended_is_refused(self):
        with freeze_time(datetime(2030, 3, 31, 16, 59)):  # 23:59 Bangkok, its last day
            for user in (self.committee, self.manager):
                with self.subTest(user=user.login), self.assertRaises(UserError):
                    self.generate_as(user, 2030, 2)
        self.assertFalse(self.Report.search([("date_from", "=", date(2030, 1, 1))]))
        # The quarter-end job makes it.
        with freeze_time(datetime(2030, 3, 31, 17, 0)):  # midnight Bangkok
            self.Report._cron_generate_quarter_reports()
            report, __ = self.generate_as(self.manager, 2030, 2)
        self.assertEqual(report.quarter_code, "FY2573-Q2")
        self.assertEqual(report.create_uid, self.root)

    def test_staff_are_refused(self):
        with freeze_time(datetime(2030, 1, 2, 3, 0)):
            with self.assertRaises(AccessError):
                self.generate_as(self.staff, 2029, 2)
            with self.assertRaises(AccessError):
                self.Report.with_user(self.staff)._generate_ended_quarter_report(2029, 2)
        self.assertFalse(self.Report.search([("date_from", "=", date(2029, 1, 1))]))

    def test_an_early_report_does_not_block_the_quarter_end_job(self):
        # A summary of the running quarter made by code (a script, an older version).
        with freeze_time(datetime(2030, 2, 1, 3, 0)):
            early = self.Report._generate_quarter_report(self.env.company, 2030, 2)
            self.flush_tracking()
        self.assertEqual(early.received_count, 0)
        self.received(datetime(2030, 3, 10, 3))
        with freeze_time(datetime(2030, 4, 1, 3, 0)):
            self.Report._cron_generate_quarter_reports()
            self.flush_tracking()
        report = self.Report.search([("date_from", "=", date(2030, 1, 1))])
        self.assertEqual(report, early)
        self.assertEqual(report.received_count, 1)
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.generated_date, datetime(2030, 4, 1, 3, 0))
        self.assertEqual(len(self.committee_mails(report)), 2, "sent again, complete")
        # Run again, the job leaves the complete summary alone.
        with freeze_time(datetime(2030, 4, 1, 4, 0)):
            self.Report._cron_generate_quarter_reports()
            self.flush_tracking()
        self.assertEqual(report.generated_date, datetime(2030, 4, 1, 3, 0))
        self.assertEqual(len(self.committee_mails(report)), 2)

    def test_the_title_is_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("th_TH")
        self.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        report = self.Report.with_context(lang="th_TH")._generate_quarter_report(
            self.env.company, 2020, 1
        )
        self.flush_tracking()
        english = report.with_context(lang="en_US")
        thai = report.with_context(lang="th_TH")
        self.assertEqual(english.name, "Complaints, quarter 1 of fiscal year 2563")
        self.assertEqual(english.display_name, english.name)
        self.assertEqual(thai.display_name, "ข้อร้องเรียน ไตรมาสที่ 1 ปีงบประมาณ 2563")
        english_title = "quarter 1 of fiscal year 2563"
        self.assertEqual(english.search([("name", "ilike", english_title)]), report)
        self.assertEqual(thai.search([("name", "ilike", "ไตรมาสที่ 1 ปีงบประมาณ 2563")]), report)

"""Each company's records stay its own, also where the product works as the system
(sudo): the next meeting a complaint is proposed to, the summaries a new meeting
presents, the escalation rules, the public statistics, and what a user of another
company reads. Two offices: the demo's (company 1) and a branch library (company 2)
with its own team, calendar, staff, committee and manager."""

import csv
import io
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .test_committee import FIRST_MEETING, SECOND_MEETING, CommitteeCase

# Fiscal year 2019 (October 2018 to September 2019): no demo complaint, no summary.
YEAR = 2019
FIRST_QUARTER_DAYS = (datetime(2018, 10, 8, 3, 0), datetime(2018, 11, 5, 3, 0))


@tagged("post_install", "-at_install")
class TestMultiCompany(CommitteeCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        official = cls.env.ref("library_complaints.resource_calendar_official")
        cls.company_2 = cls.env["res.company"].create(
            {
                "name": "Branch library",
                "complaint_calendar_id": official.copy({"name": "Branch working days"}).id,
            }
        )
        branch = {
            "company_id": cls.company_2.id,
            "company_ids": [Command.set(cls.company_2.ids)],
        }
        cls.staff_b, cls.committee_b, cls.manager_b = cls.new_users(
            ("t_staff_branch", "staff", branch),
            ("t_committee_branch", "committee", branch),
            ("t_manager_branch", "manager", branch),
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Branch Service Desk",
                "company_id": cls.company_2.id,
                "user_ids": [Command.set(cls.staff_b.ids)],
            }
        )

    def branch_complaint(self, track=None, **vals):
        """A complaint the branch's staff record (in the branch's company)."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.staff_b)
            .create(
                {
                    "name": "The branch's photocopier is jammed",
                    "description": "<p>Since this morning.</p>",
                    "team_id": self.team_b.id,
                    "user_id": self.staff_b.id,
                    **vals,
                }
            )
        )
        self.assertEqual(ticket.company_id, self.company_2)
        if track:
            ticket.with_user(self.staff_b).write(
                {"track_id": track.id, "service_id": self.service.id}
            )
        return ticket

    def branch_meeting(self, date_start):
        return self.Meeting.with_user(self.committee_b).create(
            {"name": "Branch MT 1/2574", "date_start": date_start}
        )

    # ------------------------------------------------------------------
    # The committee

    def test_a_proposed_complaint_goes_to_its_own_company_meeting(self):
        """The branch meets first; the complaint of company 1 still waits for
        company 1's meeting, and the branch's for the branch's."""
        branch_meeting = self.branch_meeting(FIRST_MEETING)
        meeting = self.new_meeting(SECOND_MEETING)
        self.assertEqual(branch_meeting.company_id, self.company_2)
        self.assertEqual(meeting.company_id, self.company_1)

        ticket = self.proposed_complaint()
        branch_ticket = self.branch_complaint(self.track_3)
        branch_ticket.with_user(self.staff_b)._mark_cannot_fix("It needs a contractor.")
        self.flush_tracking()

        self.assertEqual(ticket.sudo().committee_item_ids.meeting_id, meeting)
        self.assertEqual(branch_ticket.sudo().committee_item_ids.meeting_id, branch_meeting)
        self.assertEqual(branch_meeting.item_ids.ticket_id, branch_ticket)
        # the branch's committee reads its agenda, not company 1's complaint
        self.assertEqual(self.Meeting.with_user(self.committee_b).search([]), branch_meeting)
        self.assertNotIn(ticket, branch_meeting.with_user(self.committee_b).item_ids.ticket_id)

    def test_a_new_meeting_takes_only_its_company_waiting_summaries(self):
        Report = self.Report.sudo()
        report = Report._generate_quarter_report(self.company_1, YEAR, 1)
        branch_report = Report.with_company(self.company_2)._generate_quarter_report(
            self.company_2, YEAR, 1
        )
        self.assertFalse(report.meeting_id | branch_report.meeting_id)
        # each summary went to its own company's committee
        self.flush_tracking()
        self.assertIn(self.committee_b.partner_id, branch_report.message_ids.partner_ids)
        self.assertNotIn(self.committee.partner_id, branch_report.message_ids.partner_ids)
        self.assertIn(self.committee.partner_id, report.message_ids.partner_ids)
        self.assertNotIn(self.committee_b.partner_id, report.message_ids.partner_ids)

        branch_meeting = self.branch_meeting(FIRST_MEETING)
        self.flush_tracking()
        self.assertEqual(branch_meeting.report_ids, branch_report)
        self.assertFalse(report.meeting_id, "company 1's summary waits for its own meeting")
        self.assertEqual(branch_meeting.member_ids, self.committee_b)

        meeting = self.new_meeting(SECOND_MEETING)
        self.flush_tracking()
        self.assertIn(report, meeting.report_ids)
        self.assertNotIn(branch_report, meeting.report_ids)
        self.assertNotIn(self.committee_b, meeting.member_ids)

    # ------------------------------------------------------------------
    # Escalation rules

    def test_a_company_rule_applies_to_its_company_complaints_only(self):
        rule = (
            self.env["library.complaint.escalation.rule"]
            .with_user(self.manager_b)
            .create(
                {
                    "name": "Branch: track 1 to the work-group head",
                    "trigger": "triage",
                    "track_ids": [Command.set(self.track_1.ids)],
                    "target_level": "wg_head",
                }
            )
        )
        self.assertEqual(rule.company_id, self.company_2)
        ticket = self.complaint_on_track(self.track_1)
        branch_ticket = self.branch_complaint(self.track_1)
        self.flush_tracking()
        self.assertFalse(ticket.escalation_ids)
        self.assertEqual(ticket.escalation_level, "staff")
        self.assertEqual(branch_ticket.escalation_ids.rule_id, rule)
        # company 1's manager does not see the branch's rule
        rules = self.env["library.complaint.escalation.rule"].with_user(self.manager)
        self.assertNotIn(rule, rules.search([]))

    def test_the_daily_job_applies_a_company_rule_to_its_company_only(self):
        with freeze_time(datetime(2026, 3, 2, 2, 0)):
            ticket = self.complaint_on_track(self.track_3)
            branch_ticket = self.branch_complaint(self.track_3)
        rule = (
            self.env["library.complaint.escalation.rule"]
            .with_user(self.manager_b)
            .create(
                {
                    "name": "Branch: two working days without an answer",
                    "trigger": "received_days",
                    "working_days": 2,
                    "target_level": "committee",
                }
            )
        )
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(datetime(2026, 3, 10, 2, 0)):
            for company in (self.company_1, self.company_2):
                clock = Ticket.with_company(company)._get_escalation_clock()
                Ticket.with_company(company)._run_escalation_rules(clock)
        self.flush_tracking()
        self.assertNotIn(rule, ticket.escalation_ids.rule_id)
        self.assertEqual(branch_ticket.escalation_ids.rule_id, rule)

    # ------------------------------------------------------------------
    # Reading

    def test_a_branch_user_reads_none_of_company_1_complaints(self):
        ticket = self.complaint_on_track(self.track_2)
        self.assertTrue(ticket.escalation_ids and ticket.approval_state == "to_approve")
        self.flush_tracking()
        for user in (self.staff_b, self.committee_b, self.manager_b):
            with self.subTest(user=user.login):
                env = self.env(user=user)
                self.assertFalse(env["helpdesk.ticket"].search([("id", "=", ticket.id)]))
                with self.assertRaises(AccessError):
                    env["helpdesk.ticket"].browse(ticket.id).read(["name"])
                self.assertFalse(
                    env["library.complaint.escalation"].search([("ticket_id", "=", ticket.id)])
                )
                with self.assertRaises(AccessError):
                    ticket.escalation_ids.with_user(user).read(["reason"])

    # ------------------------------------------------------------------
    # The public statistics

    def published_summaries(self):
        """Company 1 received two complaints in the quarter, the branch three; both
        summaries are approved, hence published."""
        for when in FIRST_QUARTER_DAYS:
            with freeze_time(when):
                self.create_complaint(service_id=self.service.id, track_id=self.track_3.id)
                self.branch_complaint(service_id=self.service.id, track_id=self.track_3.id)
        with freeze_time(FIRST_QUARTER_DAYS[0]):
            self.branch_complaint(service_id=self.service.id, track_id=self.track_3.id)
        self.flush_tracking()
        Report = self.Report.sudo()
        report = Report._generate_quarter_report(self.company_1, YEAR, 1)
        branch_report = Report.with_company(self.company_2)._generate_quarter_report(
            self.company_2, YEAR, 1
        )
        report.with_user(self.committee).action_approve()
        branch_report.with_user(self.committee_b).action_approve()
        self.flush_tracking()
        self.assertEqual((report.received_count, branch_report.received_count), (2, 3))
        return report, branch_report

    def test_the_statistics_of_a_company_exclude_the_other(self):
        self.published_summaries()
        for company, received in ((self.company_1, 2), (self.company_2, 3)):
            stats = self.Report.with_user(self.env.ref("base.public_user"))
            stats = stats._get_published_statistics(YEAR, company=company)
            self.assertEqual([q["received"] for q in stats["quarters"]], [received])

    def test_the_website_shows_its_company_figures_to_anyone(self):
        """The website is company 1's: a branch user signed in reads company 1's
        figures there, not the branch's."""
        self.published_summaries()
        self.opener.cookies.set("frontend_lang", "en_US")
        for user in (None, self.staff_b):
            with self.subTest(user=user and user.login):
                if user:
                    self.authenticate_as(user)
                response = self.url_open(f"/complaints/statistics?year={YEAR}&format=csv")
                self.assertEqual(response.status_code, 200)
                rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
                totals = [row for row in rows[1:] if row[2] == "All complaints"]
                self.assertEqual([row[4] for row in totals], ["2"])

    def test_the_outcomes_page_satisfaction_is_its_company_only(self):
        """The public outcomes page's satisfaction per service counts the answers
        about its own company's complaints."""
        Answer = self.env["survey.user_input"]
        before = Answer.with_company(self.company_1)._get_public_satisfaction_by_service()
        survey = self.env.ref("library_complaints.survey_complaint_satisfaction")
        ticket = self.branch_complaint(self.track_3)
        answer = survey.sudo()._create_answer(
            partner=self.staff_b.partner_id, check_attempts=False, ticket_id=ticket.id
        )
        for question in survey.question_ids.filtered(lambda q: q.question_type == "scale"):
            answer._save_lines(question, "2")
        answer._mark_done()
        self.flush_tracking()
        self.assertEqual(
            Answer.with_company(self.company_1)._get_public_satisfaction_by_service(), before
        )
        self.assertEqual(
            Answer.with_company(self.company_2)._get_public_satisfaction_by_service(),
            [(self.service.name, 1, 2.0)],
        )

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
from .test_escalation import EscalationCase

# Meetings of the tests are far in the future, after any demo meeting.
FIRST_MEETING = datetime(2031, 3, 5, 2, 0)  # 09:00 Bangkok
SECOND_MEETING = datetime(2031, 4, 2, 2, 0)


class CommitteeCase(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee_2 = cls.new_user("t_committee_2", "committee")
        cls.Meeting = cls.env["library.complaint.meeting"]
        cls.Report = cls.env["library.complaint.quarter.report"]
        cls.clear_open_meetings()

    def proposed_complaint(self, **vals):
        """A complaint that staff could not fix: proposed to the committee."""
        ticket = self.complaint_on_track(self.track_3, **vals)
        ticket.with_user(self.staff)._mark_cannot_fix("The shelving needs a contractor.")
        self.assertTrue(ticket.is_committee_proposed)
        return ticket

    def new_meeting(self, date_start=FIRST_MEETING, **vals):
        return self.Meeting.with_user(self.committee).create(
            dict({"name": "MT 1/2574", "date_start": date_start}, **vals)
        )

    def decide(self, meeting, ticket, **vals):
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)
        item.with_user(self.committee).write(vals)
        return item


@tagged("post_install", "-at_install")
class TestMeetingLifecycle(CommitteeCase):
    def test_a_new_meeting_takes_the_proposed_complaints(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        self.assertIn(ticket, meeting.item_ids.ticket_id)
        self.assertEqual(meeting.state, "draft")
        self.assertIn(self.committee, meeting.member_ids)
        self.assertNotIn(self.staff, meeting.member_ids)
        # On one open agenda only: a second meeting does not take it again.
        later = self.new_meeting(SECOND_MEETING)
        self.assertNotIn(ticket, later.item_ids.ticket_id)

    def test_track_4_approved_by_the_division_head_goes_to_the_next_meeting(self):
        meeting = self.new_meeting()
        ticket = self.complaint_on_track(self.track_4)
        self.assertFalse(ticket.is_committee_proposed)
        ticket.with_user(self.division_head).action_approve()
        self.assertTrue(ticket.is_committee_proposed)
        next_meeting = self.Meeting._get_next_open_meeting()
        self.assertIn(ticket, next_meeting.item_ids.ticket_id)
        meeting.with_user(self.committee).action_load_proposals()
        self.assertIn(ticket, (meeting | next_meeting).item_ids.ticket_id)

    def test_secretary_adds_and_removes_items(self):
        meeting = self.new_meeting()
        other = self.complaint_on_track(self.track_3, name="Noise in the reading room")
        item = (
            self.env["library.complaint.meeting.item"]
            .with_user(self.committee)
            .create({"meeting_id": meeting.id, "ticket_id": other.id})
        )
        self.assertIn(other, meeting.item_ids.ticket_id)
        item.with_user(self.committee).unlink()
        self.assertNotIn(other, meeting.item_ids.ticket_id)

    def test_schedule_invites_the_members_through_the_calendar(self):
        meeting = self.new_meeting(location="Meeting room 3")
        meeting.with_user(self.committee).action_schedule()
        self.assertEqual(meeting.state, "scheduled")
        event = meeting.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, FIRST_MEETING)
        self.assertEqual(event.location, "Meeting room 3")
        self.assertEqual(event.partner_ids, meeting.member_ids.partner_id)
        self.assertEqual(event.attendee_ids.partner_id, meeting.member_ids.partner_id)
        self.assertEqual((event.res_model, event.res_id), (meeting._name, meeting.id))
        # Moving the meeting moves the event.
        meeting.with_user(self.committee).date_start = SECOND_MEETING
        self.assertEqual(event.start, SECOND_MEETING)

    def test_the_calendar_agenda_shows_titles_as_text(self):
        """The event's agenda is HTML: a title is shown as typed, never as markup."""
        ticket = self.proposed_complaint(name="Noise & <b>shouting</b> in the reading room")
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        self.flush_tracking()
        description = str(meeting.calendar_event_id.description)
        self.assertIn(ticket.number, description)
        self.assertIn("Noise &amp; &lt;b&gt;shouting&lt;/b&gt;", description)
        self.assertNotIn("<b>", description)

    def test_held_meeting_writes_decisions_back(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).action_mark_held()  # no decision yet
        self.decide(meeting, ticket, decision="approve", root_cause="Old shelving")
        for item in meeting.item_ids.filtered(lambda i: not i.decision):
            item.decision = "defer"
        item = self.decide(
            meeting,
            ticket,
            solution="Replace the shelving on floor 3",
            prevention="Yearly inspection of the shelving",
            budget_estimate=85000,
            responsible_id=self.division_head.id,
            date_due=date(2031, 6, 30),
        )
        meeting.with_user(self.committee).action_mark_held()
        self.assertEqual(meeting.state, "held")
        self.assertEqual(meeting.attendee_ids, meeting.member_ids)
        self.assertRecordValues(
            ticket,
            [
                {
                    "committee_decision": "approve",
                    "committee_decision_date": date(2031, 3, 5),
                    "root_cause": "Old shelving",
                    "solution": "Replace the shelving on floor 3",
                    "prevention": "Yearly inspection of the shelving",
                    "committee_budget": 85000,
                    "committee_responsible_id": self.division_head.id,
                    "committee_due_date": date(2031, 6, 30),
                }
            ],
        )
        self.assertIn("Old shelving", ticket.message_ids[0].body)
        follow_up = self.activities_of(
            ticket, self.division_head, "library_complaints.mail_activity_type_committee_decision"
        )
        self.assertEqual(follow_up.date_deadline, date(2031, 6, 30))
        # The agenda is closed once held.
        with self.assertRaises(UserError):
            item.with_user(self.committee).unlink()

    def test_rejection_asks_the_owner_to_tell_the_complainant(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        meeting.item_ids.decision = "defer"
        self.decide(meeting, ticket, decision="reject", note="Out of the office's scope")
        meeting.with_user(self.committee).action_mark_held()
        self.assertEqual(ticket.committee_decision, "reject")
        self.assertTrue(
            self.activities_of(
                ticket, self.staff, "library_complaints.mail_activity_type_committee_decision"
            )
        )

    def test_deferred_item_rolls_to_the_next_meeting(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        later = self.new_meeting(SECOND_MEETING, name="MT 2/2574")
        self.assertNotIn(ticket, later.item_ids.ticket_id)
        meeting.with_user(self.committee).action_schedule()
        meeting.item_ids.decision = "defer"
        first_item = self.decide(meeting, ticket, root_cause="Not clear yet")
        meeting.with_user(self.committee).action_mark_held()
        self.assertEqual(ticket.committee_decision, "defer")
        rolled = later.item_ids.filtered(lambda i: i.ticket_id == ticket)
        self.assertEqual(rolled.deferred_from_id, first_item)
        self.assertEqual(rolled.root_cause, "Not clear yet")

    def test_deferred_item_waits_for_a_meeting_created_later(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        meeting.item_ids.decision = "defer"
        meeting.with_user(self.committee).action_mark_held()
        later = self.new_meeting(SECOND_MEETING)
        self.assertIn(ticket, later.item_ids.ticket_id)

    def test_minutes_approval_locks_the_meeting(self):
        meeting = self.new_meeting()
        meeting.item_ids.unlink()
        meeting.with_user(self.committee).action_schedule()
        meeting.with_user(self.committee).action_mark_held()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).action_approve_minutes()  # no minutes
        meeting.with_user(self.committee).minutes = "<p>Opened at 09:00.</p>"
        meeting.with_user(self.committee_2).action_approve_minutes()
        self.assertEqual(meeting.state, "approved")
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).minutes = "<p>Changed afterwards</p>"

    def test_wrong_order_is_refused(self):
        meeting = self.new_meeting()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).action_mark_held()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).action_approve_minutes()
        meeting.with_user(self.committee).action_schedule()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).action_schedule()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).unlink()  # only drafts


@tagged("post_install", "-at_install")
class TestCommitteeAccess(CommitteeCase):
    def test_non_members_are_refused(self):
        meeting = self.new_meeting()
        for user in (self.staff, self.wg_head, self.division_head, self.patron):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Meeting.with_user(user).create(
                        {"name": "Not mine", "date_start": FIRST_MEETING}
                    )
                with self.assertRaises(AccessError):
                    meeting.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    meeting.with_user(user).action_schedule()
                with self.assertRaises(AccessError):
                    self.Report.with_user(user).search([])

    def test_only_managers_regenerate_and_committee_approves(self):
        report = self.Report._generate_quarter_report(self.env.company, 2020, 2)
        with self.assertRaises(AccessError):
            report.with_user(self.committee).action_regenerate()
        with self.assertRaises(AccessError):
            report.with_user(self.staff).action_approve()
        report.with_user(self.committee).write({"recommendations": "<p>More staff</p>"})
        report.with_user(self.committee).action_approve()
        self.assertEqual(report.state, "approved")
        with self.assertRaises(UserError):
            report.with_user(self.manager).action_regenerate()  # approved: figures kept


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
        self.assertIn("no complaints", mail.body)
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
        still_open.sudo().write(
            {"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id}
        )
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

"""Workflow fields change only through their actions, whoever writes (issue #11, D)."""

from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_committee import FIRST_MEETING, SECOND_MEETING, CommitteeCase
from .test_lesson import filled_lesson_values


@tagged("post_install", "-at_install")
class TestTicketWorkflowFields(CommitteeCase):
    def assert_refused(self, records, vals):
        """Each field of `vals` written alone as the record's user is refused and
        changes nothing, as a request would end."""
        model = records.sudo()
        for fname, value in vals.items():
            before = model.read([fname])
            with self.subTest(field=fname), self.assertRaises(AccessError) as caught:
                records.write({fname: value})
            self.assertIn(model._fields[fname].string, str(caught.exception))
            self.flush_tracking()
            model.invalidate_recordset()
            self.assertEqual(model.read([fname]), before, fname)

    def test_staff_cannot_approve_or_move_the_approval(self):
        ticket = self.complaint_on_track(self.track_2)
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assert_refused(
            ticket.with_user(self.staff),
            {
                "approval_state": "approved",
                "approval_step": "division_head",
                "approval_needs_division": False,
                "approval_comment": "Looks fine",
                "approver_id": self.staff.id,
                "escalation_level": "staff",
                "level_date": datetime(2020, 1, 1),
            },
        )
        # Forging the approver does not let staff approve either.
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff).action_approve()
        self.assertEqual(ticket.approval_state, "to_approve")

    def test_staff_cannot_write_the_committee_decision(self):
        ticket = self.proposed_complaint()
        self.assert_refused(
            ticket.with_user(self.staff),
            {
                "committee_decision": "approve",
                "committee_decision_date": date(2031, 3, 5),
                "committee_budget": 1000000,
                "committee_responsible_id": self.staff.id,
                "committee_due_date": date(2031, 6, 30),
                "root_cause": "Nobody's fault",
                "solution": "Buy everything",
                "prevention": "None",
                "is_committee_proposed": False,
                "committee_proposed_date": datetime(2020, 1, 1),
                "cannot_fix_reason": "Rewritten",
            },
        )

    def test_staff_cannot_forge_dates_codes_and_publication(self):
        ticket = self.complaint_on_track(self.track_3)
        self.assert_refused(
            ticket.with_user(self.staff),
            {
                "tracking_code": "AAAAA-BBBBB",
                "date_deadline": datetime(2040, 1, 1),
                "closed_date": datetime(2020, 1, 2),
                "first_response_date": datetime(2020, 1, 1),
                "last_action_date": datetime(2020, 1, 1),
                "outcome_state": "published",
                "outcome_published_date": datetime(2020, 1, 1),
                "outcome_on_website": True,
                "survey_invited_date": datetime(2020, 1, 1),
                "satisfaction_shared_date": datetime(2020, 1, 1),
            },
        )

    def test_received_date_only_within_its_rule(self):
        """Staff date a complaint received by hand while it waits for triage
        (test_received_date.py); not a web form complaint, nor one past triage."""
        web_form = self.env.ref("library_complaints.channel_web_form")
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        received = datetime(2026, 11, 23, 3, 0)
        self.assert_refused(
            self.complaint_on_track(self.track_3, channel_id=web_form.id).with_user(self.staff),
            {"received_date": received},
        )
        triaged = self.complaint_on_track(self.track_3, channel_id=phone.id)
        triaged.with_user(self.staff).action_triage()
        self.assert_refused(triaged.with_user(self.staff), {"received_date": received})
        self.assert_refused(
            self.complaint_on_track(self.track_3, channel_id=phone.id).with_user(self.patron),
            {"received_date": received},
        )
        waiting = self.complaint_on_track(self.track_3, channel_id=phone.id)
        waiting.with_user(self.staff).write({"received_date": received})
        self.flush_tracking()
        self.assertEqual(waiting.received_date, received)

    def test_a_complaint_manager_is_refused_too(self):
        ticket = self.complaint_on_track(self.track_2)
        self.assert_refused(
            ticket.with_user(self.manager),
            {"approval_state": "refused", "committee_decision": "reject"},
        )

    def test_a_complaint_is_not_created_with_workflow_values(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.staff)
        values = {"name": "Forged", "description": "<p>x</p>", "team_id": self.team.id}
        for fname, value in {
            "approval_state": "approved",
            "committee_decision": "approve",
            "escalation_level": "committee",
            # without a channel it came by hand through (test_received_date.py)
            "received_date": datetime(2020, 1, 1),
            "outcome_state": "published",
        }.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                Ticket.create(dict(values, **{fname: value}))
        self.assertFalse(self.Ticket.search([("name", "=", "Forged")]))
        # Without them, staff record a complaint as before; a walk-in one with the
        # moment it was received.
        self.assertTrue(Ticket.create(dict(values)))
        # (within the company's window of days back: test_time_facts.py)
        received = fields.Datetime.now().replace(microsecond=0) - timedelta(days=2)
        walk_in = Ticket.create(
            dict(
                values,
                channel_id=self.env.ref("library_complaints.channel_walk_in").id,
                received_date=received,
            )
        )
        self.assertEqual(walk_in.received_date, received)

    def test_the_actions_still_write_them(self):
        """Triage, cannot fix, both approvals, as each role, through the commit path."""
        ticket = self.complaint_on_track(self.track_2)
        self.assertTrue(ticket.with_user(self.staff).action_triage())
        self.assertTrue(ticket.with_user(self.wg_head).action_approve())
        self.assertTrue(ticket.with_user(self.division_head).action_approve())
        self.flush_tracking()
        self.assertEqual(ticket.approval_state, "approved")
        other = self.complaint_on_track(self.track_3)
        wizard = (
            self.env["library.complaint.comment.wizard"]
            .with_user(self.staff)
            .create({"ticket_ids": other.ids, "action": "cannot_fix", "comment": "No budget"})
        )
        wizard.action_confirm()
        self.flush_tracking()
        self.assertEqual(other.cannot_fix_reason, "No budget")
        self.assertTrue(other.is_committee_proposed)

    def test_ordinary_fields_stay_editable(self):
        ticket = self.complaint_on_track(self.track_3)
        ticket.with_user(self.staff).write(
            {
                "name": "Renamed",
                "location": "Floor 2",
                "resolution": "<p>Called the supplier</p>",
                "outcome_found": "A loose cable",
            }
        )
        copy = ticket.with_user(self.staff).copy()
        self.flush_tracking()
        self.assertEqual(ticket.outcome_found, "A loose cable")
        self.assertEqual(copy.escalation_level, "staff")
        self.assertNotEqual(copy.number, ticket.number)


@tagged("post_install", "-at_install")
class TestCommitteeRecordsAfterTheMeeting(CommitteeCase):
    def held_meeting(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        for item in meeting.item_ids:
            item.with_user(self.committee).write({"decision": "defer"})
        self.decide(meeting, ticket, decision="approve", solution="New shelving")
        meeting.with_user(self.committee).action_mark_held()
        self.flush_tracking()
        return meeting, ticket, meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)

    def test_decisions_are_locked_once_the_meeting_is_held(self):
        meeting, ticket, item = self.held_meeting()
        self.assertEqual(ticket.committee_decision, "approve")
        for vals in (
            {"decision": "reject"},
            {"solution": "Nothing"},
            {"budget_estimate": 1},
            {"date_due": date(2040, 1, 1)},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                item.with_user(self.committee).write(vals)
        with self.assertRaises(AccessError):
            ticket.with_user(self.committee).write({"committee_decision": "reject"})
        meeting.with_user(self.committee).minutes = "<p>Opened at 09:00.</p>"
        meeting.with_user(self.committee).action_approve_minutes()
        with self.assertRaises(UserError):
            item.with_user(self.committee).write({"decision": "reject"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.committee).write({"committee_decision": "reject"})
        self.flush_tracking()
        self.assertEqual(item.decision, "approve")
        self.assertEqual(ticket.committee_decision, "approve")
        self.assertEqual(ticket.solution, "New shelving")

    def test_the_meeting_state_changes_only_through_its_buttons(self):
        meeting = self.new_meeting()
        for state in ("scheduled", "held", "approved"):
            with self.subTest(state=state), self.assertRaises(AccessError):
                meeting.with_user(self.committee).write({"state": state})
        with self.assertRaises(AccessError):
            self.Meeting.with_user(self.committee).create(
                {"name": "Forged", "date_start": SECOND_MEETING, "state": "approved"}
            )
        self.flush_tracking()
        self.assertEqual(meeting.state, "draft")
        self.assertTrue(meeting.with_user(self.committee).action_schedule())
        self.assertTrue(meeting.with_user(self.committee).action_reset_to_draft())
        self.assertEqual(meeting.state, "draft")

    def test_a_held_meeting_keeps_its_date(self):
        meeting, _ticket, _item = self.held_meeting()
        with self.assertRaises(UserError):
            meeting.with_user(self.committee).write({"date_start": SECOND_MEETING})
        self.assertEqual(meeting.date_start, FIRST_MEETING)

    def test_quarter_report_state_and_figures_are_the_actions(self):
        report = self.Report._generate_quarter_report(self.env.company, 2031, 1)
        for vals in ({"state": "approved"}, {"received_count": 0}, {"late_count": 99}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                report.with_user(self.committee).write(vals)
        self.assertEqual(report.state, "sent")
        report.with_user(self.committee).write({"recommendations": "<p>More staff</p>"})
        self.assertTrue(report.with_user(self.committee).action_approve())
        self.flush_tracking()
        self.assertEqual(report.state, "approved")


@tagged("post_install", "-at_install")
class TestLessonGuards(CommitteeCase):
    def test_lesson_only_on_a_complaint_its_author_may_read(self):
        mine = self.complaint_on_track(self.track_3)
        other_team = self.create_complaint(
            name="Secret of the Media Lab", team_id=self.other_team.id
        )
        Lesson = self.env["library.complaint.lesson"].with_user(self.staff)
        with self.assertRaises(AccessError):
            Lesson.create(filled_lesson_values(other_team, self.staff))
        lesson = Lesson.create(filled_lesson_values(mine, self.staff))
        with self.assertRaises(AccessError):
            lesson.write({"ticket_id": other_team.id})
        self.flush_tracking()
        self.assertEqual(lesson.ticket_id, mine)
        self.assertFalse(
            self.env["library.complaint.lesson"].search([("ticket_id", "=", other_team.id)])
        )

    def test_lesson_publication_fields_are_the_actions(self):
        lesson = (
            self.env["library.complaint.lesson"]
            .with_user(self.staff)
            .create(filled_lesson_values(self.complaint_on_track(self.track_3), self.staff))
        )
        for vals in (
            {"state": "published"},
            {"published_date": datetime(2020, 1, 1)},
            {"line_state": "sent"},
            {"is_presented": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                lesson.write(vals)
        self.flush_tracking()
        self.assertEqual(lesson.state, "draft")
        self.assertTrue(lesson.action_publish())
        self.assertEqual(lesson.state, "published")


@tagged("post_install", "-at_install")
class TestLogsAndAssessments(CommitteeCase):
    def test_escalations_and_notices_are_not_rewritten(self):
        ticket = self.complaint_on_track(self.track_2)
        log = ticket.escalation_ids
        with self.assertRaises(AccessError):
            log.with_user(self.manager).write({"reason": "Nothing happened", "to_level": "staff"})
        ticket.outcome_found = "A loose cable"
        notice = (
            self.env["library.complaint.notice"]
            .sudo()
            ._record(ticket.outcome_id, "website", "Public outcome page")
        )
        with self.assertRaises(AccessError):
            notice.with_user(self.manager).write({"audience": "Nobody"})
        self.flush_tracking()
        self.assertEqual(log.to_level, "wg_head")
        self.assertEqual(notice.audience, "Public outcome page")

    def test_assessment_results_are_counted_not_typed(self):
        assessment = (
            self.env["library.complaint.assessment"]
            .with_user(self.manager)
            .create(
                {
                    "service_id": self.service.id,
                    "date_from": date(2031, 1, 1),
                    "date_to": date(2031, 3, 31),
                }
            )
        )
        for vals in ({"state": "closed"}, {"satisfaction_rate": 100.0}, {"respondent_count": 9}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                assessment.with_user(self.manager).write(vals)
        self.flush_tracking()
        self.assertEqual(assessment.state, "draft")

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

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

from odoo.tests import tagged

from .common import LibraryComplaintsCase
from .test_committee import FIRST_MEETING, CommitteeCase


@tagged("post_install", "-at_install")
class TestProposeWithOpenMeeting(CommitteeCase):
    """Proposing a complaint to the committee while a meeting is open, as the heads
    and staff do it: a new request (nothing in the cache), then the commit path."""

    def setUp(self):
        super().setUp()
        self.meeting = self.Meeting.with_user(self.committee).create(
            {"name": "MT 1/2574", "date_start": FIRST_MEETING}
        )

    def test_division_head_approves_track_4(self):
        ticket = self.complaint_on_track(self.track_4)
        self.assertEqual(ticket.approver_id, self.division_head)
        self.env.invalidate_all()  # the head's request reads the complaint afresh

        ticket.with_user(self.division_head).action_approve()
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.escalation_level, "committee")
        self.assertTrue(ticket.is_committee_proposed)
        self.assertIn(ticket, self.meeting.item_ids.ticket_id)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Approved by t_div_head" in m.body
                and self.staff.partner_id in m.partner_ids
            ),
            "the staff owner is told",
        )

    def test_staff_cannot_fix(self):
        ticket = self.complaint_on_track(self.track_3)
        self.env.invalidate_all()

        action = ticket.with_user(self.staff).action_cannot_fix()
        self.env["library.complaint.comment.wizard"].with_user(self.staff).with_context(
            **action["context"]
        ).create({"comment": "The shelving needs a contractor."}).action_confirm()
        self.flush_tracking()

        self.assertTrue(ticket.is_committee_proposed)
        self.assertEqual(ticket.cannot_fix_reason, "The shelving needs a contractor.")
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assertIn(ticket, self.meeting.item_ids.ticket_id)


@tagged("post_install", "-at_install")
class TestDemoApprovals(LibraryComplaintsCase):
    """On the demo database, a head's answer reaches a staff member."""

    def test_return_reaches_the_demo_staff_member(self):
        ticket = self.env.ref("library_complaints.ticket_demo_database")
        staff = self.env.ref("library_complaints.user_staff")
        wg_head = self.env.ref("library_complaints.user_wg_head")
        self.assertEqual(ticket.approver_id, wg_head)
        self.env.invalidate_all()

        ticket.with_user(wg_head)._return_to_staff("Ask the vendor about the VPN licence.")
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "returned")
        todo = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(todo.user_id, staff, "the demo staff member has the to-do")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Ask the vendor about the VPN licence" in m.body
                and staff.partner_id in m.partner_ids
            )
        )

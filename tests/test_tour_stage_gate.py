"""The complaint manager's "Close with a reason" in Chromium (issue #24, point 2): a
complaint the demo staff member put on track 2 waits for the work-group head; the
manager closes it from its form with a reason; the test reads what was stored."""

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

APPROVAL_ACTIVITY = "library_complaints.mail_activity_type_complaint_approval"


@tagged("post_install", "-at_install")
class TestManagerClosesWithAReasonTour(HttpCase):
    def test_manager_closes_a_complaint_waiting_for_a_head(self):
        staff = self.env.ref("library_complaints.user_staff")
        manager = self.env.ref("library_complaints.user_manager")
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(staff)
            .create(
                {
                    "name": "The book drop is jammed",
                    "description": "<p>The book drop is jammed.</p>",
                    "team_id": self.env.ref("library_complaints.team_library_service_desk").id,
                    "service_id": self.env.ref("library_complaints.service_information").id,
                    "user_id": staff.id,
                }
            )
        )
        ticket.with_user(staff).write(
            {"track_id": self.env.ref("library_complaints.track_2_escalate_heads").id}
        )
        self.assertEqual(ticket.approval_state, "to_approve")
        head = ticket.approver_id

        with final_screenshot():
            self.start_tour(
                f"/odoo/complaints/{ticket.id}",
                "library_complaints_manager_close_with_reason",
                login="lc_manager",
            )

        self.env.invalidate_all()
        reason = "The patron withdrew the complaint at the desk."
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(ticket.approval_state, "cancelled")
        self.assertEqual(ticket.close_reason, reason)
        self.assertFalse(
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
            ),
            f"{head.name}'s to-do is gone",
        )
        last = ticket.approval_ids.sorted("id")[-1]
        self.assertEqual((last.decision, last.user_id, last.comment), ("close", manager, reason))

from odoo.fields import Command
from odoo.tests import tagged

from .test_committee import CommitteeCase
from .test_escalation import EscalationCase


@tagged("post_install", "-at_install")
class TestStaffJourney(EscalationCase):
    """What the staff tour (tests/test_tour_staff.py) found, as the staff member does it
    and through the commit path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clear_open_meetings()
        # A division without a head, as the demo's Technology Division.
        cls.headless_division = cls.env["library.complaint.division"].create(
            {"name": "Division without a head"}
        )
        cls.headless_service = cls.env["library.complaint.service"].create(
            {"name": "Headless service", "division_id": cls.headless_division.id}
        )

    def triage(self, ticket, track, service):
        ticket.with_user(self.staff).write({"track_id": track.id, "service_id": service.id})
        ticket.with_user(self.staff).action_triage()
        self.flush_tracking()

    def test_track_4_without_division_head_waits_for_no_one(self):
        """A level without a head is skipped: so is its approval. Before, the complaint
        went to the committee level but stayed "to approve" with no approver."""
        ticket = self.create_complaint(user=self.staff, user_id=self.staff.id)
        self.triage(ticket, self.track_4, self.headless_service)

        self.assertEqual(ticket.division_id, self.headless_division)
        self.assertFalse(ticket.approval_state, "nobody could approve it")
        self.assertFalse(ticket.approver_id)
        self.assertEqual(ticket.escalation_level, "committee")
        self.assertTrue(ticket.is_committee_proposed)

    def test_track_2_without_division_head_the_work_group_head_approves_alone(self):
        ticket = self.create_complaint(user=self.staff, user_id=self.staff.id)
        self.triage(ticket, self.track_2, self.headless_service)
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approver_id, self.wg_head)
        self.assertFalse(ticket.approval_needs_division)

        ticket.with_user(self.wg_head).action_approve()
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "approved", "no division head to wait for")
        self.assertFalse(ticket.approver_id)

    def test_track_4_with_division_head_still_waits_for_them(self):
        ticket = self.create_complaint(user=self.staff, user_id=self.staff.id)
        self.triage(ticket, self.track_4, self.service)
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertEqual(ticket.escalation_level, "division_head")

    def test_publishing_on_the_noticeboard_closes_the_dialog(self):
        """The notice downloads and the dialog closes: before, the publication dialog
        stayed open after "Publish" (the web client keeps a dialog open after a report
        download unless the action says close_on_report_download)."""
        ticket = self.create_complaint(
            user=self.staff, user_id=self.staff.id, service_id=self.service.id
        )
        self.triage(ticket, self.track_1, self.service)
        self.env["library.complaint.fix.wizard"].with_user(self.staff).create(
            {"ticket_id": ticket.id, "resolution": "Asked the group to keep quiet."}
        ).action_confirm()
        ticket.with_user(self.staff).write(
            {"outcome_found": "Noise in the silent zone.", "outcome_done": "Staff intervened."}
        )
        wizard = (
            self.env["library.complaint.outcome.wizard"]
            .with_user(self.staff)
            .with_context(default_ticket_id=ticket.id)
            .create(
                {
                    "send_direct": False,
                    "send_email": False,
                    "send_website": True,
                    "send_noticeboard": True,
                    "location_ids": [
                        Command.set(
                            self.env.ref("library_complaints.notice_location_main_entrance").ids
                        )
                    ],
                }
            )
        )
        action = wizard.action_publish()
        self.flush_tracking()

        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "library_complaints.report_outcome_notice")
        self.assertTrue(action.get("close_on_report_download"))
        self.assertEqual(ticket.outcome_state, "published")
        self.assertEqual(sorted(ticket.notice_ids.mapped("channel")), ["noticeboard", "website"])


@tagged("post_install", "-at_install")
class TestEveryRoleOpensTheComplaint(CommitteeCase):
    """Defects of #11 that the web client met and the ORM tests did not."""

    def form_fields(self, user):
        views = self.env["helpdesk.ticket"].with_user(user).get_views([(False, "form")])
        return views["models"]["helpdesk.ticket"]["fields"]

    def test_every_role_reads_what_the_form_shows(self):
        """Staff and heads could open no complaint: the form read the committee's
        agenda items, which only the committee may read."""
        ticket = self.proposed_complaint()
        self.new_meeting()
        self.assertTrue(ticket.committee_item_ids, "the complaint is on an agenda")
        for user in (self.staff, self.wg_head, self.division_head, self.committee, self.manager):
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                fields = self.form_fields(user)
                values = ticket.with_user(user).web_read({fname: {} for fname in fields})
                self.assertEqual(values[0]["id"], ticket.id)

    def test_what_was_done_is_saved_and_noted(self):
        """Odoo tracks no Html field: a tracked "What was done" crashed at commit."""
        ticket = self.create_complaint(user_id=self.staff.id)
        self.flush_tracking()  # the request that created it ends; the edit is the next one
        ticket.with_user(self.staff).write({"resolution": "<p>Reloaded the paper tray</p>"})
        self.flush_tracking()
        notes = ticket.message_ids.filtered(lambda m: "Reloaded the paper tray" in m.body)
        self.assertEqual(len(notes), 1, "the new text is noted in the chatter once")
        self.assertEqual(notes.author_id, self.staff.partner_id)

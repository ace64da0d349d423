"""Triage (issue #25, part 3), as the demo staff member ``lc_staff`` does it.

What waits for triage is one rule: the complaint is in the To Triage stage (the menu,
its list, the search filter, the kanban's first column). Work starts by "Start work"
or the status bar, through the one gate, which wants the track and the service first;
whoever starts it owns a complaint that had no owner; a complaint recorded at the desk
with its track and service leaves triage when it is saved; helpdesk_mgmt's "New" is
out of the flow; the form says the next step.
"""

from odoo.api import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_stage_gate import StageGateCase


@tagged("post_install", "-at_install")
class TestTriage(StageGateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lc_staff = cls.env.ref("library_complaints.user_staff")
        cls.triage = cls.env.ref("library_complaints.stage_triage")
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.walk_in = cls.env.ref("library_complaints.channel_walk_in")
        cls.to_triage_action = cls.env.ref("library_complaints.helpdesk_ticket_action_to_triage")
        cls.walk_in_action = cls.env.ref("library_complaints.helpdesk_ticket_action_walk_in")

    def new_complaint(self, **vals):
        """A complaint on the demo desk, as the mail gateway or a form records it:
        by the system, with no owner."""
        values = {
            "name": "The book drop at the entrance is full",
            "description": "<p>Nobody can return books.</p>",
            "team_id": self.desk.id,
            "user_id": False,
        }
        values.update(vals)
        ticket = self.env["helpdesk.ticket"].with_user(SUPERUSER_ID).create(values)
        self.flush_tracking()
        return ticket.with_env(self.env)

    def to_triage(self, user):
        """What the To Triage menu lists for `user`."""
        domain = safe_eval(self.to_triage_action.domain or "[]")
        return self.env["helpdesk.ticket"].with_user(user).search(domain)

    def owner_tracking(self, ticket):
        self.env.invalidate_all()
        return ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "user_id"
        )

    # ------------------------------------------------------------------
    # Starting work

    def test_start_work_makes_the_starter_the_owner(self):
        ticket = self.new_complaint()
        self.assertFalse(ticket.user_id)
        self.assertIn(ticket, self.to_triage(self.lc_staff))
        staff_ticket = ticket.with_user(self.lc_staff)
        staff_ticket.write({"track_id": self.track_3.id, "service_id": self.service.id})
        self.flush_tracking()
        self.assertIn(ticket, self.to_triage(self.lc_staff), "triaged, not started yet")

        staff_ticket.action_triage()
        self.flush_tracking()

        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(ticket.user_id, self.lc_staff)
        self.assertNotIn(ticket, self.to_triage(self.lc_staff))
        tracked = self.owner_tracking(ticket)
        self.assertEqual(len(tracked), 1, "the new owner is in the chatter")
        self.assertEqual(tracked.new_value_integer, self.lc_staff.id)
        self.assertEqual(tracked.mail_message_id.author_id, self.lc_staff.partner_id)
        # the stage and the owner on one chatter line
        self.assertIn(
            "stage_id", tracked.mail_message_id.tracking_value_ids.field_id.mapped("name")
        )

    def test_start_work_keeps_the_owner_a_complaint_has(self):
        ticket = self.new_complaint(
            user_id=self.wg_head.id,
            team_id=self.team.id,
            track_id=self.track_3.id,
            service_id=self.service.id,
        )
        ticket.with_user(self.staff).action_triage()
        self.flush_tracking()
        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(ticket.user_id, self.wg_head)

    def test_odoobot_is_no_owner(self):
        """The mail gateway creates complaints as OdooBot, which helpdesk_mgmt makes
        their owner: whoever starts work takes them over."""
        ticket = self.new_complaint(
            user_id=SUPERUSER_ID, track_id=self.track_3.id, service_id=self.service.id
        )
        ticket.with_user(self.lc_staff).action_triage()
        self.flush_tracking()
        self.assertEqual(ticket.user_id, self.lc_staff)

    def test_starting_from_the_status_bar_needs_the_track_and_the_service(self):
        """The status bar and the kanban drag pass the same gate as "Start work": they
        could start a complaint on no track, which no deadline or rule would follow."""
        ticket = self.new_complaint(service_id=self.service.id)
        with self.assertRaisesRegex(UserError, "severity track and the service"):
            ticket.with_user(self.lc_staff).write({"stage_id": self.in_progress.id})
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.stage_id, self.triage)
        self.assertFalse(ticket.user_id)
        self.assertFalse(self.owner_tracking(ticket))
        # Triaged, the status bar starts it like the button, and assigns the starter.
        ticket.with_user(self.lc_staff).write({"track_id": self.track_3.id})
        ticket.with_user(self.lc_staff).write({"stage_id": self.in_progress.id})
        self.flush_tracking()
        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(ticket.user_id, self.lc_staff)

    def test_an_untriaged_complaint_may_still_be_cancelled(self):
        ticket = self.new_complaint()
        ticket.with_user(self.lc_staff).write({"stage_id": self.cancelled.id})
        self.flush_tracking()
        self.assertEqual(ticket.stage_id, self.cancelled)
        self.assertFalse(ticket.user_id, "closing is not starting work")
        self.assertNotIn(ticket, self.to_triage(self.lc_staff))

    def test_the_gate_still_holds_a_started_track_2_complaint(self):
        """Started, a track 2 complaint still waits for its work-group head: nobody
        closes it past them."""
        ticket = self.new_complaint(team_id=self.team.id)
        ticket.with_user(self.staff).write(
            {"track_id": self.track_2.id, "service_id": self.service.id}
        )
        ticket.with_user(self.staff).action_triage()
        self.flush_tracking()
        self.assertEqual(ticket.user_id, self.staff)
        self.assert_still_waiting_for(ticket, self.wg_head)
        with self.assertRaisesRegex(UserError, "waits for the approval"):
            ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.flush_tracking()
        self.assert_still_waiting_for(ticket, self.wg_head)

    # ------------------------------------------------------------------
    # Recorded at the desk

    def record_at_the_desk(self, **vals):
        """Save "Record a Complaint" as lc_staff, with the action's own context."""
        context = safe_eval(self.walk_in_action.context)
        Ticket = self.env["helpdesk.ticket"].with_user(self.lc_staff).with_context(**context)
        ticket = Ticket.create(
            {
                "name": "The lift to floor 3 is out of order",
                "description": "<p>A patron in a wheelchair could not reach floor 3.</p>",
                **vals,
            }
        )
        self.flush_tracking()
        return ticket

    def test_walk_in_saved_with_its_track_leaves_triage(self):
        ticket = self.record_at_the_desk(track_id=self.track_3.id, service_id=self.service.id)
        self.assertEqual(ticket.channel_id, self.walk_in)
        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(ticket.user_id, self.lc_staff)
        self.assertNotIn(ticket, self.to_triage(self.lc_staff))
        self.assertTrue(ticket.date_deadline)

    def test_walk_in_saved_without_its_track_waits_for_triage(self):
        ticket = self.record_at_the_desk(service_id=self.service.id)
        self.assertEqual(ticket.stage_id, self.triage)
        self.assertIn(ticket, self.to_triage(self.lc_staff))
        self.assertEqual(
            ticket.with_user(self.lc_staff).triage_hint,
            "Next step: choose the severity track, then press “Start work”.",
        )

    def test_the_to_triage_menu_and_filter_say_the_same(self):
        """One rule: the To Triage menu, its search filter and the kanban's first
        column list the same complaints."""
        waiting = self.new_complaint()
        triaged = self.new_complaint(track_id=self.track_3.id, service_id=self.service.id)
        started = self.new_complaint(track_id=self.track_3.id, service_id=self.service.id)
        started.with_user(self.lc_staff).action_triage()
        Ticket = self.env["helpdesk.ticket"].with_user(self.lc_staff)
        search_view = Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn(f"[('stage_id', '=', {self.triage.id})]", search_view)
        listed = self.to_triage(self.lc_staff)
        self.assertEqual(listed, Ticket.search([("stage_id", "=", self.triage.id)]))
        self.assertEqual(listed, Ticket.search(Ticket._get_to_triage_domain()))
        self.assertIn(waiting, listed)
        self.assertIn(triaged, listed)
        self.assertNotIn(started, listed)

    # ------------------------------------------------------------------
    # The next step, and the stages of the flow

    def test_the_form_says_the_next_step(self):
        ticket = self.new_complaint()
        staff_ticket = ticket.with_user(self.lc_staff)
        self.assertIn("choose the severity track and the service", staff_ticket.triage_hint)
        staff_ticket.write({"service_id": self.service.id})
        self.assertIn("choose the severity track,", staff_ticket.triage_hint)
        staff_ticket.write({"track_id": self.track_3.id})
        self.assertIn("press “Start work”. You become", staff_ticket.triage_hint)
        staff_ticket.action_triage()
        self.assertFalse(staff_ticket.triage_hint, "started: no hint")

    def test_new_is_out_of_the_office_flow(self):
        """helpdesk_mgmt's "New" showed in the status bar, though no complaint takes it."""
        new = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        self.assertFalse(new.active)
        stages = self.desk._get_applicable_stages()
        self.assertNotIn(new, stages)
        self.assertEqual(stages[:2], self.triage | self.in_progress)
        # What the status bar and the kanban offer staff.
        offered = self.env["helpdesk.ticket.stage"].with_user(self.lc_staff).search([])
        self.assertNotIn(new, offered)
        self.assertIn(self.triage, offered)

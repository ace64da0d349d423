"""One gate for every change of stage (issue #24, point 2).

Closing a complaint that waits for a head or for the MT committee is refused on every
path (kanban drag, import, the web client's RPC, helpdesk_mgmt's portal close); a
complaint manager closes it with a reason, which ends the approval round. Fix on the
spot is track 1 only, whoever calls it. "Cannot fix" does not move a complaint past
the head who decides, and the committee takes only what the heads cleared.
"""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.safe_eval import safe_eval

from .test_committee import CommitteeCase

APPROVAL = "library_complaints.mail_activity_type_complaint_approval"


class StageGateCase(CommitteeCase):
    def confirm_dialog(self, user, opened, comment):
        """In the dialog `opened` by a button, write `comment` and confirm, as `user`."""
        self.env["library.complaint.comment.wizard"].with_user(user).with_context(
            **opened["context"]
        ).create({"comment": comment}).action_confirm()

    def approval_todos(self, ticket):
        self.env.invalidate_all()
        return ticket.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )

    def assert_still_waiting_for(self, ticket, head):
        """Nothing was written: open, waiting for `head`, who keeps the to-do."""
        self.env.invalidate_all()
        self.assertFalse(ticket.stage_id.closed)
        self.assertFalse(ticket.closed_date)
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approver_id, head)
        self.assertEqual(self.approval_todos(ticket).user_id, head)
        self.assertFalse(ticket.sudo().approval_ids.filtered(lambda a: a.decision == "close"))


@tagged("post_install", "-at_install")
class TestClosingIsGated(StageGateCase):
    def test_staff_cannot_drag_a_complaint_waiting_for_a_head_to_done(self):
        ticket = self.complaint_on_track(self.track_2)
        self.flush_tracking()
        self.env.invalidate_all()
        # What the kanban drag and the status bar send.
        with self.assertRaisesRegex(UserError, "waits for the approval of t_wg_head"):
            ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.flush_tracking()
        self.assert_still_waiting_for(ticket, self.wg_head)
        # Nor by an import.
        [[xmlid]] = ticket.sudo().export_data(["id"])["datas"]
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.staff)
            .load(["id", "stage_id/id"], [[xmlid, "helpdesk_mgmt.helpdesk_ticket_stage_done"]])
        )
        self.assertFalse(result["ids"])
        self.assertIn("cannot be closed", result["messages"][0]["message"])
        self.flush_tracking()
        self.assert_still_waiting_for(ticket, self.wg_head)
        # Nor by a complaint manager without a reason.
        with self.assertRaises(UserError):
            ticket.with_user(self.manager).write({"stage_id": self.done.id})
        self.assert_still_waiting_for(ticket, self.wg_head)
        # Only closing is gated: it moves between open stages, and a complaint that
        # waits for nobody closes.
        triage = self.env.ref("library_complaints.stage_triage")
        ticket.with_user(self.staff).write({"stage_id": triage.id})
        self.assertEqual(ticket.stage_id, triage)
        free = self.complaint_on_track(self.track_3)
        free.with_user(self.staff).write({"stage_id": self.done.id})
        self.flush_tracking()
        self.assertTrue(free.stage_id.closed)
        self.assertFalse(free.approval_state)

    def test_the_portal_close_is_gated_too(self):
        """helpdesk_mgmt's /ticket/close writes the stage as the superuser: the gate
        holds all the same (the route itself is another part of issue #24)."""
        ticket = self.complaint_on_track(self.track_2, partner_id=self.patron.partner_id.id)
        with self.assertRaises(UserError):
            ticket.with_user(self.patron).sudo().write({"stage_id": self.done.id})
        self.assert_still_waiting_for(ticket, self.wg_head)

    def test_a_complaint_waiting_for_the_committee_stays_open(self):
        ticket = self.proposed_complaint()
        with self.assertRaisesRegex(UserError, "MT committee"):
            ticket.with_user(self.staff).write({"stage_id": self.done.id})
        meeting = self.new_meeting()
        self.assertIn(ticket, meeting.item_ids.ticket_id)
        with self.assertRaisesRegex(UserError, "MT committee"):
            ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.env.invalidate_all()
        self.assertFalse(ticket.stage_id.closed)
        # Once the committee decided (held meeting), staff close it as usual.
        self.decide(meeting, ticket, decision="approve")
        (meeting.item_ids - meeting.item_ids.filtered(lambda i: i.decision)).with_user(
            self.committee
        ).write({"decision": "defer"})
        meeting.with_user(self.committee).action_schedule()
        meeting.with_user(self.committee).action_mark_held()
        ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.flush_tracking()
        self.assertTrue(ticket.stage_id.closed)


@tagged("post_install", "-at_install")
class TestManagerClosesWithAReason(StageGateCase):
    def test_closing_with_a_reason_ends_the_approval(self):
        ticket = self.complaint_on_track(self.track_2)
        self.flush_tracking()
        self.assertEqual(self.approval_todos(ticket).user_id, self.wg_head)
        self.env.invalidate_all()

        opened = ticket.with_user(self.manager).action_close_with_reason()
        self.confirm_dialog(self.manager, opened, "The patron withdrew the complaint.")
        self.flush_tracking()

        self.env.invalidate_all()
        self.assertTrue(ticket.stage_id.closed)
        self.assertTrue(ticket.closed_date)
        self.assertEqual(ticket.approval_state, "cancelled")
        self.assertFalse(ticket.approval_step)
        self.assertFalse(ticket.approver_id)
        self.assertFalse(self.approval_todos(ticket), "the heads' to-dos are gone")
        self.assertEqual(ticket.close_reason, "The patron withdrew the complaint.")
        entry = ticket.with_user(self.staff).approval_ids
        self.assertEqual(
            (entry.round_number, entry.step, entry.decision, entry.user_id, entry.comment),
            (1, "wg_head", "close", self.manager, "The patron withdrew the complaint."),
        )
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "The patron withdrew the complaint." in m.body
                and "waits for the approval of t_wg_head" in m.body
                and m.author_id == self.manager.partner_id
            ),
            "the chatter says who closed it, what it waited for and why",
        )

    def test_only_a_manager_closes_with_a_reason(self):
        ticket = self.complaint_on_track(self.track_2)
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff).action_close_with_reason()
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff)._close_with_reason("I want it closed.")
        with self.assertRaises(UserError):
            ticket.with_user(self.manager)._close_with_reason("   ")
        # The reason is a workflow field: no one writes it by hand, not even a manager.
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager).write(
                {"stage_id": self.done.id, "close_reason": "By hand"}
            )
        self.flush_tracking()
        self.assert_still_waiting_for(ticket, self.wg_head)

    def test_closing_takes_it_off_the_open_agenda(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        self.assertIn(ticket, meeting.item_ids.ticket_id)
        ticket.with_user(self.manager)._close_with_reason("Solved by the contractor's visit.")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertTrue(ticket.stage_id.closed)
        self.assertNotIn(ticket, meeting.item_ids.ticket_id)
        self.assertTrue(
            meeting.message_ids.filtered(lambda m: ticket.display_name in m.body),
            "the meeting says why the item left its agenda",
        )
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Solved by the contractor's visit." in m.body and "MT committee" in m.body
            )
        )

    def test_closing_a_returned_complaint_ends_its_round(self):
        ticket = self.complaint_on_track(self.track_2)
        opened = ticket.with_user(self.wg_head).action_return()
        self.confirm_dialog(self.wg_head, opened, "Ask IT for a quote.")
        self.flush_tracking()
        self.assertEqual(self.approval_todos(ticket).user_id, self.staff)
        ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.approval_state, "cancelled")
        self.assertFalse(self.approval_todos(ticket))
        last = ticket.sudo().approval_ids.sorted("id")[-1]
        self.assertEqual((last.decision, last.step, last.user_id), ("close", "wg_head", self.staff))


@tagged("post_install", "-at_install")
class TestClosingOverHttp(StageGateCase, HttpCase):
    def test_the_web_clients_write_is_refused(self):
        ticket = self.complaint_on_track(self.track_2)
        self.flush_tracking()
        self.authenticate_as(self.staff)
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/helpdesk.ticket/write",
                {
                    "model": "helpdesk.ticket",
                    "method": "write",
                    "args": [[ticket.id], {"stage_id": self.done.id}],
                    "kwargs": {"context": {"lang": "en_US"}},
                },
            )
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.UserError")
        self.assert_still_waiting_for(ticket, self.wg_head)


@tagged("post_install", "-at_install")
class TestFixOnTheSpotIsTrackOne(StageGateCase):
    def test_the_dialog_called_directly_refuses_another_track(self):
        ticket = self.complaint_on_track(self.track_3)
        wizard = (
            self.env["library.complaint.fix.wizard"]
            .with_user(self.staff)
            .create({"ticket_id": ticket.id, "resolution": "Unjammed it."})
        )
        with self.assertRaisesRegex(UserError, "track 1"):
            wizard.action_confirm()
        with self.assertRaisesRegex(UserError, "track 1"):
            ticket.with_user(self.staff)._close_fixed_on_the_spot("<p>Unjammed it.</p>")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertFalse(ticket.stage_id.closed)
        self.assertFalse(ticket.resolution)
        # On track 1 it closes.
        spot = self.complaint_on_track(self.track_1)
        self.env["library.complaint.fix.wizard"].with_user(self.staff).create(
            {"ticket_id": spot.id, "resolution": "Unjammed it."}
        ).action_confirm()
        self.flush_tracking()
        self.assertTrue(spot.stage_id.closed)


@tagged("post_install", "-at_install")
class TestEscalationAndApprovalInStep(StageGateCase):
    def test_cannot_fix_waits_for_the_head_who_decides(self):
        """Before: the level went to the division head, the approver stayed the
        work-group head. The head decides first."""
        ticket = self.complaint_on_track(self.track_2)
        self.flush_tracking()
        opened = ticket.with_user(self.staff).action_cannot_fix()
        with self.assertRaisesRegex(UserError, "t_wg_head"):
            self.confirm_dialog(self.staff, opened, "Needs a contractor.")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assertEqual(ticket.approver_id, self.wg_head)
        self.assertFalse(ticket.cannot_fix_reason)
        self.assertFalse(ticket.is_committee_proposed)
        self.assertEqual(len(ticket.escalation_ids), 1)

        # Returned to staff, it may be marked "cannot fix": level and approval agree.
        self.confirm_dialog(self.wg_head, ticket.with_user(self.wg_head).action_return(), "No.")
        self.confirm_dialog(self.staff, opened, "Needs a contractor.")
        self.flush_tracking()
        self.assertEqual(ticket.cannot_fix_reason, "Needs a contractor.")
        self.assertEqual(ticket.approval_state, "returned")
        self.assertFalse(ticket.approver_id)

    def test_time_rules_wait_for_the_head_who_decides(self):
        """Before: the overdue rule moved a track-2 complaint waiting for the work-group
        head to the division head, the approver staying the work-group head. Now the
        head's overdue to-do reminds them; once both heads decide, the rule applies
        again from where the complaint is, skipping no level."""
        with freeze_time(datetime(2026, 3, 2, 2, 0)):
            ticket = self.complaint_on_track(self.track_2)
            self.flush_tracking()
        self.assertEqual(ticket.date_deadline, datetime(2026, 3, 10, 9, 30))

        def run_job(moment):
            with freeze_time(moment):
                self.Ticket._run_escalation_rules()
                self.flush_tracking()
            self.env.invalidate_all()

        run_job(datetime(2026, 3, 25, 0, 30))  # overdue for two weeks
        self.assertEqual(ticket.deadline_state, "overdue")
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assert_still_waiting_for(ticket, self.wg_head)
        self.assertLess(self.approval_todos(ticket).date_deadline, datetime(2026, 3, 25).date())
        self.assertEqual(len(ticket.escalation_ids), 1)

        # The work-group head approves: the division head's turn, and the job waits again.
        with freeze_time(datetime(2026, 3, 25, 3, 0)):
            ticket.with_user(self.wg_head).action_approve()
            self.flush_tracking()
        run_job(datetime(2026, 3, 26, 0, 30))
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assert_still_waiting_for(ticket, self.division_head)

        # Both heads decided: the overdue rule applies again, one level up.
        with freeze_time(datetime(2026, 3, 26, 3, 0)):
            ticket.with_user(self.division_head).action_approve()
            self.flush_tracking()
        run_job(datetime(2026, 3, 27, 0, 30))
        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.escalation_level, "committee")
        last = ticket.escalation_ids.sorted("id")[-1]
        self.assertEqual((last.from_level, last.to_level), ("division_head", "committee"))
        self.assertEqual(last.rule_id, self.env.ref("library_complaints.escalation_rule_overdue"))

    def test_a_returned_track_4_complaint_goes_back_to_the_division_head(self):
        """Before: submitted again, a complaint only the division head approves went to
        the work-group head. A new round starts at the step its approval requires."""
        ticket = self.complaint_on_track(self.track_4)
        self.assertEqual(ticket.approver_id, self.division_head)
        opened = ticket.with_user(self.division_head).action_return()
        self.confirm_dialog(self.division_head, opened, "Get a second quote.")
        self.flush_tracking()
        ticket.with_user(self.staff).action_submit_for_approval()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.approval_round, 2)
        self.assertEqual(ticket.approval_step, "division_head")
        self.assertFalse(ticket.approval_needs_division)
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assert_still_waiting_for(ticket, self.division_head)

    def test_a_returned_complaint_leaves_the_committees_waiting_list(self):
        """Proposed by "cannot fix", then put on track 4 (the division head approves),
        returned by the division head: off the agenda and the waiting list; back once
        approved."""
        meeting = self.new_meeting()
        ticket = self.proposed_complaint()
        self.assertIn(ticket, meeting.item_ids.ticket_id)
        ticket.with_user(self.staff).write({"track_id": self.track_4.id})
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertNotIn(ticket, meeting.item_ids.ticket_id, "it waits for the head first")

        opened = ticket.with_user(self.division_head).action_return()
        self.confirm_dialog(self.division_head, opened, "Get a second quote.")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.approval_state, "returned")
        Ticket = self.env["helpdesk.ticket"].with_user(self.committee)
        self.assertNotIn(ticket, Ticket.search(Ticket._get_committee_pool_domain()))
        waiting_list = self.env.ref("library_complaints.helpdesk_ticket_action_committee_pool")
        self.assertNotIn(ticket, Ticket.search(safe_eval(waiting_list.domain)))
        meeting.with_user(self.committee).action_load_proposals()
        self.assertNotIn(ticket, meeting.item_ids.ticket_id)
        self.assertNotIn(ticket, self.new_meeting(name="MT 2/2574").item_ids.ticket_id)
        with self.assertRaisesRegex(UserError, "not for the MT committee"):
            self.env["library.complaint.meeting.item"].with_user(self.committee).create(
                {"meeting_id": meeting.id, "ticket_id": ticket.id}
            )
        self.flush_tracking()

        # Submitted again and approved: back on the next meeting's agenda.
        ticket.with_user(self.staff).action_submit_for_approval()
        ticket.with_user(ticket.approver_id).action_approve()
        self.flush_tracking()
        self.assertIn(ticket, meeting.item_ids.ticket_id)

    def test_the_committee_does_not_decide_what_the_heads_hold_back(self):
        """An item already on an agenda (before this rule) whose complaint a head
        returned: the committee's decision is refused, and so is marking it held."""
        meeting = self.new_meeting()
        ticket = self.proposed_complaint()
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)
        ticket.sudo().write({"approval_state": "returned", "approval_round": 1})
        with self.assertRaisesRegex(UserError, "not for the MT committee"):
            item.with_user(self.committee).write({"decision": "approve"})
        self.env.invalidate_all()
        self.assertFalse(item.decision)

        # Decided while cleared, held back before the meeting is marked held.
        ticket.sudo().write({"approval_state": "approved"})
        self.decide(meeting, ticket, decision="approve")
        for other in meeting.item_ids - item:
            other.with_user(self.committee).decision = "defer"
        meeting.with_user(self.committee).action_schedule()
        ticket.sudo().write({"approval_state": "returned"})
        with self.assertRaises(UserError) as caught:
            meeting.with_user(self.committee).action_mark_held()
        self.assertIn("not for the MT committee", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(meeting.state, "scheduled")
        self.assertFalse(ticket.committee_decision)

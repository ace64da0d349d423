"""One gate for every change of a complaint's stage, as hr_leave's ``_check_approval_update``.

Whatever moves a complaint (the form's status bar, a kanban drag, an import, the
external API, helpdesk_mgmt's portal close, a wizard, a job, a button), the change
passes ``_check_stage_update`` from ``write()`` (``helpdesk_ticket.py``'s, once the
checks of who may write which field have passed). Unlike hr_leave's check, the
superuser does not skip it: it guards the process, not a permission, and
helpdesk_mgmt's portal close writes the stage as the superuser.

The same concern keeps the approval, the escalation and the committee consistent:
closing ends an approval round; staff do not move past a head who is deciding
("cannot fix"); the committee only takes what the heads have not held back.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .library_complaint_meeting import OPEN_STATES

MANAGER_GROUP = "library_complaints.group_complaint_manager"
DONE_STAGE = "helpdesk_mgmt.helpdesk_ticket_stage_done"
# The heads have not cleared these for the committee: waiting for them, returned, refused.
UNCLEARED_APPROVAL_STATES = ("to_approve", "returned", "refused")
# Approval rounds still running, which closing the complaint ends.
RUNNING_APPROVAL_STATES = ("to_approve", "returned")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    approval_state = fields.Selection(
        selection_add=[("cancelled", "Ended at closing")],
        ondelete={"cancelled": "set null"},
    )
    close_reason = fields.Text(
        string="Closed early because",
        readonly=True,
        copy=False,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="Why a complaint manager closed the complaint while it waited for a head "
        "or for the MT committee.",
    )

    # ------------------------------------------------------------------
    # The gate

    def _check_stage_write(self, vals):
        """``write()``'s call of the gate, before it writes.

        :return: {complaint closed by this write: what it waited for, or None}
        """
        if not vals.get("stage_id"):
            return {}
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        return self._check_stage_update(stage, reason=vals.get("close_reason"))

    def _end_stage_write(self, closing, vals):
        """``write()``'s end: what closing ends (`closing` from ``_check_stage_write``)."""
        if closing:
            self.browse([ticket.id for ticket in closing])._end_pending_work_at_closing(
                closing, vals.get("close_reason")
            )

    def _check_stage_update(self, stage, reason=None):
        """Whether the current user may move these complaints to `stage`; the one
        place that says so, called by ``write()`` for every path.

        A complaint that waits for a head's approval or for the MT committee is not
        closed, except by a complaint manager giving a reason (``_close_with_reason``).

        :return: {complaint closed now: what it waits for, or None}
        :raise UserError: naming the complaint and what it waits for
        :raise AccessError: a reason given by someone who is not a complaint manager
        """
        if not stage.closed:
            return {}
        if reason:
            self._check_is_complaint_manager()
        blockers = self.filtered(lambda t: not t.stage_id.closed)._get_closing_blockers()
        if reason:
            return blockers
        for ticket, blocker in blockers.items():
            if blocker:
                raise UserError(
                    self.env._(
                        "%(complaint)s cannot be closed: %(blocker)s. A complaint manager "
                        "may close it with a reason (“Close with a reason”).",
                        complaint=ticket.display_name,
                        blocker=blocker,
                    )
                )
        return blockers

    def _get_closing_blockers(self):
        """{complaint: what it waits for, as a phrase, or None}, for the whole recordset."""
        tickets = self.sudo()
        committee = tickets._get_waiting_for_committee()
        blockers = {}
        for ticket in tickets:
            blocker = None
            if ticket.approval_state == "to_approve":
                blocker = self.env._(
                    "it waits for the approval of %(head)s",
                    head=ticket.approver_id.name or self._get_step_label(ticket.approval_step),
                )
            elif ticket in committee:
                blocker = self.env._("it waits for the MT committee's decision")
            blockers[ticket.with_env(self.env)] = blocker
        return blockers

    def _get_step_label(self, step):
        return dict(self._fields["approval_step"]._description_selection(self.env)).get(step, "")

    def _get_waiting_for_committee(self):
        """Those of the complaints that wait for the committee: in its pool, or on the
        agenda of a meeting not held yet."""
        tickets = self.sudo()
        return (
            tickets.filtered_domain(self._get_committee_pool_domain())
            | tickets._get_open_agenda_items().ticket_id
        ).with_env(self.env)

    def _get_open_agenda_items(self):
        """The agenda items of these complaints on meetings not held yet."""
        return self.sudo().committee_item_ids.filtered(
            lambda item: item.meeting_id.state in OPEN_STATES
        )

    # ------------------------------------------------------------------
    # Closing ends what was pending

    def _end_pending_work_at_closing(self, blockers, reason=None):
        """Closing ends the running approval round (kept in its history, the to-dos
        gone) and takes the complaint off the agendas of meetings not held.

        :param blockers: {complaint: what it waited for, or None}, read before closing
        :param reason: the complaint manager's reason, if they closed it early
        """
        closed = self.filtered(lambda t: t.stage_id.closed)
        if not closed:
            return
        rounds = closed.filtered(lambda t: t.sudo().approval_state in RUNNING_APPROVAL_STATES)
        closed_by = self.env._("Closed by %(user)s.", user=self.env.user.name)
        if rounds:
            self.env["library.complaint.approval"].sudo().create(
                [
                    {
                        "ticket_id": ticket.id,
                        "round_number": ticket.approval_round,
                        "step": ticket.approval_step
                        or ticket._get_last_approval_decision().step
                        or "wg_head",
                        "decision": "close",
                        "user_id": self.env.user.id,
                        "comment": reason or closed_by,
                    }
                    for ticket in rounds.sudo()
                ]
            )
            rounds.sudo().write({"approval_state": "cancelled", "approval_step": False})
            rounds._update_approval_activities()
        closed._withdraw_from_committee(self.env._("it was closed"))
        for ticket in closed:
            if blockers.get(ticket) and reason:
                ticket.message_post(
                    body=self.env._(
                        "Closed by %(user)s although %(blocker)s. Reason: %(reason)s",
                        user=self.env.user.name,
                        blocker=blockers[ticket],
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _withdraw_from_committee(self, why):
        """Take the complaints off the agendas of meetings not held, with a note on
        each meeting saying `why`."""
        items = self._get_open_agenda_items()
        for item in items:
            item.meeting_id.message_post(
                body=self.env._(
                    "%(complaint)s is taken off the agenda: %(why)s.",
                    complaint=item.ticket_id.display_name,
                    why=why,
                ),
                subtype_xmlid="mail.mt_note",
            )
        items.unlink()

    # ------------------------------------------------------------------
    # A complaint manager closes with a reason

    def _check_is_complaint_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a complaint manager closes a complaint with a reason.")
            )

    def action_close_with_reason(self):
        """Open the dialog where a complaint manager says why the complaint closes now."""
        self._check_is_complaint_manager()
        return self._open_comment_wizard("close", self.env._("Close with a reason"))

    def _close_with_reason(self, reason):
        """A complaint manager closes the complaints, even while they wait for a head or
        the committee; the reason goes to the chatter and the approval history."""
        reason = self._require_comment(reason)
        self._check_is_complaint_manager()
        self.check_access("write")
        open_tickets = self.filtered(lambda t: not t.stage_id.closed)
        if not open_tickets:
            raise UserError(self.env._("These complaints are closed already."))
        # close_reason is a workflow field: written by this action only, as the superuser
        open_tickets.sudo().write({"stage_id": self.env.ref(DONE_STAGE).id, "close_reason": reason})
        return True

    # ------------------------------------------------------------------
    # Fixed on the spot: track 1 only, whoever calls it

    def _check_can_fix_on_the_spot(self):
        for ticket in self:
            if not ticket.can_close_on_spot:
                raise UserError(
                    self.env._(
                        "Only a complaint on a track that staff may close on the spot "
                        "(track 1) can be fixed on the spot: %(complaint)s is on “%(track)s”.",
                        complaint=ticket.display_name,
                        track=ticket.track_id.name or self.env._("no track"),
                    )
                )

    def _close_fixed_on_the_spot(self, resolution):
        self._check_can_fix_on_the_spot()
        return super()._close_fixed_on_the_spot(resolution)

    # ------------------------------------------------------------------
    # Escalation and approval in step

    def _mark_cannot_fix(self, reason):
        """While a head decides, the complaint is theirs: staff cannot move it past
        them (the level would leave the approver behind)."""
        for ticket in self.sudo():
            if ticket.stage_id.closed:
                raise UserError(
                    self.env._(
                        "%(complaint)s is closed: it cannot be marked 'cannot fix'.",
                        complaint=ticket.display_name,
                    )
                )
            if ticket.approval_state == "to_approve":
                raise UserError(
                    self.env._(
                        "%(complaint)s waits for the approval of %(head)s: the head "
                        "decides first. Write to them in the chatter; once they approve or "
                        "return it, you can mark it 'cannot fix'.",
                        complaint=ticket.display_name,
                        head=ticket.approver_id.name or self._get_step_label(ticket.approval_step),
                    )
                )
        return super()._mark_cannot_fix(reason)

    # ------------------------------------------------------------------
    # The committee takes only what the heads cleared

    @api.model
    def _get_committee_pool_domain(self):
        """Waiting for the committee: also cleared by the heads (not waiting for
        them, not returned to staff, not refused)."""
        return super()._get_committee_pool_domain() & Domain(
            "approval_state", "not in", UNCLEARED_APPROVAL_STATES
        )

    def _get_committee_cleared(self):
        """The complaints the committee may take: not held back by the heads."""
        return self.filtered(lambda t: t.sudo().approval_state not in UNCLEARED_APPROVAL_STATES)

    def _check_committee_may_decide(self):
        """Refuse an agenda item, or a decision, on a complaint the heads hold back."""
        labels = dict(self._fields["approval_state"]._description_selection(self.env))
        for ticket in self.sudo() - self._get_committee_cleared():
            raise UserError(
                self.env._(
                    "%(complaint)s is not for the MT committee now: its approval is "
                    "“%(state)s”. It comes back once the heads approve it.",
                    complaint=ticket.display_name,
                    state=labels[ticket.approval_state],
                )
            )

    def _escalate(self, rule, target, reason):
        """An escalation that starts a head approval takes the complaint off the
        committee's open agendas until the heads clear it."""
        result = super()._escalate(rule, target, reason)
        pending = self.filtered(lambda t: t.sudo().approval_state == "to_approve")
        if pending:
            pending._withdraw_from_committee(self.env._("it waits for a head's approval"))
        return result

    def _return_to_staff(self, comment):
        result = super()._return_to_staff(comment)
        self._withdraw_from_committee(self.env._("a head returned it to staff"))
        return result

    def _refuse(self, comment):
        result = super()._refuse(comment)
        self._withdraw_from_committee(self.env._("a head refused it"))
        return result

    def _approve(self, comment=False):
        result = super()._approve(comment)
        # Proposed before, held back by the heads meanwhile: cleared again, it goes to
        # the next meeting, as when it was first proposed.
        waiting = self.filtered_domain(self._get_committee_pool_domain())
        waiting -= waiting._get_open_agenda_items().ticket_id
        Meeting = self.env["library.complaint.meeting"].sudo()
        for company, tickets in waiting.grouped("company_id").items():
            # each company's complaints to its own committee's next meeting
            meeting = Meeting._get_next_open_meeting(company)
            if meeting:
                meeting._add_agenda_items(tickets)
        return result

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from .library_complaint_approval import APPROVAL_STEPS
from .library_complaint_escalation import is_above

APPROVAL_STATES = [
    ("to_approve", "To approve"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("refused", "Refused"),
]
APPROVAL_ACTIVITY = "library_complaints.mail_activity_type_complaint_approval"
# Who must act on the approval changes with these (closing, reassigning).
ACTING_FIELDS = ("stage_id", "user_id", "team_id", "division_id")


class HelpdeskTicket(models.Model):
    """Head approval: the work-group head, then the division head where the rule
    asks, approves, returns or refuses the handling of a complaint. Every decision
    is kept in the approval history; the to-dos follow whoever must act now.
    """

    _inherit = "helpdesk.ticket"

    approval_state = fields.Selection(
        selection=APPROVAL_STATES,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_approval_states",
    )
    approval_step = fields.Selection(
        selection=APPROVAL_STEPS,
        string="Waiting for",
        readonly=True,
        copy=False,
    )
    approval_needs_division = fields.Boolean(
        string="Division head approves too", readonly=True, copy=False
    )
    approval_round = fields.Integer(
        readonly=True,
        copy=False,
        help="How many times the complaint was submitted to the heads.",
    )
    approval_ids = fields.One2many(
        comodel_name="library.complaint.approval",
        inverse_name="ticket_id",
        string="Approval history",
        readonly=True,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    approver_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_approver_id",
        store=True,
        index=True,
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    approval_comment = fields.Text(
        string="Head's comment",
        compute="_compute_approval_comment",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="The latest comment of a head in this round (the history keeps them all).",
    )
    approval_alert = fields.Text(
        string="Head's decision",
        compute="_compute_approval_alert",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="Shown at the top of a returned or refused complaint: who decided, and the "
        "head's comment.",
    )

    @api.depends("approval_state", "approval_step", "team_id.wg_head_id", "division_id.head_id")
    def _compute_approver_id(self):
        for ticket in self:
            if ticket.approval_state != "to_approve":
                ticket.approver_id = False
            elif ticket.approval_step == "wg_head":
                ticket.approver_id = ticket.team_id.wg_head_id
            else:
                ticket.approver_id = ticket.division_id.head_id

    @api.depends_context("uid")
    @api.depends("approver_id")
    def _compute_can_approve(self):
        for ticket in self:
            ticket.can_approve = ticket.approver_id == self.env.user

    @api.depends("approval_round", "approval_ids.round_number", "approval_ids.comment")
    def _compute_approval_comment(self):
        for ticket in self:
            ticket.approval_comment = ticket._get_last_approval_decision().comment

    @api.depends_context("lang")
    @api.depends("approval_state", "approval_comment")
    def _compute_approval_alert(self):
        """Who returned or refused the complaint and why, in the reader's language,
        for the banner at the top of the form (the Approval tab keeps the history)."""
        for ticket in self:
            decision = ticket.approval_state in ("returned", "refused") and (
                ticket._get_last_approval_decision()
            )
            if not decision or decision.decision not in ("return", "refuse"):
                ticket.approval_alert = False
            elif decision.decision == "return":
                ticket.approval_alert = self.env._(
                    "Returned by %(head)s: %(comment)s Rework it and submit it again.",
                    head=decision.user_id.name,
                    comment=decision.comment,
                )
            else:
                ticket.approval_alert = self.env._(
                    "Refused by %(head)s: %(comment)s",
                    head=decision.user_id.name,
                    comment=decision.comment,
                )

    @api.model
    def _expand_approval_states(self, states, domain):
        return [key for key, __ in APPROVAL_STATES]

    def _get_last_approval_decision(self):
        """The latest decision of the current round, if any (as the superuser: for
        the complaint's own fields and notes)."""
        self.ensure_one()
        decisions = self.sudo().approval_ids.filtered(
            lambda a: a.round_number == self.approval_round
        )
        return decisions.sorted("id")[-1:]

    def _get_approval_start_values(self, approval):
        """The approval fields for an approval by `approval` ('none', 'wg_head', ...)."""
        self.ensure_one()
        if approval == "none":
            return {}
        step = "wg_head" if approval in ("wg_head", "both") else "division_head"
        needs_division = approval == "both"
        if step == "wg_head" and not self.team_id.wg_head_id:
            # No work-group head configured: the division head approves alone.
            step, needs_division = "division_head", False
        has_division_head = bool(self.division_id.head_id)
        if step == "division_head" and not has_division_head:
            # No head to approve: like the escalation, the approval skips the level
            # (the complaint would otherwise wait for no one).
            return {}
        return {
            "approval_state": "to_approve",
            "approval_step": step,
            "approval_needs_division": needs_division and has_division_head,
            "approval_round": self.approval_round + 1,
        }

    # ------------------------------------------------------------------
    # The approvers' to-dos (hr_leave's activity_update)

    def _get_responsible_for_approval(self):
        """Who must act on the approval now: the head whose turn it is, or the
        staff owner of a returned complaint; no one once it is decided or closed."""
        self.ensure_one()
        if self.stage_id.closed:
            return self.env["res.users"]
        if self.approval_state == "to_approve":
            return self.approver_id
        if self.approval_state == "returned":
            return self.user_id
        return self.env["res.users"]

    def _get_approval_activity_note(self):
        self.ensure_one()
        if self.approval_state == "returned":
            decision = self._get_last_approval_decision()
            return self.env._(
                "Returned by %(head)s: %(comment)s Rework it and submit it again.",
                head=decision.user_id.name,
                comment=decision.comment,
            )
        return self.env._("Approve, return or refuse the handling of this complaint.")

    def _update_approval_activities(self, feedback=None):
        """Keep the approval to-dos in step with the approval, for the whole recordset.

        Whoever must act now (``_get_responsible_for_approval``) has one open to-do,
        due the day it is asked (as hr_leave's approval to-do), so the systray counts
        it at once and shows it overdue from the next day; the complaint's own
        deadline is a fact and does not move. After a decision (`feedback` given)
        the to-dos of the step just decided are marked done with it; otherwise the
        to-dos of people who no longer have to act (complaint closed, reassigned)
        are removed. Call it after every change of the approval.
        """
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        tickets = self.sudo()
        stale = self.env["mail.activity"].sudo()
        wanted = []
        for ticket in tickets:
            current = ticket.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            responsible = ticket._get_responsible_for_approval()
            kept = current.browse()
            if not feedback:
                kept = current.filtered(lambda a, users=responsible: a.user_id in users)
            stale |= current - kept
            if users := responsible - kept.user_id:
                wanted.append((ticket, users))
        if feedback:
            stale.action_feedback(feedback=feedback)
        else:
            stale.unlink()
        if not wanted:
            return
        today = tickets.browse([ticket.id for ticket, __ in wanted])._get_approval_due_dates()
        model_id = self.env["ir.model"]._get_id(self._name)
        # Each step already tells them in the chatter: no second "assigned to you" mail.
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "date_deadline": today[ticket],
                    # in the language of whoever gets it; the comment as text
                    "note": plaintext2html(
                        ticket.with_context(lang=user.lang)._get_approval_activity_note()
                    ),
                    "user_id": user.id,
                    "res_id": ticket.id,
                    "res_model_id": model_id,
                }
                for ticket, users in wanted
                for user in users
            ]
        )

    def _get_approval_due_dates(self):
        """{complaint: today on its working calendar}: the day an approval step is
        asked, in the office's time zone (Bangkok), whoever or whatever asks it."""
        now = fields.Datetime.now()
        due_dates = {}
        for calendar, tickets in self._group_by_working_calendar():
            today = calendar._get_local_date(now)
            due_dates.update(dict.fromkeys(tickets, today))
        return due_dates

    def write(self, vals):
        result = super().write(vals)
        if any(fname in vals for fname in ACTING_FIELDS):
            self._update_approval_activities()
        return result

    # ------------------------------------------------------------------
    # The heads' decisions

    def _check_can_approve(self):
        for ticket in self:
            if ticket.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "%(complaint)s is not waiting for approval.",
                        complaint=ticket.display_name,
                    )
                )
            if not ticket.can_approve:
                raise AccessError(
                    self.env._(
                        "Only %(head)s can approve, return or refuse %(complaint)s: "
                        "a head acts on the complaints of their own work group or division.",
                        head=ticket.approver_id.name or self.env._("its head"),
                        complaint=ticket.display_name,
                    )
                )

    def _record_approval_decision(self, decision, comment=False):
        """Keep the head's decision in the approval history (the head was checked)."""
        self.env["library.complaint.approval"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "round_number": ticket.approval_round,
                    "step": ticket.approval_step,
                    "decision": decision,
                    "user_id": self.env.user.id,
                    "comment": comment or False,
                }
                for ticket in self
            ]
        )

    def action_approve(self):
        """The head approves; the division head's turn comes next where the rule asks."""
        return self._approve()

    def action_approve_with_comment(self):
        return self._open_comment_wizard("approve", self.env._("Approve"))

    def _approve(self, comment=False):
        self._check_can_approve()
        comment = (comment or "").strip()
        self._record_approval_decision("approve", comment)
        to_division = self.filtered(
            lambda t: t.approval_step == "wg_head" and t.approval_needs_division
        )
        approved = self - to_division
        for ticket in to_division:
            ticket._pass_approval_to_division_head(comment)
        approved.sudo().write({"approval_state": "approved", "approval_step": False})
        self._update_approval_activities(self.env._("Approved"))
        head = self.env.user.name
        for ticket in approved:
            ticket._notify_staff_owner(
                self.env._("Approved by %(head)s: %(comment)s", head=head, comment=comment)
                if comment
                else self.env._("Approved by %(head)s.", head=head)
            )
        approved._apply_escalation_rules("approved")
        return True

    def _pass_approval_to_division_head(self, comment):
        self.ensure_one()
        vals = {"approval_step": "division_head"}
        if is_above("division_head", self.escalation_level):
            vals.update(escalation_level="division_head", level_date=fields.Datetime.now())
        self.sudo().write(vals)
        body = self.env._(
            "Approved by %(head)s (work-group head); the division head approves next.",
            head=self.env.user.name,
        )
        if comment:
            body = self.env._("%(body)s Comment: %(comment)s", body=body, comment=comment)
        self.message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            partner_ids=self.approver_id.partner_id.ids,
        )

    def action_return(self):
        return self._open_comment_wizard("return", self.env._("Return to staff"))

    def action_refuse(self):
        return self._open_comment_wizard("refuse", self.env._("Refuse"))

    def _return_to_staff(self, comment):
        """The head sends the complaint back to its staff owner with a comment."""
        comment = self._require_comment(comment)
        self._check_can_approve()
        self._record_approval_decision("return", comment)
        self.sudo().write(
            {
                "approval_state": "returned",
                "approval_step": False,
                "escalation_level": "staff",
                "level_date": fields.Datetime.now(),
            }
        )
        self._update_approval_activities(self.env._("Returned"))
        for ticket in self:
            ticket._notify_staff_owner(
                self.env._(
                    "Returned by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
            )

    def _refuse(self, comment):
        comment = self._require_comment(comment)
        self._check_can_approve()
        self._record_approval_decision("refuse", comment)
        self.sudo().write({"approval_state": "refused", "approval_step": False})
        self._update_approval_activities(self.env._("Refused"))
        for ticket in self:
            ticket._notify_staff_owner(
                self.env._(
                    "Refused by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
            )

    def action_submit_for_approval(self):
        """Staff send a returned complaint to the heads again: a new round."""
        self.check_access("write")
        for ticket in self:
            if ticket.approval_state != "returned":
                raise UserError(
                    self.env._(
                        "Only a complaint returned by a head can be submitted again: "
                        "%(complaint)s.",
                        complaint=ticket.display_name,
                    )
                )
        for ticket in self:
            vals = ticket._get_approval_start_values(ticket._get_returned_round_approval())
            level = "wg_head" if vals.get("approval_step") == "wg_head" else "division_head"
            vals.update(escalation_level=level, level_date=fields.Datetime.now())
            ticket.sudo().write(vals)
        self._update_approval_activities(self.env._("Submitted again"))
        for ticket in self:
            ticket.message_post(
                body=self.env._("Submitted again for approval."),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket.approver_id.partner_id.ids,
            )
        return True

    def _get_returned_round_approval(self):
        """The approval ('wg_head', 'division_head', 'both') of the round a head
        returned, for the next round: it starts again at its first step."""
        self.ensure_one()
        if self.approval_needs_division:
            return "both"
        # One step only: the head who returned it is the one who approves.
        return self._get_last_approval_decision().step or "wg_head"

    def _notify_staff_owner(self, body):
        """Tell the staff member who owns the complaint (chatter, inbox/email)."""
        self.ensure_one()
        self._notify_from_template(
            "library_complaints.mail_template_complaint_approval_result",
            self.user_id.partner_id,
            body,
        )

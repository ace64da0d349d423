from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .library_complaint_escalation import is_above

APPROVAL_STATES = [
    ("to_approve", "To approve"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("refused", "Refused"),
]
# Official working days a head has to approve, return or refuse.
APPROVAL_WORKING_DAYS = 2


class HelpdeskTicket(models.Model):
    """Head approval: the work-group head, then the division head where the rule
    asks, approves, returns or refuses the handling of a complaint.
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
        selection=[("wg_head", "Work-group head"), ("division_head", "Division head")],
        string="Waiting for",
        readonly=True,
        copy=False,
    )
    approval_needs_division = fields.Boolean(
        string="Division head approves too", readonly=True, copy=False
    )
    approver_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_approver_id",
        store=True,
        index=True,
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    approval_comment = fields.Text(
        string="Head's comment", readonly=True, copy=False, tracking=True
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

    @api.model
    def _expand_approval_states(self, states, domain):
        return [key for key, __ in APPROVAL_STATES]

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
            "approval_comment": False,
        }

    def _schedule_approval_activity(self):
        for ticket in self.filtered("approver_id"):
            ticket._schedule_working_day_activity(
                ticket.approver_id,
                self.env.ref("library_complaints.mail_activity_type_complaint_approval"),
                APPROVAL_WORKING_DAYS,
                self.env._("Approve, return or refuse the handling of this complaint."),
            )

    def _close_approval_activity(self, feedback):
        self.sudo().activity_feedback(
            ["library_complaints.mail_activity_type_complaint_approval"], feedback=feedback
        )

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

    def action_approve(self):
        """The head approves; the division head's turn comes next where the rule asks."""
        self._check_can_approve()
        approved = self.browse()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Approved"))
            if ticket.approval_step == "wg_head" and ticket.approval_needs_division:
                ticket._pass_approval_to_division_head()
            else:
                ticket._finish_approval()
                approved |= ticket
        approved._apply_escalation_rules("approved")
        return True

    def _pass_approval_to_division_head(self):
        self.ensure_one()
        wg_head = self.env.user
        vals = {"approval_step": "division_head"}
        if is_above("division_head", self.escalation_level):
            vals.update(escalation_level="division_head", level_date=fields.Datetime.now())
        self.sudo().write(vals)
        self.message_post(
            body=self.env._(
                "Approved by %(head)s (work-group head); the division head approves next.",
                head=wg_head.name,
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=self.approver_id.partner_id.ids,
        )
        self._schedule_approval_activity()

    def _finish_approval(self):
        self.ensure_one()
        head = self.env.user
        self.sudo().write({"approval_state": "approved", "approval_step": False})
        self._notify_staff_owner(
            self.env._("Approved by %(head)s.", head=head.name),
        )

    def action_return(self):
        return self._open_comment_wizard("return", self.env._("Return to staff"))

    def action_refuse(self):
        return self._open_comment_wizard("refuse", self.env._("Refuse"))

    def _return_to_staff(self, comment):
        """The head sends the complaint back to its staff owner with a comment."""
        comment = self._require_comment(comment)
        self._check_can_approve()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Returned"))
            ticket.sudo().write(
                {
                    "approval_state": "returned",
                    "approval_step": False,
                    "approval_comment": comment,
                    "escalation_level": "staff",
                    "level_date": fields.Datetime.now(),
                }
            )
            ticket._notify_staff_owner(
                self.env._(
                    "Returned by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
                activity=True,
            )

    def _refuse(self, comment):
        comment = self._require_comment(comment)
        self._check_can_approve()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Refused"))
            ticket.sudo().write(
                {"approval_state": "refused", "approval_step": False, "approval_comment": comment}
            )
            ticket._notify_staff_owner(
                self.env._(
                    "Refused by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
            )

    def action_submit_for_approval(self):
        """Staff send a returned complaint to the heads again."""
        for ticket in self:
            if ticket.approval_state != "returned":
                raise UserError(
                    self.env._(
                        "Only a complaint returned by a head can be submitted again: "
                        "%(complaint)s.",
                        complaint=ticket.display_name,
                    )
                )
            approval = "both" if ticket.approval_needs_division else "wg_head"
            ticket.sudo().write(ticket._get_approval_start_values(approval))
            level = "wg_head" if ticket.approval_step == "wg_head" else "division_head"
            ticket.sudo().write({"escalation_level": level, "level_date": fields.Datetime.now()})
            ticket._schedule_approval_activity()
            ticket.message_post(
                body=self.env._("Submitted again for approval."),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket.approver_id.partner_id.ids,
            )
        return True

    def _notify_staff_owner(self, body, activity=False):
        """Tell the staff member who owns the complaint (chatter, inbox/email, activity)."""
        self.ensure_one()
        owner = self.user_id
        self._notify_from_template(
            "library_complaints.mail_template_complaint_approval_result", owner.partner_id, body
        )
        if activity and owner:
            self._schedule_working_day_activity(
                owner, self.env.ref("mail.mail_activity_data_todo"), 1, body
            )

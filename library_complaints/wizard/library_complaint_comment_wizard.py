from odoo import fields, models


class LibraryComplaintCommentWizard(models.TransientModel):
    """The comment a head or staff member gives: approve (optional), return,
    refuse, cannot fix (required); a complaint manager's reason to close."""

    _name = "library.complaint.comment.wizard"
    _description = "Complaint Comment"

    ticket_ids = fields.Many2many(comodel_name="helpdesk.ticket", required=True)
    action = fields.Selection(
        selection=[
            ("approve", "Approve"),
            ("return", "Return to staff"),
            ("refuse", "Refuse"),
            ("cannot_fix", "Cannot fix"),
            ("close", "Close with a reason"),
        ],
        required=True,
    )
    comment = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        tickets = self.ticket_ids
        if self.action == "approve":
            tickets._approve(self.comment)
        elif self.action == "return":
            tickets._return_to_staff(self.comment)
        elif self.action == "refuse":
            tickets._refuse(self.comment)
        elif self.action == "close":
            tickets._close_with_reason(self.comment)
        else:
            tickets.check_access("write")
            tickets._mark_cannot_fix(self.comment)
        return {"type": "ir.actions.act_window_close"}

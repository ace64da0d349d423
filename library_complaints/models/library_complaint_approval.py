from odoo import fields, models

APPROVAL_STEPS = [("wg_head", "Work-group head"), ("division_head", "Division head")]
APPROVAL_DECISIONS = [
    ("approve", "Approved"),
    ("return", "Returned"),
    ("refuse", "Refused"),
    ("close", "Ended: complaint closed"),
]


class LibraryComplaintApproval(models.Model):
    """One decision of a head on a complaint: approve, return or refuse, with the
    comment. The history of every round of the head approval; the workflow writes
    it (a log), nobody changes it."""

    _name = "library.complaint.approval"
    _inherit = ["library.complaint.workflow.mixin"]
    _description = "Complaint approval decision"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    _workflow_log = True

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    round_number = fields.Integer(
        string="Round",
        readonly=True,
        help="Which submission to the heads: a returned complaint submitted again "
        "starts the next round.",
    )
    step = fields.Selection(selection=APPROVAL_STEPS, required=True, readonly=True)
    decision = fields.Selection(selection=APPROVAL_DECISIONS, required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Head",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    comment = fields.Text(readonly=True)

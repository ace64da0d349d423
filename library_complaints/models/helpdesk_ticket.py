from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    track_id = fields.Many2one(
        comodel_name="library.complaint.track",
        string="Severity track",
        index=True,
        tracking=True,
        ondelete="restrict",
    )

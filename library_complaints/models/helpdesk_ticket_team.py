from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    """A helpdesk team is a work group of the office, inside a division."""

    _inherit = "helpdesk.ticket.team"

    division_id = fields.Many2one(
        comodel_name="library.complaint.division",
        index=True,
        tracking=True,
    )
    wg_head_id = fields.Many2one(
        comodel_name="res.users",
        string="Work-group head",
        domain=[("share", "=", False)],
        tracking=True,
    )

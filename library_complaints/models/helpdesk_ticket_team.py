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

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:  # the team's stages are its company's
            self.env["helpdesk.ticket.stage"]._clear_first_stage_cache()
        return result

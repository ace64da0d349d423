from odoo import api, models


class HelpdeskTicket(models.Model):
    """The complaint's name in breadcrumbs and pickers."""

    _inherit = "helpdesk.ticket"

    @api.depends("number", "name")
    def _compute_display_name(self):
        """helpdesk_mgmt's "number - title"; a complaint not saved yet has no number
        (helpdesk_mgmt's "/") and maybe no title: its title, else none, and the
        web client says "New" (never "/ - False")."""
        result = super()._compute_display_name()
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.display_name = ticket.name or False
        return result

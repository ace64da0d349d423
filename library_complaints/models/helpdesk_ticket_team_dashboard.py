from odoo import models

# helpdesk_mgmt names its dashboard buttons in Python; Odoo reads those code
# terms from helpdesk_mgmt's own i18n/ only, so they are named here instead.
DASHBOARD_ACTIONS = {
    "helpdesk_mgmt.helpdesk_ticket_action_unassigned": "unassigned",
    "helpdesk_mgmt.helpdesk_ticket_action_opened": "opened",
}


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    def _retrieve_dashboard(self):
        names = {
            "unassigned": self.env._("Open complaints without a work group"),
            "opened": self.env._("Open complaints"),
        }
        sections = super()._retrieve_dashboard()
        for section in sections:
            key = DASHBOARD_ACTIONS.get(section.get("action"))
            if key:
                section["name"] = names[key]
        return sections

from odoo import api, models
from odoo.tools import ormcache

# helpdesk_mgmt's "New": the office's complaints wait in "To Triage" instead.
HELPDESK_NEW_STAGE = "helpdesk_mgmt.helpdesk_ticket_stage_new"
TRIAGE_STAGE = "library_complaints.stage_triage"
# Set once "New" was taken out of the flow: a manager who brings it back keeps it.
NEW_STAGE_RETIRED_PARAM = "library_complaints.helpdesk_new_stage_retired"


class HelpdeskTicketStage(models.Model):
    """A new complaint's first stage, looked up once: stages are configuration."""

    _inherit = "helpdesk.ticket.stage"

    @api.model
    @ormcache("team_id", "self.env.company.id")
    def _get_first_stage_id(self, team_id):
        """The id of a new ticket's first stage in the team (without a team: in the
        current company), as helpdesk_mgmt picks it: ``team._get_applicable_stages()[:1]``.

        Read as the superuser and cached until a stage changes, or a team's company
        (``helpdesk.ticket.team``'s write), so that the value is the same for everyone.
        """
        team = self.env["helpdesk.ticket.team"].sudo().with_context(active_test=True)
        return team.browse(team_id)._get_applicable_stages()[:1].id

    @api.model
    def _retire_helpdesk_new_stage(self):
        """Take helpdesk_mgmt's "New" out of the office's flow, once (install or
        update): a complaint waits in "To Triage" until work starts, so "New" is a
        step no complaint takes. Archived, it leaves the status bar and the kanban;
        complaints found in it (none in the office's flow) move to "To Triage"."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(NEW_STAGE_RETIRED_PARAM):
            return
        new = self.env.ref(HELPDESK_NEW_STAGE, raise_if_not_found=False)
        if new and new.active:
            waiting = self.env["helpdesk.ticket"].sudo().search([("stage_id", "=", new.id)])
            waiting.write({"stage_id": self.env.ref(TRIAGE_STAGE).id})
            new.sudo().action_archive()
        params.set_param(NEW_STAGE_RETIRED_PARAM, "1")

    @api.model
    def _clear_first_stage_cache(self):
        """Forget the cached first stages (every worker does)."""
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self._clear_first_stage_cache()
        return stages

    def write(self, vals):
        result = super().write(vals)
        self._clear_first_stage_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self._clear_first_stage_cache()
        return result

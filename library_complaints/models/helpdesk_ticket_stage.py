from odoo import api, models
from odoo.tools import ormcache


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

from odoo import api, fields, models
from odoo.exceptions import UserError


class LibraryComplaintOutcomeWizard(models.TransientModel):
    """Publish a resolved complaint's outcome on the channels its complainant calls for."""

    _name = "library.complaint.outcome.wizard"
    _description = "Publish a complaint's outcome"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    is_known = fields.Boolean(compute="_compute_is_known")
    outcome_title = fields.Char(string="Public summary", required=True)
    send_direct = fields.Boolean(string="Tell the complainant directly")
    send_website = fields.Boolean(string="Publish on the website")
    send_email = fields.Boolean(string="Email the service's audience")
    send_noticeboard = fields.Boolean(string="Post on the noticeboards")
    audience_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="library_complaint_outcome_wizard_audience_rel",
        string="Email audience",
    )
    noticeboard_location = fields.Char(
        string="Noticeboard", help="Where the printed notice is posted."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(values.get("ticket_id"))
        if ticket:
            channels = ticket._get_default_outcome_channels()
            values.update(
                outcome_title=ticket.outcome_title or ticket.name,
                send_direct="direct" in channels,
                send_website="website" in channels,
                send_email="email" in channels,
                send_noticeboard="noticeboard" in channels,
                audience_ids=[(6, 0, ticket.service_id.outcome_audience_ids.ids)],
            )
        return values

    @api.depends("ticket_id")
    def _compute_is_known(self):
        for wizard in self:
            wizard.is_known = bool(wizard.ticket_id) and wizard.ticket_id._has_known_complainant()

    def _get_channels(self):
        self.ensure_one()
        flags = {
            "direct": self.send_direct,
            "website": self.send_website,
            "email": self.send_email,
            "noticeboard": self.send_noticeboard,
        }
        return [channel for channel, chosen in flags.items() if chosen]

    def action_publish(self):
        self.ensure_one()
        channels = self._get_channels()
        if not channels:
            raise UserError(self.env._("Choose at least one channel."))
        if "noticeboard" in channels and not self.noticeboard_location:
            raise UserError(self.env._("Say on which noticeboard the notice is posted."))
        self.ticket_id.outcome_title = self.outcome_title
        outcome = self.ticket_id.outcome_id
        outcome._publish(channels, audience=self.audience_ids, location=self.noticeboard_location)
        if "noticeboard" in channels:
            action = self.ticket_id.action_print_outcome_notice()
            # The notice downloads and the dialog closes on the published complaint.
            action["close_on_report_download"] = True
            return action
        return {"type": "ir.actions.act_window_close"}

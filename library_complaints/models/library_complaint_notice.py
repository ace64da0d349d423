from odoo import api, fields, models

NOTICE_CHANNELS = [
    ("direct", "Directly to the complainant"),
    ("website", "Website"),
    ("email", "Email broadcast"),
    ("noticeboard", "Noticeboard"),
]


class LibraryComplaintNotice(models.Model):
    """One notice of a complaint's outcome, sent once on one channel to one audience."""

    _name = "library.complaint.notice"
    _inherit = ["library.complaint.workflow.mixin"]
    _workflow_log = True
    _description = "Complaint notice"
    _order = "date desc, id desc"

    outcome_id = fields.Many2one(
        comodel_name="library.complaint.outcome",
        required=True,
        ondelete="cascade",
        index=True,
    )
    # The complaint, for its chatter and the access rules.
    ticket_id = fields.Many2one(
        related="outcome_id.ticket_id", store=True, index=True, string="Complaint"
    )
    channel = fields.Selection(selection=NOTICE_CHANNELS, required=True)
    audience = fields.Char(
        required=True, help="Who was told: the complainant, the addresses, the noticeboard."
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Sent by", default=lambda self: self.env.user
    )

    _once = models.UniqueIndex("(outcome_id, channel, audience)")

    @api.model
    def _is_sent(self, outcome, channel, audience):
        return bool(
            self.search_count(
                [
                    ("outcome_id", "=", outcome.id),
                    ("channel", "=", channel),
                    ("audience", "=", audience),
                ],
                limit=1,
            )
        )

    @api.model
    def _log(self, outcome, channel, audience):
        """Record the notice, unless it was already sent."""
        if self._is_sent(outcome, channel, audience):
            return self.browse()
        return self._record(outcome, channel, audience)

    @api.model
    def _record(self, outcome, channel, audience):
        """Record a notice just sent (the caller checked it was not sent before),
        and note it in the complaint's chatter."""
        notice = self.create({"outcome_id": outcome.id, "channel": channel, "audience": audience})
        labels = dict(self._fields["channel"]._description_selection(self.env))
        outcome.sudo().ticket_id.message_post(
            body=self.env._(
                "Outcome published: %(channel)s (%(audience)s).",
                channel=labels[channel],
                audience=audience,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return notice

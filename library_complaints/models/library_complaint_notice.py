from odoo import api, fields, models

from ..tools.workflow import check_workflow_write

NOTICE_CHANNELS = [
    ("direct", "Directly to the complainant"),
    ("website", "Website"),
    ("email", "Email broadcast"),
    ("noticeboard", "Noticeboard"),
]


class LibraryComplaintNotice(models.Model):
    """One notice about a complaint, sent once on one channel to one audience."""

    _name = "library.complaint.notice"
    _description = "Complaint notice"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        ondelete="cascade",
        index=True,
    )
    kind = fields.Selection(
        selection=[("outcome", "Outcome")],
        required=True,
        default="outcome",
    )
    channel = fields.Selection(selection=NOTICE_CHANNELS, required=True)
    audience = fields.Char(
        required=True, help="Who was told: the complainant, the addresses, the noticeboard."
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Sent by", default=lambda self: self.env.user
    )

    _once = models.UniqueIndex("(ticket_id, kind, channel, audience)")

    # A notice is a log that the workflow writes: no one changes it by hand.
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals, extra=vals)
        return super().create(vals_list)

    def write(self, vals):
        check_workflow_write(self, vals, extra=vals)
        return super().write(vals)

    @api.model
    def _is_sent(self, ticket, kind, channel, audience):
        return bool(
            self.search_count(
                [
                    ("ticket_id", "=", ticket.id),
                    ("kind", "=", kind),
                    ("channel", "=", channel),
                    ("audience", "=", audience),
                ],
                limit=1,
            )
        )

    @api.model
    def _log(self, ticket, kind, channel, audience):
        """Record the notice, unless it was already sent."""
        if self._is_sent(ticket, kind, channel, audience):
            return self.browse()
        return self._record(ticket, kind, channel, audience)

    @api.model
    def _record(self, ticket, kind, channel, audience):
        """Record a notice just sent (the caller checked it was not sent before)."""
        notice = self.create(
            {"ticket_id": ticket.id, "kind": kind, "channel": channel, "audience": audience}
        )
        labels = dict(self._fields["channel"]._description_selection(self.env))
        ticket.message_post(
            body=self.env._(
                "Outcome published: %(channel)s (%(audience)s).",
                channel=labels[channel],
                audience=audience,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return notice

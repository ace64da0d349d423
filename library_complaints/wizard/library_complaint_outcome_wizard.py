from odoo import api, fields, models
from odoo.exceptions import UserError


class LibraryComplaintOutcomeWizard(models.TransientModel):
    """Publish a resolved complaint's outcome, in one dialog: what was found, done
    and will prevent it (written back to the complaint), and the channels its
    complainant calls for, each ticked only when it can be sent."""

    _name = "library.complaint.outcome.wizard"
    _description = "Publish a complaint's outcome"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    is_known = fields.Boolean(compute="_compute_is_known")
    # No field is `required`: the web client would refuse with its own English
    # "Missing required fields"; action_publish names what is missing instead.
    outcome_title = fields.Char(
        string="Public summary",
        compute="_compute_outcome_title",
        store=True,
        readonly=False,
        help="How the complaint is named on public pages and notices: no one's identity.",
    )
    found = fields.Text(
        string="What was found", compute="_compute_found", store=True, readonly=False
    )
    done = fields.Text(
        string="What was done",
        compute="_compute_done",
        store=True,
        readonly=False,
        help="The complaint's “What was done” (as written when it was fixed).",
    )
    prevention = fields.Text(
        string="What will prevent it",
        compute="_compute_prevention",
        store=True,
        readonly=False,
    )
    send_direct = fields.Boolean(
        string="Tell the complainant directly",
        compute="_compute_send_direct",
        store=True,
        readonly=False,
    )
    send_website = fields.Boolean(
        string="Publish on the website", compute="_compute_send_website", store=True, readonly=False
    )
    send_email = fields.Boolean(
        string="Email the service's audience",
        compute="_compute_send_email",
        store=True,
        readonly=False,
    )
    send_noticeboard = fields.Boolean(
        string="Post on the noticeboards",
        compute="_compute_send_noticeboard",
        store=True,
        readonly=False,
    )
    # The service's outcome audience (those with an address): what the picker offers.
    service_audience_ids = fields.Many2many(
        comodel_name="res.partner", compute="_compute_service_audience_ids"
    )
    audience_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="library_complaint_outcome_wizard_audience_rel",
        string="Email recipients",
        compute="_compute_audience_ids",
        store=True,
        readonly=False,
        domain="[('id', 'in', service_audience_ids)]",
    )
    location_ids = fields.Many2many(
        comodel_name="library.complaint.notice.location",
        relation="library_complaint_outcome_wizard_location_rel",
        string="Noticeboards",
        compute="_compute_location_ids",
        store=True,
        readonly=False,
        help="Where the printed notice is posted (the list complaint managers keep).",
    )

    @api.depends("ticket_id")
    def _compute_is_known(self):
        for wizard in self:
            wizard.is_known = bool(wizard.ticket_id) and wizard.ticket_id._has_known_complainant()

    # One compute per field: create() protects every field of a compute method one
    # of whose fields it is given, so a shared method would leave the others empty.
    # What the complaint holds: what staff wrote when they fixed it, or on its form.
    @api.depends("ticket_id")
    def _compute_outcome_title(self):
        for wizard in self:
            wizard.outcome_title = wizard.ticket_id.outcome_title or wizard.ticket_id.name

    @api.depends("ticket_id")
    def _compute_found(self):
        for wizard in self:
            wizard.found = wizard.ticket_id.outcome_found

    @api.depends("ticket_id")
    def _compute_done(self):
        for wizard in self:
            wizard.done = wizard.ticket_id.outcome_done

    @api.depends("ticket_id")
    def _compute_prevention(self):
        for wizard in self:
            wizard.prevention = wizard.ticket_id.outcome_prevention

    @api.depends("ticket_id.service_id")
    def _compute_service_audience_ids(self):
        for wizard in self:
            audience = wizard.ticket_id.service_id.outcome_audience_ids
            wizard.service_audience_ids = audience.filtered("email")

    # The channels the complainant calls for, each ticked only when it can be sent:
    # email when the service has an audience, the noticeboard when the service has
    # its default noticeboard.
    def _get_default_channels(self):
        self.ensure_one()
        return self.ticket_id._get_default_outcome_channels() if self.ticket_id else []

    @api.depends("ticket_id")
    def _compute_send_direct(self):
        for wizard in self:
            wizard.send_direct = "direct" in wizard._get_default_channels()

    @api.depends("ticket_id")
    def _compute_send_website(self):
        for wizard in self:
            wizard.send_website = "website" in wizard._get_default_channels()

    @api.depends("ticket_id")
    def _compute_send_email(self):
        for wizard in self:
            wizard.send_email = "email" in wizard._get_default_channels() and bool(
                wizard.service_audience_ids
            )

    @api.depends("ticket_id")
    def _compute_send_noticeboard(self):
        for wizard in self:
            wizard.send_noticeboard = "noticeboard" in wizard._get_default_channels() and bool(
                wizard.ticket_id.service_id.notice_location_id
            )

    @api.depends("ticket_id")
    def _compute_audience_ids(self):
        for wizard in self:
            wizard.audience_ids = wizard.service_audience_ids

    @api.depends("ticket_id")
    def _compute_location_ids(self):
        for wizard in self:
            wizard.location_ids = wizard.ticket_id.service_id.notice_location_id

    def _get_channels(self):
        self.ensure_one()
        flags = {
            "direct": self.send_direct,
            "website": self.send_website,
            "email": self.send_email,
            "noticeboard": self.send_noticeboard,
        }
        return [channel for channel, chosen in flags.items() if chosen]

    def _label(self, fname):
        return f"“{self._fields[fname]._description_string(self.env)}”"

    def _get_missing(self):
        """What the dialog lacks to publish, each named as the dialog shows it."""
        self.ensure_one()
        missing = [
            self._label(fname)
            for fname in ("outcome_title", "found", "done")
            if not (self[fname] or "").strip()
        ]
        if not self._get_channels():
            missing.append(self.env._("a channel (tick at least one)"))
        if self.send_email and not self.audience_ids.filtered("email"):
            missing.append(self._label("audience_ids"))
        if self.send_noticeboard and not self.location_ids:
            missing.append(self._label("location_ids"))
        return missing

    def _check_publishable(self):
        """Refuse, naming each missing piece at once, before anything is written."""
        self.ensure_one()
        if not self.ticket_id.stage_id.closed:
            raise UserError(self.env._("Close the complaint before publishing its outcome."))
        if self.send_direct and not self.is_known:
            raise UserError(
                self.env._(
                    "The complainant is not known: untick %(channel)s and publish on the "
                    "website, by email or on the noticeboards.",
                    channel=self._label("send_direct"),
                )
            )
        missing = self._get_missing()
        if missing:
            raise UserError(
                self.env._(
                    "The outcome cannot be published yet. Missing: %(missing)s.",
                    missing=", ".join(missing),
                )
            )

    def _write_back(self):
        """What the dialog shows is the complaint's outcome: written back to it."""
        ticket = self.ticket_id
        vals = {
            fname: value
            for fname, value in (
                ("outcome_title", self.outcome_title),
                ("outcome_found", self.found),
                ("outcome_prevention", self.prevention),
            )
            if (ticket[fname] or False) != (value or False)
        }
        if (self.done or "").strip() != ticket._get_resolution_text().strip():
            vals["outcome_done"] = self.done
        if vals:
            ticket.write(vals)
        return ticket.outcome_id

    def action_publish(self):
        self.ensure_one()
        self.ticket_id.check_access("write")
        self._check_publishable()
        outcome = self._write_back()
        channels = self._get_channels()
        outcome._publish(channels, audience=self.audience_ids, locations=self.location_ids)
        if "noticeboard" in channels:
            action = self.ticket_id.action_print_outcome_notice()
            # The notice downloads and the dialog closes on the published complaint.
            action["close_on_report_download"] = True
            return action
        return {"type": "ir.actions.act_window_close"}

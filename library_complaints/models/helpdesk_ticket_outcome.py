import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class HelpdeskTicket(models.Model):
    """Outcome and notices: what was found and done, told to the complainant or
    published.
    """

    _inherit = "helpdesk.ticket"

    outcome_title = fields.Char(
        string="Public summary",
        copy=False,
        help="How the complaint is named on public pages and notices: no one's identity.",
    )
    outcome_found = fields.Text(string="What was found", copy=False)
    outcome_done = fields.Text(string="What was done about it", copy=False)
    outcome_prevention = fields.Text(string="What will prevent it", copy=False)
    outcome_state = fields.Selection(
        selection=[("draft", "Not published"), ("published", "Published")],
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    outcome_published_date = fields.Datetime(readonly=True, copy=False)
    outcome_on_website = fields.Boolean(
        string="On the website",
        readonly=True,
        copy=False,
        help="Listed on the public page of complaint outcomes.",
    )
    notice_ids = fields.One2many(
        comodel_name="library.complaint.notice",
        inverse_name="ticket_id",
        string="Notices sent",
        readonly=True,
    )

    def _get_default_outcome_channels(self):
        """Direct for a known complainant; website, email and noticeboard otherwise."""
        self.ensure_one()
        if self._has_known_complainant():
            return ["direct"]
        return ["website", "email", "noticeboard"]

    def action_publish_outcome(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Publish the outcome"),
            "res_model": "library.complaint.outcome.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _check_outcome_publishable(self):
        for ticket in self:
            if not ticket.stage_id.closed:
                raise UserError(self.env._("Close the complaint before publishing its outcome."))
            if not (ticket.outcome_found and ticket.outcome_done):
                raise UserError(
                    self.env._("Write what was found and what was done before publishing.")
                )

    def _publish_outcome(self, channels, audience=None, location=None):
        """Publish the outcome on `channels` (direct, website, email, noticeboard);
        each channel's notice is sent once and logged."""
        self.ensure_one()
        self._check_outcome_publishable()
        vals = {"outcome_state": "published", "outcome_title": self.outcome_title or self.name}
        if not self.outcome_published_date:
            vals["outcome_published_date"] = fields.Datetime.now()
        if "website" in channels:
            vals["outcome_on_website"] = True
        self.sudo().write(vals)
        Notice = self.env["library.complaint.notice"].sudo()
        if "direct" in channels:
            self._send_outcome_direct(Notice)
        if "website" in channels:
            Notice._log(self, "outcome", "website", self.env._("Public outcome page"))
        if "email" in channels:
            self._send_outcome_broadcast(Notice, audience)
        if "noticeboard" in channels and location:
            Notice._log(self, "outcome", "noticeboard", location)

    def _send_outcome_direct(self, Notice):
        if not self._has_known_complainant():
            raise UserError(
                self.env._("The complainant is not known: publish on the website instead.")
            )
        if self.is_confidential:
            self._send_outcome_to_confidential_complainant(Notice)
            return
        if Notice._is_sent(self, "outcome", "direct", self.partner_id.display_name):
            return
        self.message_post_with_source(
            "library_complaints.mail_template_outcome_direct",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.partner_id.ids,
        )
        Notice._record(self, "outcome", "direct", self.partner_id.display_name)

    def _send_outcome_to_confidential_complainant(self, Notice):
        """The outcome mailed privately; the notice names no one."""
        audience = self.env.ref("library_complaints.partner_confidential_complainant").name
        if Notice._is_sent(self, "outcome", "direct", audience):
            return
        self._mail_confidential_complainant(
            self.env.ref("library_complaints.mail_template_outcome_direct")
        )
        Notice._record(self, "outcome", "direct", audience)

    def _send_outcome_broadcast(self, Notice, audience):
        audience = (audience or self.service_id.outcome_audience_ids).filtered("email")
        if not audience:
            raise UserError(
                self.env._("Choose who receives the outcome by email (the service's audience).")
            )
        label = ", ".join(audience.mapped("email"))
        if Notice._is_sent(self, "outcome", "email", label):
            return
        template = self.env.ref("library_complaints.mail_template_outcome_broadcast")
        template.sudo().send_mail(self.id, email_values={"recipient_ids": [(6, 0, audience.ids)]})
        Notice._record(self, "outcome", "email", label)

    def _get_public_outcome(self):
        """The published outcome as public pages show it: no one's identity."""
        self.ensure_one()
        if self.outcome_state != "published":
            return None
        return {
            "title": self.outcome_title or self.number,
            "number": self.number,
            "service": self.service_id.name,
            "track": self.track_id.name,
            "received_date": self.received_date,
            "published_date": self.outcome_published_date,
            "found": self.outcome_found,
            "done": self.outcome_done,
            "prevention": self.outcome_prevention,
            "survey_url": self._get_public_survey_url() if self.is_anonymous else False,
        }

    @api.model
    def _get_published_outcomes_domain(self, service_id=None):
        domain = Domain("outcome_state", "=", "published") & Domain("outcome_on_website", "=", True)
        if service_id:
            domain &= Domain("service_id", "=", service_id)
        return domain

    def _get_public_outcome_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/complaints/outcomes/{self.id}"

    def _get_qr_code_data_uri(self, value):
        """A QR code of `value` as a data URI, for printed notices."""
        png = self.env["ir.actions.report"].barcode("QR", value, width=240, height=240)
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _format_date_th(self, value):
        """A date or datetime as the office writes it (15 มกราคม 2569)."""
        return (self.company_id or self.env.company)._format_long_date(value)

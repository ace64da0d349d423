from odoo import api, fields, models
from odoo.exceptions import UserError

STAFF = "library_complaints.group_complaint_staff"


class LibraryComplaintOutcome(models.Model):
    """The outcome of a complaint: what was found, done and will prevent it, told
    to the complainant or announced (website, email, noticeboards).

    What the public may read of it carries no one's identity: the public pages
    read the outcome alone, never the complaint.
    """

    _name = "library.complaint.outcome"
    _inherit = ["mail.thread", "website.published.mixin", "library.complaint.workflow.mixin"]
    _description = "Complaint outcome"
    _order = "published_date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        groups=STAFF,
    )
    name = fields.Char(
        string="Public summary",
        tracking=True,
        help="How the complaint is named on public pages and notices: no one's identity.",
    )
    found = fields.Text(string="What was found")
    # One "What was done" in the product: the complaint's (helpdesk.ticket.resolution,
    # written by "Fixed on the spot", the complaint's form and the publication
    # dialog); the outcome keeps its text for the public pages, which never read the
    # complaint.
    done = fields.Text(
        string="What was done",
        compute="_compute_done",
        store=True,
        help="The complaint's “What was done”, as the public pages show it.",
    )
    prevention = fields.Text(string="What will prevent it")
    state = fields.Selection(
        selection=[("draft", "Not published"), ("published", "Published")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    published_date = fields.Datetime(string="Announced on", readonly=True)
    # Published on the website: only the publication writes it (see _publish).
    is_published = fields.Boolean(readonly=True, tracking=True)
    website_published = fields.Boolean(readonly=True)
    notice_ids = fields.One2many(
        comodel_name="library.complaint.notice",
        inverse_name="outcome_id",
        string="Notices sent",
        readonly=True,
        groups=STAFF,
    )
    # What the public page shows of the complaint, kept on the outcome.
    number = fields.Char(related="ticket_id.number", store=True, string="Complaint number")
    service_id = fields.Many2one(related="ticket_id.service_id", store=True, index=True)
    track_id = fields.Many2one(related="ticket_id.track_id", store=True)
    received_date = fields.Datetime(related="ticket_id.received_date", store=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    survey_url = fields.Char(
        string="Public survey link",
        compute="_compute_survey_url",
        compute_sudo=True,
        help="The satisfaction survey's public link of an anonymous complaint.",
    )

    _one_per_complaint = models.UniqueIndex(
        "(ticket_id)", "A complaint has one outcome: edit it rather than add another."
    )

    @api.depends("name", "number")
    def _compute_display_name(self):
        for outcome in self:
            outcome.display_name = outcome.name or outcome.number or ""

    @api.depends_context("lang")
    def _compute_website_url(self):
        for outcome in self:
            outcome.website_url = f"/complaints/outcomes/{outcome.id}" if outcome.id else "#"

    @api.depends("ticket_id.resolution")
    def _compute_done(self):
        for outcome in self:
            outcome.done = outcome.ticket_id._get_resolution_text() or False

    @api.depends("ticket_id.is_anonymous", "ticket_id.survey_deadline")
    def _compute_survey_url(self):
        for outcome in self:
            outcome.survey_url = outcome.ticket_id._get_public_survey_url()

    def _check_publishable(self):
        for outcome in self:
            if not outcome.ticket_id.stage_id.closed:
                raise UserError(self.env._("Close the complaint before publishing its outcome."))
            missing = [fname for fname in ("found", "done") if not (outcome[fname] or "").strip()]
            if missing:
                raise UserError(
                    self.env._(
                        "The outcome cannot be published yet: write %(fields)s.",
                        fields=self._get_field_labels(missing),
                    )
                )

    def _get_field_labels(self, fnames):
        """“Label”, “Label” of the fields, in the user's language."""
        return ", ".join(f"“{self._fields[f]._description_string(self.env)}”" for f in fnames)

    def _publish(self, channels, audience=None, locations=None):
        """Publish the outcome on `channels` (direct, website, email, noticeboard);
        each channel's notice is sent once and logged."""
        self.ensure_one()
        self._check_publishable()
        vals = {"state": "published", "name": self.name or self.ticket_id.name}
        if not self.published_date:
            vals["published_date"] = fields.Datetime.now()
        if "website" in channels:
            vals["is_published"] = True
        self.sudo().write(vals)
        Notice = self.env["library.complaint.notice"].sudo()
        if "direct" in channels:
            self._send_direct(Notice)
        if "website" in channels:
            Notice._log(self, "website", self.env._("Public outcome page"))
        if "email" in channels:
            self._send_broadcast(Notice, audience)
        if "noticeboard" in channels:
            for location in locations or ():
                Notice._log(self, "noticeboard", location.name)

    def _send_direct(self, Notice):
        ticket = self.ticket_id
        if not ticket._has_known_complainant():
            raise UserError(
                self.env._("The complainant is not known: publish on the website instead.")
            )
        if ticket._get_line_recipient():
            # made on LINE: the outcome is pushed to the LINE user (helpdesk_ticket_line.py)
            ticket._send_outcome_on_line(self, Notice)
            return
        if ticket.is_confidential:
            self._send_to_confidential_complainant(Notice)
            return
        if Notice._is_sent(self, "direct", ticket.partner_id.display_name):
            return
        ticket.message_post_with_source(
            "library_complaints.mail_template_outcome_direct",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=ticket.partner_id.ids,
        )
        Notice._record(self, "direct", ticket.partner_id.display_name)

    def _send_to_confidential_complainant(self, Notice):
        """The outcome mailed privately; the notice names no one."""
        audience = self.env.ref("library_complaints.partner_confidential_complainant").name
        if Notice._is_sent(self, "direct", audience):
            return
        self.ticket_id._mail_confidential_complainant(
            self.env.ref("library_complaints.mail_template_outcome_direct")
        )
        Notice._record(self, "direct", audience)

    def _send_broadcast(self, Notice, audience):
        audience = (audience or self.service_id.outcome_audience_ids).filtered("email")
        if not audience:
            raise UserError(
                self.env._(
                    "Nobody to email the outcome to: choose the recipients (the "
                    "service's outcome audience, set on the service by a complaint manager)."
                )
            )
        label = ", ".join(audience.mapped("email"))
        if Notice._is_sent(self, "email", label):
            return
        template = self.env.ref("library_complaints.mail_template_outcome_broadcast")
        template.sudo().send_mail(
            self.ticket_id.id, email_values={"recipient_ids": [(6, 0, audience.ids)]}
        )
        Notice._record(self, "email", label)

    def _get_public_values(self):
        """The outcome as public pages show it: no one's identity."""
        self.ensure_one()
        return {
            "title": self.name or self.number,
            "number": self.number,
            "service": self.service_id.name,
            "track": self.track_id.name,
            "received_date": self.received_date,
            "published_date": self.published_date,
            "found": self.found,
            "done": self.done,
            "prevention": self.prevention,
            "survey_url": self.survey_url,
            "url": self.website_url if self.is_published else False,
        }

    def _get_public_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}{self.website_url}"

    @api.model
    def _get_public_list_url(self):
        return f"{self.get_base_url()}/complaints/outcomes"

from odoo import api, fields, models
from odoo.tools import html2plaintext, is_html_empty, plaintext2html

# The outcome's fields the complaint's form edits: complaint field -> outcome field.
# "What was done" is the complaint's own (resolution): the outcome's follows it.
OUTCOME_FIELDS = {
    "outcome_title": "name",
    "outcome_found": "found",
    "outcome_prevention": "prevention",
}


class HelpdeskTicket(models.Model):
    """The complaint's side of its outcome (library.complaint.outcome): the form
    edits the outcome through the fields below, created on the first write."""

    _inherit = "helpdesk.ticket"

    outcome_ids = fields.One2many(
        comodel_name="library.complaint.outcome",
        inverse_name="ticket_id",
        string="Outcome records",
        readonly=True,
        groups="library_complaints.group_complaint_staff",
    )
    outcome_id = fields.Many2one(
        comodel_name="library.complaint.outcome",
        compute="_compute_outcome_id",
        compute_sudo=True,
        groups="library_complaints.group_complaint_staff",
    )
    outcome_title = fields.Char(
        string="Public summary",
        compute="_compute_outcome_fields",
        inverse="_inverse_outcome_title",
        compute_sudo=True,
        help="How the complaint is named on public pages and notices: no one's identity.",
    )
    outcome_found = fields.Text(
        string="What was found",
        compute="_compute_outcome_fields",
        inverse="_inverse_outcome_found",
        compute_sudo=True,
    )
    # The text of "What was done" (resolution), for the mails and the external API;
    # the forms show resolution itself.
    outcome_done = fields.Text(
        string="What was done (text)",
        compute="_compute_outcome_done",
        inverse="_inverse_outcome_done",
    )
    outcome_prevention = fields.Text(
        string="What will prevent it",
        compute="_compute_outcome_fields",
        inverse="_inverse_outcome_prevention",
        compute_sudo=True,
    )
    outcome_state = fields.Selection(
        selection=[("draft", "Not published"), ("published", "Published")],
        compute="_compute_outcome_fields",
        compute_sudo=True,
    )
    outcome_published_date = fields.Datetime(
        string="Announced on", compute="_compute_outcome_fields", compute_sudo=True
    )
    outcome_on_website = fields.Boolean(
        string="On the website",
        compute="_compute_outcome_fields",
        compute_sudo=True,
        help="Listed on the public page of complaint outcomes.",
    )
    notice_ids = fields.One2many(
        comodel_name="library.complaint.notice",
        inverse_name="ticket_id",
        string="Notices sent",
        readonly=True,
    )

    @api.depends("outcome_ids")
    def _compute_outcome_id(self):
        for ticket in self:
            ticket.outcome_id = ticket._origin.outcome_ids[:1]

    # On outcome_ids (its inverse is stored), not outcome_id: a change of an
    # outcome finds its complaint.
    @api.depends(
        "outcome_ids.name",
        "outcome_ids.found",
        "outcome_ids.prevention",
        "outcome_ids.state",
        "outcome_ids.published_date",
        "outcome_ids.is_published",
    )
    def _compute_outcome_fields(self):
        for ticket in self:
            outcome = ticket.outcome_id
            for fname, outcome_fname in OUTCOME_FIELDS.items():
                ticket[fname] = outcome[outcome_fname]
            ticket.outcome_state = outcome.state or "draft"
            ticket.outcome_published_date = outcome.published_date
            ticket.outcome_on_website = outcome.is_published

    # One inverse per field: a write protects the fields computed with the one it
    # writes, so their values are not at hand in the inverse.
    def _inverse_outcome_title(self):
        self._write_outcome("outcome_title")

    def _inverse_outcome_found(self):
        self._write_outcome("outcome_found")

    @api.depends("resolution")
    def _compute_outcome_done(self):
        for ticket in self:
            ticket.outcome_done = ticket._get_resolution_text() or False

    def _inverse_outcome_done(self):
        for ticket in self:
            if (ticket.outcome_done or "") != ticket._get_resolution_text():
                text = (ticket.outcome_done or "").strip()
                ticket.resolution = plaintext2html(text) if text else False

    def _get_resolution_text(self):
        """What was done, as text ("" when nothing was written)."""
        self.ensure_one()
        return "" if is_html_empty(self.resolution) else html2plaintext(self.resolution)

    def _inverse_outcome_prevention(self):
        self._write_outcome("outcome_prevention")

    def _write_outcome(self, fname):
        """Write `fname` on the outcomes, creating those missing in one batch. The
        caller could write the complaints: that is the check (the outcome's access
        follows the complaint's)."""
        outcome_fname = OUTCOME_FIELDS[fname]
        new_outcomes = []
        for ticket in self:
            value = ticket[fname] or False
            outcome = ticket.sudo().outcome_id
            if outcome:
                if outcome[outcome_fname] != value:
                    outcome[outcome_fname] = value
            elif value:
                new_outcomes.append({"ticket_id": ticket.id, outcome_fname: value})
        if new_outcomes:
            self.env["library.complaint.outcome"].sudo().with_context(
                mail_create_nolog=True
            ).create(new_outcomes)

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

    def action_print_outcome_notice(self):
        """The noticeboard notice of the published outcome (a PDF)."""
        self.ensure_one()
        # data={}, not None: the external API cannot answer None
        return self.env.ref("library_complaints.action_report_outcome_notice").report_action(
            self.outcome_id, data={}
        )

    def _get_public_outcome(self):
        """The published outcome as public pages show it (no one's identity), or None."""
        self.ensure_one()
        if self.outcome_state != "published":
            return None
        return self.sudo().outcome_id._get_public_values()

import secrets

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

# Tracking codes: no 0/O, 1/I/L, so that a code read over the phone is not misheard.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_CODE_LENGTH = 10
# What identifies the complainant; hidden on confidential complaints, never
# stored on anonymous ones.
IDENTITY_FIELDS = ("partner_id", "commercial_partner_id", "partner_name", "partner_email")


def new_tracking_code():
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}"


class HelpdeskTicket(models.Model):
    """A helpdesk ticket is a complaint of the office."""

    _inherit = "helpdesk.ticket"

    track_id = fields.Many2one(
        comodel_name="library.complaint.track",
        string="Severity track",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    service_id = fields.Many2one(
        comodel_name="library.complaint.service",
        string="Service",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    division_id = fields.Many2one(
        comodel_name="library.complaint.division",
        string="Division",
        compute="_compute_division_id",
        store=True,
        index=True,
        readonly=False,
    )
    is_anonymous = fields.Boolean(
        string="Anonymous",
        readonly=True,
        help="Submitted anonymously: the complaint stores no identity of its submitter.",
    )
    is_confidential = fields.Boolean(
        string="Confidential submitter",
        help="The submitter asked that only complaint managers see who they are.",
    )
    tracking_code = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: new_tracking_code(),
        help="Lets the submitter follow the complaint without signing in.",
    )
    affected_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="helpdesk_ticket_affected_partner_rel",
        string="Affected users",
        help="Service users affected by the complaint; they are surveyed after handling.",
    )
    date_observed = fields.Datetime(
        string="Observed on", help="When the complainant observed the problem."
    )
    location = fields.Char(string="Location in the library")
    received_date = fields.Datetime(
        string="Received on",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        help="Received date plus the track's target, in official working days.",
    )
    resolution = fields.Html(string="What was done", sanitize_style=True, tracking=True, copy=False)
    can_close_on_spot = fields.Boolean(related="track_id.can_close_on_spot")
    is_triaged = fields.Boolean(compute="_compute_is_triaged", store=True)

    _tracking_code_unique = models.UniqueIndex("(tracking_code)")

    @api.depends("service_id.division_id", "team_id.division_id")
    def _compute_division_id(self):
        for ticket in self:
            ticket.division_id = (
                ticket.service_id.division_id or ticket.team_id.division_id or ticket.division_id
            )

    @api.depends("track_id", "service_id")
    def _compute_is_triaged(self):
        for ticket in self:
            ticket.is_triaged = bool(ticket.track_id and ticket.service_id)

    @api.depends("track_id.target_working_days", "received_date", "company_id")
    def _compute_date_deadline(self):
        for ticket in self:
            calendar = ticket._get_working_calendar()
            if not (ticket.track_id and ticket.received_date and calendar):
                ticket.date_deadline = False
                continue
            ticket.date_deadline = calendar.plan_days(
                ticket.track_id.target_working_days + 1,
                ticket.received_date,
                compute_leaves=True,
            )

    def _get_working_calendar(self):
        self.ensure_one()
        return (self.company_id or self.env.company).resource_calendar_id

    # ------------------------------------------------------------------
    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_anonymous"):
                self._strip_identity(vals)
        private = [v for v in vals_list if v.get("is_anonymous") or v.get("is_confidential")]
        public = [v for v in vals_list if v not in private]
        tickets = super().create(public) if public else self.browse()
        if private:
            # Created by the system: no creator, author or follower names the submitter.
            system = self.with_user(SUPERUSER_ID).with_context(mail_create_nosubscribe=True)
            tickets |= super(HelpdeskTicket, system).create(private).with_env(self.env)
        tickets._send_acknowledgement()
        return tickets

    @api.model
    def _strip_identity(self, vals):
        for fname in IDENTITY_FIELDS:
            vals.pop(fname, None)
        vals["is_confidential"] = False

    def write(self, vals):
        if vals.get("is_anonymous") is False or (
            "is_anonymous" in vals and not self.env.su and vals["is_anonymous"]
        ):
            raise UserError(self.env._("Whether a complaint is anonymous cannot be changed."))
        if any(fname in vals and vals[fname] for fname in IDENTITY_FIELDS) and any(
            self.mapped("is_anonymous")
        ):
            raise UserError(self.env._("An anonymous complaint stores no identity."))
        return super().write(vals)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self.env.su or self.env.user.has_group("library_complaints.group_complaint_manager"):
            return result
        hidden = {ticket.id for ticket in self.sudo() if ticket.is_confidential and ticket.exists()}
        for values in result:
            if values.get("id") in hidden:
                for fname in IDENTITY_FIELDS:
                    if fname in values:
                        values[fname] = False
        return result

    # ------------------------------------------------------------------
    # Acknowledgement

    def _send_acknowledgement(self):
        """Mail each known complainant at once that the complaint was received."""
        template = self.env.ref(
            "library_complaints.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        known = self.filtered(lambda t: not t.is_anonymous and t.partner_id.email)
        if template and known:
            for ticket in known:
                template.sudo().send_mail(
                    ticket.id, email_layout_xmlid="mail.mail_notification_light"
                )

    def _get_expected_working_days(self):
        """Working days the office gives itself for this complaint (for notices)."""
        self.ensure_one()
        return self.track_id.target_working_days or 0

    # ------------------------------------------------------------------
    # Actions

    def action_triage(self):
        """Staff put the complaint on a track and a service; work starts."""
        in_progress = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        for ticket in self:
            if not ticket.is_triaged:
                raise UserError(
                    self.env._(
                        "Set the severity track and the service of %(complaint)s "
                        "before starting work on it.",
                        complaint=ticket.display_name,
                    )
                )
        self.write({"stage_id": in_progress.id})

    def action_fix_on_the_spot(self):
        """Open the dialog that records what was done and closes the complaint."""
        self.ensure_one()
        if not self.can_close_on_spot:
            raise UserError(
                self.env._(
                    "Only a complaint on a track that staff may close on the spot "
                    "(track 1) can be fixed on the spot."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Fixed on the spot"),
            "res_model": "library.complaint.fix.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _close_fixed_on_the_spot(self, resolution):
        self.ensure_one()
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.write({"resolution": resolution, "stage_id": done.id})
        self.message_post(
            body=self.env._("Fixed on the spot: %(what)s", what=resolution),
            subtype_xmlid="mail.mt_note",
        )

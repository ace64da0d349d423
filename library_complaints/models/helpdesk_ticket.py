import os
import re
import secrets
from datetime import datetime, time
from itertools import groupby

import pytz

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

# Tracking codes: no 0/O, 1/I/L, so that a code read over the phone is not misheard.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_CODE_LENGTH = 10
# What identifies the complainant; hidden on confidential complaints, never
# stored on anonymous ones.
IDENTITY_FIELDS = ("partner_id", "commercial_partner_id", "partner_name", "partner_email")
TRACKING_CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")
# What the public complaint form accepts.
FORM_MAX_TITLE = 200
FORM_MAX_DESCRIPTION = 5000
FORM_MAX_LOCATION = 200
MEGABYTE = 1024 * 1024
FORM_MAX_FILES = 5
FORM_MAX_FILE_SIZE = 5 * MEGABYTE
FORM_MAX_TOTAL_SIZE = 10 * MEGABYTE
# Extension -> the types its content may sniff as.
FORM_FILE_TYPES = {
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "pdf": ("application/pdf",),
    "txt": ("text/plain",),
}


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
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    division_id = fields.Many2one(
        comodel_name="library.complaint.division",
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
            vals["tracking_code"] = vals.get("tracking_code") or new_tracking_code()
            if vals.get("is_anonymous"):
                self._strip_identity(vals)
        # Anonymous and confidential complaints are created by the system, so that
        # no creator, author or follower names the submitter; order is kept.
        system = self.with_user(SUPERUSER_ID).with_context(mail_create_nosubscribe=True)
        tickets = self.browse()
        # itertools.groupby on purpose: consecutive chunks keep vals_list's order
        for private, chunk in groupby(vals_list, key=self._is_private_submission):  # pylint: disable=bad-builtin-groupby
            if private:
                tickets |= super(HelpdeskTicket, system).create(list(chunk)).with_env(self.env)
            else:
                tickets |= super().create(list(chunk))
        tickets._send_acknowledgement()
        return tickets

    @api.model
    def _is_private_submission(self, vals):
        return bool(vals.get("is_anonymous") or vals.get("is_confidential"))

    @api.model
    def _strip_identity(self, vals):
        for fname in IDENTITY_FIELDS:
            vals.pop(fname, None)
        vals["is_confidential"] = False

    def write(self, vals):
        if "is_anonymous" in vals and any(
            ticket.is_anonymous != bool(vals["is_anonymous"]) for ticket in self
        ):
            raise UserError(self.env._("Whether a complaint is anonymous cannot be changed."))
        if any(vals.get(fname) for fname in IDENTITY_FIELDS) and any(self.mapped("is_anonymous")):
            raise UserError(self.env._("An anonymous complaint stores no identity."))
        return super().write(vals)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self.env.su or self.env.user.has_group("library_complaints.group_complaint_manager"):
            return result
        hidden = set(self.sudo().filtered("is_confidential").ids)
        for values in result:
            if values.get("id") in hidden:
                for fname in IDENTITY_FIELDS:
                    if fname in values:
                        values[fname] = False
        return result

    # ------------------------------------------------------------------
    # Anonymous complaints from the public form (/complaint)

    @api.model
    def _prepare_anonymous_complaint_values(self, post, files):
        """Check what the public form sent, the way the office accepts it.

        :param dict post: the form's text fields
        :param list files: the attached files, as ``(file name, content)``
        :return: the complaint's values and its attachments' values
        :raise ValidationError: listing every problem, one per line
        """
        ticket_vals, errors = self._check_form_fields(post)
        attachment_vals, file_errors = self._check_form_files(files)
        errors += file_errors
        if errors:
            raise ValidationError("\n".join(errors))
        return ticket_vals, attachment_vals

    @api.model
    def _create_anonymous_complaint(self, ticket_vals, attachment_vals):
        """Store one anonymous complaint and its files, as the system."""
        ticket = self.sudo().create(dict(ticket_vals, is_anonymous=True))
        self.env["ir.attachment"].with_user(SUPERUSER_ID).create(
            [dict(vals, res_model=self._name, res_id=ticket.id) for vals in attachment_vals]
        )
        return ticket

    @api.model
    def _check_form_fields(self, post):
        def one_line(value):
            return " ".join(str(value or "").split())

        name = one_line(post.get("name"))
        description = str(post.get("description") or "").strip()
        location = one_line(post.get("location"))
        service = self._get_form_service(post.get("service_id"))
        date_observed, date_error = self._parse_form_date(post.get("date_observed"))
        errors = [
            self._check_form_text(name, self.env._("Title"), FORM_MAX_TITLE),
            self._check_form_text(description, self.env._("Description"), FORM_MAX_DESCRIPTION),
            None if service else self.env._("Choose the service your complaint is about."),
            self._check_form_text(
                location, self.env._("Location"), FORM_MAX_LOCATION, required=False
            ),
            date_error,
        ]
        team = service.team_id or self.env.ref("library_complaints.team_library_service_desk")
        vals = {
            "name": name,
            "description": plaintext2html(description),
            "service_id": service.id,
            "team_id": team.id,
            "location": location or False,
            "date_observed": date_observed,
            "channel_id": self.env.ref("library_complaints.channel_web_form").id,
        }
        return vals, [error for error in errors if error]

    @api.model
    def _check_form_text(self, value, label, max_length, required=True):
        if required and not value:
            return self.env._("%(field)s is required.", field=label)
        if len(value) > max_length:
            return self.env._(
                "%(field)s must be at most %(max)s characters long.",
                field=label,
                max=max_length,
            )
        return None

    @api.model
    def _get_form_service(self, service_id):
        services = self.env["library.complaint.service"].sudo()
        try:
            service_id = int(service_id or 0)
        except (TypeError, ValueError):
            return services
        return services.search([("id", "=", service_id)], limit=1) if service_id else services

    @api.model
    def _parse_form_date(self, value):
        """The observation date, at local midnight in UTC; or an error message."""
        if not value:
            return False, None
        tz = pytz.timezone(self.env.company.sudo().resource_calendar_id.tz or "UTC")
        try:
            day = fields.Date.to_date(str(value).strip())
        except ValueError:
            day = None
        if not day or day.year < 1900:
            return False, self.env._("The date observed is not a valid date.")
        if day > datetime.now(tz).date():
            return False, self.env._("The date observed cannot be in the future.")
        midnight = tz.localize(datetime.combine(day, time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None), None

    @api.model
    def _check_form_files(self, files):
        """Attachments' values for the accepted files, and the refusals."""
        if len(files) > FORM_MAX_FILES:
            return [], [self.env._("Attach at most %(count)s files.", count=FORM_MAX_FILES)]
        attachment_vals, errors = [], []
        for filename, content in files:
            name = os.path.basename(str(filename).replace("\\", "/"))[:255]
            error = self._check_form_file(name, content)
            if error:
                errors.append(error)
            else:
                attachment_vals.append({"name": name, "raw": content})
        if sum(len(content) for __, content in files) > FORM_MAX_TOTAL_SIZE:
            errors.append(
                self.env._(
                    "The attached files may be at most %(size)s MB together.",
                    size=FORM_MAX_TOTAL_SIZE // MEGABYTE,
                )
            )
        return attachment_vals, errors

    @api.model
    def _check_form_file(self, name, content):
        """Why this file cannot be attached, or None: type by name AND by content."""
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        if extension not in FORM_FILE_TYPES:
            return self.env._(
                "%(file)s: only images (PNG, JPEG, GIF, WebP), PDF and plain text "
                "files can be attached.",
                file=name,
            )
        if not content:
            return self.env._("%(file)s is empty.", file=name)
        if len(content) > FORM_MAX_FILE_SIZE:
            return self.env._(
                "%(file)s is larger than %(size)s MB.",
                file=name,
                size=FORM_MAX_FILE_SIZE // MEGABYTE,
            )
        if guess_mimetype(content, default="") not in FORM_FILE_TYPES[extension]:
            return self.env._("%(file)s: its content is not what its name says.", file=name)
        return None

    @api.model
    def _normalize_tracking_code(self, code):
        """The tracking code as stored; ValidationError if it cannot be one."""
        code = str(code or "").strip().upper()
        if not TRACKING_CODE_RE.fullmatch(code):
            raise ValidationError(
                self.env._(
                    "This is not a tracking code: a tracking code has two groups of "
                    "five letters and digits, such as ABCDE-FGH23."
                )
            )
        return code

    @api.model
    def _get_public_status(self, code):
        """What anyone holding the tracking code may see of the complaint, or None.

        Only these values reach the public status page: no one's identity.
        """
        ticket = self.sudo().search([("tracking_code", "=", code)], limit=1)
        if not ticket:
            return None
        return {
            "number": ticket.number,
            "name": ticket.name,
            "stage": ticket.stage_id.name,
            "service": ticket.service_id.name,
            "track": ticket.track_id.name,
            "received_date": ticket.received_date,
            "closed": ticket.stage_id.closed,
            "resolution": ticket.stage_id.closed and ticket.resolution,
        }

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
            template.sudo().send_mail_batch(
                known.ids, email_layout_xmlid="mail.mail_notification_light"
            )

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

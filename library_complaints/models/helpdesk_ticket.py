import re
import secrets
from itertools import groupby

from markupsafe import Markup

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.exceptions import UserError, ValidationError

from ..tools.workflow import check_workflow_write

# Tracking codes: no 0/O, 1/I/L, so that a code read over the phone is not misheard.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_CODE_LENGTH = 10
# What identifies the complainant; hidden on confidential complaints, never
# stored on anonymous ones.
IDENTITY_FIELDS = ("partner_id", "commercial_partner_id", "partner_name", "partner_email")
TRACKING_CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")
# What counts as staff acting on a complaint (for "working days since the last action").
ACTION_FIELDS = ("stage_id", "user_id", "resolution", "track_id", "service_id", "team_id")
# Set by helpdesk_mgmt when the stage or the owner changes; editable in its views, but
# workflow fields like every read-only field of a complaint (tools/workflow.py).
WORKFLOW_EXTRA_FIELDS = ("closed_date", "last_stage_update", "assigned_date")
# Read-only fields a complaint may be created with: whether it is anonymous (said once,
# when it is recorded), and what helpdesk_mgmt's copy() passes on.
CREATE_FIELDS = frozenset({"is_anonymous", "number", "last_stage_update"})


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
        precompute=True,
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
    # Staff set it only on a complaint received by hand that waits for triage
    # (helpdesk_ticket_received_date.py); otherwise the moment it was recorded.
    received_date = fields.Datetime(
        string="Received on",
        default=fields.Datetime.now,
        copy=False,
        index=True,
        tracking=True,
        help="When the office received the complaint; its deadline counts from it. "
        "Staff may correct it for a complaint received at the desk, by phone or by email "
        "while it waits for triage.",
    )
    # Not tracked: Odoo tracks no Html field; a change is noted in the chatter instead.
    resolution = fields.Html(string="What was done", sanitize_style=True, copy=False)
    can_close_on_spot = fields.Boolean(related="track_id.can_close_on_spot")
    is_triaged = fields.Boolean(compute="_compute_is_triaged", store=True, precompute=True)
    first_response_date = fields.Datetime(
        string="First response on",
        readonly=True,
        copy=False,
        help="When staff first wrote to the complainant.",
    )
    last_action_date = fields.Datetime(
        string="Last action on",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When staff last changed the complaint's handling or wrote about it.",
    )

    # helpdesk_mgmt's stored computes, computed before the INSERT like the complaint's
    # own (division, deadline, quarter...), which depend on them: a complaint is
    # written by its INSERT alone, without an UPDATE right after it.
    # (compute/related and store restated: Odoo checks precompute on each definition)
    team_id = fields.Many2one(compute="_compute_team_id", store=True, precompute=True)
    user_id = fields.Many2one(compute="_compute_user_id", store=True, precompute=True)
    stage_id = fields.Many2one(compute="_compute_stage_id", store=True, precompute=True)
    unattended = fields.Boolean(related="stage_id.unattended", store=True, precompute=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, precompute=True
    )

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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals.keys() - CREATE_FIELDS, WORKFLOW_EXTRA_FIELDS)
        identities = []
        for vals in vals_list:
            vals["tracking_code"] = vals.get("tracking_code") or new_tracking_code()
            private = self._is_private_submission(vals)
            identity = self._strip_identity(vals) if private else {}
            if private:
                # not auto-assigned to the system user that creates it
                vals.setdefault("user_id", False)
            # a confidential complainant's identity goes to its own record
            identities.append(identity if vals.get("is_confidential") else None)
        # Anonymous and confidential complaints are created, acknowledged and
        # first escalated by the system (a new environment, not sudo(), which keeps
        # the user): no creator, last editor, author or follower names the
        # submitter; order is kept.
        system = self.with_user(SUPERUSER_ID).with_context(
            mail_create_nosubscribe=True,
            **{f"default_{fname}": False for fname in IDENTITY_FIELDS},
        )
        tickets = self.browse()
        # itertools.groupby on purpose: consecutive chunks keep vals_list's order
        for private, chunk in groupby(vals_list, key=self._is_private_submission):  # pylint: disable=bad-builtin-groupby
            if private:
                tickets |= super(HelpdeskTicket, system).create(list(chunk)).with_env(self.env)
            else:
                tickets |= super().create(list(chunk))
        Identity = self.env["library.complaint.identity"].with_user(SUPERUSER_ID)
        Identity.create(
            [
                dict(Identity._prepare_values(identity), ticket_id=ticket.id)
                for ticket, identity in zip(tickets, identities, strict=True)
                if identity
            ]
        )
        # helpdesk_mgmt stamps the closing date when a ticket moves to a closed stage,
        # not when it is created closed (a complaint fixed before it was recorded).
        closed = tickets.filtered(lambda t: t.stage_id.closed and not t.closed_date)
        closed.sudo().write({"closed_date": fields.Datetime.now()})
        private = tickets.filtered(lambda t: t.is_anonymous or t.is_confidential)
        for batch in (tickets - private, private.with_env(system.env)):
            batch._send_acknowledgement()
            batch.filtered("track_id")._apply_escalation_rules("triage")
        # Written now, by the system: a later flush would sign them with the user.
        private.with_env(system.env).flush_recordset()
        return tickets

    @api.model
    def _is_private_submission(self, vals):
        return bool(vals.get("is_anonymous") or vals.get("is_confidential"))

    def _creation_subtype(self):
        # helpdesk_mgmt's subtype, by the cached xmlid lookup: without env.ref()'s
        # query on whether it exists, once per complaint
        return self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "helpdesk_mgmt.hlp_tck_created", raise_if_not_found=True
            )
        )

    @api.model
    def _strip_identity(self, vals):
        """Take the complainant's identity out of a complaint's values.

        :return: the values taken out
        """
        identity = {fname: vals.pop(fname) for fname in IDENTITY_FIELDS if fname in vals}
        if vals.get("is_anonymous"):
            vals["is_confidential"] = False
        return identity

    def write(self, vals):
        check_workflow_write(self, vals, WORKFLOW_EXTRA_FIELDS)
        if "is_anonymous" in vals and any(
            ticket.is_anonymous != bool(vals["is_anonymous"]) for ticket in self
        ):
            raise UserError(self.env._("Whether a complaint is anonymous cannot be changed."))
        if any(vals.get(fname) for fname in IDENTITY_FIELDS) and any(self.mapped("is_anonymous")):
            raise UserError(self.env._("An anonymous complaint stores no identity."))
        vals = self._move_confidential_identity(vals)
        if not self.env.su and any(fname in vals for fname in ACTION_FIELDS):
            vals = dict(vals, last_action_date=fields.Datetime.now())
        retracked = self.browse()
        if vals.get("track_id"):
            retracked = self.filtered(lambda t: t.track_id.id != vals["track_id"])
        opening = self.filtered(lambda t: not t.stage_id.closed) if "stage_id" in vals else None
        changed_resolution = self._get_changed_resolution(vals)
        # the one gate on stage changes (helpdesk_ticket_stage_gate.py), after the
        # checks of who may write which field
        closing = self._check_stage_write(vals)
        result = super().write(vals)
        self._end_stage_write(closing, vals)
        changed_resolution._note_resolution_change()
        retracked._apply_escalation_rules("triage")
        if opening:
            opening.filtered(lambda t: t.stage_id.closed)._create_draft_lessons()
        return result

    def _get_changed_resolution(self, vals):
        if "resolution" not in vals:
            return self.browse()
        new = vals["resolution"] or ""
        return self.filtered(lambda t: (t.resolution or "") != new)

    def _note_resolution_change(self):
        """Odoo does not track Html fields: note the new "What was done" instead;
        a track 1 complaint closed with it was fixed on the spot."""
        for ticket in self:
            if ticket.stage_id.closed and ticket.can_close_on_spot:
                headline = self.env._("Fixed on the spot:")
            else:
                headline = self.env._("What was done:")
            ticket.message_post(
                body=Markup("<p>%s</p>%s") % (headline, ticket.resolution or Markup("<p>-</p>")),
                subtype_xmlid="mail.mt_note",
            )

    def message_post(self, **kwargs):
        """A confidential complainant's own posts (portal, email reply) are signed by
        the neutral "Confidential complainant" and stored by the system: who wrote
        them stays in the identity record."""
        if len(self) == 1 and self.sudo().is_confidential:
            partner = self._get_confidential_partner()
            author_id, __ = self._message_compute_author(
                kwargs.get("author_id"), kwargs.get("email_from")
            )
            if partner and author_id == partner.id:
                neutral = self.env.ref("library_complaints.partner_confidential_complainant")
                system = self.with_user(SUPERUSER_ID).with_context(
                    mail_post_autofollow=False,
                    mail_post_autofollow_author_skip=True,
                    mail_create_nosubscribe=True,
                )
                kwargs.update(author_id=neutral.id, email_from=self._get_confidential_email_from())
                message = super(HelpdeskTicket, system).message_post(**kwargs)
                self._sign_attachments_as_system(message.attachment_ids)
                return message.with_env(self.env)
        return super().message_post(**kwargs)

    @api.model
    def _create_anonymous_complaint(self, ticket_vals, attachment_vals):
        """Store one anonymous complaint and its files, as the system."""
        ticket = self.sudo().create(dict(ticket_vals, is_anonymous=True))
        self.env["ir.attachment"].with_user(SUPERUSER_ID).create(
            [dict(vals, res_model=self._name, res_id=ticket.id) for vals in attachment_vals]
        )
        return ticket

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
            "deadline": not ticket.stage_id.closed and ticket.date_deadline,
            "overdue": ticket.is_overdue,
            "remaining": ticket.remaining_working_days,
            "outcome": ticket._get_public_outcome(),
        }

    def _send_acknowledgement(self):
        """Mail each known complainant at once that the complaint was received;
        a confidential complainant privately, with a note in the chatter that
        does not name them. No query when there is no one to write to."""
        known = self.filtered(
            lambda t: not t.is_anonymous and not t.is_confidential and t.partner_id.email
        )
        confidential = self.filtered(lambda t: t.is_confidential and not t.is_anonymous)
        if not known and not confidential:
            return
        # the cached xmlid lookup, without env.ref()'s query on whether it exists
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "library_complaints.mail_template_complaint_acknowledgement"
            )
        )
        if not template:
            return
        if known:
            template.sudo().send_mail_batch(
                known.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        for ticket in confidential:
            if ticket._mail_confidential_complainant(template):
                office = ticket.with_context(lang=ticket.company_id._get_report_lang())
                ticket.message_post(
                    body=office.env._(
                        "Acknowledgement of receipt sent to the confidential complainant."
                    ),
                    subtype_xmlid="mail.mt_note",
                )

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
        return True

    def assign_to_me(self):
        """helpdesk_mgmt's button, answering a value (the external API needs one)."""
        super().assign_to_me()
        return True

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
        # the write notes what was done in the chatter
        self.write({"resolution": resolution, "stage_id": done.id})

    def _message_post_after_hook(self, message, msg_vals):
        """Staff writing to the complainant is the first response; any staff post is an action."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type != "comment":  # e.g. the creation message: nothing to read
            return result
        author_users = message.author_id.user_ids
        if author_users and not author_users[0].share:
            vals = {"last_action_date": fields.Datetime.now()}
            is_note = message.subtype_id == self.env.ref("mail.mt_note")
            if not is_note and not self.first_response_date:
                vals["first_response_date"] = vals["last_action_date"]
            self.sudo().write(vals)
        return result

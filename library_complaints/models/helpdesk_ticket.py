import base64
import logging
import re
import secrets
from collections import defaultdict
from itertools import groupby

from markupsafe import Markup

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL, formataddr

from ..tools.quarters import quarter_code, quarter_of
from ..tools.workflow import check_workflow_write
from .library_complaint_escalation import ESCALATION_LEVELS, is_above, next_level
from .library_complaint_escalation_rule import SCHEDULED_TRIGGERS

_logger = logging.getLogger(__name__)

# Tracking codes: no 0/O, 1/I/L, so that a code read over the phone is not misheard.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_CODE_LENGTH = 10
# What identifies the complainant; hidden on confidential complaints, never
# stored on anonymous ones.
IDENTITY_FIELDS = ("partner_id", "commercial_partner_id", "partner_name", "partner_email")
TRACKING_CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")

APPROVAL_STATES = [
    ("to_approve", "To approve"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("refused", "Refused"),
]
COMMITTEE_DECISIONS = [
    ("approve", "Approved"),
    ("reject", "Rejected"),
    ("defer", "Deferred to the next meeting"),
]
# What counts as staff acting on a complaint (for "working days since the last action").
# Official working days a head has to approve, return or refuse.
APPROVAL_WORKING_DAYS = 2
ACTION_FIELDS = ("stage_id", "user_id", "resolution", "track_id", "service_id", "team_id")
# Set by helpdesk_mgmt when the stage or the owner changes; editable in its views, but
# workflow fields like every read-only field of a complaint (tools/workflow.py).
WORKFLOW_EXTRA_FIELDS = ("closed_date", "last_stage_update", "assigned_date")
# Read-only fields a complaint may be created with: whether it is anonymous (said once,
# when it is recorded), and what helpdesk_mgmt's copy() passes on.
CREATE_FIELDS = frozenset({"is_anonymous", "number", "last_stage_update"})


def get_deadline_state(deadline, closed, now, due_soon_limit):
    """on_time / due_soon (before the end of the next working day) / overdue."""
    if not deadline or closed:
        return False
    if deadline < now:
        return "overdue"
    return "due_soon" if deadline < due_soon_limit else "on_time"


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
        index=True,
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        help="Received date plus the track's target, in official working days.",
    )
    # Not tracked: Odoo tracks no Html field; a change is noted in the chatter instead.
    resolution = fields.Html(string="What was done", sanitize_style=True, copy=False)
    can_close_on_spot = fields.Boolean(related="track_id.can_close_on_spot")
    is_triaged = fields.Boolean(compute="_compute_is_triaged", store=True)
    # ---- time, in official working days
    remaining_working_days = fields.Integer(
        compute="_compute_remaining_working_days",
        help="Official working days left before the deadline; negative once overdue.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    deadline_state = fields.Selection(
        selection=[("on_time", "On time"), ("due_soon", "Due soon"), ("overdue", "Overdue")],
        compute="_compute_date_deadline",
        store=True,
        help="Kept up to date every working day by the escalation scheduled action.",
    )
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
    # ---- escalation
    escalation_level = fields.Selection(
        selection=ESCALATION_LEVELS,
        default="staff",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    level_date = fields.Datetime(
        string="At this level since",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
    )
    escalation_ids = fields.One2many(
        comodel_name="library.complaint.escalation",
        inverse_name="ticket_id",
        string="Escalations",
        readonly=True,
    )
    cannot_fix_reason = fields.Text(
        string="Why staff cannot fix it", readonly=True, copy=False, tracking=True
    )
    is_committee_proposed = fields.Boolean(
        string="Proposed to the MT committee",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    committee_proposed_date = fields.Datetime(
        string="Proposed to the committee on", readonly=True, copy=False
    )
    # ---- head approval
    approval_state = fields.Selection(
        selection=APPROVAL_STATES,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_approval_states",
    )
    approval_step = fields.Selection(
        selection=[("wg_head", "Work-group head"), ("division_head", "Division head")],
        string="Waiting for",
        readonly=True,
        copy=False,
    )
    approval_needs_division = fields.Boolean(
        string="Division head approves too", readonly=True, copy=False
    )
    approver_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_approver_id",
        store=True,
        index=True,
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    approval_comment = fields.Text(
        string="Head's comment", readonly=True, copy=False, tracking=True
    )

    # ---- MT committee: what the committee decided on the complaint
    committee_item_ids = fields.One2many(
        comodel_name="library.complaint.meeting.item",
        inverse_name="ticket_id",
        string="Committee agenda items",
        readonly=True,
        groups="library_complaints.group_complaint_committee",
    )
    committee_decision = fields.Selection(
        selection=COMMITTEE_DECISIONS, readonly=True, copy=False, tracking=True, index=True
    )
    committee_decision_date = fields.Date(readonly=True, copy=False)
    root_cause = fields.Text(readonly=True, copy=False, tracking=True)
    solution = fields.Text(readonly=True, copy=False, tracking=True)
    prevention = fields.Text(readonly=True, copy=False, tracking=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    committee_budget = fields.Monetary(
        string="Budget estimate", currency_field="company_currency_id", readonly=True, copy=False
    )
    committee_responsible_id = fields.Many2one(
        comodel_name="res.users", string="Responsible (committee)", readonly=True, copy=False
    )
    committee_due_date = fields.Date(string="Due (committee)", readonly=True, copy=False)
    closed_date = fields.Datetime(index=True)  # helpdesk_mgmt's, indexed for the reports
    # ---- reporting: stored so that the quarterly report aggregates in the database
    report_quarter = fields.Char(
        string="Quarter (B.E.)",
        compute="_compute_report_quarter",
        store=True,
        index=True,
        help="The quarter the complaint was received in, in Buddhist-era years, "
        "on the company's quarter basis (calendar year or fiscal year).",
    )
    resolution_timeliness = fields.Selection(
        selection=[("on_time", "On time"), ("late", "Late")],
        string="Resolved",
        compute="_compute_handling",
        store=True,
        index=True,
    )
    handling_working_days = fields.Integer(
        string="Handling time (working days)",
        compute="_compute_handling",
        store=True,
        aggregator="avg",
        help="Official working days from the day received to the day resolved.",
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

    @api.depends("track_id.target_working_days", "received_date", "company_id", "stage_id.closed")
    def _compute_date_deadline(self):
        """The track's target in official working days after the day received, and
        where the complaint stands against it; one call to the calendar per batch."""
        now = fields.Datetime.now()
        planned = self.filtered(lambda t: t.track_id and t.received_date)
        (self - planned).update({"date_deadline": False, "deadline_state": False})
        for calendar, tickets in planned._group_by_working_calendar():
            pairs = [(t.received_date, t.track_id.target_working_days) for t in tickets]
            today = calendar._get_local_date(now)
            ends = calendar._get_working_day_ends_for(pairs, today=today)
            deadlines = calendar._plan_on_working_day_ends(ends, pairs)
            due_soon_limit = calendar._get_due_soon_limit(today, ends)
            for ticket, deadline in zip(tickets, deadlines, strict=True):
                ticket.date_deadline = deadline
                ticket.deadline_state = get_deadline_state(
                    deadline, ticket.stage_id.closed, now, due_soon_limit
                )

    @api.depends("received_date", "company_id.complaint_quarter_basis")
    def _compute_report_quarter(self):
        for calendar, tickets in self.filtered("received_date")._group_by_working_calendar():
            for ticket in tickets:
                basis = (ticket.company_id or self.env.company).complaint_quarter_basis
                day = calendar._get_local_date(ticket.received_date)
                ticket.report_quarter = quarter_code(*quarter_of(day, basis), basis)
        self.filtered(lambda t: not t.received_date).report_quarter = False

    @api.depends("received_date", "closed_date", "date_deadline")
    def _compute_handling(self):
        """On time or late, and the working days it took, once resolved; one calendar
        call per batch."""
        resolved = self.filtered(lambda t: t.closed_date and t.received_date)
        (self - resolved).update({"resolution_timeliness": False, "handling_working_days": 0})
        for calendar, tickets in resolved._group_by_working_calendar():
            counts = calendar._count_working_days(
                [
                    (
                        calendar._get_local_date(t.received_date),
                        calendar._get_local_date(t.closed_date),
                    )
                    for t in tickets
                ]
            )
            for ticket, count in zip(tickets, counts, strict=True):
                ticket.handling_working_days = max(count, 0)
                late = ticket.date_deadline and ticket.closed_date > ticket.date_deadline
                ticket.resolution_timeliness = "late" if late else "on_time"

    def _group_by_working_calendar(self):
        """[(calendar, tickets)]: the complaints grouped by their company's calendar."""
        ids_by_company = defaultdict(list)
        for ticket in self:
            ids_by_company[ticket.company_id or self.env.company].append(ticket.id)
        return [
            (company.sudo()._get_complaint_calendar(), self.browse(ids))
            for company, ids in ids_by_company.items()
        ]

    def _get_working_calendar(self):
        self.ensure_one()
        return (self.company_id or self.env.company)._get_complaint_calendar()

    @api.depends("date_deadline", "stage_id.closed")
    def _compute_remaining_working_days(self):
        timed = self.filtered(lambda t: t.date_deadline and not t.stage_id.closed)
        (self - timed).remaining_working_days = 0
        for calendar, tickets in timed._group_by_working_calendar():
            today = calendar._get_local_date(fields.Datetime.now())
            counts = calendar._count_working_days(
                [(today, calendar._get_local_date(t.date_deadline)) for t in tickets]
            )
            for ticket, count in zip(tickets, counts, strict=True):
                ticket.remaining_working_days = count

    @api.depends("date_deadline", "stage_id.closed")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_overdue = bool(
                ticket.date_deadline and ticket.date_deadline < now and not ticket.stage_id.closed
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = Domain("date_deadline", "<", fields.Datetime.now()) & Domain(
            "stage_id.closed", "=", False
        )
        wanted = (True in value) == (operator == "in")
        return overdue if wanted else ~overdue

    @api.depends("approval_state", "approval_step", "team_id.wg_head_id", "division_id.head_id")
    def _compute_approver_id(self):
        for ticket in self:
            if ticket.approval_state != "to_approve":
                ticket.approver_id = False
            elif ticket.approval_step == "wg_head":
                ticket.approver_id = ticket.team_id.wg_head_id
            else:
                ticket.approver_id = ticket.division_id.head_id

    @api.depends_context("uid")
    @api.depends("approver_id")
    def _compute_can_approve(self):
        for ticket in self:
            ticket.can_approve = ticket.approver_id == self.env.user

    @api.model
    def _expand_approval_states(self, states, domain):
        return [key for key, __ in APPROVAL_STATES]

    # ------------------------------------------------------------------
    # CRUD

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
        result = super().write(vals)
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

    # ------------------------------------------------------------------
    # Confidential complainants: the complaint stores no partner, name or email
    # of theirs; library.complaint.identity does, for complaint managers only.

    confidential_identity_ids = fields.One2many(
        comodel_name="library.complaint.identity",
        inverse_name="ticket_id",
        string="Confidential complainant",
        readonly=True,
        groups="library_complaints.group_complaint_manager",
    )
    is_my_confidential_complaint = fields.Boolean(
        string="Submitted confidentially by me",
        compute="_compute_is_my_confidential_complaint",
        search="_search_is_my_confidential_complaint",
        help="The current user submitted this complaint and asked that only complaint "
        "managers know who they are (lets them follow it in their portal).",
    )

    @api.depends_context("uid")
    def _compute_is_my_confidential_complaint(self):
        mine = self._get_my_confidential_complaint_ids()
        for ticket in self:
            ticket.is_my_confidential_complaint = ticket._origin.id in mine

    def _search_is_my_confidential_complaint(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        mine = Domain("id", "in", sorted(self._get_my_confidential_complaint_ids()))
        wanted = (True in value) == (operator == "in")
        return mine if wanted else ~mine

    @api.model
    def _get_my_confidential_complaint_ids(self):
        """Ids of the confidential complaints of the current user: the identities are
        read as the system, for the current user's own partner only."""
        partner = self.env.user.partner_id
        if not partner:
            return set()
        identities = (
            self.env["library.complaint.identity"]
            .sudo()
            .search_fetch([("partner_id", "=", partner.id)], ["ticket_id"])
        )
        return set(identities.ticket_id.ids)

    @api.model
    def _can_read_confidential_identity(self):
        return self.env.su or self.env.user.has_group("library_complaints.group_complaint_manager")

    def _get_confidential_identity(self):
        """The identity record of a confidential complaint (as the system), or empty."""
        self.ensure_one()
        Identity = self.env["library.complaint.identity"].sudo()
        if not self.sudo().is_confidential:
            return Identity
        return Identity.search([("ticket_id", "=", self.id)], limit=1)

    def _get_confidential_partner(self):
        """The partner of a confidential complainant (for mailing them), or empty."""
        self.ensure_one()
        return self._get_confidential_identity().partner_id

    def _has_known_complainant(self):
        """Whether the outcome can be told to the complainant directly."""
        self.ensure_one()
        if self.is_anonymous:
            return False
        if self.is_confidential:
            identity = self._get_confidential_identity()
            return bool(identity and identity._get_recipient()[1])
        return bool(self.partner_id)

    def _move_confidential_identity(self, vals):
        """Keep a confidential complainant's identity off the complaint (from write).

        Identity values written on a complaint that is, or becomes, confidential
        go to its identity record; only complaint managers may make a complaint
        not confidential again, which brings its identity back.

        :return: the values left to write on the complaints
        """
        if self.env.context.get("library_complaints_identity_moved") or (
            "is_confidential" not in vals and not any(fname in vals for fname in IDENTITY_FIELDS)
        ):
            return vals
        tickets = self.sudo().filtered(lambda t: not t.is_anonymous)
        if "is_confidential" in vals and not vals["is_confidential"]:
            revealed = tickets.filtered("is_confidential")
            if revealed:
                if not self._can_read_confidential_identity():
                    raise AccessError(
                        self.env._(
                            "Only complaint managers can make the complainant of a "
                            "confidential complaint known."
                        )
                    )
                revealed._reveal_confidential_identity(vals)
            return vals
        confidential = tickets.filtered(lambda t: vals.get("is_confidential") or t.is_confidential)
        if not confidential:
            return vals
        identity_vals = {fname: vals[fname] for fname in IDENTITY_FIELDS if fname in vals}
        known = self - confidential
        if identity_vals and known:
            known.write(identity_vals)
        confidential._hide_confidential_identity(identity_vals)
        vals = {key: value for key, value in vals.items() if key not in IDENTITY_FIELDS}
        if vals.get("is_confidential"):
            vals.update(dict.fromkeys(("partner_id", "partner_name", "partner_email"), False))
        return vals

    def _hide_confidential_identity(self, identity_vals=None):
        """Move the identity of these confidential complaints to their identity
        records, with `identity_vals` on top; then remove what still names the
        complainant on the complaint: follower, author and recipient of messages,
        survey answers that staff read, creator and last editor.

        Also how existing confidential complaints are brought to this model (see
        `_migrate_confidential_identities`).
        """
        identity_vals = {
            fname: value
            for fname, value in (identity_vals or {}).items()
            if fname in ("partner_id", "partner_name", "partner_email")
        }
        Identity = self.env["library.complaint.identity"].with_user(SUPERUSER_ID)
        for ticket in self.with_user(SUPERUSER_ID):
            current = {
                "partner_id": ticket.partner_id.id,
                "partner_name": ticket.partner_name,
                "partner_email": ticket.partner_email,
            }
            if "partner_id" in identity_vals:
                current = {}
            values = Identity._prepare_values({**current, **identity_vals})
            identity = ticket.confidential_identity_ids[:1]
            if identity:
                identity.write(
                    dict(dict.fromkeys(identity_vals, False), **values) if identity_vals else {}
                )
            elif values:
                identity = Identity.create(dict(values, ticket_id=ticket.id))
            if ticket.partner_id or ticket.partner_name or ticket.partner_email:
                ticket.with_context(library_complaints_identity_moved=True).write(
                    dict.fromkeys(("partner_id", "partner_name", "partner_email"), False)
                )
            ticket._remove_complainant_traces(identity.partner_id)

    def _remove_complainant_traces(self, partner):
        """What names `partner`, the confidential complainant, on the complaint."""
        self.ensure_one()
        if partner:
            self.message_unsubscribe(partner.ids)
            messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", self._name), ("res_id", "=", self.id)])
            )
            neutral = self.env.ref("library_complaints.partner_confidential_complainant")
            authored = messages.filtered(lambda m: m.author_id == partner)
            authored.write(
                {"author_id": neutral.id, "email_from": self._get_confidential_email_from()}
            )
            if authored:
                authored.flush_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE mail_message SET create_uid = %s, write_uid = %s WHERE id IN %s",
                        SUPERUSER_ID,
                        SUPERUSER_ID,
                        tuple(authored.ids),
                    )
                )
                authored.invalidate_recordset(["create_uid", "write_uid"])
            # Mails to the complainant become private mails, out of the chatter.
            mails = self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)])
            sent_to_them = (
                messages.filtered(
                    lambda m: partner in m.partner_ids | m.notification_ids.res_partner_id
                )
                | mails.filtered(lambda m: partner in m.recipient_ids).mail_message_id
            )
            sent_to_them.write({"model": False, "res_id": False})
            self.env["survey.user_input"].sudo().search(
                [("ticket_id", "=", self.id), ("partner_id", "=", partner.id)]
            ).write({"is_confidential_complainant": True})
        self._sign_private_complaints_as_system()

    def _sign_private_complaints_as_system(self):
        """These complaints (all anonymous and confidential ones when called on an
        empty recordset), if a portal user created or last changed them (as the
        portal did before), are signed by the system instead; one query."""
        self.flush_model(["create_uid", "write_uid"])
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket t
                      SET create_uid = CASE WHEN c.share THEN %(root)s ELSE t.create_uid END,
                          write_uid = CASE WHEN w.share THEN %(root)s ELSE t.write_uid END
                     FROM res_users c, res_users w
                    WHERE c.id = t.create_uid AND w.id = t.write_uid
                      AND (c.share OR w.share)
                      AND (t.id = ANY(%(ids)s)
                           OR %(all)s AND (t.is_anonymous OR t.is_confidential))""",
                root=SUPERUSER_ID,
                all=not self,
                ids=self.ids,
            )
        )
        self.invalidate_model(["create_uid", "write_uid"])

    def _reveal_confidential_identity(self, vals):
        """A complaint manager makes these complaints not confidential: their
        identity goes back on the complaint (unless `vals` sets it)."""
        for ticket in self:
            identity = ticket.confidential_identity_ids[:1]
            restored = {
                fname: identity[fname].id if fname == "partner_id" else identity[fname]
                for fname in ("partner_id", "partner_name", "partner_email")
                if fname not in vals
            }
            ticket.with_context(library_complaints_identity_moved=True).write(restored)
            identity.unlink()

    @api.model
    def _migrate_confidential_identities(self):
        """Bring confidential complaints stored before identities had their own
        record (demo data, older databases) to this model; safe to run again."""
        tickets = (
            self.with_user(SUPERUSER_ID)
            .with_context(active_test=False)
            .search(
                Domain("is_confidential", "=", True)
                & Domain("is_anonymous", "=", False)
                & (
                    Domain("partner_id", "!=", False)
                    | Domain("partner_name", "!=", False)
                    | Domain("partner_email", "!=", False)
                )
            )
        )
        tickets._hide_confidential_identity()
        self.browse()._sign_private_complaints_as_system()
        return True

    def _get_confidential_email_from(self):
        neutral = self.env.ref("library_complaints.partner_confidential_complainant")
        company = self.company_id or self.env.company
        return formataddr((neutral.name, company.email)) if company.email else False

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
    def _sign_attachments_as_system(self, attachments):
        """The files a confidential complainant attached: owned by the system too."""
        if attachments:
            attachments.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_attachment SET create_uid = %s, write_uid = %s WHERE id IN %s",
                    SUPERUSER_ID,
                    SUPERUSER_ID,
                    tuple(attachments.ids),
                )
            )
            attachments.invalidate_recordset(["create_uid", "write_uid"])

    def _mail_confidential_complainant(self, template):
        """Mail `template` to the confidential complainant, outside the chatter.

        Rendered on an in-memory copy of the complaint that names them, so the
        template reads as for a known complainant; the mail is linked to no
        record and sent by the system, so no one but complaint managers (and
        administrators) can find whom it went to.

        :return: the mail, or an empty recordset when there is no email to use
        """
        self.ensure_one()
        identity = self._get_confidential_identity()
        partner, email = identity._get_recipient() if identity else (self.env["res.partner"], False)
        if not email:
            return self.env["mail.mail"]
        system = self.with_user(SUPERUSER_ID)
        named = system.new(
            {
                "partner_id": partner.id,
                "partner_name": identity.partner_name,
                "partner_email": email,
            },
            origin=system,
        )
        recipient = (
            {"recipient_ids": [Command.set(partner.ids)]} if partner else {"email_to": email}
        )
        return template.with_user(SUPERUSER_ID).send_mail_batch(
            [named.id],
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"model": False, "res_id": False, **recipient},
        )

    # ------------------------------------------------------------------
    # Anonymous complaints from the public form (/complaint)

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

    # ------------------------------------------------------------------
    # Acknowledgement

    def _send_acknowledgement(self):
        """Mail each known complainant at once that the complaint was received;
        a confidential complainant privately, with a note in the chatter that
        does not name them."""
        template = self.env.ref(
            "library_complaints.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        if not template:
            return
        known = self.filtered(
            lambda t: not t.is_anonymous and not t.is_confidential and t.partner_id.email
        )
        if known:
            template.sudo().send_mail_batch(
                known.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        for ticket in self.filtered(lambda t: t.is_confidential and not t.is_anonymous):
            if ticket._mail_confidential_complainant(template):
                ticket.message_post(
                    body=self.env._(
                        "Acknowledgement of receipt sent to the confidential complainant."
                    ),
                    subtype_xmlid="mail.mt_note",
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
        author_users = message.author_id.user_ids
        if message.message_type == "comment" and author_users and not author_users[0].share:
            vals = {"last_action_date": fields.Datetime.now()}
            is_note = message.subtype_id == self.env.ref("mail.mt_note")
            if not is_note and not self.first_response_date:
                vals["first_response_date"] = vals["last_action_date"]
            self.sudo().write(vals)
        return result

    # ------------------------------------------------------------------
    # Escalation

    def _apply_escalation_rules(self, trigger, reason=None):
        """Apply now the active rules of an event `trigger` to these complaints.

        Checked in memory on the complaints at hand: one query for the rules when
        none applies (the common case on create), no search per complaint.

        :return: the complaints that were escalated
        """
        if not self:
            return self
        rules = (
            self.env["library.complaint.escalation.rule"].sudo().search([("trigger", "=", trigger)])
        )
        escalated = self.browse()
        for rule in rules:
            for ticket in self.sudo().filtered_domain(rule._get_filter_domain()):
                target = rule._get_target_level(ticket.escalation_level)
                if target and not ticket.escalation_ids.filtered(
                    lambda e, r=rule, t=target: e.rule_id == r and e.to_level == t
                ):
                    ticket.with_env(self.env)._escalate(rule, target, reason or rule._get_reason())
                    escalated |= ticket.with_env(self.env)
        return escalated

    def _escalate(self, rule, target, reason):
        """Move the complaint to `target`, or the first level above it with someone to act.

        Records the escalation, writes it in the chatter, notifies the new owners,
        schedules their activity and starts the head approval the rule asks for.
        """
        self.ensure_one()
        level, owners = self._get_level_owners(target)
        now = fields.Datetime.now()
        from_level = self.escalation_level
        vals = {"escalation_level": level, "level_date": now}
        if rule.assign_user_id:
            vals["user_id"] = rule.assign_user_id.id
        vals.update(self._get_approval_start_values(rule.approval))
        self.sudo().write(vals)
        self.env["library.complaint.escalation"].sudo().create(
            {
                "ticket_id": self.id,
                "rule_id": rule.id,
                "from_level": from_level,
                "to_level": level,
                "to_user_ids": [(6, 0, owners.ids)],
                "reason": reason,
            }
        )
        self._post_escalation_message(rule, from_level, level, owners, reason)
        if level == "committee":
            self._propose_to_committee()
        if rule.activity_type_id and owners and level != "committee":
            self._schedule_working_day_activity(
                owners, rule.activity_type_id, rule.activity_working_days, reason
            )
        if vals.get("approval_state") == "to_approve":
            self._schedule_approval_activity()

    def _propose_to_committee(self):
        """Offer the complaints to the MT committee: the next open meeting takes them on
        its agenda, or the first meeting planned after."""
        proposed = self.filtered(lambda t: not t.is_committee_proposed)
        if not proposed:
            return
        proposed.sudo().write(
            {"is_committee_proposed": True, "committee_proposed_date": fields.Datetime.now()}
        )
        meeting = self.env["library.complaint.meeting"].sudo()._get_next_open_meeting()
        if meeting:
            meeting._add_agenda_items(proposed)

    @api.model
    def _get_committee_pool_domain(self):
        """Complaints waiting for the committee: proposed, not decided (or deferred),
        still open."""
        return (
            Domain("is_committee_proposed", "=", True)
            & Domain("committee_decision", "in", [False, "defer"])
            & Domain("stage_id.closed", "=", False)
        )

    def _get_level_owners(self, level):
        """(level, users) of the first level from `level` up that has someone to act."""
        self.ensure_one()
        while True:
            owners = self._get_level_users(level)
            if owners or level == "committee":
                return level, owners
            level = next_level(level)

    def _get_level_users(self, level):
        self.ensure_one()
        if level == "wg_head":
            return self.team_id.wg_head_id
        if level == "division_head":
            return self.division_id.head_id
        if level == "committee":
            return self.env["library.complaint.meeting"]._get_committee_members()
        return self.user_id

    def _post_escalation_message(self, rule, from_level, level, owners, reason):
        labels = dict(self._fields["escalation_level"]._description_selection(self.env))
        headline = self.env._(
            "Escalated from %(from_level)s to %(to_level)s by the rule “%(rule)s”: %(reason)s",
            from_level=labels[from_level or "staff"],
            to_level=labels[level],
            rule=rule.name,
            reason=reason,
        )
        self._notify_from_template(
            "library_complaints.mail_template_complaint_escalation",
            owners.partner_id if rule.notify else self.env["res.partner"],
            headline,
        )

    def _notify_from_template(self, template_xmlid, partners, headline):
        """One internal note: the headline, then the template's text in the
        recipients' language; `partners` are notified (inbox or email)."""
        self.ensure_one()
        template = self.env.ref(template_xmlid).sudo()
        text = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        self.message_post(
            body=Markup("<p>%s</p>%s") % (headline, Markup(text)),
            subject=template._render_field("subject", self.ids, compute_lang=True)[self.id],
            subtype_xmlid="mail.mt_note",
            partner_ids=partners.ids,
        )

    def _schedule_working_day_activity(self, users, activity_type, working_days, note):
        """One activity per user, due `working_days` official working days from today."""
        self.ensure_one()
        due = self._get_working_calendar()._plan_working_days_after(
            [(fields.Datetime.now(), max(working_days, 1))]
        )[0]
        due_date = self._get_working_calendar()._get_local_date(due) if due else False
        # The escalation message already told them: no second "assigned to you" mail.
        quiet = self.with_context(mail_activity_quick_update=True)
        for user in users:
            quiet.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=due_date,
                note=note,
                user_id=user.id,
            )

    @api.model
    def _get_escalation_clock(self, now=None):
        [(longest,)] = (
            self.env["library.complaint.escalation.rule"]
            .sudo()
            ._read_group([], aggregates=["working_days:max"])
        )
        calendar = self.env.company._get_complaint_calendar()
        return calendar._get_clock(now, max_working_days=longest or 0)

    @api.model
    def _cron_apply_escalation_rules(self):
        """Every official working day: refresh deadline states, apply the time rules."""
        clock = self._get_escalation_clock()
        if not clock.is_working_day:
            _logger.info("Complaint escalation: %s is not an official working day.", clock.today)
            return
        self._run_escalation_rules(clock, commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _run_escalation_rules(self, clock=None, commit=None):
        """Apply every scheduled rule once; one failing complaint is logged and skipped.

        Each complaint is escalated inside its own savepoint, so a failure leaves
        it untouched (never half-escalated) and the others proceed.

        :param commit: called with the number of complaints processed after each batch
        :return: (escalated count, failed count)
        """
        clock = clock or self._get_escalation_clock()
        self._refresh_deadline_states(clock)
        rules = (
            self.env["library.complaint.escalation.rule"]
            .sudo()
            .search([("trigger", "in", SCHEDULED_TRIGGERS)])
        )
        escalated = failed = 0
        for rule in rules:
            reason = rule._get_reason()
            for tickets, target in rule._find_tickets_to_escalate(rule._get_time_domain(clock)):
                for ticket in tickets:
                    try:
                        with self.env.cr.savepoint():
                            ticket._escalate(rule, target, reason)
                        escalated += 1
                    except Exception:
                        failed += 1
                        _logger.exception(
                            "Complaint escalation: rule %s failed on complaint %s; skipped.",
                            rule.id,
                            ticket.id,
                        )
                if commit:
                    commit(len(tickets))
        return escalated, failed

    @api.model
    def _refresh_deadline_states(self, clock):
        """Bring the stored deadline state of open complaints up to the present.

        Three searches and at most four writes, whatever the number of complaints.
        """
        due_soon_limit = clock.calendar._get_due_soon_limit(clock.today)
        open_timed = Domain("stage_id.closed", "=", False) & Domain("date_deadline", "!=", False)
        targets = {
            "overdue": open_timed & Domain("date_deadline", "<", clock.now),
            "due_soon": open_timed
            & Domain("date_deadline", ">=", clock.now)
            & Domain("date_deadline", "<", due_soon_limit),
            "on_time": open_timed & Domain("date_deadline", ">=", due_soon_limit),
        }
        tickets = self.sudo().with_context(tracking_disable=True)
        for state, domain in targets.items():
            tickets.search(domain & Domain("deadline_state", "!=", state)).write(
                {"deadline_state": state}
            )
        tickets.search(
            Domain("stage_id.closed", "=", True) & Domain("deadline_state", "!=", False)
        ).write({"deadline_state": False})

    # ------------------------------------------------------------------
    # Staff cannot fix it

    def action_cannot_fix(self):
        return self._open_comment_wizard("cannot_fix", self.env._("Cannot fix"))

    def _mark_cannot_fix(self, reason):
        """Staff cannot fix the complaint: record why and let the rules move it up."""
        reason = self._require_comment(reason)
        self.check_access("write")
        self.sudo().write({"cannot_fix_reason": reason})
        self._propose_to_committee()
        escalated = self._apply_escalation_rules(
            "cannot_fix", reason=self.env._("Staff cannot fix it: %(why)s", why=reason)
        )
        for ticket in self - escalated:
            ticket.message_post(
                body=self.env._(
                    "Marked 'cannot fix' (%(why)s); no rule moves it higher.", why=reason
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Head approval

    def _get_approval_start_values(self, approval):
        """The approval fields for an approval by `approval` ('none', 'wg_head', ...)."""
        self.ensure_one()
        if approval == "none":
            return {}
        step = "wg_head" if approval in ("wg_head", "both") else "division_head"
        needs_division = approval == "both"
        if step == "wg_head" and not self.team_id.wg_head_id:
            # No work-group head configured: the division head approves alone.
            step, needs_division = "division_head", False
        has_division_head = bool(self.division_id.head_id)
        if step == "division_head" and not has_division_head:
            # No head to approve: like the escalation, the approval skips the level
            # (the complaint would otherwise wait for no one).
            return {}
        return {
            "approval_state": "to_approve",
            "approval_step": step,
            "approval_needs_division": needs_division and has_division_head,
            "approval_comment": False,
        }

    def _schedule_approval_activity(self):
        for ticket in self.filtered("approver_id"):
            ticket._schedule_working_day_activity(
                ticket.approver_id,
                self.env.ref("library_complaints.mail_activity_type_complaint_approval"),
                APPROVAL_WORKING_DAYS,
                self.env._("Approve, return or refuse the handling of this complaint."),
            )

    def _close_approval_activity(self, feedback):
        self.sudo().activity_feedback(
            ["library_complaints.mail_activity_type_complaint_approval"], feedback=feedback
        )

    def _check_can_approve(self):
        for ticket in self:
            if ticket.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "%(complaint)s is not waiting for approval.",
                        complaint=ticket.display_name,
                    )
                )
            if not ticket.can_approve:
                raise AccessError(
                    self.env._(
                        "Only %(head)s can approve, return or refuse %(complaint)s: "
                        "a head acts on the complaints of their own work group or division.",
                        head=ticket.approver_id.name or self.env._("its head"),
                        complaint=ticket.display_name,
                    )
                )

    def action_approve(self):
        """The head approves; the division head's turn comes next where the rule asks."""
        self._check_can_approve()
        approved = self.browse()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Approved"))
            if ticket.approval_step == "wg_head" and ticket.approval_needs_division:
                ticket._pass_approval_to_division_head()
            else:
                ticket._finish_approval()
                approved |= ticket
        approved._apply_escalation_rules("approved")
        return True

    def _pass_approval_to_division_head(self):
        self.ensure_one()
        wg_head = self.env.user
        vals = {"approval_step": "division_head"}
        if is_above("division_head", self.escalation_level):
            vals.update(escalation_level="division_head", level_date=fields.Datetime.now())
        self.sudo().write(vals)
        self.message_post(
            body=self.env._(
                "Approved by %(head)s (work-group head); the division head approves next.",
                head=wg_head.name,
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=self.approver_id.partner_id.ids,
        )
        self._schedule_approval_activity()

    def _finish_approval(self):
        self.ensure_one()
        head = self.env.user
        self.sudo().write({"approval_state": "approved", "approval_step": False})
        self._notify_staff_owner(
            self.env._("Approved by %(head)s.", head=head.name),
        )

    def action_return(self):
        return self._open_comment_wizard("return", self.env._("Return to staff"))

    def action_refuse(self):
        return self._open_comment_wizard("refuse", self.env._("Refuse"))

    def _return_to_staff(self, comment):
        """The head sends the complaint back to its staff owner with a comment."""
        comment = self._require_comment(comment)
        self._check_can_approve()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Returned"))
            ticket.sudo().write(
                {
                    "approval_state": "returned",
                    "approval_step": False,
                    "approval_comment": comment,
                    "escalation_level": "staff",
                    "level_date": fields.Datetime.now(),
                }
            )
            ticket._notify_staff_owner(
                self.env._(
                    "Returned by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
                activity=True,
            )

    def _refuse(self, comment):
        comment = self._require_comment(comment)
        self._check_can_approve()
        for ticket in self:
            ticket._close_approval_activity(self.env._("Refused"))
            ticket.sudo().write(
                {"approval_state": "refused", "approval_step": False, "approval_comment": comment}
            )
            ticket._notify_staff_owner(
                self.env._(
                    "Refused by %(head)s: %(comment)s", head=self.env.user.name, comment=comment
                ),
            )

    def action_submit_for_approval(self):
        """Staff send a returned complaint to the heads again."""
        for ticket in self:
            if ticket.approval_state != "returned":
                raise UserError(
                    self.env._(
                        "Only a complaint returned by a head can be submitted again: "
                        "%(complaint)s.",
                        complaint=ticket.display_name,
                    )
                )
            approval = "both" if ticket.approval_needs_division else "wg_head"
            ticket.sudo().write(ticket._get_approval_start_values(approval))
            level = "wg_head" if ticket.approval_step == "wg_head" else "division_head"
            ticket.sudo().write({"escalation_level": level, "level_date": fields.Datetime.now()})
            ticket._schedule_approval_activity()
            ticket.message_post(
                body=self.env._("Submitted again for approval."),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket.approver_id.partner_id.ids,
            )
        return True

    def _notify_staff_owner(self, body, activity=False):
        """Tell the staff member who owns the complaint (chatter, inbox/email, activity)."""
        self.ensure_one()
        owner = self.user_id
        self._notify_from_template(
            "library_complaints.mail_template_complaint_approval_result", owner.partner_id, body
        )
        if activity and owner:
            self._schedule_working_day_activity(
                owner, self.env.ref("mail.mail_activity_data_todo"), 1, body
            )

    def _require_comment(self, comment):
        comment = (comment or "").strip()
        if not comment:
            raise UserError(self.env._("Write a comment: it tells staff what to do and why."))
        return comment

    def _open_comment_wizard(self, action, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "library.complaint.comment.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids, "default_action": action},
        }

    def action_view_escalations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalations"),
            "res_model": "library.complaint.escalation",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Outcome and notices (#6)
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

    # (end of the outcome section)

    # ------------------------------------------------------------------
    # Satisfaction survey (#6)

    survey_deadline = fields.Datetime(
        string="Survey closes on",
        compute="_compute_survey_deadline",
        store=True,
        help="Satisfaction is surveyed for one month after the complaint is resolved.",
    )
    survey_invited_date = fields.Datetime(
        string="Survey sent on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the satisfaction survey went out (to no one for an anonymous "
        "complaint: it gets a public link).",
    )
    survey_user_input_ids = fields.One2many(
        comodel_name="survey.user_input",
        inverse_name="ticket_id",
        string="Survey answers",
        readonly=True,
    )
    satisfaction_count = fields.Integer(
        string="Survey answers received", compute="_compute_satisfaction"
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_satisfaction",
        digits=(3, 2),
        help="Average score of the completed satisfaction surveys (1 to 5).",
    )
    satisfaction_shared_date = fields.Datetime(
        string="Survey results shared on", readonly=True, copy=False
    )

    @api.depends("closed_date")
    def _compute_survey_deadline(self):
        for ticket in self:
            # surveyed within one month of the resolution
            ticket.survey_deadline = ticket.closed_date and fields.Datetime.add(
                ticket.closed_date, months=1
            )

    @api.depends("survey_user_input_ids.state", "survey_user_input_ids.satisfaction_score")
    def _compute_satisfaction(self):
        """Count and average of the completed answers, one aggregation for the batch."""
        results = {}
        if self.ids:
            domain = self.env["survey.user_input"]._get_satisfaction_answer_domain() & Domain(
                "ticket_id", "in", self.ids
            )
            results = {
                ticket.id: (count, score)
                for ticket, count, score in self.env["survey.user_input"]
                .sudo()
                ._read_group(domain, ["ticket_id"], ["__count", "satisfaction_score:avg"])
            }
        for ticket in self:
            count, score = results.get(ticket.id, (0, 0.0))
            ticket.satisfaction_count = count
            ticket.satisfaction_score = score or 0.0

    def _get_public_survey_url(self):
        """The satisfaction survey's public link for this complaint, or False.

        Only anonymous complaints have one (their complainant cannot be invited);
        it opens a new answer linked to the complaint until the survey closes.
        """
        self.ensure_one()
        survey = self.env["survey.survey"]._get_complaint_survey()
        if not (survey and self.is_anonymous and self.survey_deadline):
            return False
        token = survey._get_complaint_public_token(self)
        return f"{self.get_base_url()}/complaint/survey/{self.id}/{token}"

    @api.model
    def _start_public_survey_answer(self, ticket_id, token, user, resume_token=None):
        """(survey, answer) for someone following an anonymous complaint's public link.

        `resume_token` is the access token of the answer this visitor started before
        (kept in their session): it is continued rather than a new one started.

        :return: (empty, empty) when the link is wrong; (survey, empty) when the
            survey of this complaint is closed
        """
        survey = self.env["survey.survey"]._get_complaint_survey()
        answers = self.env["survey.user_input"].sudo()
        ticket = self.sudo().browse(int(ticket_id)).exists()
        if not (
            survey
            and ticket.is_anonymous
            and survey._check_complaint_public_token(ticket, token)
            and ticket.survey_deadline
        ):
            return survey.browse(), answers
        if ticket.survey_deadline <= fields.Datetime.now() or not ticket.stage_id.closed:
            return survey, answers
        if resume_token:
            started = answers.search(
                [
                    ("access_token", "=", resume_token),
                    ("ticket_id", "=", ticket.id),
                    ("state", "!=", "done"),
                ],
                limit=1,
            )
            if started:
                return survey, started
        answer = survey._create_answer(
            user=user,
            check_attempts=False,
            ticket_id=ticket.id,
            deadline=ticket.survey_deadline,
        )
        return survey, answer

    def _get_open_survey_answer(self):
        """The current user's satisfaction survey on this complaint that is still open."""
        self.ensure_one()
        partner = self.env.user.partner_id
        now = fields.Datetime.now()
        return self.sudo().survey_user_input_ids.filtered(
            lambda i: i.partner_id == partner
            and i.state != "done"
            and not i.collection_closed_date
            and (not i.deadline or i.deadline > now)
        )[:1]

    def _get_survey_recipients(self):
        """Whom the satisfaction survey goes to: the known (or confidential)
        complainant and the affected users; no one for an anonymous complaint."""
        self.ensure_one()
        if self.is_anonymous:
            return self.env["res.partner"]
        return self.partner_id | self._get_confidential_partner() | self.affected_partner_ids

    @api.model
    def _get_survey_invitation_domain(self, now):
        return (
            Domain("stage_id.closed", "=", True)
            & Domain("closed_date", "!=", False)
            & Domain("survey_invited_date", "=", False)
            & Domain("survey_deadline", ">", now)
        )

    def _invite_to_satisfaction_survey(self):
        """One survey answer per person, linked to the complaint, due one month after
        its resolution, and the invitation mail; nobody is invited twice.

        :return: the answers created
        """
        survey = self.env["survey.survey"]._get_complaint_survey()
        answers = self.env["survey.user_input"].sudo()
        if not (self and survey):
            return answers
        existing = set(
            answers._read_group(
                Domain("ticket_id", "in", self.ids) & Domain("survey_id", "=", survey.id),
                ["ticket_id", "partner_id"],
            )
        )
        vals_list = [
            {
                "survey_id": survey.id,
                "ticket_id": ticket.id,
                "partner_id": partner.id,
                "email": partner.email,
                "nickname": partner.name,
                "deadline": ticket.survey_deadline,
                # only complaint managers read a confidential complainant's answer
                "is_confidential_complainant": partner == ticket._get_confidential_partner(),
            }
            for ticket in self
            for partner in ticket._get_survey_recipients()
            if (ticket, partner) not in existing
        ]
        answers = answers.create(vals_list)
        self.sudo().write({"survey_invited_date": fields.Datetime.now()})
        template = self.env.ref("library_complaints.mail_template_complaint_survey_invitation")
        answers._send_complaint_survey_mail(template)
        for ticket, invited in answers.grouped("ticket_id").items():
            ticket.message_post(
                body=self.env._(
                    "Satisfaction survey sent to %(people)s, to answer by %(deadline)s.",
                    people=", ".join(invited._get_complaint_respondent_names()),
                    deadline=invited[:1]._format_complaint_date(ticket.survey_deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return answers

    @api.model
    def _cron_run_satisfaction_survey(self):
        """Every day: invite for the complaints resolved, remind once, close at one month."""
        self._run_satisfaction_survey(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _run_satisfaction_survey(self, now=None, commit=None):
        """:return: (answers created, reminded, closed)"""
        now = now or fields.Datetime.now()
        tickets = self.sudo().search(self._get_survey_invitation_domain(now))
        invited = tickets._invite_to_satisfaction_survey()
        if commit:
            commit(len(tickets))
        answers = self.env["survey.user_input"].sudo()
        reminded = answers._send_complaint_survey_reminders(now)
        closed = answers._close_complaint_survey_collection(now)
        if commit:
            commit(len(reminded) + len(closed))
        return invited, reminded, closed

    def action_share_satisfaction_results(self):
        """Tell the complaint's followers (staff, complainant) and the surveyed
        people the survey's results, once."""
        for ticket in self:
            if not ticket.satisfaction_count:
                raise UserError(
                    self.env._(
                        "%(complaint)s has no completed satisfaction survey to share yet.",
                        complaint=ticket.display_name,
                    )
                )
            if ticket.satisfaction_shared_date:
                raise UserError(
                    self.env._(
                        "The survey results of %(complaint)s were already shared.",
                        complaint=ticket.display_name,
                    )
                )
            ticket.message_post(
                body=self.env._(
                    "Results of the satisfaction survey on this complaint: %(count)s answers, "
                    "average satisfaction %(score)s out of 5.",
                    count=ticket.satisfaction_count,
                    score=f"{ticket.satisfaction_score:.2f}",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.sudo()
                .survey_user_input_ids.filtered(lambda a: not a.is_confidential_complainant)
                .partner_id.ids,
            )
        self.sudo().write({"satisfaction_shared_date": fields.Datetime.now()})
        return True

    # (end of the survey section)

    # ------------------------------------------------------------------
    # Lessons learned (#6)
    lesson_ids = fields.One2many(
        comodel_name="library.complaint.lesson",
        inverse_name="ticket_id",
        string="Lessons learned",
        readonly=True,
    )
    lesson_count = fields.Integer(compute="_compute_lesson_count")

    def _compute_lesson_count(self):
        counts = dict(
            self.env["library.complaint.lesson"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.lesson_count = counts.get(ticket, 0)

    def _needs_lesson(self):
        """Complaints beyond what staff fix on the spot (tracks 2 to 4) teach a lesson."""
        self.ensure_one()
        return bool(self.track_id and not self.track_id.can_close_on_spot)

    def _create_draft_lessons(self):
        """On closing: a draft lesson and a to-do for the owner of each closed complaint
        of tracks 2 to 4 that has none yet.

        :return: the lessons created
        """
        tickets = self.filtered(
            lambda t: t.stage_id.closed and t._needs_lesson() and not t.lesson_ids
        )
        return tickets._start_lessons()

    def _start_lessons(self, author=None):
        """Draft lessons on the complaints, for `author` or each complaint's owner, each
        with a to-do activity for its author."""
        if not self:
            return self.env["library.complaint.lesson"]
        Lesson = self.env["library.complaint.lesson"].sudo()
        lessons = Lesson.create(
            [
                Lesson._prepare_draft_values(ticket, author or ticket._get_lesson_author())
                for ticket in self
            ]
        )
        for lesson in lessons:
            lesson.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lesson.author_id.id,
                summary=self.env._("Write the lesson learned"),
                note=self.env._(
                    "Write what happened, its cause, the fix and its prevention, "
                    "then publish the lesson to all staff."
                ),
            )
        return lessons.with_env(self.env)

    def _get_lesson_author(self):
        self.ensure_one()
        owner = self.user_id
        return owner if owner and not owner.share else self.env.user

    def action_write_lesson(self):
        """Open the complaint's lesson, starting one for the current user if needed
        (a track-1 complaint gets a lesson only this way)."""
        self.ensure_one()
        if not self.stage_id.closed:
            raise UserError(self.env._("Close the complaint before writing its lesson."))
        lesson = self.lesson_ids[:1] or self._start_lessons(author=self.env.user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lesson learned"),
            "res_model": "library.complaint.lesson",
            "view_mode": "form",
            "res_id": lesson.id,
        }

    def action_view_lessons(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lessons learned"),
            "res_model": "library.complaint.lesson",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id},
        }

    # (end of the lessons section)

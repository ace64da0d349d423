from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import is_html_empty

from ..tools.workflow import check_workflow_write

MEETING_STATES = [
    ("draft", "Draft"),
    ("scheduled", "Scheduled"),
    ("held", "Held"),
    ("approved", "Minutes approved"),
]
OPEN_STATES = ("draft", "scheduled")
# What the minutes record of a meeting once it was held.
HELD_FIELDS = ("date_start", "duration", "item_ids")


class LibraryComplaintMeeting(models.Model):
    _name = "library.complaint.meeting"
    _description = "MT committee meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(
        string="Meeting",
        required=True,
        tracking=True,
        default=lambda self: self.env._("MT committee meeting"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        selection=MEETING_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_states",
    )
    date_start = fields.Datetime(string="Starts", required=True, tracking=True, index=True)
    duration = fields.Float(string="Duration (hours)", default=2.0)
    date_stop = fields.Datetime(string="Ends", compute="_compute_date_stop", store=True)
    location = fields.Char(tracking=True)
    calendar_event_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Calendar event",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    member_ids = fields.Many2many(
        comodel_name="res.users",
        relation="library_complaint_meeting_member_rel",
        column1="meeting_id",
        column2="user_id",
        string="Committee members",
        default=lambda self: self._get_committee_members(self.env.company),
        domain=lambda self: [
            ("group_ids", "in", self.env.ref("library_complaints.group_complaint_committee").ids)
        ],
    )
    attendee_ids = fields.Many2many(
        comodel_name="res.users",
        relation="library_complaint_meeting_attendee_rel",
        column1="meeting_id",
        column2="user_id",
        string="Present",
        help="The members who attended; filled with the invited members when the "
        "meeting is marked as held.",
    )
    chair_id = fields.Many2one(comodel_name="res.users", tracking=True)
    secretary_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self.env.user,
        tracking=True,
    )
    item_ids = fields.One2many(
        comodel_name="library.complaint.meeting.item",
        inverse_name="meeting_id",
        string="Agenda",
        copy=False,
    )
    item_count = fields.Integer(compute="_compute_item_count", string="Agenda items")
    report_ids = fields.One2many(
        comodel_name="library.complaint.quarter.report",
        inverse_name="meeting_id",
        string="Quarterly summaries",
        readonly=True,
    )
    minutes = fields.Html()

    @api.model
    def _get_committee_members(self, company=None):
        """The MT committee of `company` (default: the current one): the active
        internal users of its group who work in that company."""
        company = company or self.env.company
        committee = self.env.ref("library_complaints.group_complaint_committee")
        return committee.sudo().user_ids.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )

    def _expand_states(self, states, domain):
        return [key for key, __ in MEETING_STATES]

    @api.depends("date_start", "duration")
    def _compute_date_stop(self):
        for meeting in self:
            meeting.date_stop = meeting.date_start and meeting.date_start + timedelta(
                hours=meeting.duration or 1.0
            )

    @api.depends("item_ids")
    def _compute_item_count(self):
        counts = dict(
            self.env["library.complaint.meeting.item"]._read_group(
                [("meeting_id", "in", self.ids)], ["meeting_id"], ["__count"]
            )
        )
        for meeting in self:
            meeting.item_count = counts.get(meeting, 0)

    # ------------------------------------------------------------------
    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals)
        meetings = super().create(vals_list)
        for meeting in meetings:
            meeting._add_agenda_items(meeting._get_waiting_complaints())
        meetings._attach_waiting_reports()
        return meetings

    def write(self, vals):
        check_workflow_write(self, vals)
        if not self.env.su:
            if self.filtered(lambda m: m.state == "approved"):
                raise UserError(
                    self.env._("The minutes are approved: the meeting can no longer change.")
                )
            if set(HELD_FIELDS) & vals.keys() and self.filtered(lambda m: m.state == "held"):
                raise UserError(
                    self.env._(
                        "The meeting was held: its date and its agenda are what the minutes "
                        "record."
                    )
                )
        result = super().write(vals)
        if {"name", "date_start", "duration", "location", "member_ids"} & set(vals):
            self.filtered("calendar_event_id")._sync_calendar_event()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(meeting.state != "draft" for meeting in self):
            raise UserError(self.env._("Only a draft meeting can be deleted."))

    # ------------------------------------------------------------------
    # Agenda

    @api.model
    def _get_next_open_meeting(self, company=None, after=None):
        """The first draft or scheduled meeting of `company` (default: the current
        one), after `after` if given; searched as the system, so filtered here by
        company, never by the user's."""
        company = company or self.env.company
        domain = Domain("state", "in", OPEN_STATES) & Domain("company_id", "=", company.id)
        if after:
            domain &= Domain("date_start", ">", after)
        return self.search(domain, order="date_start, id", limit=1)

    def _get_waiting_complaints(self):
        """Proposed or deferred complaints that are on no open meeting's agenda yet."""
        self.ensure_one()
        domain = self.env["helpdesk.ticket"]._get_committee_pool_domain() & Domain(
            "committee_item_ids",
            "not any",
            [("meeting_id.state", "in", OPEN_STATES)],
        )
        if self.company_id:
            domain &= Domain("company_id", "in", [self.company_id.id, False])
        return (
            self.env["helpdesk.ticket"].sudo().search(domain, order="committee_proposed_date, id")
        )

    def _add_agenda_items(self, tickets):
        """Put the complaints on the agenda; a deferred complaint brings what the
        committee wrote last time."""
        self.ensure_one()
        # Whoever proposes (a head approving, staff who cannot fix) may not read agendas.
        # Nor what the heads hold back (waiting for them, returned, refused).
        tickets = tickets.sudo()._get_committee_cleared() - self.item_ids.ticket_id
        if not tickets:
            return self.env["library.complaint.meeting.item"]
        last_items = tickets.committee_item_ids.sorted("id")
        previous = {item.ticket_id: item for item in last_items}
        next_sequence = max(self.item_ids.mapped("sequence") or [0]) + 1
        vals_list = []
        for sequence, ticket in enumerate(tickets, start=next_sequence):
            vals = {"meeting_id": self.id, "ticket_id": ticket.id, "sequence": sequence}
            if ticket in previous:
                vals.update(previous[ticket]._get_carry_over_values())
            vals_list.append(vals)
        return self.env["library.complaint.meeting.item"].sudo().create(vals_list)

    def action_load_proposals(self):
        """Add the complaints waiting for the committee to the agenda, and say what was
        done: how many were added, and which wait on another open meeting's agenda."""
        self._check_agenda_open()
        added = self.env["library.complaint.meeting.item"]
        elsewhere = self.env["library.complaint.meeting.item"]
        for meeting in self:
            added |= meeting._add_agenda_items(meeting._get_waiting_complaints())
            elsewhere |= meeting._get_proposals_elsewhere()
        return self._get_load_proposals_notification(added, elsewhere)

    def _get_proposals_elsewhere(self):
        """The agenda items that keep this meeting's company's proposed complaints on
        another open meeting."""
        self.ensure_one()
        domain = self.env["helpdesk.ticket"]._get_committee_pool_domain()
        if self.company_id:
            domain &= Domain("company_id", "in", [self.company_id.id, False])
        return (
            self.env["library.complaint.meeting.item"]
            .sudo()
            .search(
                Domain("meeting_id", "not in", self.ids)
                & Domain("meeting_id.state", "in", OPEN_STATES)
                & Domain("meeting_id.company_id", "=", self.company_id.id)
                & Domain("ticket_id", "any", domain),
                order="meeting_id, sequence, id",
            )
        )

    def _get_load_proposals_notification(self, added, elsewhere, max_names=10):
        """The notification that tells the secretary what "Add proposed complaints" did."""

        def names(items):
            shown = ", ".join(items[:max_names].ticket_id.mapped("display_name"))
            if len(items) > max_names:
                shown = self.env._(
                    "%(names)s and %(count)s more", names=shown, count=len(items) - max_names
                )
            # the message is a format for the links (%s): a title's "%" is escaped
            return shown.replace("%", "%%")

        parts = [
            self.env._(
                "Added to the agenda: %(count)s complaint(s): %(names)s.",
                count=len(added),
                names=names(added),
            )
            if added
            else self.env._("No complaint was added.")
        ]
        links = []
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for meeting, items in elsewhere.grouped("meeting_id").items():
            parts.append(
                self.env._(
                    "%(count)s already on the agenda of %(meeting)s (%(state)s, %(date)s): "
                    "%(names)s.",
                    count=len(items),
                    meeting="%s",
                    state=state_labels[meeting.state],
                    date=meeting.company_id._format_long_date(meeting.date_start, short=True),
                    names=names(items),
                )
            )
            links.append(
                {
                    "label": meeting.name,
                    "url": f"/odoo/action-library_complaints.library_complaint_meeting_action/"
                    f"{meeting.id}",
                }
            )
        if elsewhere:
            parts.append(self.env._("Remove them from that agenda to bring them here."))
        elif not added:
            parts.append(self.env._("No other complaint waits for the committee."))
        message = " ".join(parts)
        if not links:
            message = message.replace("%%", "%")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Proposed complaints"),
                "message": message,
                "links": links,
                "type": "warning" if elsewhere and not added else "success" if added else "info",
                "sticky": bool(elsewhere),
                # the form reloads: the new items show on the agenda
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _check_agenda_open(self):
        if any(meeting.state not in OPEN_STATES for meeting in self):
            raise UserError(self.env._("The agenda of a meeting that was held cannot change."))

    def _attach_waiting_reports(self):
        """Quarterly summaries not yet presented go on the next meeting's agenda."""
        meeting = self.filtered(lambda m: m.state in OPEN_STATES).sorted("date_start")[:1]
        if not meeting:
            return
        reports = (
            self.env["library.complaint.quarter.report"]
            .sudo()
            .search(
                [
                    ("company_id", "=", meeting.company_id.id),
                    ("meeting_id", "=", False),
                    ("state", "in", ("draft", "sent")),
                ]
            )
        )
        reports.write({"meeting_id": meeting.id})

    # ------------------------------------------------------------------
    # Lifecycle

    def action_schedule(self):
        """Invite the members through Odoo's calendar."""
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(self.env._("Only a draft meeting can be scheduled."))
            if not meeting.member_ids:
                raise UserError(self.env._("Add the committee members to invite first."))
        self.check_access("write")
        for meeting in self:
            event = self.env["calendar.event"].create(meeting._get_calendar_event_values())
            meeting.sudo().write({"state": "scheduled", "calendar_event_id": event.id})
        return True

    def action_reset_to_draft(self):
        for meeting in self:
            if meeting.state != "scheduled":
                raise UserError(self.env._("Only a scheduled meeting can go back to draft."))
        self.check_access("write")
        self.sudo().write({"state": "draft"})
        return True

    def action_mark_held(self):
        """The meeting took place: its decisions go to the complaints."""
        for meeting in self:
            if meeting.state != "scheduled":
                raise UserError(self.env._("Only a scheduled meeting can be marked as held."))
            undecided = meeting.item_ids.filtered(lambda item: not item.decision)
            if undecided:
                raise UserError(
                    self.env._(
                        "Record a decision (approve, reject or defer) for every agenda item: "
                        "%(complaints)s",
                        complaints=", ".join(undecided.ticket_id.mapped("number")),
                    )
                )
        self.check_access("write")
        for meeting in self:
            vals = {"state": "held"}
            if not meeting.attendee_ids:
                vals["attendee_ids"] = [(6, 0, meeting.member_ids.ids)]
            meeting.sudo().write(vals)
            meeting.item_ids._write_back_decisions()
            meeting._roll_deferred_items()
        return True

    def action_approve_minutes(self):
        for meeting in self:
            if meeting.state != "held":
                raise UserError(self.env._("Only the minutes of a meeting held can be approved."))
            if is_html_empty(meeting.minutes):
                raise UserError(self.env._("Write the minutes before approving them."))
        self.check_access("write")
        self.sudo().write({"state": "approved"})
        return True

    def _roll_deferred_items(self):
        """Deferred complaints go on the next open meeting's agenda; without one they
        wait for the next meeting created."""
        self.ensure_one()
        deferred = self.item_ids.filtered(lambda item: item.decision == "defer").ticket_id
        if not deferred:
            return
        next_meeting = self._get_next_open_meeting(self.company_id, after=self.date_start)
        if next_meeting:
            next_meeting._add_agenda_items(deferred)

    # ------------------------------------------------------------------
    # Calendar

    def _get_calendar_event_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "start": self.date_start,
            "stop": self.date_stop,
            "location": self.location,
            "partner_ids": [(6, 0, self.member_ids.partner_id.ids)],
            "user_id": (self.secretary_id or self.env.user).id,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "description": self._get_agenda_text(),
        }

    def _sync_calendar_event(self):
        for meeting in self:
            meeting.calendar_event_id.write(meeting._get_calendar_event_values())

    def _get_agenda_text(self):
        self.ensure_one()
        # the titles are the complainants' words: escaped, not markup
        return Markup("<br/>").join(
            f"{item.ticket_id.number} {item.ticket_id.name}" for item in self.item_ids
        )

    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Printing

    def _format_time(self, value):
        """A time of the meeting in the office's time zone (09:00)."""
        if not value:
            return ""
        calendar = self.company_id._get_complaint_calendar()
        return calendar._get_local_datetime(value).strftime("%H:%M")

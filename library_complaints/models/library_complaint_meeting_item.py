from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.workflow import check_workflow_write
from .helpdesk_ticket_committee import COMMITTEE_DECISIONS

# What the committee writes on an item, carried to the next meeting when deferred.
ANALYSIS_FIELDS = ("root_cause", "solution", "prevention", "budget_estimate", "responsible_id")


class LibraryComplaintMeetingItem(models.Model):
    _name = "library.complaint.meeting.item"
    _description = "MT committee agenda item"
    _order = "meeting_id, sequence, id"
    _rec_name = "ticket_id"

    meeting_id = fields.Many2one(
        comodel_name="library.complaint.meeting",
        required=True,
        ondelete="cascade",
        index=True,
    )
    meeting_state = fields.Selection(related="meeting_id.state")
    meeting_date = fields.Datetime(related="meeting_id.date_start")
    sequence = fields.Integer(default=10)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        ondelete="cascade",
        index=True,
    )
    track_id = fields.Many2one(related="ticket_id.track_id")
    service_id = fields.Many2one(related="ticket_id.service_id")
    division_id = fields.Many2one(related="ticket_id.division_id")
    cannot_fix_reason = fields.Text(related="ticket_id.cannot_fix_reason")
    # What the committee reads on the item's form before it decides
    ticket_description = fields.Html(
        related="ticket_id.description", string="What the complainant wrote"
    )
    ticket_user_id = fields.Many2one(related="ticket_id.user_id", string="Handled by")
    approval_ids = fields.One2many(
        related="ticket_id.approval_ids",
        string="Heads' approvals",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    root_cause = fields.Text()
    solution = fields.Text()
    prevention = fields.Text()
    company_id = fields.Many2one(related="meeting_id.company_id")
    currency_id = fields.Many2one(related="meeting_id.company_id.currency_id")
    budget_estimate = fields.Monetary(currency_field="currency_id")
    decision = fields.Selection(selection=COMMITTEE_DECISIONS)
    responsible_id = fields.Many2one(comodel_name="res.users")
    date_due = fields.Date(string="Due date")
    note = fields.Text(string="Discussion")
    deferred_from_id = fields.Many2one(
        comodel_name="library.complaint.meeting.item",
        string="Deferred from",
        readonly=True,
        ondelete="set null",
    )

    _ticket_once_per_meeting = models.Constraint(
        "UNIQUE(meeting_id, ticket_id)",
        "A complaint is on a meeting's agenda only once.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals)
        items = super().create(vals_list)
        items.meeting_id._check_agenda_open()
        items.ticket_id._check_committee_may_decide()
        return items

    def write(self, vals):
        check_workflow_write(self, vals)
        if "meeting_id" in vals or "ticket_id" in vals:
            self.meeting_id._check_agenda_open()
        self._check_not_approved()
        self._check_not_held()
        if vals.get("decision"):
            self.ticket_id._check_committee_may_decide()
        if vals.get("ticket_id"):
            self.env["helpdesk.ticket"].browse(vals["ticket_id"])._check_committee_may_decide()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_agenda(self):
        self.meeting_id._check_agenda_open()

    def _check_not_approved(self):
        if any(item.meeting_state == "approved" for item in self) and not self.env.su:
            raise UserError(
                self.env._("The minutes are approved: the agenda can no longer change.")
            )

    def _check_not_held(self):
        """Once the meeting is held, its decisions are on the complaints: they stay."""
        if not self.env.su and any(item.meeting_state == "held" for item in self):
            raise UserError(
                self.env._(
                    "The meeting was held: its decisions were written on the complaints "
                    "and can no longer change."
                )
            )

    def _get_carry_over_values(self):
        """What a deferred item brings to the next meeting."""
        self.ensure_one()
        vals = {fname: self[fname] for fname in ANALYSIS_FIELDS}
        vals["responsible_id"] = self.responsible_id.id
        vals["deferred_from_id"] = self.id
        return vals

    # ------------------------------------------------------------------
    # Decisions

    def _write_back_decisions(self):
        """Write each decision on its complaint, in the chatter, and as follow-up activities."""
        self.ticket_id._check_committee_may_decide()
        for item in self:
            ticket = item.ticket_id.sudo()
            ticket.write(item._get_ticket_decision_values())
            partners = (ticket.user_id | item.responsible_id).partner_id
            # the headline in the language of the template's text: the recipients'
            lang = ticket.company_id._get_recipients_lang(partners)
            ticket._notify_from_template(
                "library_complaints.mail_template_committee_decision",
                partners,
                item.with_context(lang=lang)._get_decision_message(),
            )
            item._schedule_follow_up()

    def _get_ticket_decision_values(self):
        self.ensure_one()
        calendar = self.meeting_id.company_id._get_complaint_calendar()
        return {
            "committee_decision": self.decision,
            "committee_decision_date": calendar._get_local_date(self.meeting_id.date_start),
            "root_cause": self.root_cause,
            "solution": self.solution,
            "prevention": self.prevention,
            "committee_budget": self.budget_estimate,
            "committee_responsible_id": self.responsible_id.id,
            "committee_due_date": self.date_due,
        }

    def _get_decision_message(self):
        self.ensure_one()
        labels = dict(self._fields["decision"]._description_selection(self.env))
        return self.env._(
            "MT committee, %(meeting)s: %(decision)s. Root cause: %(cause)s. "
            "Solution: %(solution)s. Prevention: %(prevention)s.",
            meeting=self.meeting_id.display_name,
            decision=labels[self.decision],
            cause=self.root_cause or "-",
            solution=self.solution or "-",
            prevention=self.prevention or "-",
        )

    def _schedule_follow_up(self):
        """An approved item is a to-do for the person responsible (or the complaint's
        owner), due on the committee's date; a rejected one asks the owner to tell
        the complainant."""
        self.ensure_one()
        if self.decision == "defer":
            return
        ticket = self.ticket_id.sudo()
        user = (self.responsible_id if self.decision == "approve" else False) or ticket.user_id
        if not user:
            return
        # the to-do in the language of whoever gets it, not of whoever decided
        env = self.with_context(lang=user.lang or ticket.company_id._get_report_lang()).env
        if self.decision == "approve":
            summary = env._("Carry out the MT committee's decision")
            note = self.solution or ""
        else:
            summary = env._("Tell the complainant the MT committee's decision")
            note = self.note or ""
        ticket.with_context(mail_activity_quick_update=True).activity_schedule(
            "library_complaints.mail_activity_type_committee_decision",
            date_deadline=self.date_due or fields.Date.context_today(self),
            summary=summary,
            note=note,
            user_id=user.id,
        )

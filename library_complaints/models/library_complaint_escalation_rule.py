from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import ormcache

from .library_complaint_escalation import ESCALATION_LEVELS, LEVEL_ORDER, is_above, next_level

# The triggers checked by the daily scheduled action; the others ("triage",
# "cannot_fix", "approved") run when their event happens.
SCHEDULED_TRIGGERS = ("received_days", "idle_days", "no_first_response", "overdue")
# Approval states in which a head must decide: the time rules wait for them.
PENDING_APPROVAL_STATES = ("to_approve",)


class LibraryComplaintEscalationRule(models.Model):
    """When a complaint meets the conditions, move it up the ladder and tell people."""

    _name = "library.complaint.escalation.rule"
    _description = "Complaint Escalation Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        index=True,
        help="The rule applies to this company's complaints only; to every company's "
        "when empty.",
    )
    # ---- when
    trigger = fields.Selection(
        selection=[
            ("triage", "When put on a track"),
            ("cannot_fix", "When staff mark it 'cannot fix'"),
            ("approved", "When the heads have approved it"),
            ("received_days", "Working days since received"),
            ("idle_days", "Working days since the last action"),
            ("no_first_response", "No first response within working days"),
            ("overdue", "Overdue"),
        ],
        required=True,
        default="triage",
    )
    working_days = fields.Integer(
        default=1,
        help="For the time triggers: the number of official working days. For 'Overdue': "
        "the working days a complaint stays at a level before it goes one level higher.",
    )
    track_ids = fields.Many2many(
        comodel_name="library.complaint.track",
        relation="library_complaint_escalation_rule_track_rel",
        string="Tracks",
        help="Only complaints on these tracks; all tracks if empty.",
    )
    service_ids = fields.Many2many(
        comodel_name="library.complaint.service",
        relation="library_complaint_escalation_rule_service_rel",
        string="Services",
        help="Only complaints about these services; all services if empty.",
    )
    division_ids = fields.Many2many(
        comodel_name="library.complaint.division",
        relation="library_complaint_escalation_rule_division_rel",
        string="Divisions",
        help="Only complaints of these divisions; all divisions if empty.",
    )
    stage_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.stage",
        relation="library_complaint_escalation_rule_stage_rel",
        string="Stages",
        help="Only complaints in these stages; all open stages if empty.",
    )
    # ---- then
    target_level = fields.Selection(
        selection=[("next", "One level up")] + ESCALATION_LEVELS[1:],
        string="Escalate to",
        required=True,
        default="next",
        help="A level without a head configured is skipped for the next one up. "
        "'MT committee' proposes the complaint for the committee's next meeting.",
    )
    approval = fields.Selection(
        selection=[
            ("none", "No approval"),
            ("wg_head", "Work-group head"),
            ("division_head", "Division head"),
            ("both", "Work-group head, then division head"),
        ],
        string="Approval by",
        required=True,
        default="none",
    )
    assign_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assign to",
        domain=[("share", "=", False)],
        help="Make this user the complaint's owner when the rule applies.",
    )
    notify = fields.Boolean(
        string="Notify the new owners",
        default=True,
        help="Send the escalation message to the heads (or committee members) it reaches.",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Activity",
        domain=[("res_model", "in", (False, "helpdesk.ticket"))],
        help="Schedule this activity for the new owners.",
    )
    activity_working_days = fields.Integer(
        string="Activity due in (working days)",
        default=1,
    )
    escalation_ids = fields.One2many(
        comodel_name="library.complaint.escalation", inverse_name="rule_id"
    )
    escalation_count = fields.Integer(compute="_compute_escalation_count")

    _working_days_positive = models.Constraint(
        "CHECK(working_days >= 0 AND activity_working_days >= 0)",
        "Working days cannot be negative.",
    )

    @api.constrains("trigger", "working_days")
    def _check_overdue_wait(self):
        for rule in self:
            if rule.trigger == "overdue" and rule.working_days < 1:
                raise ValidationError(
                    self.env._(
                        "An 'Overdue' rule must leave a complaint at least one working day "
                        "at a level before moving it up again."
                    )
                )

    def _compute_escalation_count(self):
        counts = dict(
            self.env["library.complaint.escalation"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.escalation_count = counts.get(rule, 0)

    # ------------------------------------------------------------------
    # The event rules' conditions, cached for creating and triaging complaints

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # _get_event_rule_conditions
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # _get_event_rule_conditions
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _get_event_rule_conditions
        return result

    @api.model
    @ormcache("trigger")
    def _get_event_rule_conditions(self, trigger):
        """((rule id, ((complaint field, ids), ...)), ...): the active rules of an
        event `trigger` in order, of every company (each names its company among its
        conditions), with the conditions of ``_get_filter_domain`` (no ids: any
        value); cached until a rule changes, so that recording a complaint reads no
        rule."""
        rules = self.sudo().with_context(active_test=True).search([("trigger", "=", trigger)])
        return tuple(
            (
                rule.id,
                (
                    ("company_id", frozenset(rule.company_id.ids)),
                    ("track_id", frozenset(rule.track_ids.ids)),
                    ("service_id", frozenset(rule.service_ids.ids)),
                    ("division_id", frozenset(rule.division_ids.ids)),
                    ("stage_id", frozenset(rule.stage_ids.ids)),
                ),
            )
            for rule in rules
        )

    # ------------------------------------------------------------------
    # Which complaints a rule applies to

    def _get_target_level(self, level):
        """Where the rule sends a complaint that is at `level`, or None."""
        self.ensure_one()
        if self.target_level == "next":
            return next_level(level)
        return self.target_level if is_above(self.target_level, level) else None

    def _get_filter_domain(self):
        """The rule's conditions on the complaint itself (not on time)."""
        self.ensure_one()
        domain = Domain("stage_id.closed", "=", False)
        if self.company_id:
            domain &= Domain("company_id", "=", self.company_id.id)
        if self.track_ids:
            domain &= Domain("track_id", "in", self.track_ids.ids)
        if self.service_ids:
            domain &= Domain("service_id", "in", self.service_ids.ids)
        if self.division_ids:
            domain &= Domain("division_id", "in", self.division_ids.ids)
        if self.stage_ids:
            domain &= Domain("stage_id", "in", self.stage_ids.ids)
        return domain

    def _get_time_domain(self, clock):
        """The rule's time condition, as a domain, for the scheduled triggers."""
        self.ensure_one()
        # At most one move a day per rule: a complaint that reached its level
        # today waits for the next run, so re-running the same day is a no-op.
        # While a head decides an approval, the complaint is theirs: time does not
        # move it past them (their to-do, overdue, reminds them); once they decide,
        # the rules apply again.
        domain = Domain("level_date", "<", clock.today_start) & Domain(
            "approval_state", "not in", PENDING_APPROVAL_STATES
        )
        if self.trigger == "received_days":
            domain &= Domain("received_date", "<", clock.cutoff(self.working_days))
        elif self.trigger == "idle_days":
            domain &= Domain("last_action_date", "<", clock.cutoff(self.working_days))
        elif self.trigger == "no_first_response":
            domain &= Domain("first_response_date", "=", False) & Domain(
                "received_date", "<", clock.cutoff(self.working_days)
            )
        elif self.trigger == "overdue":
            domain &= Domain("date_deadline", "<", clock.now) & Domain(
                "level_date", "<", clock.cutoff(self.working_days)
            )
        return domain

    def _find_tickets_to_escalate(self, domain):
        """The complaints matching `domain` that this rule moves, per target level.

        One search per level the complaints can be at (three at most), whatever
        the number of complaints; those the rule already sent to that level are
        left out in the same query.

        :return: list of (tickets, target level)
        """
        self.ensure_one()
        tickets = self.env["helpdesk.ticket"].sudo()
        found = []
        for level in LEVEL_ORDER[:-1]:
            target = self._get_target_level(level)
            if not target:
                continue
            already = Domain("rule_id", "=", self.id) & Domain("to_level", "=", target)
            level_domain = (
                Domain("escalation_level", "=", level)
                if level != "staff"
                else (Domain("escalation_level", "in", ("staff", False)))
            )
            matching = tickets.search(
                domain
                & self._get_filter_domain()
                & level_domain
                & Domain("escalation_ids", "not any", already),
                order="id",
            )
            if matching:
                found.append((matching, target))
        return found

    def _get_reason(self):
        """Why the rule moves a complaint, in words, for the record and the chatter."""
        self.ensure_one()
        trigger = dict(self._fields["trigger"]._description_selection(self.env))[self.trigger]
        if self.trigger in ("received_days", "idle_days", "no_first_response"):
            return self.env._("%(trigger)s: %(days)s", trigger=trigger, days=self.working_days)
        return trigger

    def action_view_escalations(self):
        self.ensure_one()
        return self.env["library.complaint.escalation"]._get_list_action(
            [("rule_id", "=", self.id)]
        )

import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .library_complaint_escalation import ESCALATION_LEVELS, next_level
from .library_complaint_escalation_rule import SCHEDULED_TRIGGERS

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    """Escalation: the rules that move a complaint up the levels (on an event or
    every official working day), and staff saying they cannot fix it.
    """

    _inherit = "helpdesk.ticket"

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
        self._update_approval_activities()

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
        """The escalation note, in the new owners' language (not the escalating job's)."""
        env = self.with_context(lang=self._get_escalation_recipient_lang()).env
        labels = dict(self._fields["escalation_level"]._description_selection(env))
        headline = env._(
            "Escalated from %(from_level)s to %(to_level)s by the rule “%(rule)s”: %(reason)s",
            from_level=labels[from_level or "staff"],
            to_level=labels[level],
            rule=rule.with_context(lang=env.lang).name,
            reason=reason,
        )
        self._notify_from_template(
            "library_complaints.mail_template_complaint_escalation",
            owners.partner_id if rule.notify else self.env["res.partner"],
            headline,
        )

    def _get_escalation_recipient_lang(self):
        """The language of the latest escalation's owners (the escalation template's)."""
        self.ensure_one()
        owners = self.escalation_ids.sorted("id")[-1:].to_user_ids
        return self.company_id._get_recipients_lang(owners.partner_id)

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
        due_date = self._get_working_day_due_dates(working_days)[self]
        # The escalation message already told them: no second "assigned to you" mail.
        quiet = self.with_context(mail_activity_quick_update=True)
        for user in users:
            quiet.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=due_date,
                note=note,
                user_id=user.id,
            )

    def _get_working_day_due_dates(self, working_days):
        """{complaint: the local date `working_days` official working days from
        today}, for an activity's deadline; one planning per calendar."""
        now = fields.Datetime.now()
        due_dates = {}
        for calendar, tickets in self._group_by_working_calendar():
            due = calendar._plan_working_days_after([(now, max(working_days, 1))])[0]
            for ticket in tickets:
                due_dates[ticket] = calendar._get_local_date(due) if due else False
        return due_dates

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

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import split_every

from ..tools.concurrency import is_concurrency_error, run_cron_batch
from .library_complaint_escalation import ESCALATION_LEVELS, next_level
from .library_complaint_escalation_rule import SCHEDULED_TRIGGERS

_logger = logging.getLogger(__name__)

# Complaints escalated, then committed, together by the daily job.
ESCALATION_BATCH = 100


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

        Checked in memory on the complaints at hand, against the rules' cached
        conditions: no query when no rule applies (the common case on create); a
        rule that may apply is checked again as it is now.

        :return: the complaints that were escalated
        """
        if not self:
            return self
        Rule = self.env["library.complaint.escalation.rule"].sudo()
        escalated = self.browse()
        for rule_id, conditions in Rule._get_event_rule_conditions(trigger):
            candidates = self.sudo().filtered(lambda t, c=conditions: t._may_meet_rule(c))
            if not candidates:
                continue
            rule = Rule.browse(rule_id)
            for ticket in candidates.filtered_domain(rule._get_filter_domain()):
                target = rule._get_target_level(ticket.escalation_level)
                if target and not ticket.escalation_ids.filtered(
                    lambda e, r=rule, t=target: e.rule_id == r and e.to_level == t
                ):
                    ticket.with_env(self.env)._escalate(rule, target, reason or rule._get_reason())
                    escalated |= ticket.with_env(self.env)
        return escalated

    def _may_meet_rule(self, conditions):
        """Whether the open complaint meets a rule's cached conditions
        (``_get_event_rule_conditions``: no ids matches any value)."""
        self.ensure_one()
        return not self.stage_id.closed and all(
            not ids or self[fname].id in ids for fname, ids in conditions
        )

    def _escalate(self, rule, target, reason):
        """Move the complaints to `target`, or each to the first level above it with
        someone to act.

        Records the escalations, writes them in the chatter, notifies the new owners,
        schedules their activities and starts the head approval the rule asks for;
        everything in batch, whatever the number of complaints.
        """
        if not self:
            return
        now = fields.Datetime.now()
        moves = []  # (complaint, from level, to level, owners)
        values = defaultdict(list)  # {frozen write values: complaint ids}
        for ticket in self:
            level, owners = ticket._get_level_owners(target)
            moves.append((ticket, ticket.escalation_level, level, owners))
            vals = {"escalation_level": level, "level_date": now}
            if rule.assign_user_id:
                vals["user_id"] = rule.assign_user_id.id
            vals.update(ticket._get_approval_start_values(rule.approval))
            values[frozenset(vals.items())].append(ticket.id)
        for vals, ids in values.items():
            self.browse(ids).sudo().write(dict(vals))
        self.env["library.complaint.escalation"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "rule_id": rule.id,
                    "from_level": from_level,
                    "to_level": level,
                    "to_user_ids": [(6, 0, owners.ids)],
                    "reason": reason,
                }
                for ticket, from_level, level, owners in moves
            ]
        )
        self._post_escalation_messages(rule, moves, reason)
        self.browse(
            [ticket.id for ticket, __, level, __ in moves if level == "committee"]
        )._propose_to_committee()
        if rule.activity_type_id:
            self._schedule_working_day_activities(
                [(ticket, owners) for ticket, __, level, owners in moves if level != "committee"],
                rule.activity_type_id,
                rule.activity_working_days,
                reason,
            )
        self._update_approval_activities()

    def _escalate_isolated(self, rule, target, reason):
        """Escalate the complaints together in a savepoint; when that fails, each one
        in its own savepoint, so that a failing complaint is left untouched (never
        half-escalated), logged and skipped, and the others proceed.

        :return: the complaints escalated
        """
        try:
            with self.env.cr.savepoint():
                self._escalate(rule, target, reason)
            return self
        except Exception as error:
            if is_concurrency_error(error):  # the batch is done again (run_cron_batch)
                raise
            if len(self) == 1:
                self._log_escalation_failure(rule)
                return self.browse()
            _logger.info(
                "Complaint escalation: rule %s failed on a batch; escalating one by one.",
                rule.id,
            )
        escalated = self.browse()
        for ticket in self:
            try:
                with self.env.cr.savepoint():
                    ticket._escalate(rule, target, reason)
                escalated |= ticket
            except Exception as error:
                if is_concurrency_error(error):
                    raise
                ticket._log_escalation_failure(rule)
        return escalated

    def _log_escalation_failure(self, rule):
        _logger.exception(
            "Complaint escalation: rule %s failed on complaint %s; skipped.", rule.id, self.id
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
            return self.env["library.complaint.meeting"]._get_committee_members(
                self.company_id or self.env.company
            )
        return self.user_id

    def _post_escalation_messages(self, rule, moves, reason):
        """The escalation notes, each in its new owners' language (not the job's).

        :param moves: [(complaint, from level, to level, owners)]
        """
        labels = {}
        notes = {}
        for ticket, from_level, level, owners in moves:
            env = ticket.with_context(lang=ticket._get_escalation_recipient_lang()).env
            if env.lang not in labels:
                labels[env.lang] = (
                    dict(self._fields["escalation_level"]._description_selection(env)),
                    rule.with_context(lang=env.lang).name,
                )
            level_labels, rule_name = labels[env.lang]
            headline = env._(
                "Escalated from %(from_level)s to %(to_level)s by the rule “%(rule)s”: "
                "%(reason)s",
                from_level=level_labels[from_level or "staff"],
                to_level=level_labels[level],
                rule=rule_name,
                reason=reason,
            )
            partners = owners.partner_id if rule.notify else self.env["res.partner"]
            notes[ticket] = (partners, headline)
        self._post_template_notes("library_complaints.mail_template_complaint_escalation", notes)

    def _get_escalation_recipient_lang(self):
        """The language of the latest escalation's owners (the escalation template's)."""
        self.ensure_one()
        owners = self.escalation_ids.sorted("id")[-1:].to_user_ids
        return self.company_id._get_recipients_lang(owners.partner_id)

    def _notify_from_template(self, template_xmlid, partners, headline):
        """One internal note: the headline, then the template's text in the
        recipients' language; `partners` are notified (inbox or email)."""
        self.ensure_one()
        self._post_template_notes(template_xmlid, {self: (partners, headline)})

    def _post_template_notes(self, template_xmlid, notes):
        """`_notify_from_template` for many complaints, the template rendered once
        for all of them (per language).

        :param notes: {complaint: (partners to notify, headline)}
        """
        template = self.env.ref(template_xmlid).sudo()
        tickets = self.browse([ticket.id for ticket in notes])
        bodies = template._render_field("body_html", tickets.ids, compute_lang=True)
        subjects = template._render_field("subject", tickets.ids, compute_lang=True)
        # What message_post would look up for each complaint, looked up once.
        author_id, email_from = tickets._message_compute_author()
        reply_to = tickets._notify_get_reply_to(default=email_from, author_id=author_id)
        alias_domains = tickets.sudo()._mail_get_alias_domains(default_company=self.env.company)
        companies = tickets._mail_get_companies(default=self.env.company)
        for ticket, (partners, headline) in notes.items():
            ticket.message_post(
                body=Markup("<p>%s</p>%s") % (headline, Markup(bodies[ticket.id])),
                subject=subjects[ticket.id],
                subtype_xmlid="mail.mt_note",
                partner_ids=partners.ids,
                author_id=author_id,
                email_from=email_from,
                reply_to=reply_to[ticket.id],
                record_alias_domain_id=alias_domains[ticket.id].id,
                record_company_id=companies[ticket.id].id,
            )

    def _schedule_working_day_activities(self, assignments, activity_type, working_days, note):
        """One activity per owner of each complaint, due `working_days` official
        working days from today; one creation per owner and due date.

        :param assignments: [(complaint, users)]
        """
        tickets = self.browse([ticket.id for ticket, users in assignments if users])
        if not tickets:
            return
        due_dates = tickets._get_working_day_due_dates(working_days)
        groups = defaultdict(list)  # {(user, due date): complaint ids}
        for ticket, users in assignments:
            for user in users:
                groups[user, due_dates[ticket]].append(ticket.id)
        # The escalation message already told them: no second "assigned to you" mail.
        quiet = self.with_context(mail_activity_quick_update=True)
        for (user, due_date), ids in groups.items():
            quiet.browse(ids).activity_schedule(
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
    def _get_company_rule_domain(self):
        """The rules of the current company's complaints: its own and the shared ones."""
        return Domain("company_id", "in", [self.env.company.id, False])

    @api.model
    def _get_escalation_clock(self, now=None):
        [(longest,)] = (
            self.env["library.complaint.escalation.rule"]
            .sudo()
            ._read_group(self._get_company_rule_domain(), aggregates=["working_days:max"])
        )
        calendar = self.env.company._get_complaint_calendar()
        return calendar._get_clock(now, max_working_days=longest or 0)

    @api.model
    def _cron_apply_escalation_rules(self):
        """Every official working day of each company's calendar: refresh deadline
        states, apply the company's time rules to the company's complaints."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            tickets = self.with_company(company)
            clock = tickets._get_escalation_clock()
            if not clock.is_working_day:
                _logger.info(
                    "Complaint escalation: %s is not an official working day of %s.",
                    clock.today,
                    company.name,
                )
                continue
            tickets._run_escalation_rules(clock, commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _run_escalation_rules(self, clock=None, commit=None):
        """Apply every scheduled rule once; one failing complaint is logged and skipped.

        The complaints are escalated by batches of ESCALATION_BATCH, each batch in a
        savepoint, and one by one in their own savepoints when a batch fails
        (``_escalate_isolated``): a failing complaint is left untouched (never
        half-escalated) and the others proceed.

        :param commit: called with the number of complaints processed after each batch
        :return: (escalated count, failed count)
        """
        clock = clock or self._get_escalation_clock()
        run_cron_batch(self.env, commit, self._refresh_deadline_states, clock)
        rules = (
            self.env["library.complaint.escalation.rule"]
            .sudo()
            .search(Domain("trigger", "in", SCHEDULED_TRIGGERS) & self._get_company_rule_domain())
        )
        # the current company's complaints only: a shared rule runs once per company
        company_tickets = Domain("company_id", "=", self.env.company.id)
        escalated = failed = 0
        for rule in rules:
            reason = rule._get_reason()
            time_domain = rule._get_time_domain(clock) & company_tickets
            for tickets, target in rule._find_tickets_to_escalate(time_domain):
                for batch in split_every(ESCALATION_BATCH, tickets.ids, tickets.browse):
                    done = len(
                        run_cron_batch(
                            self.env, commit, batch._escalate_isolated, rule, target, reason
                        )
                    )
                    escalated += done
                    failed += len(batch) - done
                    if commit:
                        commit(len(batch))
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
        return self.env["library.complaint.escalation"]._get_list_action(
            [("ticket_id", "=", self.id)]
        )

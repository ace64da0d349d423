from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.mail import generate_tracking_message_id

from ..tools.quarters import quarter_code, quarter_of


def get_deadline_state(deadline, closed, now, due_soon_limit):
    """on_time / due_soon (before the end of the next working day) / overdue."""
    if not deadline or closed:
        return False
    if deadline < now:
        return "overdue"
    return "due_soon" if deadline < due_soon_limit else "on_time"


class HelpdeskTicket(models.Model):
    """Time, in official working days: the deadline, the days left, overdue, and
    the figures the quarterly report aggregates.

    The stored ones are precomputed: written by the complaint's INSERT, not by an
    UPDATE after it, on the calendar's cached working days (no query).
    """

    _inherit = "helpdesk.ticket"

    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        precompute=True,
        help="Received date plus the track's target, in official working days, as set "
        "when the track was set (or the received date corrected in triage). A later "
        "change of the track's target does not move it; a public holiday or a change "
        "of the working hours moves it while the complaint is open, with a note.",
    )
    deadline_working_days = fields.Integer(
        string="Working days promised",
        compute="_compute_date_deadline",
        store=True,
        precompute=True,
        help="The track's target when the deadline was set: what the complaint was promised.",
    )
    remaining_working_days = fields.Integer(
        compute="_compute_remaining_working_days",
        help="Official working days left before the deadline; negative once overdue.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    deadline_state = fields.Selection(
        selection=[("on_time", "On time"), ("due_soon", "Due soon"), ("overdue", "Overdue")],
        compute="_compute_deadline_state",
        store=True,
        precompute=True,
        help="Kept up to date every working day by the escalation scheduled action.",
    )
    closed_date = fields.Datetime(index=True)  # helpdesk_mgmt's, indexed for the reports
    # ---- reporting: facts stored when they happen, never recomputed from the
    # configuration (calendar, holidays, quarter basis, track targets) afterwards
    report_quarter = fields.Char(
        string="Quarter (B.E.)",
        compute="_compute_report_quarter",
        store=True,
        precompute=True,
        index=True,
        help="The quarter the complaint was received in, in Buddhist-era years, "
        "on the company's quarter basis (calendar year or fiscal year) when it was "
        "received.",
    )
    closed_quarter = fields.Char(
        string="Quarter resolved (B.E.)",
        compute="_compute_closed_quarter",
        store=True,
        precompute=True,
        index=True,
        help="The quarter the complaint was resolved in, on the company's quarter "
        "basis when it was closed: the quarterly summary counts it there.",
    )
    resolution_timeliness = fields.Selection(
        selection=[("on_time", "On time"), ("late", "Late")],
        string="Resolved",
        compute="_compute_handling",
        store=True,
        precompute=True,
        index=True,
        help="Against the deadline the complaint had when it was closed.",
    )
    handling_working_days = fields.Integer(
        string="Handling time (working days)",
        compute="_compute_handling",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Official working days from the day received to the day resolved, on the "
        "calendar as it was when the complaint was closed.",
    )

    # Only the track and the received date set the deadline: not the track's target
    # (a new target applies to complaints triaged after it), not the calendar (a
    # holiday moves open complaints through _move_deadlines, with a note).
    @api.depends("track_id", "received_date")
    def _compute_date_deadline(self):
        """The track's target in official working days after the day received; one
        call to the calendar per batch. A closed complaint keeps the deadline it had."""
        kept = self.filtered(lambda t: t.id and t._origin.stage_id.closed)
        for ticket in kept:
            ticket.date_deadline = ticket._origin.date_deadline
            ticket.deadline_working_days = ticket._origin.deadline_working_days
        planned = (self - kept).filtered(lambda t: t.track_id and t.received_date)
        (self - kept - planned).update({"date_deadline": False, "deadline_working_days": 0})
        for calendar, tickets in planned._group_by_working_calendar():
            pairs = [(t.received_date, t.track_id.target_working_days) for t in tickets]
            deadlines = calendar._plan_working_days_after(pairs)
            for ticket, (__, days), deadline in zip(tickets, pairs, deadlines, strict=True):
                ticket.date_deadline = deadline
                ticket.deadline_working_days = days

    @api.depends("date_deadline", "stage_id.closed")
    def _compute_deadline_state(self):
        """Where the complaint stands against its deadline (none once closed)."""
        now = fields.Datetime.now()
        timed = self.filtered(lambda t: t.date_deadline and not t.stage_id.closed)
        (self - timed).deadline_state = False
        for calendar, tickets in timed._group_by_working_calendar():
            due_soon_limit = calendar._get_due_soon_limit(calendar._get_local_date(now))
            for ticket in tickets:
                ticket.deadline_state = get_deadline_state(
                    ticket.date_deadline, False, now, due_soon_limit
                )

    @api.depends("received_date")
    def _compute_report_quarter(self):
        """The quarter received, on the quarter basis of the moment: a later change of
        the basis re-files only open complaints (res.company.write)."""
        self._set_quarter("report_quarter", "received_date")

    @api.depends("closed_date")
    def _compute_closed_quarter(self):
        """The quarter resolved, on the quarter basis of the moment it was closed."""
        self._set_quarter("closed_quarter", "closed_date")

    def _set_quarter(self, fname, date_fname):
        dated = self.filtered(date_fname)
        for calendar, tickets in dated._group_by_working_calendar():
            for ticket in tickets:
                basis = (ticket.company_id or self.env.company).complaint_quarter_basis
                day = calendar._get_local_date(ticket[date_fname])
                ticket[fname] = quarter_code(*quarter_of(day, basis), basis)
        (self - dated)[fname] = False

    @api.depends("closed_date")
    def _compute_handling(self):
        """On time or late against the deadline of the moment, and the working days it
        took on the calendar of the moment: fixed when the complaint is closed (the
        deadline and the received date of a closed complaint no longer move); one
        calendar call per batch."""
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

    @api.model
    def _refresh_deadline_states(self, clock):
        """Bring the stored deadline state of open complaints up to the present.

        The current company's complaints only: the clock is its calendar's. Four
        searches and at most four writes, whatever the number of complaints.
        """
        due_soon_limit = clock.calendar._get_due_soon_limit(clock.today)
        company = Domain("company_id", "=", self.env.company.id)
        open_timed = (
            company & Domain("stage_id.closed", "=", False) & Domain("date_deadline", "!=", False)
        )
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
            company & Domain("stage_id.closed", "=", True) & Domain("deadline_state", "!=", False)
        ).write({"deadline_state": False})

    # ------------------------------------------------------------------
    # Open complaints follow a change of their calendar (holidays, working hours)

    @api.model
    def _move_deadlines(self, calendar, changes):
        """Plan again the deadlines of the open complaints counted on `calendar` with
        the working days they were promised, write the ones that moved in one UPDATE,
        and note each move in its chatter (old -> new, why). Closed complaints keep
        theirs. A bounded number of queries, whatever the number of complaints.

        :param changes: library.complaint.calendar.change records of `calendar`
        :return: the complaints whose deadline moved
        """
        domain = changes._get_open_complaints_domain(calendar, changes)
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                domain,
                ["received_date", "date_deadline", "deadline_working_days", "company_id"],
                order="id",
            )
        )
        if not tickets:
            return tickets
        pairs = [(t.received_date, t.deadline_working_days or 0) for t in tickets]
        deadlines = calendar._plan_working_days_after(pairs)
        now = fields.Datetime.now()
        due_soon_limit = calendar._get_due_soon_limit(calendar._get_local_date(now))
        moves = [
            (ticket, ticket.date_deadline, deadline)
            for ticket, deadline in zip(tickets, deadlines, strict=True)
            if deadline and deadline != ticket.date_deadline
        ]
        if not moves:
            return self.browse()
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t
               SET date_deadline = m.deadline, deadline_state = m.state,
                   write_date = %s, write_uid = %s
              FROM unnest(%s::int[], %s::timestamp[], %s::varchar[]) AS m(id, deadline, state)
             WHERE t.id = m.id
            """,
            (
                now,
                self.env.uid,
                [ticket.id for ticket, __, __ in moves],
                [new for __, __, new in moves],
                [get_deadline_state(new, False, now, due_soon_limit) for __, __, new in moves],
            ),
        )
        moved = self.browse(ticket.id for ticket, __, __ in moves)
        moved.invalidate_recordset(["date_deadline", "deadline_state", "write_date", "write_uid"])
        self._log_deadline_moves(calendar, changes, moves)
        return moved

    @api.model
    def _log_deadline_moves(self, calendar, changes, moves):
        """One chatter note per moved complaint, in the language of its company's
        reports; the notes of a run are few distinct texts (deadlines are the ends of
        a few working days), each formatted once, and inserted in one query."""
        bodies = {}
        texts = {}
        by_company = defaultdict(list)
        for move in moves:
            by_company[move[0].company_id].append(move)
        for company, company_moves in by_company.items():
            company = company.sudo()
            lang = company._get_report_lang()
            in_lang = self.with_context(lang=lang)
            reasons = [(change, change._get_reason()) for change in changes.with_context(lang=lang)]
            values = list({value for __, old, new in company_moves for value in (old, new)})
            local_days = calendar._get_local_dates(values)
            by_day = {day: company._format_long_date(day, lang=lang) for day in set(local_days)}
            long_date = {value: by_day[day] for value, day in zip(values, local_days, strict=True)}
            for ticket, old, new in company_moves:
                why = tuple(
                    reason
                    for change, reason in reasons
                    if change._concerns(ticket.received_date, (old, new))
                ) or tuple(reason for __, reason in reasons)
                key = (lang, long_date[old], long_date[new], why)
                if key not in texts:
                    texts[key] = Markup("<p>%s</p>") % in_lang.env._(
                        "Deadline moved from %(old)s to %(new)s: %(why)s.",
                        old=key[1],
                        new=key[2],
                        why="; ".join(why),
                    )
                bodies[ticket.id] = texts[key]
        self._insert_log_notes(bodies)

    @api.model
    def _insert_log_notes(self, bodies):
        """Log notes on complaints as ``_message_log_batch`` does (by OdooBot, internal,
        no notification), in one INSERT: the ORM's create of thousands of messages,
        each updating the complaint's message lists in the cache, is what a holiday
        job would spend its time on.

        :param bodies: {complaint id: Markup body}
        """
        if not bodies:
            return
        thread = self.env["mail.thread"]
        author_id, email_from = thread._message_compute_author(
            self.env.ref("base.partner_root").id, None
        )
        reply_to = thread._notify_get_reply_to(default=email_from, author_id=author_id)[False]
        now = fields.Datetime.now()
        ids = list(bodies)
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO mail_message (
                model, res_id, body, message_type, subtype_id, is_internal,
                author_id, email_from, reply_to, message_id, email_add_signature,
                date, create_uid, create_date, write_uid, write_date
            )
            SELECT 'helpdesk.ticket', m.res_id, m.body, 'notification', %(subtype)s, true,
                   %(author)s, %(email_from)s, %(reply_to)s, %(message_id)s, false,
                   %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(ids)s::int[], %(bodies)s::text[]) AS m(res_id, body)
            """,
            {
                "subtype": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                "author": author_id,
                "email_from": email_from,
                "reply_to": reply_to,
                "message_id": generate_tracking_message_id("message-notify"),
                "now": now,
                "uid": self.env.uid,
                "ids": ids,
                "bodies": [str(bodies[res_id]) for res_id in ids],
            },
        )
        self.env["mail.message"].invalidate_model()
        self.browse(ids).invalidate_recordset()

    @api.model
    def _refile_open_quarters(self, companies):
        """A new quarter basis: the open complaints of `companies` count in the quarter
        of their received date on the new basis; closed complaints keep the quarters
        they were received and resolved in."""
        tickets = self.sudo().with_context(active_test=False)
        open_tickets = tickets.search(
            Domain("company_id", "in", companies.ids)
            & Domain("stage_id.closed", "=", False)
            & Domain("received_date", "!=", False)
        )
        self.env.add_to_compute(self._fields["report_quarter"], open_tickets)

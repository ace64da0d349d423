from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

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
        help="Received date plus the track's target, in official working days.",
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
        compute="_compute_date_deadline",
        store=True,
        precompute=True,
        help="Kept up to date every working day by the escalation scheduled action.",
    )
    closed_date = fields.Datetime(index=True)  # helpdesk_mgmt's, indexed for the reports
    # ---- reporting: stored so that the quarterly report aggregates in the database
    report_quarter = fields.Char(
        string="Quarter (B.E.)",
        compute="_compute_report_quarter",
        store=True,
        precompute=True,
        index=True,
        help="The quarter the complaint was received in, in Buddhist-era years, "
        "on the company's quarter basis (calendar year or fiscal year).",
    )
    resolution_timeliness = fields.Selection(
        selection=[("on_time", "On time"), ("late", "Late")],
        string="Resolved",
        compute="_compute_handling",
        store=True,
        precompute=True,
        index=True,
    )
    handling_working_days = fields.Integer(
        string="Handling time (working days)",
        compute="_compute_handling",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Official working days from the day received to the day resolved.",
    )

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

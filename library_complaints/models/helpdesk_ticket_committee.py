from odoo import api, fields, models
from odoo.fields import Domain

COMMITTEE_DECISIONS = [
    ("approve", "Approved"),
    ("reject", "Rejected"),
    ("defer", "Deferred to the next meeting"),
]


class HelpdeskTicket(models.Model):
    """MT committee: the complaints proposed to it and what it decided on them."""

    _inherit = "helpdesk.ticket"

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

    def _propose_to_committee(self):
        """Offer the complaints to the MT committee: the next open meeting takes them on
        its agenda, or the first meeting planned after."""
        proposed = self.filtered(lambda t: not t.is_committee_proposed)
        if not proposed:
            return
        proposed.sudo().write(
            {"is_committee_proposed": True, "committee_proposed_date": fields.Datetime.now()}
        )
        Meeting = self.env["library.complaint.meeting"].sudo()
        for company, tickets in proposed.grouped("company_id").items():
            # the next meeting of the complaint's own company, never another's
            meeting = Meeting._get_next_open_meeting(company or self.env.company)
            if meeting:
                meeting._add_agenda_items(tickets)

    @api.model
    def _get_committee_pool_domain(self):
        """Complaints waiting for the committee: proposed, not decided (or deferred),
        still open."""
        return (
            Domain("is_committee_proposed", "=", True)
            & Domain("committee_decision", "in", [False, "defer"])
            & Domain("stage_id.closed", "=", False)
        )

"""Root-cause categories: the MT committee files each decision's free-text root cause
under one of a few categories the office configures, so that the quarterly summary
can count the causes (its Pareto: library_complaint_quarter_report_recurrence.py)."""

from odoo import fields, models


class LibraryComplaintCause(models.Model):
    _name = "library.complaint.cause"
    _description = "Root-cause category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="What the category covers.")
    active = fields.Boolean(default=True)


class LibraryComplaintMeetingItem(models.Model):
    """The committee files the item's root cause under a category, with the cause."""

    _inherit = "library.complaint.meeting.item"

    cause_id = fields.Many2one(
        comodel_name="library.complaint.cause",
        string="Cause category",
        ondelete="restrict",
        index="btree_not_null",
        help="The category of the root cause, counted in the quarterly summary.",
    )

    def _get_carry_over_values(self):
        vals = super()._get_carry_over_values()
        vals["cause_id"] = self.cause_id.id
        return vals

    def _get_ticket_decision_values(self):
        vals = super()._get_ticket_decision_values()
        vals["cause_id"] = self.cause_id.id
        return vals


class HelpdeskTicket(models.Model):
    """The category of the committee's root cause, written back with its decision."""

    _inherit = "helpdesk.ticket"

    cause_id = fields.Many2one(
        comodel_name="library.complaint.cause",
        string="Cause category",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The MT committee's category of the root cause.",
    )

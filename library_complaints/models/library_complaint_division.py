from odoo import fields, models


class LibraryComplaintDivision(models.Model):
    """A division of the office (Library Division, Technology Division)."""

    _name = "library.complaint.division"
    _description = "Office Division"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    head_id = fields.Many2one(
        comodel_name="res.users",
        string="Division head",
        domain=[("share", "=", False)],
        help="Approves the handling of the division's complaints.",
    )
    customer_team_ids = fields.Many2many(
        comodel_name="res.users",
        relation="library_complaint_division_customer_team_rel",
        domain=[("share", "=", False)],
        help="Studies the satisfaction of the division's service users, per service.",
    )
    service_ids = fields.One2many(
        comodel_name="library.complaint.service", inverse_name="division_id"
    )
    team_ids = fields.One2many(
        comodel_name="helpdesk.ticket.team",
        inverse_name="division_id",
        string="Work groups",
    )
    active = fields.Boolean(default=True)

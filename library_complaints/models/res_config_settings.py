from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_calendar_id = fields.Many2one(
        related="company_id.complaint_calendar_id",
        readonly=False,
    )
    complaint_quarter_basis = fields.Selection(
        related="company_id.complaint_quarter_basis",
        readonly=False,
    )
    complaint_operating_committee_ids = fields.Many2many(
        related="company_id.complaint_operating_committee_ids",
        readonly=False,
    )

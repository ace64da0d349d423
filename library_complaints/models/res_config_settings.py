from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_calendar_id = fields.Many2one(
        related="company_id.complaint_calendar_id",
        readonly=False,
    )

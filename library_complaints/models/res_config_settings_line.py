from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_line_enabled = fields.Boolean(
        related="company_id.complaint_line_enabled",
        readonly=False,
    )
    complaint_line_secret = fields.Char(
        related="company_id.complaint_line_secret",
        readonly=False,
        groups="base.group_system",
    )
    complaint_line_token = fields.Char(
        related="company_id.complaint_line_token",
        readonly=False,
        groups="base.group_system",
    )
    complaint_line_endpoint = fields.Char(
        related="company_id.complaint_line_endpoint",
        readonly=False,
        groups="base.group_system",
    )

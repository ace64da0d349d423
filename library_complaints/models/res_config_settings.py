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
    complaint_personal_data_years = fields.Integer(
        related="company_id.complaint_personal_data_years",
        readonly=False,
    )
    complaint_received_date_max_days = fields.Integer(
        related="company_id.complaint_received_date_max_days",
        readonly=False,
    )

    # ---- lessons learned: staff audience and LINE
    lesson_audience_group_id = fields.Many2one(
        related="company_id.lesson_audience_group_id",
        readonly=False,
    )
    lesson_line_enabled = fields.Boolean(
        related="company_id.lesson_line_enabled",
        readonly=False,
    )
    lesson_line_target = fields.Char(
        related="company_id.lesson_line_target",
        readonly=False,
        groups="base.group_system",
    )

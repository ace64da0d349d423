from datetime import datetime

from odoo import fields, models

from ..tools.quarters import format_long_date


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Complaint working calendar",
        help="The official working days and public holidays that time complaint handling. "
        "Left empty, the office's 'Official working days' calendar is used.",
    )

    complaint_quarter_basis = fields.Selection(
        selection=[
            ("calendar", "Calendar year (January to December)"),
            ("fiscal", "Thai fiscal year (October to September)"),
        ],
        string="Quarters of the complaint reports",
        default="fiscal",
        required=True,
        help="The quarterly summary to the MT committee covers calendar quarters, or "
        "quarters of the fiscal year that starts on 1 October.",
    )
    complaint_operating_committee_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_company_complaint_operating_committee_rel",
        string="Operating committee",
        help="Who receives the quarterly complaint summaries the MT committee forwards.",
    )

    # ---- outcome broadcasts (#6)
    # (end of the outcome settings)

    # ---- lessons learned: staff audience and LINE (#6)
    lesson_audience_group_id = fields.Many2one(
        comodel_name="res.groups",
        string="Lessons learned: staff audience",
        help="The staff who receive published lessons by e-mail. "
        "Left empty, every internal user of the company receives them.",
    )
    lesson_line_enabled = fields.Boolean(
        string="Send lessons to LINE",
        help="Push each published lesson to the staff's LINE group.",
    )
    lesson_line_token = fields.Char(
        string="LINE channel access token",
        groups="base.group_system",
        copy=False,
    )
    lesson_line_target = fields.Char(
        string="LINE group",
        help="The ID of the staff's LINE group (or user) the messages are pushed to.",
    )
    lesson_line_endpoint = fields.Char(
        string="LINE endpoint",
        default="https://api.line.me/v2/bot/message/push",
        help="The LINE Messaging API's push message URL.",
    )

    def _is_lesson_line_enabled(self):
        """Whether lessons go to LINE: switched on, with a token and a group."""
        self.ensure_one()
        return bool(self.lesson_line_enabled and self.lesson_line_token and self.lesson_line_target)

    # (end of the lessons settings)

    def _get_report_lang(self):
        """The language the office prints in: the company's, when it is installed."""
        self.ensure_one()
        lang = self.partner_id.lang
        return lang if lang and self.env["res.lang"]._get_data(code=lang) else self.env.lang

    def _format_long_date(self, value, lang=None):
        """A date, or a datetime in the office's time zone, as the office writes it
        (15 มกราคม 2569 in Thai)."""
        self.ensure_one()
        if isinstance(value, datetime):
            value = self._get_complaint_calendar()._get_local_date(value)
        return format_long_date(value, lang or self.env.lang)

    def _get_complaint_calendar(self):
        """The calendar on which complaint deadlines and escalations are counted."""
        self.ensure_one()
        return (
            self.complaint_calendar_id
            or self.env.ref("library_complaints.resource_calendar_official", False)
            or self.resource_calendar_id
        )

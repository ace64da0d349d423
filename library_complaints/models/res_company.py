from datetime import datetime

from babel.dates import format_date

from odoo import fields, models
from odoo.tools.misc import babel_locale_parse

from ..tools.quarters import be_year


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
    complaint_received_date_max_days = fields.Integer(
        string="Received dates at most (days back)",
        default=30,
        help="Staff may date a complaint received at the desk, by phone or by email at "
        "most this many days before they record it; an email's own date is believed "
        "only within this window, otherwise the time Odoo received it is used.",
    )
    complaint_operating_committee_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_company_complaint_operating_committee_rel",
        string="Operating committee",
        help="Who receives the quarterly complaint summaries the MT committee forwards.",
    )
    complaint_personal_data_years = fields.Integer(
        string="Keep complainants' personal data (years)",
        default=2,
        help="Years after a complaint is closed during which its complainant's personal "
        "data is kept; then a daily job anonymises it. 0 keeps it without limit.",
    )

    # ---- lessons learned: staff audience and LINE
    lesson_audience_group_id = fields.Many2one(
        comodel_name="res.groups",
        string="Lessons learned: staff audience",
        help="The staff who receive published lessons by e-mail. "
        "Left empty, every internal user of the company receives them.",
    )
    # the office's LINE Official Account (its token and address): res_company_line.py
    lesson_line_enabled = fields.Boolean(
        string="Send lessons to LINE",
        help="Push each published lesson to the staff's LINE group, through the "
        "office's LINE Official Account.",
    )
    lesson_line_target = fields.Char(
        string="LINE group",
        groups="base.group_system",
        copy=False,
        help="The ID of the staff's LINE group (or user) the lessons are pushed to.",
    )

    def _is_lesson_line_enabled(self):
        """Whether lessons go to LINE: switched on, with the account's token and a group."""
        self.ensure_one()
        company = self.sudo()
        return bool(
            company.lesson_line_enabled
            and company.complaint_line_token
            and company.lesson_line_target
        )

    def _get_report_lang(self):
        """The language the office prints in: the company's, when it is installed."""
        self.ensure_one()
        lang = self.partner_id.lang
        return lang if lang and self.env["res.lang"]._get_data(code=lang) else self.env.lang

    def _get_recipients_lang(self, partners):
        """The language to write to `partners` in: theirs when they share one, else the
        office's; never the language of whoever (or whichever job) sends."""
        self.ensure_one()
        langs = set(partners.filtered("lang").mapped("lang"))
        return langs.pop() if len(langs) == 1 else self._get_report_lang()

    def _format_long_date(self, value, lang=None, short=False):
        """A date, or a datetime on the complaint calendar's day, as the office writes it
        in `lang` (default: the current language): '15 มกราคม 2569' in Thai, with the
        Buddhist-era year; the language's long date elsewhere ('January 15, 2026').
        `short` abbreviates the month, for tables: '15 ม.ค. 2569', 'Jan 15, 2026'.

        The one formatter of printed and mailed dates: reports and templates call it.
        """
        self.ensure_one()
        if not value:
            return ""
        if isinstance(value, datetime):
            value = self._get_complaint_calendar()._get_local_date(value)
        locale = babel_locale_parse(lang or self.env.lang or "en_US")
        if locale.language == "th":
            # Babel's Thai months, but no Buddhist calendar: the year is added by hand.
            month = "d MMM" if short else "d MMMM"
            return f"{format_date(value, month, locale=locale)} {be_year(value.year)}"
        return format_date(value, format="medium" if short else "long", locale=locale)

    def write(self, vals):
        if "complaint_quarter_basis" not in vals:
            return super().write(vals)
        basis_before = {company: company.complaint_quarter_basis for company in self}
        result = super().write(vals)
        changed = self.filtered(lambda c: c.complaint_quarter_basis != basis_before[c])
        if changed:
            self.env["helpdesk.ticket"]._refile_open_quarters(changed)
        return result

    def _get_complaint_calendar(self):
        """The calendar on which complaint deadlines and escalations are counted."""
        self.ensure_one()
        # The cached xmlid lookup, without env.ref()'s query on whether the record
        # exists (deleting a record deletes its xmlid): no query per complaint.
        official = self.env["ir.model.data"]._xmlid_to_res_id(
            "library_complaints.resource_calendar_official"
        )
        return (
            self.complaint_calendar_id
            or self.env["resource.calendar"].browse(official)
            or self.resource_calendar_id
        )

"""The quarterly summary of complaint handling: generated once a quarter (even a
quarter without complaints), sent to the MT committee, approved, then forwarded to
the operating committee. Its figures: library_complaint_quarter_report_figures.py."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.quarters import (
    be_year,
    last_completed_quarter,
    last_day,
    quarter_bounds,
    quarter_code,
)

_logger = logging.getLogger(__name__)

REPORT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to the committee"),
    ("approved", "Approved"),
    ("forwarded", "Forwarded to the operating committee"),
]


class LibraryComplaintQuarterReport(models.Model):
    _name = "library.complaint.quarter.report"
    _description = "Quarterly complaint summary"
    _inherit = ["mail.thread", "mail.activity.mixin", "library.complaint.workflow.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    basis = fields.Selection(
        selection=[("calendar", "Calendar year"), ("fiscal", "Fiscal year")],
        required=True,
        readonly=True,
    )
    year = fields.Integer(
        required=True, readonly=True, help="Calendar or fiscal year (Gregorian number)."
    )
    quarter = fields.Integer(required=True, readonly=True)
    quarter_code = fields.Char(
        string="Quarter (B.E.)", compute="_compute_name", store=True, index=True
    )
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(
        required=True, readonly=True, help="The day after the quarter's last day."
    )
    date_last = fields.Date(
        string="Last day", compute="_compute_date_last", help="The quarter's last day."
    )
    state = fields.Selection(
        selection=REPORT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    meeting_id = fields.Many2one(
        comodel_name="library.complaint.meeting",
        string="Presented at",
        tracking=True,
        index=True,
        ondelete="set null",
    )
    generated_date = fields.Datetime(readonly=True)
    recommendations = fields.Html(
        help="For the strategic plan, the budget plan and the divisions' action plans."
    )

    _quarter_once = models.UniqueIndex("(company_id, date_from)")

    @api.depends("year", "quarter", "basis")
    def _compute_name(self):
        for report in self:
            if not (report.year and report.quarter):
                report.name = report.quarter_code = False
                continue
            report.quarter_code = quarter_code(report.year, report.quarter, report.basis)
            report.name = report._get_title()

    def _get_title(self):
        """The report's title in the current language (the PDF's, say)."""
        self.ensure_one()
        if self.basis == "fiscal":
            return self.env._(
                "Complaints, quarter %(quarter)s of fiscal year %(year)s",
                quarter=self.quarter,
                year=be_year(self.year),
            )
        return self.env._(
            "Complaints, quarter %(quarter)s of %(year)s",
            quarter=self.quarter,
            year=be_year(self.year),
        )

    # ------------------------------------------------------------------
    # Generation

    @api.model
    def _cron_generate_quarter_reports(self):
        """Each company's report of the quarter that just ended, once."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            calendar = company._get_complaint_calendar()
            today = calendar._get_local_date(fields.Datetime.now())
            year, quarter = last_completed_quarter(today, company.complaint_quarter_basis)
            self.with_company(company)._generate_quarter_report(company, year, quarter)

    @api.model
    def _generate_quarter_report(self, company, year, quarter):
        """The report of the quarter, created and sent to the committee; an existing one
        is returned unchanged."""
        basis = company.complaint_quarter_basis
        date_from, date_to = quarter_bounds(year, quarter, basis)
        existing = self.search(
            [("company_id", "=", company.id), ("date_from", "=", date_from)], limit=1
        )
        if existing:
            return existing
        report = self.create(
            {
                "company_id": company.id,
                "basis": basis,
                "year": year,
                "quarter": quarter,
                "date_from": date_from,
                "date_to": date_to,
            }
        )
        report._compute_figures()
        report._attach_to_next_meeting()
        report._send_to_committee()
        return report

    def action_regenerate(self):
        """Recount the figures (complaints closed or moved since); the text stays."""
        if not self.env.user.has_group("library_complaints.group_complaint_manager"):
            raise AccessError(self.env._("Only a complaint manager can regenerate a report."))
        for report in self:
            if report.state in ("approved", "forwarded"):
                raise UserError(self.env._("An approved report keeps its figures."))
        self._compute_figures()
        for report in self:
            report.message_post(
                body=self.env._("Figures regenerated by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # To the committee and beyond

    def _attach_to_next_meeting(self):
        meeting = self.env["library.complaint.meeting"].sudo()._get_next_open_meeting()
        if meeting:
            self.filtered(lambda r: not r.meeting_id).sudo().write({"meeting_id": meeting.id})

    def _send_to_committee(self):
        """Mail the report and its PDF to the committee members."""
        template = self.env.ref("library_complaints.mail_template_quarter_report")
        partners = self.env["library.complaint.meeting"]._get_committee_members().partner_id
        for report in self:
            if not partners:
                _logger.info("No MT committee member to send %s to", report.name)
                continue
            report.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=partners.ids,
            )
        self.filtered(lambda r: r.state == "draft").sudo().write({"state": "sent"})

    def _get_committee_lang(self):
        """The language of the mail to the MT committee: its members', else the office's."""
        self.ensure_one()
        members = self.env["library.complaint.meeting"]._get_committee_members()
        return self.company_id._get_recipients_lang(members.partner_id)

    def action_send_to_committee(self):
        self.check_access("write")
        self._send_to_committee()
        return True

    def action_approve(self):
        if not self.env.user.has_group("library_complaints.group_complaint_committee"):
            raise AccessError(self.env._("Only the MT committee approves its quarterly summary."))
        for report in self:
            if report.state not in ("draft", "sent"):
                raise UserError(self.env._("This report is already approved."))
        self.check_access("write")
        self.sudo().write({"state": "approved"})
        return True

    def action_forward(self):
        """Open the mail to the operating committee, with the report attached."""
        self.ensure_one()
        if self.state not in ("approved", "forwarded"):
            raise UserError(self.env._("Approve the report before forwarding it."))
        template = self.env.ref("library_complaints.mail_template_quarter_report_forward")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "mark_quarter_report_forwarded": True,
            },
        }

    def _message_post_after_hook(self, message, msg_vals):
        if self.env.context.get("mark_quarter_report_forwarded") and self.env.user.has_group(
            "library_complaints.group_complaint_committee"
        ):
            # The mail to the operating committee, from the "Forward" button's composer.
            self.filtered(lambda r: r.state == "approved").sudo().write({"state": "forwarded"})
        return super()._message_post_after_hook(message, msg_vals)

    # ------------------------------------------------------------------
    # Printing

    def _get_last_day(self):
        self.ensure_one()
        return last_day(self.date_to)

    @api.depends("date_to")
    def _compute_date_last(self):
        for report in self:
            report.date_last = report.date_to and last_day(report.date_to)

    def _get_lines(self, dimension):
        return self.line_ids.filtered(lambda line: line.dimension == dimension)

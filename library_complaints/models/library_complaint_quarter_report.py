"""The quarterly summary of complaint handling: generated once a quarter (even a
quarter without complaints), sent to the MT committee, approved, then forwarded to
the operating committee. Its figures: library_complaint_quarter_report_figures.py."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.concurrency import get_cron_commit, run_cron_batch
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

    # Computed in the reader's language, never stored in its creator's.
    name = fields.Char(compute="_compute_name", search="_search_name")
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
        string="Quarter (B.E.)", compute="_compute_quarter_code", store=True, index=True
    )
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(
        required=True, readonly=True, help="The day after the quarter's last day."
    )
    date_last = fields.Date(
        string="Last day", compute="_compute_date_last", help="The quarter's last day."
    )
    # The dates as the office writes them, with their year (Buddhist era in Thai):
    # Odoo's date widget leaves the current year out and writes it Gregorian.
    date_from_text = fields.Char(string="First day", compute="_compute_date_texts")
    date_last_text = fields.Char(string="Last day", compute="_compute_date_texts")
    generated_date_text = fields.Char(string="Generated on", compute="_compute_date_texts")
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
    def _compute_quarter_code(self):
        for report in self:
            report.quarter_code = report._has_quarter() and quarter_code(
                report.year, report.quarter, report.basis
            )

    @api.depends("year", "quarter", "basis")
    @api.depends_context("lang")
    def _compute_name(self):
        for report in self:
            report.name = report._has_quarter() and report._get_title()

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for report in self:
            report.display_name = report.name

    def _search_name(self, operator, value):
        """The title as the reader reads it; a company has four reports a year."""
        if operator not in ("ilike", "in"):
            return NotImplemented
        # Four reports a year: read them all and compare their titles.
        reports = self.search([])  # pylint: disable=no-search-all
        reports = reports.filtered_domain([("name", operator, value)])
        return [("id", "in", reports.ids)]

    def _has_quarter(self):
        self.ensure_one()
        return bool(self.year and self.quarter)

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
        """Each company's report of the quarter that just ended, once; one generated
        before the quarter ended is counted again and sent anew."""
        commit = get_cron_commit(self.env)
        for company in self.env["res.company"].search([("active", "=", True)]):
            run_cron_batch(self.env, commit, self._generate_company_quarter_report, company)
            if commit:
                commit(1)

    @api.model
    def _generate_company_quarter_report(self, company):
        year, quarter = self._get_last_ended_quarter(company)
        report = self.with_company(company)._generate_quarter_report(company, year, quarter)
        report._complete_early_report()

    @api.model
    def _get_last_ended_quarter(self, company):
        """(year, quarter) of the company's last quarter that ended, on its basis."""
        return last_completed_quarter(self._get_today(company), company.complaint_quarter_basis)

    @api.model
    def _get_today(self, company):
        """Today on the company's complaint calendar (Bangkok time)."""
        return company._get_complaint_calendar()._get_local_date(fields.Datetime.now())

    @api.model
    def _generate_ended_quarter_report(self, year, quarter):
        """The report of an ended quarter of the current company, generated for a
        committee member or a manager; an existing one is returned unchanged."""
        if not self.env.user.has_group("library_complaints.group_complaint_committee"):
            raise AccessError(
                self.env._("Only the MT committee and the managers generate a summary.")
            )
        company = self.env.company
        __, date_to = quarter_bounds(year, quarter, company.complaint_quarter_basis)
        if date_to > self._get_today(company):
            raise UserError(
                self.env._(
                    "This quarter ends on %(last_day)s: its summary can be generated "
                    "from %(first_day)s, once its complaints are all counted.",
                    last_day=company._format_long_date(last_day(date_to)),
                    first_day=company._format_long_date(date_to),
                )
            )
        # The figures count every complaint of the quarter, not only those the
        # member may read.
        report = self.sudo()._generate_quarter_report(company, year, quarter)
        return report.with_env(self.env)

    @api.model
    def _generate_quarter_report(self, company, year, quarter):
        """The report of the quarter, created and sent to the committee; an existing one
        is returned unchanged."""
        date_from = quarter_bounds(year, quarter, company.complaint_quarter_basis)[0]
        existing = self.search(
            [("company_id", "=", company.id), ("date_from", "=", date_from)], limit=1
        )
        if existing:
            return existing
        report = self._create_quarter_report(company, year, quarter)
        report._attach_to_next_meeting()
        report._send_to_committee()
        return report

    @api.model
    def _create_quarter_report(self, company, year, quarter):
        """The new report of the quarter with its figures counted."""
        basis = company.complaint_quarter_basis
        date_from, date_to = quarter_bounds(year, quarter, basis)
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
        return report

    def _complete_early_report(self):
        """Count again and send anew a report generated before its quarter ended."""
        early = self.filtered(
            lambda r: r.state in ("draft", "sent")
            and (not r.generated_date or r.generated_date < r._get_period_bounds()[1])
        )
        if early:
            early._compute_figures()
            early._send_to_committee()

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
        """The next meeting of the summary's own company presents it."""
        Meeting = self.env["library.complaint.meeting"].sudo()
        for report in self.filtered(lambda r: not r.meeting_id):
            meeting = Meeting._get_next_open_meeting(report.company_id)
            if meeting:
                report.sudo().write({"meeting_id": meeting.id})

    def _send_to_committee(self):
        """Mail the report and its PDF to the committee members."""
        template = self.env.ref("library_complaints.mail_template_quarter_report")
        Meeting = self.env["library.complaint.meeting"]
        for report in self:
            partners = Meeting._get_committee_members(report.company_id).partner_id
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
        members = self.env["library.complaint.meeting"]._get_committee_members(self.company_id)
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

    @api.depends("date_from", "date_to", "generated_date", "company_id")
    @api.depends_context("lang")
    def _compute_date_texts(self):
        for report in self:
            company = report.company_id or self.env.company
            report.date_from_text = company._format_long_date(report.date_from)
            report.date_last_text = company._format_long_date(report.date_to and report.date_last)
            report.generated_date_text = company._format_long_date(report.generated_date)

    def _get_lines(self, dimension):
        return self.line_ids.filtered(lambda line: line.dimension == dimension)

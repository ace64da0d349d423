from odoo import api, fields, models

from ..tools.quarters import last_day, quarter_bounds
from ..tools.years import check_common_era_year, is_common_era_year


class LibraryComplaintQuarterWizard(models.TransientModel):
    """Generate the quarterly summary of a chosen quarter that ended: for an office
    that starts mid-year, or a quarter the scheduled job missed."""

    _name = "library.complaint.quarter.wizard"
    _description = "Generate a quarterly summary"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    basis = fields.Selection(related="company_id.complaint_quarter_basis")
    year = fields.Integer(
        required=True,
        default=lambda self: self._default_quarter()[0],
        help="Calendar or fiscal year of the Common Era, e.g. 2027 for B.E. 2570. "
        "Fiscal year 2027 runs from 1 October 2026 to 30 September 2027.",
    )
    quarter = fields.Selection(
        selection=[("1", "Quarter 1"), ("2", "Quarter 2"), ("3", "Quarter 3"), ("4", "Quarter 4")],
        required=True,
        default=lambda self: str(self._default_quarter()[1]),
    )
    title = fields.Char(string="Summary", compute="_compute_quarter")
    date_from = fields.Date(string="First day", compute="_compute_quarter")
    date_last = fields.Date(string="Last day", compute="_compute_quarter")
    report_id = fields.Many2one(
        comodel_name="library.complaint.quarter.report",
        string="Existing summary",
        compute="_compute_quarter",
    )

    @api.model
    def _default_quarter(self):
        """(year, quarter) of the last quarter that ended."""
        return self.env["library.complaint.quarter.report"]._get_last_ended_quarter(
            self.env.company
        )

    def _is_valid_year(self):
        self.ensure_one()
        return is_common_era_year(self.year)

    @api.depends("company_id", "basis", "year", "quarter")
    def _compute_quarter(self):
        Report = self.env["library.complaint.quarter.report"]
        for wizard in self:
            if not (wizard.basis and wizard.quarter and wizard._is_valid_year()):
                wizard.title = wizard.date_from = wizard.date_last = False
                wizard.report_id = False
                continue
            date_from, date_to = quarter_bounds(wizard.year, int(wizard.quarter), wizard.basis)
            wizard.title = Report.new(
                {"year": wizard.year, "quarter": int(wizard.quarter), "basis": wizard.basis}
            ).name
            wizard.date_from = date_from
            wizard.date_last = last_day(date_to)
            wizard.report_id = Report.search(
                [("company_id", "=", wizard.company_id.id), ("date_from", "=", date_from)],
                limit=1,
            )

    def action_generate(self):
        """Open the quarter's summary, generated now unless it exists."""
        self.ensure_one()
        check_common_era_year(self.env, self.year)
        report = (
            self.env["library.complaint.quarter.report"]
            .with_company(self.company_id)
            ._generate_ended_quarter_report(self.year, int(self.quarter))
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": report._name,
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

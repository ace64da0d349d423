from odoo import fields, models


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

    def _get_complaint_calendar(self):
        """The calendar on which complaint deadlines and escalations are counted."""
        self.ensure_one()
        return (
            self.complaint_calendar_id
            or self.env.ref("library_complaints.resource_calendar_official", False)
            or self.resource_calendar_id
        )

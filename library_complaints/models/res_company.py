from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Complaint working calendar",
        help="The official working days and public holidays that time complaint handling. "
        "Left empty, the office's 'Official working days' calendar is used.",
    )

    def _get_complaint_calendar(self):
        """The calendar on which complaint deadlines and escalations are counted."""
        self.ensure_one()
        return (
            self.complaint_calendar_id
            or self.env.ref("library_complaints.resource_calendar_official", False)
            or self.resource_calendar_id
        )

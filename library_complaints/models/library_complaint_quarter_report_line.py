from odoo import fields, models

# Where a figure's record lives, per dimension.
DIMENSION_MODELS = {
    "track": "library.complaint.track",
    "track_comparison": "library.complaint.track",
    "service": "library.complaint.service",
    "division": "library.complaint.division",
    "channel": "helpdesk.ticket.channel",
    "assessment": "library.complaint.service",
}


class LibraryComplaintQuarterReportLine(models.Model):
    _name = "library.complaint.quarter.report.line"
    _description = "Quarterly complaint summary figure"
    _order = "report_id, dimension, sequence, id"

    report_id = fields.Many2one(
        comodel_name="library.complaint.quarter.report",
        required=True,
        ondelete="cascade",
        index=True,
    )
    dimension = fields.Selection(
        selection=[
            ("track", "Track"),
            ("service", "Service"),
            ("division", "Division"),
            ("channel", "Channel"),
            ("track_comparison", "Track, earlier quarters"),
            ("escalation", "Escalated to"),
            ("decision", "Committee decision"),
            ("assessment", "Service assessment"),
        ],
        required=True,
    )
    sequence = fields.Integer()
    name = fields.Char(required=True)
    res_id = fields.Integer(string="Record ID")
    key = fields.Char(help="The selection key of an escalation level or a decision.")
    count = fields.Integer()
    on_time_count = fields.Integer(string="On time")
    late_count = fields.Integer(string="Late")
    prev_count = fields.Integer(string="Previous quarter")
    last_year_count = fields.Integer(string="Same quarter last year")
    # ---- the service's latest assessment round (dimension "assessment")
    satisfaction_rate = fields.Float(string="Satisfied (%)", digits=(5, 1))
    satisfaction_delta = fields.Float(string="Satisfied, change", digits=(5, 1))
    dissatisfaction_rate = fields.Float(string="Dissatisfied (%)", digits=(5, 1))
    dissatisfaction_delta = fields.Float(string="Dissatisfied, change", digits=(5, 1))
    engagement_rate = fields.Float(string="Engaged (%)", digits=(5, 1))
    engagement_delta = fields.Float(string="Engaged, change", digits=(5, 1))
    # ---- published on the statistics page (library_complaint_quarter_report_publication.py)
    median_handling_days = fields.Float(string="Median handling (working days)", digits=(6, 1))
    open_count = fields.Integer(string="Still open")
    satisfaction_count = fields.Integer(string="Survey answers")
    satisfaction_score = fields.Float(string="Average satisfaction", digits=(3, 2))

    def _get_label(self):
        """The figure's label in the current language (names are stored in the
        language the report was generated in)."""
        self.ensure_one()
        model = DIMENSION_MODELS.get(self.dimension)
        if model:
            record = self.env[model].sudo().browse(self.res_id).exists()
            return record.display_name if record else self.env._("Not set")
        if self.dimension == "escalation":
            field = self.env["library.complaint.escalation"]._fields["to_level"]
        else:
            field = self.env["library.complaint.meeting.item"]._fields["decision"]
        return dict(field._description_selection(self.env)).get(self.key, self.name)

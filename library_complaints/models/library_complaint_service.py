from odoo import fields, models


class LibraryComplaintService(models.Model):
    """A service of the office whose users may complain (and are surveyed)."""

    _name = "library.complaint.service"
    _inherit = ["library.complaint.configuration.mixin"]
    _description = "Complaint Service"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    division_id = fields.Many2one(
        comodel_name="library.complaint.division",
        required=True,
        ondelete="restrict",
        index=True,
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Handling work group",
        help="The work group that receives the complaints about this service.",
    )
    active = fields.Boolean(default=True)
    outcome_audience_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="library_complaint_service_outcome_audience_rel",
        string="Outcome email audience",
        help="Who receives the outcomes of this service's complaints by email "
        "(a mailing list address, the service's user groups).",
    )
    notice_location_id = fields.Many2one(
        comodel_name="library.complaint.notice.location",
        string="Default noticeboard",
        ondelete="set null",
        groups="base.group_user",
        help="Where the printed outcome notices of this service's complaints are posted, "
        "unless staff choose another noticeboard.",
    )

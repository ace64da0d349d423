from odoo import fields, models


class LibraryComplaintTrack(models.Model):
    """A severity track: how the office handles a complaint of that kind."""

    _name = "library.complaint.track"
    _inherit = ["library.complaint.configuration.mixin"]
    _description = "Complaint Severity Track"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Track number, 1 being the most urgent.")
    description = fields.Text(translate=True)
    target_working_days = fields.Integer(
        string="Target (working days)",
        default=1,
        help="Official working days allowed to handle a complaint of this track.",
    )
    can_close_on_spot = fields.Boolean(
        string="Staff may close on the spot",
        help="The staff member on duty can fix and close the complaint at once.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _target_working_days_positive = models.Constraint(
        "CHECK(target_working_days > 0)",
        "The target time of a track must be at least one working day.",
    )

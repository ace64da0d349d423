from odoo import fields, models


class LibraryComplaintIdentity(models.Model):
    """The LINE user of a confidential complaint made on LINE: kept with the
    complainant's name and email, for complaint managers only."""

    _inherit = "library.complaint.identity"

    line_user_id = fields.Char(string="LINE user", copy=False)

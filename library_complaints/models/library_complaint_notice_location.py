from odoo import fields, models


class LibraryComplaintNoticeLocation(models.Model):
    """A noticeboard of the office where printed outcome notices are posted: a list
    complaint managers keep, which staff pick from when they publish an outcome."""

    _name = "library.complaint.notice.location"
    _description = "Noticeboard"
    _order = "sequence, name, id"

    name = fields.Char(string="Noticeboard", required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="The office whose noticeboard it is; empty: every office's.",
    )
    note = fields.Char(string="Where exactly", help="How to find it, for a new staff member.")

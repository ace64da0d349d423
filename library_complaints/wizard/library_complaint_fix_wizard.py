from odoo import fields, models
from odoo.tools import plaintext2html


class LibraryComplaintFixWizard(models.TransientModel):
    """Track 1: the staff member on duty records what was done and closes."""

    _name = "library.complaint.fix.wizard"
    _description = "Complaint Fixed on the Spot"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    resolution = fields.Text(string="What was done", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.check_access("write")
        self.ticket_id._check_can_fix_on_the_spot()
        self.ticket_id._close_fixed_on_the_spot(plaintext2html(self.resolution))
        return {"type": "ir.actions.act_window_close"}

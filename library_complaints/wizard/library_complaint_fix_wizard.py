from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class LibraryComplaintFixWizard(models.TransientModel):
    """Track 1: the staff member on duty records what was done and closes. What they
    write is the complaint's one "What was done": the outcome's publication dialog
    starts from it."""

    _name = "library.complaint.fix.wizard"
    _description = "Complaint Fixed on the Spot"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    # Not `required`: the web client would refuse in English; action_confirm says it.
    resolution = fields.Text(string="What was done")

    def _check_resolution(self):
        if not (self.resolution or "").strip():
            raise UserError(
                self.env._(
                    "Write %(field)s before closing the complaint as fixed.",
                    field=f"“{self._fields['resolution']._description_string(self.env)}”",
                )
            )

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.check_access("write")
        self._check_resolution()
        self.ticket_id._check_can_fix_on_the_spot()
        self.ticket_id._close_fixed_on_the_spot(plaintext2html(self.resolution.strip()))
        return {"type": "ir.actions.act_window_close"}

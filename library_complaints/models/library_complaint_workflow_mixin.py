from odoo import api, models

from ..tools.workflow import check_workflow_write


class LibraryComplaintWorkflowMixin(models.AbstractModel):
    """Records whose fields only the workflow's own actions write.

    A model inheriting this refuses, unless as the superuser, a create or a write
    that sets one of its read-only fields. A log (``_workflow_log = True``: an
    escalation, a notice, an approval step) is written by the workflow alone: every
    field is protected.
    """

    _name = "library.complaint.workflow.mixin"
    _description = "Complaint record written by its workflow"

    # True for a log: no field of it is written by hand.
    _workflow_log = False

    def _check_workflow_write(self, vals):
        check_workflow_write(self, vals, extra=vals if self._workflow_log else ())

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        return super().write(vals)

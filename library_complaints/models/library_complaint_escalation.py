from odoo import api, fields, models

# The escalation ladder of the office, lowest first.
ESCALATION_LEVELS = [
    ("staff", "Staff"),
    ("wg_head", "Work-group head"),
    ("division_head", "Division head"),
    ("committee", "MT committee"),
]
LEVEL_ORDER = [key for key, __ in ESCALATION_LEVELS]


def next_level(level):
    """The level above `level`, or None at the top."""
    index = LEVEL_ORDER.index(level or "staff")
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def is_above(level, other):
    return LEVEL_ORDER.index(level) > LEVEL_ORDER.index(other or "staff")


class LibraryComplaintEscalation(models.Model):
    """One escalation of a complaint: who or what moved it, from where to where, why."""

    _name = "library.complaint.escalation"
    _inherit = ["library.complaint.workflow.mixin"]
    _description = "Complaint Escalation"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    _workflow_log = True

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    rule_id = fields.Many2one(
        comodel_name="library.complaint.escalation.rule",
        index=True,
        ondelete="set null",
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        default=lambda self: self.env.user,
        help="Who did what triggered the escalation (the system for scheduled rules).",
    )
    from_level = fields.Selection(ESCALATION_LEVELS, string="From", required=True)
    to_level = fields.Selection(ESCALATION_LEVELS, string="To", required=True)
    to_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="library_complaint_escalation_to_user_rel",
        string="New owners",
    )
    reason = fields.Text(required=True)

    # Nothing escalates twice to the same level for the same rule.
    _rule_level_unique = models.UniqueIndex(
        "(ticket_id, rule_id, to_level) WHERE rule_id IS NOT NULL",
        "This complaint was already escalated to that level by this rule.",
    )

    @api.model
    def _get_list_action(self, domain):
        """The escalations matching `domain`, as a list (from a complaint or a rule)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalations"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": domain,
        }

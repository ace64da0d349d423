from odoo import fields, models

# Who may read the fields below: the office's users, never a portal user.
INTERNAL = "base.group_user"


class HelpdeskTicket(models.Model):
    """What a patron reads of their own complaint: no link to a record they may not read.

    Odoo reads a many2one's display name as the superuser, so a portal user who may
    read a complaint read, through these fields, the number and title of the
    complaint staff linked it to, the names of the staff who handle, approve or last
    wrote it, the office's internal categories. They are the office's fields: a
    portal user reads none of them (``read``, the external API, the portal's pages,
    the tracking values of the chatter). Fields a patron may read on their complaint
    point only to records they may read themselves (the service, the track, the
    stage, the team, themselves): ``tests/test_portal_access.py`` sweeps them all.
    """

    _inherit = "helpdesk.ticket"

    # who wrote it: staff, or the system
    create_uid = fields.Many2one("res.users", groups=INTERNAL)
    write_uid = fields.Many2one("res.users", groups=INTERNAL)
    # helpdesk_mgmt's: the staff, the office's internal labels, linked tickets
    user_id = fields.Many2one(groups=INTERNAL)
    user_ids = fields.Many2many(groups=INTERNAL)
    tag_ids = fields.Many2many(groups=INTERNAL)
    # the files (the portal page lists them as the system, with their access tokens)
    attachment_ids = fields.One2many(groups=INTERNAL)
    channel_id = fields.Many2one(groups=INTERNAL)
    duplicate_id = fields.Many2one(groups=INTERNAL)
    duplicate_ids = fields.One2many(groups=INTERNAL)
    # the office's handling: other people, heads, the committee, its categories
    affected_partner_ids = fields.Many2many(groups=INTERNAL)
    approver_id = fields.Many2one(groups=INTERNAL)
    committee_responsible_id = fields.Many2one(groups=INTERNAL)
    cause_id = fields.Many2one(groups=INTERNAL)
    escalation_ids = fields.One2many(groups=INTERNAL)
    notice_ids = fields.One2many(groups=INTERNAL)
    lesson_ids = fields.One2many(groups=INTERNAL)
    survey_user_input_ids = fields.One2many(groups=INTERNAL)
    # recurrence: other people's complaints
    recurrence_of_id = fields.Many2one(groups=INTERNAL)
    recurrence_ids = fields.One2many(groups=INTERNAL)
    recurrence_root_id = fields.Many2one(groups=INTERNAL)
    recurrence_dismissed_ids = fields.Many2many(groups=INTERNAL)
    similar_complaint_ids = fields.Many2many(groups=INTERNAL)

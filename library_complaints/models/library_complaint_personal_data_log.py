import hashlib

from odoo import api, fields, models
from odoo.tools import email_normalize


class LibraryComplaintPersonalDataLog(models.Model):
    """What was done with complainants' personal data: an export, an erasure on
    request, a run of the retention job. Holds no personal data itself: the
    person is at most a salted one-way hash of their email."""

    _name = "library.complaint.personal.data.log"
    _inherit = ["library.complaint.workflow.mixin"]
    _description = "Personal data log"
    _order = "create_date desc, id desc"
    _workflow_log = True

    action = fields.Selection(
        selection=[
            ("export", "Export"),
            ("erase", "Erasure on request"),
            ("retention", "Retention period over"),
        ],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Done by",
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", readonly=True, default=lambda self: self.env.company
    )
    email_hash = fields.Char(
        string="Person (hash of the email)",
        readonly=True,
        help="Salted SHA-256 of the person's email address: it tells whether a later "
        "request is about the same person, without naming them.",
    )
    ticket_refs = fields.Text(string="Complaints", readonly=True)
    ticket_count = fields.Integer(string="Complaints", readonly=True)
    message_count = fields.Integer(string="Messages", readonly=True)
    attachment_count = fields.Integer(string="Files", readonly=True)
    survey_answer_count = fields.Integer(string="Survey answers", readonly=True)
    partner_count = fields.Integer(
        string="Contacts anonymised",
        readonly=True,
        help="Contacts created for complainants and used by nothing else, anonymised "
        "and archived. Contacts of user accounts are never changed.",
    )

    @api.model
    def _hash_email(self, email):
        """Salted SHA-256 of a normalized email address (the database secret salts it)."""
        if not email:
            return False
        salt = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        normalized = email_normalize(email) or email.strip().lower()
        return hashlib.sha256(f"{salt}:{normalized}".encode()).hexdigest()

    @api.model
    def _log(self, action, tickets, counts, email=None, company=None):
        """One log line, written by the system for the current user."""
        return self.sudo().create(
            {
                "action": action,
                "user_id": self.env.user.id,
                "company_id": (company or self.env.company).id,
                "email_hash": self._hash_email(email),
                "ticket_refs": ", ".join(tickets.sudo().mapped("number")) or False,
                "ticket_count": len(tickets),
                "message_count": counts.get("messages", 0),
                "attachment_count": counts.get("attachments", 0),
                "survey_answer_count": counts.get("survey_answers", 0),
                "partner_count": counts.get("partners", 0),
            }
        )

from odoo import api, fields, models
from odoo.tools import email_normalize


class LibraryComplaintIdentity(models.Model):
    """Who submitted a confidential complaint.

    The complaint itself stores no partner, name or email of a confidential
    complainant: they are kept here, where only complaint managers may read
    them. Mails to the complainant are sent from here, outside the complaint's
    chatter.
    """

    _name = "library.complaint.identity"
    _description = "Confidential complainant"
    _order = "id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Complainant", ondelete="set null", index=True
    )
    partner_name = fields.Char(string="Name")
    partner_email = fields.Char(string="Email")
    # found by the normalized address, compared with "=" (see the personal data dialog)
    partner_email_normalized = fields.Char(
        string="Normalized email",
        compute="_compute_partner_email_normalized",
        store=True,
        precompute=True,
        index="btree_not_null",
    )

    _ticket_unique = models.UniqueIndex("(ticket_id)")

    @api.depends("partner_email")
    def _compute_partner_email_normalized(self):
        for identity in self:
            identity.partner_email_normalized = email_normalize(identity.partner_email or "")

    @api.depends("partner_id", "partner_name", "partner_email")
    def _compute_display_name(self):
        for identity in self:
            identity.display_name = (
                identity.partner_id.display_name
                or identity.partner_name
                or identity.partner_email
                or self.env._("Unknown")
            )

    @api.model
    def _prepare_values(self, ticket_vals):
        """The identity values in a complaint's values (partner, name, email),
        completed from the partner."""
        vals = {
            fname: ticket_vals[fname]
            for fname in ("partner_id", "partner_name", "partner_email")
            if ticket_vals.get(fname)
        }
        partner = self.env["res.partner"].sudo().browse(vals.get("partner_id"))
        if partner:
            vals.setdefault("partner_name", partner.name)
            vals.setdefault("partner_email", partner.email)
        return vals

    def _get_recipient(self):
        """(partner, email) the complainant is mailed at; partner may be empty."""
        self.ensure_one()
        return self.partner_id, self.partner_id.email or self.partner_email or False

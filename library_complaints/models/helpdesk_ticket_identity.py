from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.exceptions import AccessError
from odoo.fields import Command, Domain
from odoo.tools import SQL, formataddr

from .helpdesk_ticket import IDENTITY_FIELDS


class HelpdeskTicket(models.Model):
    """Confidential complainants: the complaint stores no partner, name or email
    of theirs; library.complaint.identity does, for complaint managers only.
    """

    _inherit = "helpdesk.ticket"

    confidential_identity_ids = fields.One2many(
        comodel_name="library.complaint.identity",
        inverse_name="ticket_id",
        string="Confidential complainant",
        readonly=True,
        groups="library_complaints.group_complaint_manager",
    )
    is_my_confidential_complaint = fields.Boolean(
        string="Submitted confidentially by me",
        compute="_compute_is_my_confidential_complaint",
        search="_search_is_my_confidential_complaint",
        help="The current user submitted this complaint and asked that only complaint "
        "managers know who they are (lets them follow it in their portal).",
    )

    @api.depends_context("uid")
    def _compute_is_my_confidential_complaint(self):
        mine = self._get_my_confidential_complaint_ids()
        for ticket in self:
            ticket.is_my_confidential_complaint = ticket._origin.id in mine

    def _search_is_my_confidential_complaint(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        mine = Domain("id", "in", sorted(self._get_my_confidential_complaint_ids()))
        wanted = (True in value) == (operator == "in")
        return mine if wanted else ~mine

    @api.model
    def _get_my_confidential_complaint_ids(self):
        """Ids of the confidential complaints of the current user: the identities are
        read as the system, for the current user's own partner only."""
        partner = self.env.user.partner_id
        if not partner:
            return set()
        identities = (
            self.env["library.complaint.identity"]
            .sudo()
            .search_fetch([("partner_id", "=", partner.id)], ["ticket_id"])
        )
        return set(identities.ticket_id.ids)

    @api.model
    def _can_read_confidential_identity(self):
        return self.env.su or self.env.user.has_group("library_complaints.group_complaint_manager")

    def _get_confidential_identity(self):
        """The identity record of a confidential complaint (as the system), or empty."""
        self.ensure_one()
        Identity = self.env["library.complaint.identity"].sudo()
        if not self.sudo().is_confidential:
            return Identity
        return Identity.search([("ticket_id", "=", self.id)], limit=1)

    def _get_confidential_partner(self):
        """The partner of a confidential complainant (for mailing them), or empty."""
        self.ensure_one()
        return self._get_confidential_identity().partner_id

    def _has_known_complainant(self):
        """Whether the outcome can be told to the complainant directly."""
        self.ensure_one()
        if self.is_anonymous:
            return False
        if self.is_confidential:
            identity = self._get_confidential_identity()
            return bool(identity and identity._get_recipient()[1])
        return bool(self.partner_id)

    def _move_confidential_identity(self, vals):
        """Keep a confidential complainant's identity off the complaint (from write).

        Identity values written on a complaint that is, or becomes, confidential
        go to its identity record; only complaint managers may make a complaint
        not confidential again, which brings its identity back.

        :return: the values left to write on the complaints
        """
        if self.env.context.get("library_complaints_identity_moved") or (
            "is_confidential" not in vals and not any(fname in vals for fname in IDENTITY_FIELDS)
        ):
            return vals
        tickets = self.sudo().filtered(lambda t: not t.is_anonymous)
        if "is_confidential" in vals and not vals["is_confidential"]:
            revealed = tickets.filtered("is_confidential")
            if revealed:
                if not self._can_read_confidential_identity():
                    raise AccessError(
                        self.env._(
                            "Only complaint managers can make the complainant of a "
                            "confidential complaint known."
                        )
                    )
                revealed._reveal_confidential_identity(vals)
            return vals
        confidential = tickets.filtered(lambda t: vals.get("is_confidential") or t.is_confidential)
        if not confidential:
            return vals
        identity_vals = {fname: vals[fname] for fname in IDENTITY_FIELDS if fname in vals}
        known = self - confidential
        if identity_vals and known:
            known.write(identity_vals)
        confidential._hide_confidential_identity(identity_vals)
        vals = {key: value for key, value in vals.items() if key not in IDENTITY_FIELDS}
        if vals.get("is_confidential"):
            vals.update(dict.fromkeys(("partner_id", "partner_name", "partner_email"), False))
        return vals

    def _hide_confidential_identity(self, identity_vals=None):
        """Move the identity of these confidential complaints to their identity
        records, with `identity_vals` on top; then remove what still names the
        complainant on the complaint: follower, author and recipient of messages,
        survey answers that staff read, creator and last editor.

        Also how existing confidential complaints are brought to this model (see
        `_migrate_confidential_identities`).
        """
        identity_vals = {
            fname: value
            for fname, value in (identity_vals or {}).items()
            if fname in ("partner_id", "partner_name", "partner_email")
        }
        Identity = self.env["library.complaint.identity"].with_user(SUPERUSER_ID)
        for ticket in self.with_user(SUPERUSER_ID):
            current = {
                "partner_id": ticket.partner_id.id,
                "partner_name": ticket.partner_name,
                "partner_email": ticket.partner_email,
            }
            if "partner_id" in identity_vals:
                current = {}
            values = Identity._prepare_values({**current, **identity_vals})
            identity = ticket.confidential_identity_ids[:1]
            if identity:
                identity.write(
                    dict(dict.fromkeys(identity_vals, False), **values) if identity_vals else {}
                )
            elif values:
                identity = Identity.create(dict(values, ticket_id=ticket.id))
            if ticket.partner_id or ticket.partner_name or ticket.partner_email:
                ticket.with_context(library_complaints_identity_moved=True).write(
                    dict.fromkeys(("partner_id", "partner_name", "partner_email"), False)
                )
            ticket._remove_complainant_traces(identity.partner_id)

    def _remove_complainant_traces(self, partner):
        """What names `partner`, the confidential complainant, on the complaint."""
        self.ensure_one()
        if partner:
            self.message_unsubscribe(partner.ids)
            messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", self._name), ("res_id", "=", self.id)])
            )
            neutral = self.env.ref("library_complaints.partner_confidential_complainant")
            authored = messages.filtered(lambda m: m.author_id == partner)
            authored.write(
                {"author_id": neutral.id, "email_from": self._get_confidential_email_from()}
            )
            if authored:
                authored.flush_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE mail_message SET create_uid = %s, write_uid = %s WHERE id IN %s",
                        SUPERUSER_ID,
                        SUPERUSER_ID,
                        tuple(authored.ids),
                    )
                )
                authored.invalidate_recordset(["create_uid", "write_uid"])
            # Mails to the complainant become private mails, out of the chatter.
            mails = self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)])
            sent_to_them = (
                messages.filtered(
                    lambda m: partner in m.partner_ids | m.notification_ids.res_partner_id
                )
                | mails.filtered(lambda m: partner in m.recipient_ids).mail_message_id
            )
            sent_to_them.write({"model": False, "res_id": False})
            self.env["survey.user_input"].sudo().search(
                [("ticket_id", "=", self.id), ("partner_id", "=", partner.id)]
            ).write({"is_confidential_complainant": True})
        self._sign_private_complaints_as_system()

    def _sign_private_complaints_as_system(self):
        """These complaints (all anonymous and confidential ones when called on an
        empty recordset), if a portal user created or last changed them (as the
        portal did before), are signed by the system instead; one query."""
        self.flush_model(["create_uid", "write_uid"])
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket t
                      SET create_uid = CASE WHEN c.share THEN %(root)s ELSE t.create_uid END,
                          write_uid = CASE WHEN w.share THEN %(root)s ELSE t.write_uid END
                     FROM res_users c, res_users w
                    WHERE c.id = t.create_uid AND w.id = t.write_uid
                      AND (c.share OR w.share)
                      AND (t.id = ANY(%(ids)s)
                           OR %(all)s AND (t.is_anonymous OR t.is_confidential))""",
                root=SUPERUSER_ID,
                all=not self,
                ids=self.ids,
            )
        )
        self.invalidate_model(["create_uid", "write_uid"])

    def _reveal_confidential_identity(self, vals):
        """A complaint manager makes these complaints not confidential: their
        identity goes back on the complaint (unless `vals` sets it)."""
        for ticket in self:
            identity = ticket.confidential_identity_ids[:1]
            restored = {
                fname: identity[fname].id if fname == "partner_id" else identity[fname]
                for fname in ("partner_id", "partner_name", "partner_email")
                if fname not in vals
            }
            ticket.with_context(library_complaints_identity_moved=True).write(restored)
            identity.unlink()

    @api.model
    def _migrate_confidential_identities(self):
        """Bring confidential complaints stored before identities had their own
        record (demo data, older databases) to this model; safe to run again."""
        tickets = (
            self.with_user(SUPERUSER_ID)
            .with_context(active_test=False)
            .search(
                Domain("is_confidential", "=", True)
                & Domain("is_anonymous", "=", False)
                & (
                    Domain("partner_id", "!=", False)
                    | Domain("partner_name", "!=", False)
                    | Domain("partner_email", "!=", False)
                )
            )
        )
        tickets._hide_confidential_identity()
        self.browse()._sign_private_complaints_as_system()
        return True

    def _get_confidential_email_from(self):
        neutral = self.env.ref("library_complaints.partner_confidential_complainant")
        company = self.company_id or self.env.company
        return formataddr((neutral.name, company.email)) if company.email else False

    @api.model
    def _sign_attachments_as_system(self, attachments):
        """The files a confidential complainant attached: owned by the system too."""
        if attachments:
            attachments.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_attachment SET create_uid = %s, write_uid = %s WHERE id IN %s",
                    SUPERUSER_ID,
                    SUPERUSER_ID,
                    tuple(attachments.ids),
                )
            )
            attachments.invalidate_recordset(["create_uid", "write_uid"])

    def _mail_confidential_complainant(self, template):
        """Mail `template` to the confidential complainant, outside the chatter.

        Rendered on an in-memory copy of the complaint that names them, so the
        template reads as for a known complainant; the mail is linked to no
        record and sent by the system, so no one but complaint managers (and
        administrators) can find whom it went to.

        :return: the mail, or an empty recordset when there is no email to use
        """
        self.ensure_one()
        identity = self._get_confidential_identity()
        partner, email = identity._get_recipient() if identity else (self.env["res.partner"], False)
        if not email:
            return self.env["mail.mail"]
        system = self.with_user(SUPERUSER_ID)
        named = system.new(
            {
                "partner_id": partner.id,
                "partner_name": identity.partner_name,
                "partner_email": email,
            },
            origin=system,
        )
        recipient = (
            {"recipient_ids": [Command.set(partner.ids)]} if partner else {"email_to": email}
        )
        return template.with_user(SUPERUSER_ID).send_mail_batch(
            [named.id],
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"model": False, "res_id": False, **recipient},
        )

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID

from ..tools.workflow import check_workflow_write

STAFF = "library_complaints.group_complaint_staff"


class HelpdeskTicket(models.Model):
    """Complaints made on LINE: the LINE user who made one is personal data, kept
    like an email address (on the confidential identity record for a confidential
    complaint, erased with the complainant's other data), and the one the outcome
    is pushed to (the "direct" channel of LINE complainants)."""

    _inherit = "helpdesk.ticket"

    line_user_id = fields.Char(
        string="LINE user",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=STAFF,
        help="The LINE user who made the complaint on the office's LINE account; the "
        "outcome is pushed to them.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        hidden = []
        for vals in vals_list:
            # only the LINE conversation (the system) sets it: refused to anyone else
            # before it is taken out of the values of a confidential complaint
            check_workflow_write(self, vals.keys() & {"line_user_id"})
            line_user_id = False
            if vals.get("is_anonymous"):
                vals.pop("line_user_id", None)
            elif vals.get("is_confidential"):
                line_user_id = vals.pop("line_user_id", False)
            hidden.append(line_user_id)
        tickets = super().create(vals_list)
        for ticket, line_user_id in zip(tickets, hidden, strict=True):
            if line_user_id:
                ticket._hide_line_user_id(line_user_id)
        return tickets

    # ------------------------------------------------------------------
    # Confidential complaints: the LINE user goes with the identity

    def _hide_line_user_id(self, line_user_id):
        """Keep `line_user_id` on this confidential complaint's identity record."""
        self.ensure_one()
        ticket = self.with_user(SUPERUSER_ID)
        identity = ticket.confidential_identity_ids[:1] or ticket.env[
            "library.complaint.identity"
        ].create({"ticket_id": ticket.id})
        identity.line_user_id = line_user_id
        if ticket.line_user_id:
            ticket.with_context(library_complaints_identity_moved=True).line_user_id = False

    def _hide_confidential_identity(self, identity_vals=None):
        result = super()._hide_confidential_identity(identity_vals)
        for ticket in self.with_user(SUPERUSER_ID):
            if ticket.line_user_id:
                ticket._hide_line_user_id(ticket.line_user_id)
        return result

    def _reveal_confidential_identity(self, vals):
        line_user_ids = {
            ticket.id: ticket.confidential_identity_ids[:1].line_user_id
            for ticket in self.with_user(SUPERUSER_ID)
        }
        result = super()._reveal_confidential_identity(vals)
        for ticket in self.with_user(SUPERUSER_ID):
            if line_user_ids.get(ticket.id):
                ticket.with_context(
                    library_complaints_identity_moved=True
                ).line_user_id = line_user_ids[ticket.id]
        return result

    def _get_line_recipient(self):
        """The LINE user who made this complaint (as the system), or False."""
        self.ensure_one()
        ticket = self.with_user(SUPERUSER_ID)
        if ticket.is_anonymous:
            return False
        if ticket.is_confidential:
            return ticket._get_confidential_identity().line_user_id or False
        return ticket.line_user_id or False

    def _has_known_complainant(self):
        return super()._has_known_complainant() or bool(self._get_line_recipient())

    # ------------------------------------------------------------------
    # The outcome, pushed on LINE

    def _send_outcome_on_line(self, outcome, Notice):
        """Queue the outcome for the LINE user who made the complaint; the notice
        names them as the complaint does (no one for a confidential complaint)."""
        self.ensure_one()
        if self.sudo().is_confidential:
            audience = self.env.ref("library_complaints.partner_confidential_complainant").name
        else:
            audience = self.sudo().partner_name or self.env._("LINE user")
        audience = f"LINE: {audience}"
        if Notice._is_sent(outcome, "direct", audience):
            return
        line_user_id = self._get_line_recipient()
        company = self.company_id or self.env.company
        conversation = (
            self.env["library.complaint.line.conversation"]
            .sudo()
            .search([("company_id", "=", company.id), ("line_user_id", "=", line_user_id)], limit=1)
        )
        lang = conversation.lang or conversation._pick_lang({})
        text = self.with_context(lang=lang)._get_outcome_line_text(outcome)
        Message = self.env["library.complaint.line.message"]
        Message._queue_push(company, line_user_id, [Message._text(text)])
        Notice._record(outcome, "direct", audience)

    def _get_outcome_line_text(self, outcome):
        """The outcome as the LINE message to the complainant, in the context's language."""
        outcome = outcome.with_env(self.env).sudo()
        parts = [
            self.env._(
                "The outcome of your complaint %(number)s:", number=outcome.number or self.number
            )
        ]
        for label, text in (
            (self.env._("What was found"), outcome.found),
            (self.env._("What was done about it"), outcome.done),
            (self.env._("What will prevent it"), outcome.prevention),
        ):
            if text:
                parts.append(f"{label}:\n{text}")
        parts.append(self.env._("Thank you for telling us."))
        return "\n\n".join(parts)

    # ------------------------------------------------------------------
    # Personal data (the retention rule erases what these name)

    def _get_personal_data_fields(self):
        fnames = getattr(super(), "_get_personal_data_fields", lambda: [])()
        return [*fnames, "line_user_id"]

    def _erase_personal_data(self):
        """Erase the LINE user of these complaints, and their conversations, events
        and messages on LINE."""
        tickets = self.with_user(SUPERUSER_ID)
        identities = tickets.confidential_identity_ids
        line_user_ids = [
            uid
            for uid in {*tickets.mapped("line_user_id"), *identities.mapped("line_user_id")}
            if uid
        ]
        result = getattr(super(), "_erase_personal_data", lambda: None)()
        if line_user_ids:
            for model in (
                "library.complaint.line.conversation",
                "library.complaint.line.event",
                "library.complaint.line.message",
            ):
                self.env[model].sudo().search([("line_user_id", "in", line_user_ids)]).unlink()
        Message = self.env["library.complaint.line.message"].sudo()
        Message.search([("ticket_id", "in", self.ids)]).unlink()
        # the lessons made from these complaints, as pushed to LINE: their text goes
        # (the message stays: the lesson shows whether it was sent)
        Message.search([("lesson_id.ticket_id", "in", self.ids)]).write({"payload": "[]"})
        tickets.exists().filtered("line_user_id").with_context(
            library_complaints_identity_moved=True
        ).write({"line_user_id": False})
        identities.exists().filtered("line_user_id").write({"line_user_id": False})
        return result

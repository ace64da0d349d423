import base64
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import email_normalize, html2plaintext

MANAGER_GROUP = "library_complaints.group_complaint_manager"


class LibraryComplaintPersonalDataWizard(models.TransientModel):
    """A complaint manager answers a person's request under the PDPA: everything
    the office holds about them, exported as a file, or erased."""

    _name = "library.complaint.personal.data.wizard"
    _description = "Personal data of a complainant"

    partner_id = fields.Many2one(comodel_name="res.partner", string="Person")
    email = fields.Char(
        compute="_compute_email",
        store=True,
        readonly=False,
        help="The email address the person used; complaints, messages and survey "
        "answers under it are found even without a contact. Compared exactly (letter "
        "case and the name around it aside): no wildcard.",
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket", string="Complaints", compute="_compute_found"
    )
    ticket_count = fields.Integer(string="Complaints found", compute="_compute_found")
    open_ticket_count = fields.Integer(string="Complaints still open", compute="_compute_found")
    message_count = fields.Integer(string="Messages found", compute="_compute_found")
    survey_answer_count = fields.Integer(string="Survey answers found", compute="_compute_found")
    attachment_count = fields.Integer(string="Files found", compute="_compute_found")
    is_user = fields.Boolean(compute="_compute_found")
    export_file = fields.Binary(string="Export", readonly=True, attachment=False)
    export_filename = fields.Char(readonly=True)

    @api.depends("partner_id")
    def _compute_email(self):
        for wizard in self:
            wizard.email = wizard.partner_id.email or wizard.email

    @api.depends("partner_id", "email")
    def _compute_found(self):
        for wizard in self:
            data = wizard._find_personal_data() if wizard._is_manager() else None
            if not data:
                wizard.ticket_ids = False
                wizard.ticket_count = wizard.open_ticket_count = wizard.message_count = 0
                wizard.survey_answer_count = wizard.attachment_count = 0
                wizard.is_user = False
                continue
            tickets = data["tickets"]
            wizard.ticket_ids = tickets.ids
            wizard.ticket_count = len(tickets)
            wizard.open_ticket_count = len(tickets.filtered(lambda t: not t.stage_id.closed))
            wizard.message_count = len(data["messages"])
            wizard.survey_answer_count = len(data["answers"])
            wizard.attachment_count = len(data["attachments"])
            people = (wizard.partner_id | tickets.partner_id).sudo()
            wizard.is_user = bool(people.with_context(active_test=False).user_ids)

    def _is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _check_manager(self):
        if not self._is_manager():
            raise AccessError(
                self.env._("Only complaint managers may export or erase personal data.")
            )

    def _get_normalized_email(self):
        """The typed address, normalized as Odoo normalizes addresses; False if none
        or not an address."""
        self.ensure_one()
        return email_normalize(self.email or "")

    def _find_personal_data(self):
        """What the office holds about the person, read as the system:
        {tickets, messages, answers, attachments}; empty without a person.

        The person is their contact, or their normalized address compared with "=",
        never a pattern: "john_doe@" finds John Doe, not "johnXdoe@"."""
        self.ensure_one()
        email = self._get_normalized_email()
        partner = self.partner_id
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        empty = {
            "tickets": Ticket,
            "messages": self.env["mail.message"].sudo(),
            "answers": self.env["survey.user_input"].sudo(),
            "attachments": self.env["ir.attachment"].sudo(),
        }
        if not (partner or email):
            return empty
        person = Domain.FALSE
        identity = Domain.FALSE
        answer = Domain.FALSE
        if partner:
            person |= Domain("partner_id", "=", partner.id)
            identity |= Domain("partner_id", "=", partner.id)
            answer |= Domain("partner_id", "=", partner.id)
        if email:
            person |= Domain("partner_email_normalized", "=", email) | Domain(
                "partner_id.email_normalized", "=", email
            )
            identity |= Domain("partner_email_normalized", "=", email) | Domain(
                "partner_id.email_normalized", "=", email
            )
            answer |= Domain("email_normalized", "=", email) | Domain(
                "partner_id.email_normalized", "=", email
            )
        confidential = self.env["library.complaint.identity"].sudo().search(identity).ticket_id
        tickets = Ticket.search(person) | confidential.with_context(active_test=False)
        tickets = tickets.filtered(lambda t: not t.personal_data_erased)
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)], order="date, id"
            )
        )
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .search(Domain("ticket_id", "!=", False) & answer, order="id")
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                Domain("res_model", "=", "helpdesk.ticket") & Domain("res_id", "in", tickets.ids)
                | Domain("id", "in", messages.attachment_ids.ids),
                order="id",
            )
        )
        return {
            "tickets": tickets,
            "messages": messages,
            "answers": answers,
            "attachments": attachments,
        }

    def _check_person(self):
        self.ensure_one()
        if not (self.partner_id or (self.email or "").strip()):
            raise UserError(self.env._("Choose the person, or type their email address."))
        if (self.email or "").strip() and not self._get_normalized_email():
            raise UserError(
                self.env._("“%(email)s” is not an email address.", email=self.email.strip())
            )

    # ------------------------------------------------------------------
    # Export

    def action_export(self):
        """Put everything found about the person in a JSON file, offered for download."""
        self._check_manager()
        self._check_person()
        data = self._find_personal_data()
        content = json.dumps(self._get_export_data(data), ensure_ascii=False, indent=2)
        today = fields.Date.context_today(self)
        self.write(
            {
                "export_file": base64.b64encode(content.encode()),
                "export_filename": f"personal-data-{today}.json",
            }
        )
        self.env["library.complaint.personal.data.log"]._log(
            "export",
            data["tickets"],
            {
                "messages": len(data["messages"]),
                "attachments": len(data["attachments"]),
                "survey_answers": len(data["answers"]),
            },
            email=self.email or self.partner_id.email,
        )
        return self._reopen()

    def _get_export_data(self, data):
        """The export's content: plain values, readable by the person."""

        def text(value):
            return html2plaintext(value or "") or ""

        def when(value):
            return fields.Datetime.to_string(value) if value else None

        return {
            "person": {
                "name": self.partner_id.name or None,
                "email": self.email or self.partner_id.email or None,
            },
            "exported_on": when(fields.Datetime.now()),
            "complaints": [
                {
                    "number": ticket.number,
                    "tracking_code": ticket.tracking_code,
                    "title": ticket.name,
                    "description": text(ticket.description),
                    "location": ticket.location or None,
                    "service": ticket.service_id.name or None,
                    "track": ticket.track_id.name or None,
                    "stage": ticket.stage_id.name,
                    "received_on": when(ticket.received_date),
                    "closed_on": when(ticket.closed_date),
                    "anonymous": ticket.is_anonymous,
                    "confidential": ticket.is_confidential,
                    "name": ticket.partner_name
                    or ticket.confidential_identity_ids[:1].partner_name
                    or None,
                    "email": ticket.partner_email
                    or ticket.confidential_identity_ids[:1].partner_email
                    or None,
                    "what_was_done": text(ticket.resolution) or None,
                }
                for ticket in data["tickets"]
            ],
            "messages": [
                {
                    "complaint": data["tickets"].browse(message.res_id).number,
                    "date": when(message.date),
                    "author": message.author_id.name or message.email_from or None,
                    "subject": message.subject or None,
                    "body": text(message.body),
                    "files": message.attachment_ids.mapped("name"),
                }
                for message in data["messages"]
                if message.body or message.attachment_ids
            ],
            "survey_answers": [
                {
                    "complaint": answer.ticket_id.number,
                    "survey": answer.survey_id.title,
                    "state": answer.state,
                    "date": when(answer.create_date),
                    "satisfaction": answer.satisfaction_score,
                    "answers": [
                        {
                            "question": line.question_id.title,
                            "answer": line.display_name
                            if line.answer_type not in ("char_box", "text_box")
                            else line.value_char_box or line.value_text_box,
                        }
                        for line in answer.user_input_line_ids
                        if not line.skipped
                    ],
                }
                for answer in data["answers"]
            ],
            "files": [
                {
                    "name": attachment.name,
                    "type": attachment.mimetype,
                    "size": attachment.file_size,
                    "date": when(attachment.create_date),
                }
                for attachment in data["attachments"]
            ],
        }

    # ------------------------------------------------------------------
    # Erasure

    def action_erase(self):
        """Erase what identifies the person, at their request: their complaints are
        anonymised as the retention job does, whatever their age (an open complaint
        stays open, with no one to tell its outcome to); their answers to other
        complaints' surveys are no longer linked to them."""
        self._check_manager()
        self._check_person()
        data = self._find_personal_data()
        tickets = data["tickets"]
        counts = tickets._erase_personal_data()
        others = data["answers"].exists().filtered(lambda a: a.partner_id or a.email)
        needles = [
            value
            for value in {
                self.email,
                self._get_normalized_email(),
                self.partner_id.name,
                self.partner_id.email,
            }
            if value and len(value) >= 3
        ]
        tickets._erase_survey_answers(others, needles)
        counts["survey_answers"] = counts.get("survey_answers", 0) + len(others)
        people = self.partner_id
        if email := self._get_normalized_email():
            people |= (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search([("email_normalized", "=", email)])
            )
        if people:
            affected = (
                self.env["helpdesk.ticket"]
                .sudo()
                .with_context(active_test=False, mail_notrack=True)
                .search([("affected_partner_ids", "in", people.ids)])
            )
            affected.write({"affected_partner_ids": [Command.unlink(p.id) for p in people]})
        log = self.env["library.complaint.personal.data.log"]._log(
            "erase", tickets, counts, email=self.email or self.partner_id.email
        )
        # the dialog itself held the address: it goes too
        self.write({"partner_id": False, "email": False, "export_file": False})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal data log"),
            "res_model": log._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "target": "current",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal data of a complainant"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

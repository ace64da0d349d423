"""Complaints by email: a message to a team's alias is a complaint like any other.

helpdesk_mgmt's mail gateway creates the ticket (``message_new``) and threads replies
(``message_update``); here the complaint gets its channel, complainant, received date
and acknowledgement, its files pass the forms' checks, and automatic mail (auto-replies,
out-of-office notices) creates nothing. Bounces never reach a route: Odoo's gateway
handles them (``mail.thread._routing_handle_bounce``).
"""

import logging
import os
import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import email_normalize, html_sanitize, is_html_empty, plaintext2html
from odoo.tools.mail import decode_message_header, parse_contact_from_email

from .library_complaint_form import MAX_FILE_NAME, MAX_FILES, MAX_TOTAL_SIZE, MEGABYTE

_logger = logging.getLogger(__name__)

EMAIL_CHANNEL = "helpdesk_mgmt.helpdesk_ticket_channel_email"
ACKNOWLEDGEMENT_TEMPLATE = "library_complaints.mail_template_complaint_acknowledgement_email"
# Set while the gateway creates a complaint: message_new acknowledges the sender itself.
MAIL_INTAKE_CONTEXT = "library_complaints_mail_intake"
# A tracking code quoted in a subject, e.g. "Re: [ABCDE-FGH23] ...".
SUBJECT_CODE_RE = re.compile(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b")
# Automatic mail (RFC 3834 and what common mailers send instead).
AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoreply-From", "X-Mail-Autoreply")
AUTOMATIC_PRECEDENCE = frozenset({"bulk", "auto_reply", "junk"})
AUTOREPLY_SUBJECT_RE = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|auto:|"
    r"ตอบกลับอัตโนมัติ|ไม่อยู่ที่สำนักงาน)",
    re.IGNORECASE,
)
THAI_RE = re.compile(r"[\u0e00-\u0e7f]")
# Mark the acknowledgement as automatic: well-behaved autoresponders do not answer it.
ACKNOWLEDGEMENT_HEADERS = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Routing

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """On a route that would create a complaint: automatic mail creates nothing,
        and a message quoting one of the sender's tracking codes in its subject
        threads on that complaint."""
        if route[0] == self._name and not route[1]:
            if self._is_automatic_mail(message):
                _logger.info(
                    "Routing mail from %s with Message-Id %s: automatic reply, no complaint",
                    message_dict.get("email_from"),
                    message_dict.get("message_id"),
                )
                return ()
            complaint = self._find_complaint_by_subject_code(message_dict)
            if complaint:
                route = (route[0], complaint.id, *route[2:])
        return super()._routing_check_route(
            message, message_dict, route, raise_exception=raise_exception
        )

    @api.model
    def _is_automatic_mail(self, message):
        """Whether ``message`` (an ``email.message``) was sent by a program: an
        auto-reply, an out-of-office notice, a bulk mailing."""
        auto_submitted = str(message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if any(
            str(message.get(header) or "").strip().lower() not in ("", "no")
            for header in AUTOREPLY_HEADERS
        ):
            return True
        precedence = str(message.get("Precedence") or message.get("X-Precedence") or "")
        if precedence.strip().lower() in AUTOMATIC_PRECEDENCE:
            return True
        if str(message.get("Return-Path") or "").strip() == "<>":
            return True
        return bool(AUTOREPLY_SUBJECT_RE.match(decode_message_header(message, "Subject")))

    @api.model
    def _find_complaint_by_subject_code(self, message_dict):
        """The complaint whose tracking code the subject quotes, if the sender is its
        complainant (or follows it); else an empty recordset."""
        codes = SUBJECT_CODE_RE.findall((message_dict.get("subject") or "").upper())
        sender = email_normalize(message_dict.get("email_from") or "")
        if not codes or not sender:
            return self.browse()
        complaint = self.sudo().search([("tracking_code", "in", codes)], limit=1)
        if complaint and sender in complaint._get_complainant_emails():
            return complaint.with_env(self.env)
        return self.browse()

    def _get_complainant_emails(self):
        """The normalized addresses of whoever may write to the complaint by email."""
        self.ensure_one()
        partners = self.partner_id | self.message_partner_ids
        if self.is_confidential:
            partners |= self._get_confidential_partner()
        emails = set(partners.mapped("email_normalized"))
        emails.add(email_normalize(self.partner_email or ""))
        emails.discard(False)
        return emails

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """The complaints one address made: Odoo ignores a sender that makes too many
        in a short time (a mail loop with an autoresponder that sends no header)."""
        return [
            "|",
            ("partner_email_normalized", "=", email_from_normalized),
            ("partner_id.email_normalized", "=", email_from_normalized),
        ]

    # ------------------------------------------------------------------
    # Gateway

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """The email is a complaint: channel Email, the sender as complainant, received
        when the mail was sent, waiting for triage; acknowledged to the sender."""
        values = dict(self._prepare_mail_intake_values(msg_dict), **(custom_values or {}))
        intake = self.with_context(**{MAIL_INTAKE_CONTEXT: True})
        complaint = super(HelpdeskTicket, intake).message_new(msg_dict, custom_values=values)
        complaint = complaint.with_env(self.env)
        # the refusals in the sender's language: the acknowledgement quotes them
        in_lang = complaint.with_context(lang=complaint._get_mail_intake_lang())
        refusals = in_lang._keep_allowed_mail_attachments(msg_dict)
        in_lang._note_refused_mail_attachments(refusals)
        complaint._send_mail_acknowledgement(refusals)
        return complaint

    def message_update(self, msg_dict, update_vals=None):
        """A reply: its files pass the same checks as the complaint's."""
        refusals = self._keep_allowed_mail_attachments(msg_dict)
        result = super().message_update(msg_dict, update_vals=update_vals)
        self._note_refused_mail_attachments(refusals)
        return result

    @api.model
    def _prepare_mail_intake_values(self, msg_dict):
        """The complaint's values that the email gives."""
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        received = self._get_mail_received_date(msg_dict)
        description = html_sanitize(msg_dict.get("body") or "")
        if is_html_empty(description):
            description = plaintext2html(
                msg_dict.get("subject") or self.env._("(The email had no text.)")
            )
        return {
            # none if the office deleted the Email channel (as helpdesk_mgmt allows)
            "channel_id": self.env["ir.model.data"]._xmlid_to_res_id(
                EMAIL_CHANNEL, raise_if_not_found=False
            ),
            # unassigned, for the team to triage: not auto-assigned to the user
            # running the mail gateway (helpdesk_mgmt's default_get)
            "user_id": False,
            "partner_id": author.id,
            "partner_name": author.name or name or False,
            "partner_email": author.email or email or False,
            "received_date": received,
            "description": description,
        }

    @api.model
    def _get_mail_received_date(self, msg_dict):
        """The email's Date: header when it is believable (within the company's window
        of days back, not in the future, not in a quarter the committee approved),
        otherwise the time Odoo received the mail."""
        now = fields.Datetime.now()
        if not msg_dict.get("date"):
            return now
        sent = fields.Datetime.to_datetime(msg_dict["date"])
        company = self.env.company.sudo()
        return sent if self._is_received_date_believable(company, sent, now) else now

    def _get_mail_intake_lang(self):
        """The language to answer the sender in: theirs, else Thai for a complaint
        written in Thai (when installed), else the default."""
        self.ensure_one()
        if self.partner_id.lang:
            return self.partner_id.lang
        installed = dict(self.env["res.lang"].get_installed())
        text = f"{self.name or ''} {self.description or ''}"
        if "th_TH" in installed and THAI_RE.search(text):
            return "th_TH"
        return self.env.lang

    def _send_acknowledgement(self):
        if self.env.context.get(MAIL_INTAKE_CONTEXT):
            return None  # message_new acknowledges the sender, once
        return super()._send_acknowledgement()

    def _send_mail_acknowledgement(self, refusals):
        """Acknowledge a complaint received by email to its sender: the tracking code,
        and the files that could not be kept."""
        self.ensure_one()
        if not (self.partner_id.email or self.partner_email):
            return
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(ACKNOWLEDGEMENT_TEMPLATE)
        )
        if not template:
            return
        template.sudo().with_context(refused_attachments=refusals).send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"headers": repr(ACKNOWLEDGEMENT_HEADERS)},
        )

    # ------------------------------------------------------------------
    # Attachments

    @api.model
    def _keep_allowed_mail_attachments(self, msg_dict):
        """Drop from ``msg_dict`` the attachments that the complaint forms would
        refuse (type, size, count, total size), so that they are not stored.

        :return: why each dropped file was refused, one line per file
        """
        Form = self.env["library.complaint.form"]
        kept, refusals, total = [], [], 0
        for attachment in msg_dict.get("attachments") or []:
            name, content, info = attachment[0], attachment[1], attachment[2] or {}
            if name == "original_email.eml" and not info:
                kept.append(attachment)  # the source kept by the incoming mail server
                continue
            if isinstance(content, str):
                content = content.encode(info.get("encoding") or "utf-8", errors="replace")
            name = os.path.basename(str(name or "").replace("\\", "/"))[:MAX_FILE_NAME]
            error = Form._check_file(name, content)
            if not error and len(kept) >= MAX_FILES:
                error = self.env._(
                    "%(file)s: at most %(count)s files are kept.", file=name, count=MAX_FILES
                )
            if not error and total + len(content) > MAX_TOTAL_SIZE:
                error = self.env._(
                    "%(file)s: the attached files may be at most %(size)s MB together.",
                    file=name,
                    size=MAX_TOTAL_SIZE // MEGABYTE,
                )
            if error:
                refusals.append(error)
            else:
                kept.append(attachment)
                total += len(content)
        if refusals:
            msg_dict["attachments"] = kept
        return refusals

    def _note_refused_mail_attachments(self, refusals):
        """Tell staff, in the chatter, which files of the email were not kept."""
        if not refusals:
            return
        self.ensure_one()
        # a line for the office, in its language (the mail gateway runs as the system)
        office = self.with_context(lang=self.company_id._get_report_lang()).env
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                office._("Files attached to the email were refused and not stored:"),
                Markup().join(Markup("<li>%s</li>") % refusal for refusal in refusals),
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.ref("base.partner_root").id,
        )

import base64
import hashlib
import hmac
import json
import logging
import re

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.tools import mute_logger

from ..tools.concurrency import is_concurrency_error

_logger = logging.getLogger(__name__)

# What the webhook reads of one call; LINE sends far less.
MAX_BODY = 256 * 1024
MAX_EVENTS = 100
# LINE's ids: webhook event ids are ULIDs, user ids "U" and 32 hexadecimal digits.
EVENT_ID_RE = re.compile(r"[0-9A-Za-z]{1,64}")
USER_ID_RE = re.compile(r"U[0-9a-f]{32}")
# LINE's message ids are digits; reply tokens are opaque, but short.
MESSAGE_ID_RE = re.compile(r"[0-9]{1,32}")
MAX_REPLY_TOKEN = 256


class LibraryComplaintLineEvent(models.Model):
    """One event LINE delivered to the webhook, kept to handle it once: a
    redelivered event (same webhook event id) stores and replies nothing."""

    _name = "library.complaint.line.event"
    _description = "LINE webhook event"
    _order = "received_date desc, id desc"

    webhook_event_id = fields.Char(string="Webhook event id", required=True, readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="cascade"
    )
    event_type = fields.Char(string="Type", readonly=True)
    line_user_id = fields.Char(string="LINE user", readonly=True, index="btree_not_null")
    received_date = fields.Datetime(
        string="Received on", default=fields.Datetime.now, required=True, readonly=True
    )
    state = fields.Selection(
        selection=[
            ("received", "Received"),
            ("processed", "Processed"),
            ("ignored", "Ignored"),
            ("failed", "Failed"),
        ],
        default="received",
        required=True,
        readonly=True,
    )
    error = fields.Text(readonly=True)

    _webhook_event_unique = models.Constraint(
        "UNIQUE(webhook_event_id)", "LINE delivered this event already."
    )

    # ------------------------------------------------------------------
    # The webhook

    @api.model
    def _process_webhook(self, body, signature):
        """Handle one call of the LINE webhook (as the system).

        :param bytes body: the raw request body
        :param str signature: the X-Line-Signature header
        :return: the HTTP status to answer: 404 when LINE intake is off, 401 when the
            signature is missing or wrong, 400 when the body is not LINE's JSON, 200
        """
        companies = self.env["res.company"].sudo().search([("complaint_line_enabled", "=", True)])
        companies = companies.filtered(lambda c: c._is_complaint_line_enabled())
        if not companies:
            return 404
        company = next((c for c in companies if self._check_signature(c, body, signature)), None)
        if not company:
            return 401
        try:
            data = json.loads(body)
        # UnicodeDecodeError and JSONDecodeError are ValueErrors; absurdly deep
        # nesting raises RecursionError
        except (ValueError, RecursionError):
            return 400
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            return 400
        # the replies leave once this transaction commits (library.complaint.line.message)
        for event in data["events"][:MAX_EVENTS]:
            self._process_event(company, event)
        return 200

    @api.model
    def _check_signature(self, company, body, signature):
        """Whether `signature` is base64(HMAC-SHA256(channel secret, body))."""
        if not signature or not isinstance(signature, str):
            return False
        secret = company.sudo().complaint_line_secret.encode()
        expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
        return hmac.compare_digest(expected, signature.encode())

    @api.model
    def _process_event(self, company, event):
        """Record one event and answer it, once (the answer leaves after the commit)."""
        if not isinstance(event, dict):
            return
        event_id = event.get("webhookEventId")
        if not isinstance(event_id, str) or not EVENT_ID_RE.fullmatch(event_id):
            return
        source = event.get("source") if isinstance(event.get("source"), dict) else {}
        user_id = source.get("userId") if source.get("type") == "user" else None
        if not isinstance(user_id, str) or not USER_ID_RE.fullmatch(user_id):
            user_id = False
        event_type = event.get("type") if isinstance(event.get("type"), str) else ""
        record = self._record_event(company, event_id, event_type[:32], user_id)
        if not record:
            return
        if not user_id or not self._is_valid_message(event):
            record.state = "ignored"
            return
        Message = self.env["library.complaint.line.message"]
        try:
            with self.env.cr.savepoint():
                conversation = self.env["library.complaint.line.conversation"]._get_conversation(
                    company, user_id
                )
                messages = conversation._handle_event(event)
                token = event.get("replyToken")
                if messages and isinstance(token, str) and 0 < len(token) <= MAX_REPLY_TOKEN:
                    Message._queue(
                        company, "reply", messages, line_user_id=user_id, reply_token=token
                    )
                elif messages:
                    Message._queue_push(company, user_id, messages)
        except Exception as error:  # one bad event never fails the others
            if is_concurrency_error(error):  # another delivery of this user: done again
                raise
            _logger.exception("LINE event %s failed", event_id)
            record.write({"state": "failed", "error": str(error)[:1000]})
            return
        record.state = "processed" if messages else "ignored"

    @api.model
    def _is_valid_message(self, event):
        """Whether to answer this event: a follow, or a message as LINE sends it; not
        in standby mode (another module of the account answers then)."""
        if event.get("mode") == "standby":
            return False
        if event.get("type") != "message":
            return event.get("type") == "follow"
        message = event.get("message")
        if not isinstance(message, dict):
            return False
        message_id = message.get("id")
        return isinstance(message_id, str) and bool(MESSAGE_ID_RE.fullmatch(message_id))

    @api.model
    def _record_event(self, company, event_id, event_type, user_id):
        """The new event record, or None when this event was delivered before."""
        if self.sudo().search_count([("webhook_event_id", "=", event_id)], limit=1):
            return None
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.sudo().create(
                    {
                        "webhook_event_id": event_id,
                        "company_id": company.id,
                        "event_type": event_type,
                        "line_user_id": user_id,
                    }
                )
        except IntegrityError:  # delivered twice at once: the other delivery handles it
            return None

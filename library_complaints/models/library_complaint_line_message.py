import json
import logging
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.fields import Domain
from odoo.modules.registry import Registry
from odoo.tools import SQL

from ..tools.concurrency import run_cron_batch
from .library_complaint_form import MAX_FILE_SIZE
from .library_complaint_lesson import LINE_MAX_ATTEMPTS, LINE_MAX_TEXT, LINE_TIMEOUT

_logger = logging.getLogger(__name__)

# A reply token is valid for a short while only: it is tried once, briefly, right
# after the webhook's transaction commits; a failed reply goes to the queue as a push.
# Pushes are tried as briefly then; the scheduled action retries them.
LINE_REPLY_TIMEOUT = 3
# Sent right after the commit of the transaction that wrote them (someone waits);
# images and lessons are left to the scheduled action (no one waits for them).
SENT_AFTER_COMMIT = ("reply", "push")
# LINE shows at most 13 quick-reply buttons, each labelled with at most 20 characters.
LINE_MAX_QUICK_REPLIES = 13
LINE_MAX_LABEL = 20
# LINE user ids are personal data: the messages sent (or given up), the events
# (kept to handle each once) and idle conversations are forgotten after this.
LINE_HISTORY = timedelta(days=30)
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}


class LibraryComplaintLineMessage(models.Model):
    """The one LINE outbox: replies, pushes (tracking codes, outcomes), images to
    fetch from LINE, lessons learned to the staff's group. A message is written in
    the transaction that makes it and leaves only once that transaction has
    committed (never after a rollback or a retried request): replies and pushes at
    once (a post-commit hook, as mail.mail does), images and lessons by the
    scheduled action, which also retries failures up to LINE_MAX_ATTEMPTS times.
    Each message is locked while it is sent, so that it leaves once."""

    _name = "library.complaint.line.message"
    _description = "LINE message"
    _order = "id"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(
        selection=[
            ("reply", "Reply"),
            ("push", "Push"),
            ("image", "Image to fetch"),
            ("lesson", "Lesson learned to the staff"),
        ],
        required=True,
        readonly=True,
    )
    line_user_id = fields.Char(string="LINE user", readonly=True, index=True)
    reply_token = fields.Char(readonly=True, groups="base.group_system")
    payload = fields.Text(readonly=True, help="The messages, as the LINE API takes them (JSON).")
    line_message_id = fields.Char(string="LINE message", readonly=True)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    lesson_id = fields.Many2one(
        comodel_name="library.complaint.lesson",
        string="Lesson learned",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    state = fields.Selection(
        selection=[
            ("queued", "To send"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)
    sent_date = fields.Datetime(readonly=True)

    # ------------------------------------------------------------------
    # Messages

    @api.model
    def _text(self, text, choices=None):
        """A LINE text message, with quick-reply buttons sending `choices`."""
        message = {"type": "text", "text": text[:LINE_MAX_TEXT]}
        if choices:
            message["quickReply"] = {
                "items": [
                    {
                        "type": "action",
                        "action": {
                            "type": "message",
                            "label": choice[:LINE_MAX_LABEL],
                            "text": choice,
                        },
                    }
                    for choice in choices[:LINE_MAX_QUICK_REPLIES]
                ]
            }
        return message

    # ------------------------------------------------------------------
    # Queueing

    @api.model
    def _queue(self, company, kind, messages=None, **values):
        """Write a message to send once this transaction commits."""
        message = self.sudo().create(
            dict(
                values,
                company_id=company.id,
                kind=kind,
                payload=json.dumps(messages or [], ensure_ascii=False),
            )
        )
        if kind in SENT_AFTER_COMMIT:
            message._send_after_commit()
        else:
            self._trigger_cron()
        return message

    @api.model
    def _queue_push(self, company, line_user_id, messages):
        return self._queue(company, "push", messages, line_user_id=line_user_id)

    @api.model
    def _queue_image(self, company, ticket, line_message_id):
        return self._queue(company, "image", ticket_id=ticket.id, line_message_id=line_message_id)

    @api.model
    def _queue_lesson(self, lesson, text):
        """The lesson to the company's staff group (the group is read when sent)."""
        company = lesson.company_id or self.env.company
        message = self._queue(company, "lesson", [self._text(text)], lesson_id=lesson.id)
        if not company.sudo()._is_lesson_line_enabled():
            message.write({"state": "cancelled", "last_error": "LINE is off."})
        return message

    @api.model
    def _trigger_cron(self):
        self.env.ref("library_complaints.ir_cron_send_complaint_line")._trigger()

    def _send_after_commit(self):
        """Send these messages once the current transaction has committed (nothing
        when it rolls back), in a transaction of their own; one hook per transaction."""
        data = self.env.cr.postcommit.data
        if "library_complaints.line_message_ids" not in data:
            ids = data["library_complaints.line_message_ids"] = []
            dbname = self.env.cr.dbname

            @self.env.cr.postcommit.add
            def send_line_messages():
                try:
                    with Registry(dbname).cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        env["library.complaint.line.message"].browse(ids)._send_now()
                except Exception:  # committed already: the scheduled action sends them
                    _logger.exception("LINE messages %s left to the scheduled action", ids)

        data["library_complaints.line_message_ids"].extend(self.ids)

    def _send_now(self):
        """Send these messages at once (after their transaction committed), each
        tried once and briefly: a failed reply is queued as a push (its token
        expires), a failed push is retried by the scheduled action."""
        failed = False
        for message in self._lock_for_sending():
            if not message._is_line_enabled():
                message.write({"state": "cancelled", "last_error": "LINE is off."})
                continue
            if message.kind == "reply" and failed:
                message.write({"kind": "push", "reply_token": False})
                continue
            try:
                message._send(timeout=LINE_REPLY_TIMEOUT)
            except Exception as error:  # LINE unreachable: the scheduled action retries
                failed = True
                _logger.info("LINE message %s failed, left to the queue: %s", message.id, error)
                if message.kind == "reply":
                    message.write(
                        {"kind": "push", "reply_token": False, "last_error": str(error)[:1000]}
                    )
                else:
                    message._mark_failed(error)
            else:
                message._mark_sent()
        if failed:
            self._trigger_cron()

    def _lock_for_sending(self):
        """Those of these messages still to send that no other transaction is
        sending, locked until this transaction ends."""
        if not self:
            return self.browse()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s AND state IN ('queued', 'failed') "
                "ORDER BY id FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------------
    # Sending

    def _mark_sent(self):
        self.write(
            {
                "state": "sent",
                "attempts": self.attempts + 1,
                "last_error": False,
                "sent_date": fields.Datetime.now(),
            }
        )

    def _mark_failed(self, error):
        self.write(
            {
                "state": "failed",
                "attempts": self.attempts + 1,
                "last_error": str(error)[:1000],
            }
        )
        self._note_given_up()

    def _get_headers(self):
        return {"Authorization": f"Bearer {self.company_id.sudo().complaint_line_token}"}

    def _is_line_enabled(self):
        company = self.company_id.sudo()
        if self.kind == "lesson":
            return company._is_lesson_line_enabled()
        return company._is_complaint_line_enabled()

    def _send(self, timeout=LINE_TIMEOUT):
        """Send this message (fetch this image); raises on any failure."""
        self.ensure_one()
        company = self.company_id
        if self.kind == "image":
            self._fetch_image()
            return
        if self.kind == "reply" and self.reply_token:
            url = company._get_line_api_url("/v2/bot/message/reply")
            body = {"replyToken": self.reply_token}
        elif self.kind == "lesson":
            url = company._get_line_api_url("/v2/bot/message/push")
            body = {"to": company.sudo().lesson_line_target}
        else:
            url = company._get_line_api_url("/v2/bot/message/push")
            body = {"to": self.line_user_id}
        body["messages"] = json.loads(self.payload or "[]")
        response = requests.post(url, json=body, headers=self._get_headers(), timeout=timeout)
        response.raise_for_status()

    def _fetch_image(self):
        """Attach the image the complainant sent on LINE to the complaint, if it
        passes the forms' checks; a refused image is noted, not retried."""
        url = self.company_id._get_line_api_url(
            f"/v2/bot/message/{self.line_message_id}/content", content=True
        )
        with requests.get(url, headers=self._get_headers(), timeout=LINE_TIMEOUT, stream=True) as r:
            r.raise_for_status()
            content = r.raw.read(MAX_FILE_SIZE + 1, decode_content=True)
        mimetype = (r.headers.get("Content-Type") or "").split(";")[0].strip()
        name = f"line-{self.line_message_id}.{IMAGE_EXTENSIONS.get(mimetype, 'bin')}"
        ticket = self.ticket_id.with_user(SUPERUSER_ID)
        # lines for the office, in its language (the job runs as the system)
        office = self.with_context(lang=ticket.company_id._get_report_lang()).env
        error = self.env["library.complaint.form"]._check_file(name, content)
        if error:
            ticket.message_post(
                body=office._("An image sent on LINE was not attached: %(error)s", error=error),
                subtype_xmlid="mail.mt_note",
            )
            return
        attachment = (
            self.env["ir.attachment"]
            .with_user(SUPERUSER_ID)
            .create({"name": name, "raw": content, "res_model": ticket._name, "res_id": ticket.id})
        )
        ticket.message_post(
            body=office._("Image sent on LINE by the complainant."),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _send_messages(self, commit=None):
        """Send these queued messages, each in its own batch (locked, so that a
        message another transaction sends is skipped); a failure is logged, counted
        and retried by the next run, up to LINE_MAX_ATTEMPTS.

        :return: (sent count, failed count)
        """
        sent = failed = 0
        for message in self:
            result = run_cron_batch(self.env, commit, message._send_locked)
            sent += result == "sent"
            failed += result == "failed"
            if commit:
                commit(1)
        return sent, failed

    def _send_locked(self):
        """Send this message unless another transaction sends (or sent) it.

        :return: "sent", "failed", "cancelled" or None (not sent here)
        """
        message = self._lock_for_sending()
        if not message:
            return None
        if not message._is_line_enabled():
            message.write({"state": "cancelled", "last_error": "LINE is off."})
            return "cancelled"
        try:
            message._send()
        except Exception as error:  # any failure: retried
            _logger.warning("LINE message %s failed: %s", message.id, error)
            message._mark_failed(error)
            return "failed"
        message._mark_sent()
        return "sent"

    def _note_given_up(self):
        """Tell the complaint's staff about an image LINE did not give."""
        if self.kind == "image" and self.attempts >= LINE_MAX_ATTEMPTS and self.ticket_id:
            office = self.with_context(lang=self.ticket_id.company_id._get_report_lang()).env
            self.ticket_id.with_user(SUPERUSER_ID).message_post(
                body=office._(
                    "An image the complainant sent on LINE could not be fetched from LINE; "
                    "ask them for it again if it is needed."
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _get_queue_domain(self):
        return Domain("state", "in", ("queued", "failed")) & Domain(
            "attempts", "<", LINE_MAX_ATTEMPTS
        )

    @api.model
    def _send_queued_messages(self, commit=None):
        messages = self.sudo().search(self._get_queue_domain(), order="id")
        if commit:
            commit(remaining=len(messages))
        return messages._send_messages(commit=commit)

    @api.model
    def _cron_send_line_messages(self):
        self._send_queued_messages(commit=self.env["ir.cron"]._commit_progress)
        self._purge_line_history()

    @api.model
    def _purge_line_history(self, now=None):
        """Forget what LINE intake no longer needs: messages sent, cancelled or given
        up, events, idle conversations, older than LINE_HISTORY."""
        limit = (now or fields.Datetime.now()) - LINE_HISTORY
        done = Domain("state", "in", ("sent", "cancelled")) | (
            Domain("state", "=", "failed") & Domain("attempts", ">=", LINE_MAX_ATTEMPTS)
        )
        # a lesson's message says on the lesson whether it was sent: kept with it
        self.sudo().search(
            done & Domain("write_date", "<", limit) & Domain("lesson_id", "=", False)
        ).unlink()
        self.env["library.complaint.line.event"].sudo().search(
            [("received_date", "<", limit)]
        ).unlink()
        self.env["library.complaint.line.conversation"].sudo().search(
            [("state", "=", "idle"), ("write_date", "<", limit)]
        ).unlink()

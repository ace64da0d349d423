import logging

from odoo import http
from odoo.http import request

from ..models.library_complaint_line_event import MAX_BODY
from ..tools.concurrency import run_retrying

_logger = logging.getLogger(__name__)


class LineWebhook(http.Controller):
    """The webhook of the office's LINE Official Account (LINE Messaging API).

    Only checks the request's size; the model verifies the signature, records
    each event once and answers (library.complaint.line.event). Two deliveries
    of one LINE user at once: the one that must wait for the other's commit is
    done again, whole, in a new transaction (run_retrying); a call that still
    fails is answered 503, so that LINE delivers it again. The answers leave
    once the transaction commits."""

    # Writes (each event once, the conversation, the complaint): the primary database.
    @http.route(
        "/complaint/line/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        sitemap=False,
    )
    def line_webhook(self, **kw):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY:
            return self._answer(413)
        # bounded by the Content-Length checked above (werkzeug reads no more)
        body = httprequest.get_data(cache=False)
        if len(body) > MAX_BODY:
            return self._answer(413)
        signature = httprequest.headers.get("X-Line-Signature", "")
        try:
            Event = request.env["library.complaint.line.event"].sudo()
            status = run_retrying(request.env, Event._process_webhook, body, signature)
        except Exception:  # LINE retries a failed call; never a 500 page
            _logger.exception("LINE webhook failed")
            request.env.cr.rollback()
            status = 503
        return self._answer(status)

    @staticmethod
    def _answer(status):
        return request.make_response(
            "OK" if status == 200 else "", headers=[("Content-Type", "text/plain")], status=status
        )

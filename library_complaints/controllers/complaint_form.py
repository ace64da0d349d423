from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

FORM_FIELDS = ("name", "description", "service_id", "location", "date_observed")


def _status_form_only(controller, rule, args):
    """The status page reads only when it shows the empty look-up form: a look-up
    counts the codes tried in vain (a write), so it needs the primary database."""
    return request.httprequest.method == "GET" and not request.httprequest.args.get("code")


class ComplaintForm(http.Controller):
    """The anonymous complaint form and the tracking-code status page (no sign-in)."""

    # The form only reads (with a replica, a worker serves it from the replica).
    @http.route(
        "/complaint",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=True,
        readonly=True,
    )
    def complaint_form(self, **kw):
        return self._render_form()

    # Writes (the complaint and the sender's use of the form): the primary database.
    @http.route(
        "/complaint/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
        sitemap=False,
    )
    def complaint_submit(self, **post):
        values = {fname: post.get(fname, "") for fname in FORM_FIELDS}
        if post.get("website_url"):  # the honeypot: only robots fill it in
            return self._render_form(
                values, request.env._("Your complaint could not be sent."), status=400
            )
        rate_limit = request.env["library.complaint.rate.limit"].sudo()
        sender = self._sender_address()
        if rate_limit._is_rate_limited(sender):
            message = request.env._(
                "Too many complaints were sent from your network in the last hour. "
                "Please try again later, or contact the library's service desk."
            )
            return self._render_form(values, message, status=429)
        try:
            ticket_vals, attachment_vals = request.env["library.complaint.form"]._check_complaint(
                values, self._read_files()
            )
        except ValidationError as error:
            return self._render_form(values, error.args[0], status=400)
        # the cached xmlid lookup, without env.ref()'s query on whether it exists
        ticket_vals["channel_id"] = request.env["ir.model.data"]._xmlid_to_res_id(
            "library_complaints.channel_web_form", raise_if_not_found=True
        )
        ticket = request.env["helpdesk.ticket"]._create_anonymous_complaint(
            ticket_vals, attachment_vals
        )
        rate_limit._record_submission(sender)
        return self._no_store(
            request.render(
                "library_complaints.complaint_form_success",
                {
                    "tracking_code": ticket.tracking_code,
                    "status_url": self._status_url(ticket.tracking_code),
                },
            )
        )

    @http.route(
        "/complaint/status",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=True,
        sitemap=False,
        readonly=_status_form_only,
    )
    def complaint_status(self, code=None, **kw):
        if code is None:
            return self._render_status()
        tickets = request.env["helpdesk.ticket"]
        try:
            code = tickets._normalize_tracking_code(code)
        except ValidationError as error:
            return self._render_status(code, error=error.args[0], status=400)
        # Guessing codes is throttled like the form: after too many unknown
        # codes, the sender waits, whatever the code.
        rate_limit = request.env["library.complaint.rate.limit"].sudo()
        sender = self._sender_address()
        if rate_limit._is_rate_limited(sender, kind="failed_lookup"):
            message = request.env._(
                "Too many tracking codes were tried from your network in the last hour. "
                "Please try again later, or contact the library's service desk."
            )
            return self._render_status(code, error=message, status=429)
        complaint = tickets._get_public_status(code)
        if not complaint:
            rate_limit._record_submission(sender, kind="failed_lookup")
            message = request.env._(
                "No complaint has this tracking code. Check the code and try again."
            )
            return self._render_status(code, error=message, status=404)
        return self._render_status(code, complaint=complaint)

    # ------------------------------------------------------------------
    # Helpers

    @staticmethod
    def _sender_address():
        """The visitor's IP address, which the per-sender limits count.

        Behind a reverse proxy every visitor reaches Odoo from the proxy's address:
        run Odoo with ``proxy_mode`` there, so that werkzeug's ProxyFix takes the
        address from the ``X-Forwarded-For`` header the proxy sets (Odoo applies it
        when the proxy also sends ``X-Forwarded-Host``). Never turn ``proxy_mode``
        on without such a proxy: visitors could then send the header themselves
        and escape the limit (README, "Running it for many offices").
        """
        return request.httprequest.remote_addr

    def _read_files(self):
        return request.env["library.complaint.form"]._read_uploads(
            request.httprequest.files.getlist("attachments")
        )

    def _render_form(self, values=None, error=None, status=200):
        services = request.env["library.complaint.service"].sudo().search([])
        return request.render(
            "library_complaints.complaint_form",
            {"services": services, "values": values or {}, "error": error},
            status=status,
        )

    def _render_status(self, code="", error=None, status=200, complaint=None):
        return self._no_store(
            request.render(
                "library_complaints.complaint_status",
                {"code": code, "error": error, "complaint": complaint},
                status=status,
            )
        )

    def _status_url(self, code):
        base_url = request.httprequest.url_root.rstrip("/")
        return f"{base_url}/complaint/status?{urlencode({'code': code})}"

    @staticmethod
    def _no_store(response):
        """Pages that show a tracking code are kept out of shared caches."""
        response.headers["Cache-Control"] = "no-store"
        return response

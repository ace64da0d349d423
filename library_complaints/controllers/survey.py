"""The public satisfaction survey link of an anonymous complaint.

Following the link (a GET, by a visitor, a crawler or a link preview) only shows
a page; the visitor's answer is created when they press its button (a POST with
the session's CSRF token), once per visitor and complaint, and the starts are
throttled per sender like the complaint form.
"""

from odoo import http
from odoo.http import request

from .complaint_form import ComplaintForm

# The session remembers the answer each visitor started, per complaint.
SESSION_KEY = "library_complaints_survey_answers"
# What a sender may start in an hour (library.complaint.rate.limit's kind).
RATE_LIMIT_KIND = "survey_start"


class ComplaintSurveyController(http.Controller):
    # Shows the page: reads only (with a replica, a worker serves it from the replica).
    @http.route(
        "/complaint/survey/<int:ticket_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def complaint_survey(self, ticket_id, token, **kwargs):
        """The survey's page, with the button that starts (or continues) an answer."""
        survey, ticket = request.env["helpdesk.ticket"]._get_public_survey_link(ticket_id, token)
        if not survey:
            return request.not_found()
        if not ticket._is_public_survey_open():
            return request.render("survey.survey_closed_expired", {"survey": survey})
        started = ticket._get_started_public_survey_answer(self._visitor_tokens(survey, ticket))
        return self._render_page(survey, ticket, token, started=bool(started))

    # Writes (the new survey answer, the sender's use): the primary database.
    @http.route(
        "/complaint/survey/<int:ticket_id>/<string:token>/start",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
        sitemap=False,
    )
    def complaint_survey_start(self, ticket_id, token, **kwargs):
        """Open the visitor's answer to the satisfaction survey, linked to the complaint:
        the one they started before if it is still open, else a new one."""
        Ticket = request.env["helpdesk.ticket"]
        survey, ticket = Ticket._get_public_survey_link(ticket_id, token)
        if not survey:
            return request.not_found()
        if not ticket._is_public_survey_open():
            return request.render("survey.survey_closed_expired", {"survey": survey})
        tokens = self._visitor_tokens(survey, ticket)
        answer = ticket._get_started_public_survey_answer(tokens)
        if not answer:
            rate_limit = request.env["library.complaint.rate.limit"].sudo()
            sender = ComplaintForm._sender_address()
            if rate_limit._is_rate_limited(sender, kind=RATE_LIMIT_KIND):
                error = request.env._(
                    "Too many surveys were started from your network in the last hour. "
                    "Please try again later."
                )
                return self._render_page(survey, ticket, token, error=error, status=429)
            __, answer = Ticket._start_public_survey_answer(
                ticket.id, token, request.env.user, resume_token=tokens
            )
            rate_limit._record_submission(sender, kind=RATE_LIMIT_KIND)
        # Starting again (another tab, the back button) continues the same answer.
        started = dict(request.session.get(SESSION_KEY) or {})
        started[str(ticket.id)] = answer.access_token
        request.session[SESSION_KEY] = started
        return request.redirect(answer.get_start_url())

    @staticmethod
    def _visitor_tokens(survey, ticket):
        """The answer tokens this visitor's browser keeps: the one the session noted
        for this complaint, and the survey module's own cookie."""
        started = request.session.get(SESSION_KEY) or {}
        return [
            started.get(str(ticket.id)) if isinstance(started, dict) else None,
            request.cookies.get(f"survey_{survey.access_token}"),
        ]

    @staticmethod
    def _render_page(survey, ticket, token, started=False, error=None, status=200):
        return request.render(
            "library_complaints.complaint_survey_start",
            {
                "survey": survey,
                "start_url": f"/complaint/survey/{ticket.id}/{token}/start",
                "started": started,
                "error": error,
            },
            status=status,
        )

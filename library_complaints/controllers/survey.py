"""The public satisfaction survey link of an anonymous complaint."""

from odoo import http
from odoo.http import request

# The session remembers the answer each visitor started, per complaint.
SESSION_KEY = "library_complaints_survey_answers"


class ComplaintSurveyController(http.Controller):
    # Writes (the new survey answer): the primary database.
    @http.route(
        "/complaint/survey/<int:ticket_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def complaint_survey_start(self, ticket_id, token, **kwargs):
        """Open a new answer to the satisfaction survey, linked to the complaint."""
        started = dict(request.session.get(SESSION_KEY) or {})
        survey, answer = request.env["helpdesk.ticket"]._start_public_survey_answer(
            ticket_id, token, request.env.user, resume_token=started.get(str(ticket_id))
        )
        if not survey:
            return request.not_found()
        if not answer:
            return request.render("survey.survey_closed_expired", {"survey": survey})
        # Following the link again continues the same answer.
        started[str(ticket_id)] = answer.access_token
        request.session[SESSION_KEY] = started
        return request.redirect(answer.get_start_url())

"""The public satisfaction survey link of an anonymous complaint."""

from odoo import http
from odoo.http import request


class ComplaintSurveyController(http.Controller):
    @http.route(
        "/complaint/survey/<int:ticket_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def complaint_survey_start(self, ticket_id, token, **kwargs):
        """Open a new answer to the satisfaction survey, linked to the complaint."""
        survey, answer = request.env["helpdesk.ticket"]._start_public_survey_answer(
            ticket_id, token, request.env.user
        )
        if not survey:
            return request.not_found()
        if not answer:
            return request.render("survey.survey_closed_expired", {"survey": survey})
        return request.redirect(answer.get_start_url())

from odoo import http
from odoo.fields import Domain
from odoo.http import request

from ..models.library_complaint_form import CONTROL_CHARACTERS_RE, MAX_TITLE
from ..tools.numbers import ascii_int_or_400

# How many outcomes the public page lists (newest first).
OUTCOMES_PER_PAGE = 100


class ComplaintOutcomes(http.Controller):
    """The public page of complaint outcomes: what was found, done and prevented,
    per service, with no one's identity. The visitor reads the outcomes published
    on the website (library.complaint.outcome's access rules), nothing else."""

    # GET only: a search reads, and its address can be shared
    @http.route(
        "/complaints/outcomes",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=True,
        readonly=True,
    )
    def outcomes(self, service=None, search=None, **kw):
        """?service=<a service's record number>&search=<words>: the published
        outcomes of that service, those that contain most of the words first (the
        similar outcomes lookup, which reads Thai without spaces and synonyms)."""
        service_id = None
        if service:
            service_id = ascii_int_or_400(
                service, request.env._("The service is a record number."), minimum=1
            )
        search = self._clean_search(search)
        Outcome = request.env["library.complaint.outcome"]
        if search:
            outcomes = Outcome._search_similar_published(
                search, service_id=service_id, limit=OUTCOMES_PER_PAGE
            )
        else:
            domain = Domain("is_published", "=", True)
            if service_id:
                domain &= Domain("service_id", "=", service_id)
            outcomes = Outcome.search(domain, limit=OUTCOMES_PER_PAGE)
        return request.render(
            "library_complaints.complaint_outcomes",
            {
                "outcomes": [outcome._get_public_values() for outcome in outcomes],
                "services": request.env["library.complaint.service"].search([]),
                "service_id": service_id,
                "search": search,
                "satisfaction": request.env[
                    "survey.user_input"
                ]._get_public_satisfaction_by_service(),
            },
        )

    @staticmethod
    def _clean_search(search):
        """The words searched for, on one line, without control characters, cut to a
        title's length; "" when there are none."""
        if not isinstance(search, str):
            return ""
        return " ".join(CONTROL_CHARACTERS_RE.sub(" ", search).split())[:MAX_TITLE]

    @http.route(
        "/complaints/outcomes/<int:outcome_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def outcome(self, outcome_id, **kw):
        outcome = request.env["library.complaint.outcome"].search(
            Domain("is_published", "=", True) & Domain("id", "=", outcome_id), limit=1
        )
        if not outcome:
            raise request.not_found()
        return request.render(
            "library_complaints.complaint_outcome", {"outcome": outcome._get_public_values()}
        )

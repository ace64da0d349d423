from odoo import http
from odoo.fields import Domain
from odoo.http import request

from ..tools.numbers import ascii_int_or_400

# How many outcomes the public page lists (newest first).
OUTCOMES_PER_PAGE = 100


class ComplaintOutcomes(http.Controller):
    """The public page of complaint outcomes: what was found, done and prevented,
    per service, with no one's identity. The visitor reads the outcomes published
    on the website (library.complaint.outcome's access rules), nothing else."""

    @http.route(
        "/complaints/outcomes",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        readonly=True,
    )
    def outcomes(self, service=None, **kw):
        service_id = None
        if service:
            service_id = ascii_int_or_400(
                service, request.env._("The service is a record number."), minimum=1
            )
        domain = Domain("is_published", "=", True)
        if service_id:
            domain &= Domain("service_id", "=", service_id)
        outcomes = request.env["library.complaint.outcome"].search(domain, limit=OUTCOMES_PER_PAGE)
        return request.render(
            "library_complaints.complaint_outcomes",
            {
                "outcomes": [outcome._get_public_values() for outcome in outcomes],
                "services": request.env["library.complaint.service"].search([]),
                "service_id": service_id,
                "satisfaction": request.env[
                    "survey.user_input"
                ]._get_public_satisfaction_by_service(),
            },
        )

    @http.route(
        "/complaints/outcomes/<int:outcome_id>",
        type="http",
        auth="public",
        website=True,
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

from odoo import http
from odoo.fields import Domain
from odoo.http import request

# How many outcomes the public page lists (newest first).
OUTCOMES_PER_PAGE = 100


class ComplaintOutcomes(http.Controller):
    """The public page of complaint outcomes: what was found, done and prevented,
    per service, with no one's identity."""

    @http.route("/complaints/outcomes", type="http", auth="public", website=True, sitemap=True)
    def outcomes(self, service=None, **kw):
        Ticket = request.env["helpdesk.ticket"]
        services = request.env["library.complaint.service"].sudo().search([])
        service_id = int(service) if service and str(service).isdigit() else None
        tickets = Ticket.sudo().search(
            Ticket._get_published_outcomes_domain(service_id),
            order="outcome_published_date desc, id desc",
            limit=OUTCOMES_PER_PAGE,
        )
        return request.render(
            "library_complaints.complaint_outcomes",
            {
                "outcomes": [ticket._get_public_outcome() for ticket in tickets],
                "services": services,
                "service_id": service_id,
                "satisfaction": request.env[
                    "survey.user_input"
                ]._get_public_satisfaction_by_service(),
            },
        )

    @http.route(
        "/complaints/outcomes/<int:ticket_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def outcome(self, ticket_id, **kw):
        Ticket = request.env["helpdesk.ticket"]
        ticket = Ticket.sudo().search(
            Ticket._get_published_outcomes_domain() & Domain("id", "=", ticket_id), limit=1
        )
        if not ticket:
            raise request.not_found()
        return request.render(
            "library_complaints.complaint_outcome", {"outcome": ticket._get_public_outcome()}
        )

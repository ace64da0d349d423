from odoo import http
from odoo.http import request


class SimilarOutcomes(http.Controller):
    """Similar published outcomes, suggested on the complaint forms (/complaint and
    /new/ticket) while the title is typed: the problem may already be answered."""

    @http.route(
        "/complaints/similar",
        type="http",
        auth="public",
        website=True,
        # no redirect to the language's address: the page's language is the cookie's
        multilang=False,
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def similar_outcomes(self, q=None, service=None, **kw):
        """?q=<the title typed>&service=<the service chosen>: JSON
        ``{"outcomes": [{title, service, date, summary, url}]}``, empty when nothing
        matches or the input is not usable (a service that is not an ASCII record
        number is ignored: a suggestion, not a form)."""
        service_id = request.env["library.complaint.form"]._parse_id(service)
        outcomes = request.env["library.complaint.outcome"]._find_similar_published(q, service_id)
        return request.make_json_response({"outcomes": outcomes})

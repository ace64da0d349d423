from odoo import api, fields, models
from odoo.tools import consteq, hmac

PUBLIC_TOKEN_SCOPE = "library_complaints.complaint_survey"


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    is_complaint_survey = fields.Boolean(
        string="Complaint satisfaction survey",
        copy=False,
        help="The survey sent to complainants and affected users once a complaint is "
        "resolved. Its scale questions give the complaint's satisfaction score.",
    )

    @api.model
    def _get_complaint_survey(self):
        """The active complaint satisfaction survey, or an empty recordset."""
        return self.sudo().search([("is_complaint_survey", "=", True)], order="id", limit=1)

    def _get_complaint_public_token(self, ticket):
        """The token of a complaint's public survey link: signed, nothing stored."""
        return hmac(self.env(su=True), PUBLIC_TOKEN_SCOPE, ticket.id)

    def _check_complaint_public_token(self, ticket, token):
        return bool(ticket) and consteq(self._get_complaint_public_token(ticket), str(token or ""))

from odoo import fields, models

LINE_API_URL = "https://api.line.me"


class ResCompany(models.Model):
    """The office's LINE Official Account (one channel, one token, one outbox):
    it takes complaints (intake) and pushes lessons learned to the staff's group.
    Its secret, token and API address (the token is sent there) are the
    administrators' only."""

    _inherit = "res.company"

    complaint_line_enabled = fields.Boolean(
        string="Complaints on LINE",
        help="Take complaints from the office's LINE Official Account (its webhook).",
    )
    complaint_line_secret = fields.Char(
        string="LINE channel secret",
        groups="base.group_system",
        copy=False,
        help="Verifies that webhook calls come from LINE.",
    )
    complaint_line_token = fields.Char(
        string="LINE channel access token",
        groups="base.group_system",
        copy=False,
    )
    complaint_line_endpoint = fields.Char(
        string="LINE API address",
        default=LINE_API_URL,
        groups="base.group_system",
        help="The LINE Messaging API's address (replies, pushes, lessons, image contents); "
        "administrators only, as the token is sent to it.",
    )

    def _is_complaint_line_enabled(self):
        """Whether LINE takes complaints: switched on, with a secret and a token."""
        self.ensure_one()
        company = self.sudo()
        return bool(
            company.complaint_line_enabled
            and company.complaint_line_secret
            and company.complaint_line_token
        )

    def _get_line_api_url(self, path, content=False):
        """The URL of a LINE Messaging API `path`; image contents are served by
        LINE's api-data host."""
        self.ensure_one()
        base = (self.sudo().complaint_line_endpoint or LINE_API_URL).rstrip("/")
        if content and base == LINE_API_URL:
            base = "https://api-data.line.me"
        return base + path

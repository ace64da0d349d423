"""The office's letterhead on its printed documents (report/*_reports.xml)."""

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml


class ResCompany(models.Model):
    _inherit = "res.company"

    def _prints_report_headers(self):
        """Whether the PDFs printed here carry web.external_layout's header (logo,
        name): wkhtmltopdf built on an unpatched Qt ignores --header-html, so a
        document prints its letterhead in its body instead (report_letterhead)."""
        return _wkhtml().is_patched_qt

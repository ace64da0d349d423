from werkzeug.exceptions import NotFound

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _serve_fallback(cls):
        # No page, attachment or redirect has a NUL byte in its address, and
        # PostgreSQL refuses to look one up (a 500): not found, at once.
        if "\x00" in request.httprequest.path:
            raise NotFound()
        return super()._serve_fallback()

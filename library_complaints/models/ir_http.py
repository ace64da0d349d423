from werkzeug.exceptions import NotFound

from odoo import models
from odoo.http import request

from odoo.addons.base.models.ir_http import SignedIntConverter

from ..tools.numbers import ASCII_DIGITS


class AsciiIntConverter(SignedIntConverter):
    """``<int:...>`` in a route: ASCII digits only. Odoo's ``-?\\d+`` also matched
    Arabic-Indic or Thai digits, which ``int()`` reads: ``/my/ticket/١٢`` opened
    complaint 12. Such an address now matches no route (404)."""

    regex = rf"-?[{ASCII_DIGITS}]+"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return dict(super()._get_converters(), int=AsciiIntConverter)

    @classmethod
    def _serve_fallback(cls):
        # No page, attachment or redirect has a NUL byte in its address, and
        # PostgreSQL refuses to look one up (a 500): not found, at once.
        if "\x00" in request.httprequest.path:
            raise NotFound()
        return super()._serve_fallback()

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The portal's pages read this addon's web translations too: its
        i18n_extra/th.po supplies Odoo's JavaScript terms (the chatter's "Write a
        message…") that Odoo's own th.po leaves empty."""
        return [*super()._get_translation_frontend_modules_name(), "library_complaints"]

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .helpdesk_ticket_recurrence import SIMILAR_LIMIT, SIMILARITY_THRESHOLD
from .library_complaint_form import MAX_TITLE

# The GIN trigram index of the lookup (pg_trgm's gin_trgm_ops) on the public summary.
NAME_TRGM_INDEX = "library_complaint_outcome_name_trgm_index"
# Fewer characters say too little to compare (a Thai word has 3 to 6).
MIN_TEXT = 4
# What a suggestion shows of what was done.
SUMMARY_LENGTH = 160


class LibraryComplaintOutcome(models.Model):
    """Similar published outcomes, suggested to a person typing a complaint's title:
    the problem may already be answered. Only what the public outcomes page shows is
    compared and returned (the public summary of the outcomes published on the
    website), never a complaint's own title, description or complainant."""

    _inherit = "library.complaint.outcome"

    def init(self):
        res = super().init()
        # pg_trgm is created by helpdesk.ticket's init (the recurrence lookup), which
        # runs first: without it, no index and no suggestion.
        if self.env["helpdesk.ticket"]._has_trigram():
            create_index(self.env.cr, NAME_TRGM_INDEX, self._table, ['"name" gin_trgm_ops'], "gin")
        return res

    @api.model
    def _find_similar_published(self, text, service_id=None, limit=SIMILAR_LIMIT):
        """The outcomes published on the website whose public summary is similar to
        `text` (pg_trgm similarity, as the recurrence lookup), the same service first,
        as the current user may read them.

        :param str text: what the person typed (trimmed, cut to a title's length)
        :param int service_id: the service chosen on the form, if any
        :return: up to `limit` dicts of public values: title, service, date, summary
            and url (the outcome's public page)
        """
        text = " ".join(str(text or "").replace("\x00", "").split())[:MAX_TITLE]
        if len(text) < MIN_TEXT or not self.pool.has_trigram:
            return []
        # The public outcomes page's domain: published on the website, read as the
        # visitor (the access rules apply too).
        query = self._search(Domain("is_published", "=", True))
        name = SQL.identifier(query.table, "name")
        # `%` finds the candidates on the trigram index (above pg_trgm's threshold,
        # 0.3 unless set lower); the same threshold as the recurrence lookup keeps them.
        query.add_where(SQL("%s %% %s", name, text))
        query.add_where(SQL("similarity(%s, %s) >= %s", name, text, SIMILARITY_THRESHOLD))
        same_service = (
            SQL("(%s = %s) DESC, ", SQL.identifier(query.table, "service_id"), service_id)
            if service_id
            else SQL()
        )
        query.order = SQL(
            "%s similarity(%s, %s) DESC, %s DESC",
            same_service,
            name,
            text,
            SQL.identifier(query.table, "id"),
        )
        query.limit = limit
        company = self.env.company
        return [
            {
                "title": outcome.name or outcome.number,
                "service": outcome.service_id.name or "",
                "date": company._format_long_date(outcome.published_date),
                "summary": _shorten(outcome.done or ""),
                "url": outcome.website_url,
            }
            for outcome in self.browse(query.get_result_ids())
        ]


def _shorten(text):
    """`text` cut to SUMMARY_LENGTH characters (Thai has no spaces to cut at)."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rstrip() + "…"

import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html2plaintext
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)

# How many similar earlier complaints the form suggests.
SIMILAR_LIMIT = 5
# The GIN trigram index of the lookup (pg_trgm's gin_trgm_ops) on the title.
NAME_TRGM_INDEX = "helpdesk_ticket_name_trgm_index"
# The title similarity (0-1) from which an earlier complaint is suggested. A repeat in
# other words scores 0.55-0.9 on Thai titles; pg_trgm's default, 0.3, lets the index
# return thousands of candidates among 100,000 complaints on a library's few subjects
# (bench/bench_recurrence.py).
SIMILARITY_THRESHOLD = 0.5


class HelpdeskTicket(models.Model):
    """Recurrence: a complaint repeats an earlier one. Staff triaging a complaint
    see the most similar earlier complaints (PostgreSQL trigram similarity, which
    needs no word splitting and so works on Thai text) and link it to one of them,
    or dismiss the suggestion. Linked complaints form a group under their first
    complaint, the root."""

    _inherit = "helpdesk.ticket"

    recurrence_of_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Recurrence of",
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="set null",
        help="The earlier complaint this one repeats.",
    )
    recurrence_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="recurrence_of_id",
        string="Repeated by",
        readonly=True,
    )
    recurrence_root_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Recurring group",
        compute="_compute_recurrence_root_id",
        store=True,
        recursive=True,
        index="btree_not_null",
        help="The first complaint of the group of complaints that repeat each other.",
    )
    recurrence_count = fields.Integer(
        string="Recurrences",
        compute="_compute_recurrence_count",
        compute_sudo=True,
        help="How many complaints repeat the first complaint of this one's group.",
    )
    recurrence_dismissed_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_ticket_recurrence_dismissed_rel",
        column1="ticket_id",
        column2="dismissed_id",
        string="Dismissed suggestions",
        copy=False,
        tracking=True,
        help="Earlier complaints that staff said this one does not repeat.",
    )
    recurrence_text = fields.Text(
        compute="_compute_recurrence_text",
        store=True,
        precompute=True,  # in the complaint's INSERT: no UPDATE right after it (#13)
        help="Title, location and description as plain text, for the similarity lookup.",
    )
    similar_complaint_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Similar earlier complaints",
        compute="_compute_similar_complaint_ids",
    )

    def init(self):
        """The pg_trgm extension (trusted: the database owner may create it) and the
        GIN trigram index of the lookup. Without the extension, no suggestion."""
        super().init()
        if not self._has_trigram():
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except psycopg2.Error:  # not the database owner, or no contrib package
                _logger.warning("pg_trgm unavailable: no similar complaints suggested.")
                return
        self.pool.has_trigram = True
        create_index(self.env.cr, NAME_TRGM_INDEX, self._table, ['"name" gin_trgm_ops'], "gin")

    def _has_trigram(self):
        self.env.cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return bool(self.env.cr.fetchone())

    @api.depends("name", "location", "description")
    def _compute_recurrence_text(self):
        for ticket in self:
            parts = (ticket.name, ticket.location, html2plaintext(ticket.description or ""))
            ticket.recurrence_text = "\n".join(part for part in parts if part) or False

    @api.depends("recurrence_of_id.recurrence_root_id", "recurrence_ids")
    def _compute_recurrence_root_id(self):
        for ticket in self:
            if ticket.recurrence_of_id:
                parent = ticket.recurrence_of_id
                ticket.recurrence_root_id = parent.recurrence_root_id or parent
            elif ticket.recurrence_ids:
                ticket.recurrence_root_id = ticket._origin or ticket
            else:
                ticket.recurrence_root_id = False

    @api.depends("recurrence_root_id")
    def _compute_recurrence_count(self):
        roots = self.recurrence_root_id
        counts = {}
        if roots:
            groups = self._read_group(
                [("recurrence_root_id", "in", roots.ids)], ["recurrence_root_id"], ["__count"]
            )
            # the root belongs to its group: the others repeat it
            counts = {root.id: count - 1 for root, count in groups}
        for ticket in self:
            ticket.recurrence_count = counts.get(ticket.recurrence_root_id.id, 0)

    @api.constrains("recurrence_of_id")
    def _check_recurrence_of_id(self):
        for ticket in self:
            if ticket.recurrence_of_id == ticket:
                raise ValidationError(self.env._("A complaint cannot repeat itself."))
        if self._has_cycle("recurrence_of_id"):
            raise ValidationError(self.env._("Complaints cannot repeat each other in a circle."))

    @api.depends(
        "name",
        "location",
        "description",
        "service_id",
        "recurrence_of_id",
        "recurrence_dismissed_ids",
    )
    def _compute_similar_complaint_ids(self):
        for ticket in self:
            ticket.similar_complaint_ids = ticket._find_similar_complaints()

    def _find_similar_complaints(self, limit=SIMILAR_LIMIT):
        """The earlier complaints most similar to this one that the current user may
        read, the same service first."""
        self.ensure_one()
        query = self._similar_complaints_query(limit)
        if query is None:
            return self.env["helpdesk.ticket"]
        return self.env["helpdesk.ticket"].browse(query.get_result_ids())

    def _similar_complaints_query(self, limit=SIMILAR_LIMIT):
        """The lookup of `_find_similar_complaints`: one query on the trigram indexes
        (``%`` is pg_trgm's similarity above its threshold), under the current user's
        access rules. None when there is nothing to compare."""
        Ticket = self.env["helpdesk.ticket"]
        if not self.name or not self.pool.has_trigram:
            return None
        this = self._origin
        parts = (self.name, self.location, html2plaintext(self.description or ""))
        text = "\n".join(part for part in parts if part)
        excluded = (this | self.recurrence_of_id | self.recurrence_dismissed_ids).ids
        domain = [("id", "not in", excluded)]
        if this and this.received_date:
            # earlier: received before this one (or recorded before it at the same time)
            domain += [
                "|",
                ("received_date", "<", this.received_date),
                "&",
                ("received_date", "=", this.received_date),
                ("id", "<", this.id),
            ]
        # The user's access rules apply: no suggestion the user may not read.
        query = Ticket._search(domain)
        table = query.table
        name_col = SQL.identifier(table, "name")
        text_col = SQL.identifier(table, "recurrence_text")
        # Candidates by the title (GIN index): a description's common phrases ("please
        # fix it") would make nearly every complaint a candidate. The description and
        # the location weigh in the ranking. The threshold holds for this transaction.
        self.env.cr.execute(
            SQL(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                str(SIMILARITY_THRESHOLD),
            )
        )
        query.add_where(SQL("%s %% %s", name_col, self.name))
        # the same service first; the title weighs twice the whole text
        same_service = (
            SQL("(%s = %s) DESC, ", SQL.identifier(table, "service_id"), self.service_id.id)
            if self.service_id
            else SQL()
        )
        query.order = SQL(
            "%s(2 * similarity(%s, %s) + similarity(%s, %s)) DESC, %s DESC",
            same_service,
            name_col,
            self.name,
            text_col,
            text,
            SQL.identifier(table, "id"),
        )
        query.limit = limit
        return query

    # ------------------------------------------------------------------
    # Actions on a suggestion (the record is the suggested earlier complaint; the
    # complaint being triaged is in the context, as the form's list passes it).

    def _get_triaged_complaint(self):
        ticket_id = self.env.context.get("recurrence_ticket_id")
        if not ticket_id:
            raise UserError(self.env._("Open the complaint to link or dismiss a suggestion."))
        complaint = self.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not complaint:
            raise UserError(self.env._("The complaint no longer exists."))
        # refused to those who may not edit the complaint, or read the suggestion
        complaint.check_access("write")
        self.check_access("read")
        return complaint

    def action_link_recurrence(self):
        """Link the complaint being triaged as a recurrence of this earlier one."""
        self.ensure_one()
        complaint = self._get_triaged_complaint()
        complaint.recurrence_of_id = self
        return True

    def action_dismiss_recurrence(self):
        """Say the complaint being triaged does not repeat this earlier one."""
        self.ensure_one()
        complaint = self._get_triaged_complaint()
        complaint.recurrence_dismissed_ids = [fields.Command.link(self.id)]
        return True

    def action_restore_recurrence(self):
        """Undo a dismissal: this earlier complaint is suggested again."""
        self.ensure_one()
        complaint = self._get_triaged_complaint()
        complaint.recurrence_dismissed_ids = [fields.Command.unlink(self.id)]
        return True

    def action_unlink_recurrence(self):
        """Undo the link: this complaint repeats none."""
        self.check_access("write")
        self.recurrence_of_id = False
        return True

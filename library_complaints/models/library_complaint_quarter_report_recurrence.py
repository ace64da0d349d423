"""The quarterly summary's recurring complaints and its Pareto of root causes.

A recurring group of the quarter is a first complaint (the root) with the complaints
linked to it as recurrences that were received in the quarter. The Pareto counts the
quarter's committee decisions per root-cause category, and each recurring group under
its root's category, most frequent first, with the cumulative share. Both are kept as
figure lines at generation, like the other figures: an approved summary keeps them."""

from odoo import api, fields, models
from odoo.fields import Domain

from .helpdesk_ticket_committee import COMMITTEE_DECISIONS

# The committee's decisions that close a discussion (a deferred one does not).
FINAL_DECISIONS = ("approve", "reject")


class LibraryComplaintQuarterReportLine(models.Model):
    _inherit = "library.complaint.quarter.report.line"

    dimension = fields.Selection(
        selection_add=[("recurrence", "Recurring group"), ("cause", "Root cause")],
        ondelete={"recurrence": "cascade", "cause": "cascade"},
    )
    # ---- a recurring group (dimension "recurrence"): count = recurrences in the quarter
    reference = fields.Char(help="The reference of the group's first complaint.")
    service_id = fields.Many2one(comodel_name="library.complaint.service")
    total_count = fields.Integer(string="Recurrences overall")
    stage_id = fields.Many2one(
        comodel_name="helpdesk.ticket.stage",
        string="Latest state",
        help="The stage of the group's latest complaint when the summary was counted.",
    )
    decision = fields.Selection(
        selection=COMMITTEE_DECISIONS,
        string="Committee decision",
        compute="_compute_decision",
        help="The MT committee's decision on the group's first complaint.",
    )
    # ---- a root-cause category (dimension "cause"): count = decisions + groups
    decision_count = fields.Integer(string="Decisions")
    group_count = fields.Integer(string="Recurring groups")
    rate = fields.Float(string="Share (%)", digits=(5, 1))
    cumulative_rate = fields.Float(string="Cumulative (%)", digits=(5, 1))

    def _get_label(self):
        self.ensure_one()
        if self.dimension == "recurrence":
            return self.name
        if self.dimension == "cause":
            cause = self.env["library.complaint.cause"].sudo().browse(self.res_id).exists()
            return cause.display_name if cause else self.env._("Not classified")
        return super()._get_label()

    @api.depends("dimension", "key")
    def _compute_decision(self):
        for line in self:
            line.decision = line.dimension == "recurrence" and line.key or False


class LibraryComplaintQuarterReport(models.Model):
    _inherit = "library.complaint.quarter.report"

    recurrence_line_ids = fields.One2many(
        comodel_name="library.complaint.quarter.report.line",
        inverse_name="report_id",
        string="Recurring complaints",
        domain=[("dimension", "=", "recurrence")],
        readonly=True,
    )
    cause_line_ids = fields.One2many(
        comodel_name="library.complaint.quarter.report.line",
        inverse_name="report_id",
        string="Root causes",
        domain=[("dimension", "=", "cause")],
        readonly=True,
    )
    recurring_group_count = fields.Integer(
        string="Recurring groups",
        readonly=True,
        help="First complaints repeated by complaints received in the quarter.",
    )
    recurrence_count = fields.Integer(
        string="Recurrences",
        readonly=True,
        help="Complaints received in the quarter that repeat an earlier one.",
    )

    def _collect_figures(self):
        figures, lines = super()._collect_figures()
        recurrence_lines, cause_lines = self._get_recurrence_figures(self._get_period_bounds())
        figures["recurring_group_count"] = len(recurrence_lines)
        figures["recurrence_count"] = sum(line["count"] for line in recurrence_lines)
        return figures, lines + recurrence_lines + cause_lines

    def _get_recurrence_figures(self, bounds):
        """([recurring group lines], [Pareto lines]) of the quarter: five queries
        whatever the number of complaints."""
        self.ensure_one()
        groups = self._get_recurring_groups(bounds)
        group_causes = [group.pop("cause") for group in groups]
        decided = self._count_decisions_per_cause()
        return groups, self._get_pareto_lines(decided, group_causes)

    def _get_recurring_groups(self, bounds):
        """A line per root complaint repeated in the quarter, the most repeated first."""
        tickets = self.env["helpdesk.ticket"].sudo()
        in_quarter = {
            root.id: count
            for root, count in tickets._read_group(
                self._ticket_domain("received_date", bounds)
                & Domain("recurrence_of_id", "!=", False),
                ["recurrence_root_id"],
                ["__count"],
            )
        }
        roots = tickets.browse(list(in_quarter))
        if not roots:
            return []
        # The whole group of each root: its recurrences overall and its latest complaint.
        overall = {
            root.id: (count - 1, latest_id)
            for root, count, latest_id in tickets._read_group(
                [("recurrence_root_id", "in", roots.ids)],
                ["recurrence_root_id"],
                ["__count", "id:max"],
            )
        }
        latest = tickets.browse(latest_id for __, latest_id in overall.values())
        (roots | latest).fetch(
            ["number", "name", "service_id", "stage_id", "committee_decision", "cause_id"]
        )
        lines = []
        for root in roots:
            total, latest_id = overall.get(root.id, (0, root.id))
            lines.append(
                {
                    "dimension": "recurrence",
                    "name": root.name,
                    "reference": root.number,
                    "res_id": root.id,
                    "service_id": root.service_id.id,
                    "count": in_quarter[root.id],
                    "total_count": total,
                    "stage_id": tickets.browse(latest_id).stage_id.id,
                    "key": root.committee_decision or False,
                    # the root's category, for the Pareto (taken out of the line)
                    "cause": root.cause_id.id,
                }
            )
        lines.sort(key=lambda line: (-line["count"], -line["total_count"], line["res_id"]))
        for index, line in enumerate(lines):
            line["sequence"] = index
        return lines

    def _count_decisions_per_cause(self):
        """{cause id (0: not classified): the committee's decisions of the quarter}."""
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("committee_decision", "in", FINAL_DECISIONS)
            & Domain("committee_decision_date", ">=", self.date_from)
            & Domain("committee_decision_date", "<", self.date_to)
        )
        tickets = self.env["helpdesk.ticket"].sudo()
        return {
            cause.id: count
            for cause, count in tickets._read_group(domain, ["cause_id"], ["__count"])
        }

    def _get_pareto_lines(self, decided, group_causes):
        """Per root-cause category: decisions plus recurring groups (`group_causes`:
        each group's root's category), the most frequent first (the unclassified
        last), with the share and the cumulative share."""
        counts = {cause_id: [count, 0] for cause_id, count in decided.items()}
        for cause_id in group_causes:
            counts.setdefault(cause_id, [0, 0])[1] += 1
        total = sum(sum(values) for values in counts.values())
        if not total:
            return []
        causes = self.env["library.complaint.cause"].sudo()
        causes = causes.browse(cause_id for cause_id in counts if cause_id)
        causes.fetch(["name", "sequence"])
        names = {cause.id: cause.display_name for cause in causes}
        order = sorted(
            counts,
            key=lambda cause_id: (not cause_id, -sum(counts[cause_id]), names.get(cause_id, "")),
        )
        lines = []
        cumulative = 0
        for index, cause_id in enumerate(order):
            decisions, group_count = counts[cause_id]
            count = decisions + group_count
            cumulative += count
            lines.append(
                {
                    "dimension": "cause",
                    "name": names.get(cause_id) or self.env._("Not classified"),
                    "res_id": cause_id,
                    "sequence": index,
                    "count": count,
                    "decision_count": decisions,
                    "group_count": group_count,
                    "rate": 100.0 * count / total,
                    "cumulative_rate": 100.0 * cumulative / total,
                }
            )
        return lines

    @api.model
    def _get_pareto_bar_width(self, line, lines):
        """The width (%) of a Pareto line's bar in the PDF: the largest is full."""
        largest = max(lines.mapped("count"), default=0)
        return round(100.0 * line.count / largest) if largest else 0

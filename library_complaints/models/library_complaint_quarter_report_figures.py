"""The quarterly summary's figures: every count one aggregation in the database,
with the previous quarter and the same quarter last year beside it."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import formatLang

from ..tools.quarters import quarter_bounds, quarter_code, quarter_of, shift_quarter

# Complaint fields the report counts by, in the order of the report.
DIMENSIONS = [
    ("track", "track_id"),
    ("service", "service_id"),
    ("division", "division_id"),
    ("channel", "channel_id"),
]
FIGURE_FIELDS = (
    "received_count",
    "resolved_count",
    "on_time_count",
    "late_count",
    "avg_handling_days",
    "open_count",
    "escalation_count",
    "decision_count",
    "prev_received_count",
    "prev_resolved_count",
    "prev_on_time_count",
    "last_year_received_count",
    "last_year_resolved_count",
    "last_year_on_time_count",
    "satisfaction_count",
    "satisfaction_score",
)
# No figure where nothing was counted: a rate or an average without data.
NO_DATA = "—"
# The summaries of earlier quarters whose figures are the comparison's: approved ones
# keep their figures.
KEPT_STATES = ("approved", "forwarded")


class LibraryComplaintQuarterReport(models.Model):
    _inherit = "library.complaint.quarter.report"

    line_ids = fields.One2many(
        comodel_name="library.complaint.quarter.report.line",
        inverse_name="report_id",
        string="Figures",
        readonly=True,
    )
    # ---- the quarter's figures. Adding up quarters, rates or averages means nothing
    # (a summary also counts what stayed open and its neighbours' figures): no
    # aggregator but on the quarter's own flows.
    received_count = fields.Integer(string="Received", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    on_time_count = fields.Integer(string="Resolved on time", readonly=True)
    late_count = fields.Integer(string="Resolved late", readonly=True)
    on_time_rate = fields.Float(
        string="On time (%)", compute="_compute_on_time_rate", digits=(5, 1), aggregator=False
    )
    avg_handling_days = fields.Float(
        string="Average handling (working days)",
        readonly=True,
        digits=(6, 1),
        aggregator=False,
        help="Only meaningful when the quarter resolved complaints (see Resolved).",
    )
    has_resolved = fields.Boolean(
        string="Has resolved complaints",
        compute="_compute_has_data",
        store=True,
        help="Whether the quarter resolved complaints: without them, its on-time rate "
        "and its handling times are no data, not 0.",
    )
    has_satisfaction = fields.Boolean(
        string="Has survey answers",
        compute="_compute_has_data",
        store=True,
        help="Whether the quarter has survey answers: without them, its average "
        "satisfaction is no data, not 0.",
    )
    on_time_rate_text = fields.Char(string="On time (%)", compute="_compute_figure_texts")
    avg_handling_days_text = fields.Char(
        string="Average handling (working days)", compute="_compute_figure_texts"
    )
    satisfaction_score_text = fields.Char(
        string="Average satisfaction", compute="_compute_figure_texts"
    )
    open_count = fields.Integer(
        string="Carried over",
        readonly=True,
        aggregator=False,
        help="Complaints still open at the end of the quarter.",
    )
    escalation_count = fields.Integer(string="Escalations", readonly=True)
    decision_count = fields.Integer(string="Committee decisions", readonly=True)
    prev_received_count = fields.Integer(
        string="Received, previous quarter", readonly=True, aggregator=False
    )
    prev_resolved_count = fields.Integer(
        string="Resolved, previous quarter", readonly=True, aggregator=False
    )
    prev_on_time_count = fields.Integer(
        string="On time, previous quarter", readonly=True, aggregator=False
    )
    last_year_received_count = fields.Integer(
        string="Received, same quarter last year", readonly=True, aggregator=False
    )
    last_year_resolved_count = fields.Integer(
        string="Resolved, same quarter last year", readonly=True, aggregator=False
    )
    last_year_on_time_count = fields.Integer(
        string="On time, same quarter last year", readonly=True, aggregator=False
    )
    satisfaction_count = fields.Integer(string="Survey answers", readonly=True)
    satisfaction_score = fields.Float(
        string="Average satisfaction",
        readonly=True,
        digits=(3, 2),
        aggregator=False,
        help="Average score of the quarter's satisfaction surveys (1 to 5).",
    )

    @api.depends("resolved_count", "on_time_count")
    def _compute_on_time_rate(self):
        for report in self:
            report.on_time_rate = (
                100.0 * report.on_time_count / report.resolved_count
                if report.resolved_count
                else 0.0
            )

    @api.depends("resolved_count", "satisfaction_count")
    def _compute_has_data(self):
        for report in self:
            report.has_resolved = bool(report.resolved_count)
            report.has_satisfaction = bool(report.satisfaction_count)

    @api.depends(
        "has_resolved",
        "has_satisfaction",
        "on_time_rate",
        "avg_handling_days",
        "satisfaction_score",
    )
    @api.depends_context("lang")
    def _compute_figure_texts(self):
        """The rates and averages as the form, the PDF and the mail show them: a dash
        where there is nothing to count (the statistics page's way)."""
        for report in self:
            report.on_time_rate_text = report._format_figure(
                report.has_resolved, report.on_time_rate, 1
            )
            report.avg_handling_days_text = report._format_figure(
                report.has_resolved, report.avg_handling_days, 1
            )
            report.satisfaction_score_text = report._format_figure(
                report.has_satisfaction, report.satisfaction_score, 2
            )

    def _format_figure(self, has_data, value, digits):
        return formatLang(self.env, value, digits=digits) if has_data else NO_DATA

    # ------------------------------------------------------------------
    # Counting

    def _compute_figures(self):
        for report in self:
            figures, lines = report._collect_figures()
            report.sudo().line_ids.unlink()
            report.sudo().write(
                dict(
                    figures,
                    generated_date=fields.Datetime.now(),
                    line_ids=[(0, 0, line) for line in lines],
                )
            )

    def _get_period_bounds(self, shift=0):
        """(from, to) as naive UTC datetimes for the report's quarter, shifted by `shift`
        quarters."""
        self.ensure_one()
        year, quarter = shift_quarter(self.year, self.quarter, shift)
        date_from, date_to = quarter_bounds(year, quarter, self.basis)
        calendar = self.company_id._get_complaint_calendar()
        return (
            calendar._to_utc(date_from),
            calendar._to_utc(date_to),
        )

    def _ticket_domain(self, fname, bounds):
        return (
            Domain("company_id", "=", self.company_id.id)
            & Domain(fname, ">=", bounds[0])
            & Domain(fname, "<", bounds[1])
        )

    def _collect_figures(self):
        """({field: value}, [line values]) of the quarter, with the comparisons."""
        self.ensure_one()
        tickets = self.env["helpdesk.ticket"].sudo()
        bounds = self._get_period_bounds()
        groupby = [fname for __, fname in DIMENSIONS]

        received = tickets._read_group(
            self._ticket_domain("received_date", bounds), groupby, ["__count"]
        )
        resolved = tickets._read_group(
            self._resolved_domain(bounds),
            [*groupby, "resolution_timeliness"],
            ["__count", "handling_working_days:sum"],
        )
        lines = self._get_dimension_lines(received, resolved)
        prev = self._get_earlier_figures(-1)
        last_year = self._get_earlier_figures(-4)
        lines += self._get_comparison_lines(prev, last_year)
        lines += self._get_escalation_lines(bounds)
        decision_lines = self._get_decision_lines(bounds)
        lines += decision_lines
        lines += self._get_assessment_lines()

        resolved_count = sum(row[-2] for row in resolved)
        on_time = sum(row[-2] for row in resolved if row[len(groupby)] == "on_time")
        handling_days = sum(row[-1] for row in resolved)
        satisfaction = self._get_satisfaction_figures(bounds)
        figures = {
            "received_count": sum(row[-1] for row in received),
            "resolved_count": resolved_count,
            "on_time_count": on_time,
            "late_count": resolved_count - on_time,
            # no data without a complaint resolved (has_resolved), not an average of 0
            "avg_handling_days": handling_days / resolved_count if resolved_count else 0.0,
            "open_count": self._count_open_at(bounds[1]),
            "escalation_count": sum(
                line["count"] for line in lines if line["dimension"] == "escalation"
            ),
            "decision_count": sum(line["count"] for line in decision_lines),
            "prev_received_count": prev["received"],
            "prev_resolved_count": prev["resolved"],
            "prev_on_time_count": prev["on_time"],
            "last_year_received_count": last_year["received"],
            "last_year_resolved_count": last_year["resolved"],
            "last_year_on_time_count": last_year["on_time"],
            "satisfaction_count": satisfaction["count"],
            "satisfaction_score": satisfaction["score"],
        }
        return figures, lines

    def _get_dimension_lines(self, received, resolved):
        """Per track / service / division / channel: received, on time, late."""
        width = len(DIMENSIONS)
        stats = defaultdict(lambda: {"count": 0, "on_time_count": 0, "late_count": 0})
        for row in received:
            for index, (dimension, __) in enumerate(DIMENSIONS):
                stats[dimension, row[index]]["count"] += row[width]
        for row in resolved:
            key = "on_time_count" if row[width] == "on_time" else "late_count"
            for index, (dimension, __) in enumerate(DIMENSIONS):
                stats[dimension, row[index]][key] += row[width + 1]
        lines = []
        for (dimension, record), values in stats.items():
            lines.append(
                dict(
                    values,
                    dimension=dimension,
                    name=record.display_name if record else self.env._("Not set"),
                    res_id=record.id if record else 0,
                    sequence=record.id if record else 0,
                )
            )
        return lines

    def _resolved_domain(self, bounds):
        """The company's complaints resolved in the quarter starting at bounds[0]: the
        quarter stored on each complaint when it was closed (on the quarter basis of
        that moment), not its closing date read on today's basis."""
        calendar = self.company_id._get_complaint_calendar()
        first_day = calendar._get_local_date(bounds[0])
        return Domain("company_id", "=", self.company_id.id) & Domain(
            "closed_quarter", "=", quarter_code(*quarter_of(first_day, self.basis), self.basis)
        )

    def _get_earlier_summary(self, shift):
        """The approved summary of the quarter `shift` quarters before this one (on
        this one's basis), if any: the figures the committee approved."""
        self.ensure_one()
        year, quarter = shift_quarter(self.year, self.quarter, shift)
        date_from = quarter_bounds(year, quarter, self.basis)[0]
        return self.sudo().search(
            [
                ("company_id", "=", self.company_id.id),
                ("basis", "=", self.basis),
                ("date_from", "=", date_from),
                ("state", "in", KEPT_STATES),
            ],
            limit=1,
        )

    def _get_earlier_figures(self, shift):
        """{'received', 'resolved', 'on_time', 'tracks': {track id: received}} of the
        quarter `shift` quarters back: its approved summary's own figures, so that the
        comparison says what that summary says whatever changed since; counted from
        the complaints only for a quarter without an approved summary."""
        summary = self._get_earlier_summary(shift)
        if summary:
            tracks = defaultdict(int)
            for line in summary.line_ids.filtered(lambda line: line.dimension == "track"):
                tracks[line.res_id] += line.count
            return {
                "received": summary.received_count,
                "resolved": summary.resolved_count,
                "on_time": summary.on_time_count,
                "tracks": dict(tracks),
            }
        bounds = self._get_period_bounds(shift)
        tracks = {
            track.id or 0: count
            for track, count in self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(self._ticket_domain("received_date", bounds), ["track_id"], ["__count"])
        }
        return dict(self._get_resolved_totals(bounds), received=sum(tracks.values()), tracks=tracks)

    def _get_comparison_lines(self, prev, last_year):
        """Per track: received in the previous quarter and in the same quarter last
        year (figures of _get_earlier_figures)."""
        counts = defaultdict(dict)
        for key, figures in (("prev_count", prev), ("last_year_count", last_year)):
            for track_id, count in figures["tracks"].items():
                if count:
                    counts[track_id][key] = count
        Track = self.env["library.complaint.track"].sudo()
        return [
            dict(
                values,
                dimension="track_comparison",
                name=Track.browse(track_id).display_name if track_id else self.env._("Not set"),
                res_id=track_id,
                sequence=track_id,
            )
            for track_id, values in counts.items()
        ]

    def _get_resolved_totals(self, bounds):
        """Resolved and resolved on time in a period (received: the comparison lines)."""
        resolved = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                self._resolved_domain(bounds),
                ["resolution_timeliness"],
                ["__count"],
            )
        )
        return {"resolved": sum(resolved.values()), "on_time": resolved.get("on_time", 0)}

    def _count_open_at(self, moment):
        """Complaints received before `moment` and not resolved by then."""
        return self.env["helpdesk.ticket"].sudo().search_count(self._open_at_domain(moment))

    def _open_at_domain(self, moment):
        return (
            Domain("company_id", "=", self.company_id.id)
            & Domain("received_date", "<", moment)
            & (Domain("closed_date", "=", False) | Domain("closed_date", ">=", moment))
        )

    def _get_escalation_lines(self, bounds):
        escalations = self.env["library.complaint.escalation"].sudo()
        labels = dict(escalations._fields["to_level"]._description_selection(self.env))
        domain = (
            Domain("ticket_id.company_id", "=", self.company_id.id)
            & Domain("date", ">=", bounds[0])
            & Domain("date", "<", bounds[1])
        )
        return [
            {
                "dimension": "escalation",
                "name": labels.get(level, level),
                "key": level,
                "count": count,
            }
            for level, count in escalations._read_group(domain, ["to_level"], ["__count"])
        ]

    def _get_decision_lines(self, bounds):
        items = self.env["library.complaint.meeting.item"].sudo()
        labels = dict(items._fields["decision"]._description_selection(self.env))
        domain = (
            Domain("meeting_id.company_id", "=", self.company_id.id)
            & Domain("meeting_id.state", "in", ("held", "approved"))
            & Domain("meeting_id.date_start", ">=", bounds[0])
            & Domain("meeting_id.date_start", "<", bounds[1])
            & Domain("decision", "!=", False)
        )
        return [
            {"dimension": "decision", "name": labels[decision], "key": decision, "count": count}
            for decision, count in items._read_group(domain, ["decision"], ["__count"])
        ]

    def _get_assessment_lines(self):
        """Each service's latest assessment round closed in the quarter, with the
        change since its previous round."""
        rounds = (
            self.env["library.complaint.assessment"]
            .sudo()
            ._get_quarter_figures(self.company_id, self.date_from, self.date_to)
        )
        return [
            {
                "dimension": "assessment",
                "name": row["service"],
                "res_id": row["service_id"],
                "sequence": index,
                "count": row["respondent_count"],
                **{
                    key: row[key] or 0.0
                    for key in (
                        "satisfaction_rate",
                        "satisfaction_delta",
                        "dissatisfaction_rate",
                        "dissatisfaction_delta",
                        "engagement_rate",
                        "engagement_delta",
                    )
                },
            }
            for index, row in enumerate(rounds)
        ]

    def _get_satisfaction_figures(self, bounds):
        """{'count', 'score'} of the complaint satisfaction surveys completed in the
        period: one aggregation."""
        [(count, score)] = self.env["survey.user_input"]._get_satisfaction_figures(
            self._satisfaction_answer_domain(bounds)
        )
        return {"count": count, "score": score or 0.0}

    def _satisfaction_answer_domain(self, bounds):
        """The company's complaint survey answers completed in the period (those that
        count: survey.user_input._get_satisfaction_figures)."""
        return (
            Domain("ticket_id.company_id", "=", self.company_id.id)
            & Domain("end_datetime", ">=", bounds[0])
            & Domain("end_datetime", "<", bounds[1])
        )

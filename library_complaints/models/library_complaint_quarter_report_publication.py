"""The public figures of the quarterly summaries: approving a summary publishes the
figures it keeps (the quarter's, per severity track and per service), which the page
/complaints/statistics reads (controllers/statistics.py), never the complaints."""

from collections import defaultdict
from statistics import median

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import ormcache

from .library_complaint_quarter_report_line import DIMENSION_MODELS

PUBLISHED_STATES = ("approved", "forwarded")
# The dimensions the public page shows, in its order.
PUBLISHED_DIMENSIONS = ("track", "service")
# The trend chart: the last eight published quarters.
TREND_QUARTERS = 8
# The summary fields the public reads (the page reads these, nothing else).
PUBLIC_REPORT_FIELDS = [
    "year",
    "quarter",
    "basis",
    "date_from",
    "quarter_code",
    "published_date",
    "received_count",
    "resolved_count",
    "on_time_count",
    "median_handling_days",
    "open_count",
    "satisfaction_count",
    "satisfaction_score",
]
PUBLIC_LINE_FIELDS = [
    "report_id",
    "dimension",
    "res_id",
    "count",
    "on_time_count",
    "late_count",
    "median_handling_days",
    "open_count",
    "satisfaction_count",
    "satisfaction_score",
]


def _median(values):
    return float(median(values)) if values else 0.0


class LibraryComplaintQuarterReport(models.Model):
    _inherit = "library.complaint.quarter.report"

    published_date = fields.Datetime(
        string="Published on",
        readonly=True,
        copy=False,
        help="Approving the summary publishes its figures on the website's statistics page.",
    )
    median_handling_days = fields.Float(
        string="Median handling (working days)", readonly=True, digits=(6, 1), aggregator=False
    )
    median_handling_days_text = fields.Char(
        string="Median handling (working days)", compute="_compute_median_handling_days_text"
    )

    @api.depends("has_resolved", "median_handling_days")
    @api.depends_context("lang")
    def _compute_median_handling_days_text(self):
        for report in self:
            report.median_handling_days_text = report._format_figure(
                report.has_resolved, report.median_handling_days, 1
            )

    def action_approve(self):
        result = super().action_approve()
        self.sudo().write({"published_date": fields.Datetime.now()})
        return result

    # ------------------------------------------------------------------
    # Counting what the public page shows

    def _collect_figures(self):
        """The summary's figures, with the median handling time, and per track and
        per service the complaints still open, the median and the satisfaction."""
        figures, lines = super()._collect_figures()
        bounds = self._get_period_bounds()
        handling = self._get_handling_days_by_group(bounds)
        figures["median_handling_days"] = _median(
            [days for values in handling.values() for days in values]
        )
        open_counts = self._get_open_by_group(bounds[1])
        satisfaction = self._get_satisfaction_by_group(bounds)
        by_key = {
            (line["dimension"], line.get("res_id") or 0): line
            for line in lines
            if line["dimension"] in PUBLISHED_DIMENSIONS
        }
        for index, dimension in enumerate(PUBLISHED_DIMENSIONS):
            per_record = defaultdict(lambda: {"days": [], "open": 0, "answers": 0, "score": 0.0})
            for key, days in handling.items():
                per_record[key[index]]["days"] += days
            for key, count in open_counts.items():
                per_record[key[index]]["open"] += count
            for key, (count, score_sum) in satisfaction.items():
                per_record[key[index]]["answers"] += count
                per_record[key[index]]["score"] += score_sum
            for res_id, values in per_record.items():
                line = by_key.get((dimension, res_id))
                if line is None:
                    record = self.env[DIMENSION_MODELS[dimension]].sudo().browse(res_id)
                    line = {
                        "dimension": dimension,
                        "name": record.display_name if res_id else self.env._("Not set"),
                        "res_id": res_id,
                        "sequence": res_id,
                        "count": 0,
                    }
                    lines.append(line)
                line.update(
                    median_handling_days=_median(values["days"]),
                    open_count=values["open"],
                    satisfaction_count=values["answers"],
                    satisfaction_score=(
                        values["score"] / values["answers"] if values["answers"] else 0.0
                    ),
                )
        return figures, lines

    def _get_handling_days_by_group(self, bounds):
        """{(track id, service id): [working days of each complaint resolved]}: one
        aggregation (run once, when the summary is generated)."""
        rows = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                self._resolved_domain(bounds),
                ["track_id", "service_id"],
                ["handling_working_days:array_agg"],
            )
        )
        return {(track.id or 0, service.id or 0): days or [] for track, service, days in rows}

    def _get_open_by_group(self, moment):
        rows = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(self._open_at_domain(moment), ["track_id", "service_id"], ["__count"])
        )
        return {(track.id or 0, service.id or 0): count for track, service, count in rows}

    def _get_satisfaction_by_group(self, bounds):
        rows = self.env["survey.user_input"]._get_satisfaction_figures(
            self._satisfaction_answer_domain(bounds),
            ["complaint_track_id", "complaint_service_id"],
        )
        # (answers, sum of scores): the sums add up per track and per service
        return {
            (track.id or 0, service.id or 0): (count, (score or 0.0) * count)
            for track, service, count, score in rows
        }

    # ------------------------------------------------------------------
    # Reading the published figures (the public page)

    @api.model
    def _get_published_domain(self, company):
        return (
            Domain("company_id", "=", company.id)
            & Domain("basis", "=", company.complaint_quarter_basis)
            & Domain("state", "in", PUBLISHED_STATES)
        )

    @api.model
    def _get_published_statistics(self, year=None, company=None):
        """What the statistics page shows for `year` (default: the latest published
        year) and the trend of the eight quarters up to its end, read from the approved
        summaries of `company` only (default: the current one; the page passes its
        website's), in a fixed number of queries:
        {'years', 'year', 'basis', 'quarters', 'rows', 'trend', 'tracks'}; 'year' is
        None when no summary is published (or none of `year`).

        The public may not read the summaries themselves (their chatter holds the
        committee's mails and PDFs, their recommendations the committee's text): the
        published figure fields are read here with sudo, and only they."""
        company = company or self.env.company
        # Every published summary in one query: four a year, whatever the number of
        # complaints; the years, the year's quarters and the trend are taken from them.
        published = self.sudo().search_fetch(
            self._get_published_domain(company), PUBLIC_REPORT_FIELDS, order="date_from"
        )
        years = sorted(set(published.mapped("year")), reverse=True)
        if year is None and years:
            year = years[0]
        labels, tracks = self._get_public_labels()
        values = {
            "years": years,
            "year": year if year in years else None,
            "basis": company.complaint_quarter_basis,
            "quarters": [],
            "rows": [],
            "trend": [],
            "tracks": list(tracks),
        }
        if values["year"] is None:
            return values
        summaries = published.filtered(lambda summary: summary.year == year)
        trend = published.filtered(lambda summary: summary.date_from <= summaries[-1].date_from)
        values["quarters"] = [summary._get_public_figures() for summary in summaries]
        values["rows"] = self._get_public_rows(summaries, labels)
        values["trend"] = [summary._get_public_figures() for summary in trend[-TREND_QUARTERS:]]
        return values

    def _get_public_figures(self):
        """The quarter's figures as published (no record, no one's identity)."""
        self.ensure_one()
        return {
            "year": self.year,
            "quarter": self.quarter,
            "code": self.quarter_code,
            "published_date": self.published_date,
            **_public_figures(self),
        }

    @api.model
    @ormcache("self.env.lang")
    def _get_public_labels(self):
        """({(dimension, id): name} of the tracks and services, ((name, time frame) of
        each active track)) in the reader's language: configuration, kept in the cache
        until a track or a service changes (library.complaint.configuration.mixin)."""
        tracks = (
            self.env["library.complaint.track"]
            .sudo()
            .search_fetch([], ["name", "target_working_days"])
        )
        services = (
            self.env["library.complaint.service"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([], ["name"])
        )
        labels = {("track", track.id): track.name for track in tracks}
        labels.update({("service", service.id): service.name for service in services})
        return labels, tuple((track.name, track.target_working_days) for track in tracks)

    def _get_public_rows(self, summaries, labels):
        """The rows of the table per track and per service, in the page's order:
        quarter, then the tracks, then the services (labels in the reader's language)."""
        lines = (
            self.env["library.complaint.quarter.report.line"]
            .sudo()
            .search_fetch(
                Domain("report_id", "in", summaries.ids)
                & Domain("dimension", "in", PUBLISHED_DIMENSIONS),
                PUBLIC_LINE_FIELDS,
            )
        )
        order = {key: index for index, key in enumerate(labels)}
        quarter_of = {summary.id: summary.quarter for summary in summaries}
        lines = sorted(
            lines,
            key=lambda line: (
                quarter_of[line.report_id.id],
                PUBLISHED_DIMENSIONS.index(line.dimension),
                order.get((line.dimension, line.res_id), len(order)),
            ),
        )
        return [
            {
                "quarter": quarter_of[line.report_id.id],
                "dimension": line.dimension,
                "name": labels.get((line.dimension, line.res_id)) or self.env._("Not set"),
                **_public_figures(line),
            }
            for line in lines
        ]


def _public_figures(record):
    """received, resolved, on-time rate, median, open, satisfaction of a summary or a
    summary line (a line's received count is its `count`)."""
    if record._name == "library.complaint.quarter.report":
        received, resolved = record.received_count, record.resolved_count
        on_time = record.on_time_count
    else:
        received = record.count
        resolved = record.on_time_count + record.late_count
        on_time = record.on_time_count
    return {
        "received": received,
        "resolved": resolved,
        "on_time_rate": 100.0 * on_time / resolved if resolved else None,
        "median_days": record.median_handling_days if resolved else None,
        "open": record.open_count,
        "satisfaction_score": record.satisfaction_score if record.satisfaction_count else None,
        "satisfaction_count": record.satisfaction_count,
    }

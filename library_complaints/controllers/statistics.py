import csv
import io
import json

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import content_disposition, request

from ..tools.numbers import ascii_int_or_400
from ..tools.quarters import be_year

FORMATS = ("html", "csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplaintStatistics(http.Controller):
    """The public transparency page: the office's complaint figures per year and
    quarter, per severity track and per service, as the MT committee approved them in
    its quarterly summaries (library_complaint_quarter_report_publication.py), with
    the same table as CSV and XLSX. No complaint, no one's identity."""

    @http.route(
        "/complaints/statistics",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        readonly=True,
    )
    def statistics(self, year=None, **kw):
        output = kw.get("format") or "html"
        if output not in FORMATS:
            raise BadRequest(request.env._("Unknown format."))
        if year is not None:
            year = ascii_int_or_400(
                year, request.env._("The year is a number such as 2026."), 1000, 9999
            )
        # the figures of the website's own company, whoever reads them (a user of
        # another company too: they are public)
        stats = request.env["library.complaint.quarter.report"]._get_published_statistics(
            year, company=self._get_company()
        )
        if year and stats["year"] is None:
            raise request.not_found()
        table = self._get_table(stats)
        if output == "csv":
            return self._csv_response(stats, table)
        if output == "xlsx":
            return self._xlsx_response(stats, table)
        return request.render(
            "library_complaints.complaint_statistics",
            {
                "stats": stats,
                "table": table,
                "headers": self._get_headers(),
                "year_label": self._year_label,
                "quarter_label": self._quarter_label,
                "cell_texts": self._cell_texts,
                "published_on": self._published_on(stats),
                "chart_data": json.dumps(self._get_chart_data(stats)),
            },
        )

    def _get_company(self):
        """The website's company, whose published figures the page shows."""
        return request.website.company_id.sudo()

    # ------------------------------------------------------------------
    # Labels in the reader's language

    def _year_label(self, year, basis):
        """'Fiscal year 2026', or in Thai 'ปีงบประมาณ 2569' (the Buddhist-era year)."""
        shown = be_year(year) if (request.env.lang or "").startswith("th") else year
        if basis == "fiscal":
            return request.env._("Fiscal year %(year)s", year=shown)
        return request.env._("Year %(year)s", year=shown)

    def _quarter_label(self, quarter):
        return request.env._("Quarter %(quarter)s", quarter=quarter)

    def _published_on(self, stats):
        dates = [q["published_date"] for q in stats["quarters"] if q["published_date"]]
        return self._get_company()._format_long_date(max(dates)) if dates else ""

    def _get_headers(self):
        return [
            request.env._("Year"),
            request.env._("Quarter"),
            request.env._("Breakdown"),
            request.env._("Name"),
            request.env._("Received"),
            request.env._("Resolved"),
            request.env._("Resolved within the time frame (%)"),
            request.env._("Median handling time (working days)"),
            request.env._("Still open at the end of the quarter"),
            request.env._("Satisfaction with the handling (average, 1-5)"),
            request.env._("Satisfaction answers"),
        ]

    # ------------------------------------------------------------------
    # The table (the page's, the CSV's and the XLSX's)

    def _get_table(self, stats):
        """[{'quarter', 'breakdown', 'dimension', 'name', 'cells'}]: the quarter's
        figures, then per severity track and per service; `cells` are the figures'
        columns (None where there is nothing to count)."""
        breakdowns = {"track": request.env._("Severity track"), "service": request.env._("Service")}
        rows = [
            {
                "quarter": quarter["quarter"],
                "dimension": "all",
                "breakdown": request.env._("All complaints"),
                "name": request.env._("All complaints"),
                "cells": self._cells(quarter),
            }
            for quarter in stats["quarters"]
        ]
        rows += [
            {
                "quarter": row["quarter"],
                "dimension": row["dimension"],
                "breakdown": breakdowns[row["dimension"]],
                "name": row["name"],
                "cells": self._cells(row),
            }
            for row in stats["rows"]
        ]
        return rows

    def _cells(self, figures):
        def rounded(value, digits):
            return None if value is None else round(value, digits)

        return [
            figures["received"],
            figures["resolved"],
            rounded(figures["on_time_rate"], 1),
            rounded(figures["median_days"], 1),
            figures["open"],
            rounded(figures["satisfaction_score"], 2),
            figures["satisfaction_count"],
        ]

    def _cell_texts(self, cells):
        """The figures as the page shows them: a dash where there is nothing to count."""
        formats = ("{}", "{}", "{:.1f}", "{:.1f}", "{}", "{:.2f}", "{}")
        return [
            "—" if cell is None else pattern.format(cell)
            for pattern, cell in zip(formats, cells, strict=True)
        ]

    def _get_records(self, stats, table):
        """The table as rows of plain values, year and quarter first."""
        year = self._year_label(stats["year"], stats["basis"])
        return [
            [
                year,
                self._quarter_label(row["quarter"]),
                row["breakdown"],
                row["name"],
                *("" if cell is None else cell for cell in row["cells"]),
            ]
            for row in table
        ]

    def _filename(self, stats, extension):
        prefix = "FY" if stats["basis"] == "fiscal" else ""
        return f"complaint-statistics-{prefix}{be_year(stats['year'])}.{extension}"

    def _csv_response(self, stats, table):
        if stats["year"] is None:
            raise request.not_found()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self._get_headers())
        writer.writerows(self._get_records(stats, table))
        # With a byte order mark, spreadsheet programs read the Thai text as UTF-8.
        return request.make_response(
            buffer.getvalue().encode("utf-8-sig"),
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", content_disposition(self._filename(stats, "csv"))),
            ],
        )

    def _xlsx_response(self, stats, table):
        if stats["year"] is None:
            raise request.not_found()
        import xlsxwriter  # as web's export does: loaded when asked for

        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self._year_label(stats["year"], stats["basis"])[:31])
        bold = workbook.add_format({"bold": True, "text_wrap": True})
        sheet.write_row(0, 0, self._get_headers(), bold)
        for index, record in enumerate(self._get_records(stats, table), start=1):
            sheet.write_row(index, 0, record)
        sheet.set_column(0, 3, 24)
        sheet.set_column(4, 10, 16)
        workbook.close()
        return request.make_response(
            buffer.getvalue(),
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(self._filename(stats, "xlsx"))),
            ],
        )

    # ------------------------------------------------------------------
    # The trend chart (static/src/interactions/complaint_statistics_chart.js)

    def _get_chart_data(self, stats):
        trend = stats["trend"]
        return {
            "labels": [
                self._short_quarter_label(q["year"], q["quarter"], stats["basis"]) for q in trend
            ],
            "datasets": [
                {"label": request.env._("Received"), "data": [q["received"] for q in trend]},
                {"label": request.env._("Resolved"), "data": [q["resolved"] for q in trend]},
            ],
            "rate": {
                "label": request.env._("Resolved within the time frame (%)"),
                "data": [
                    None if q["on_time_rate"] is None else round(q["on_time_rate"], 1)
                    for q in trend
                ],
            },
        }

    def _short_quarter_label(self, year, quarter, basis):
        """'Q1 FY2026' ('Q1 2026' on calendar years); Buddhist-era years in Thai."""
        shown = be_year(year) if (request.env.lang or "").startswith("th") else year
        if basis == "fiscal":
            return request.env._("Q%(quarter)s FY%(year)s", quarter=quarter, year=shown)
        return request.env._("Q%(quarter)s %(year)s", quarter=quarter, year=shown)

"""The demo's published figures are its complaints counted: the statistics page
(/complaints/statistics, as a visitor downloads it) against a direct count in the
database of the demo complaints received, resolved, resolved on time, still open,
their handling time and their satisfaction answers, quarter by quarter."""

import csv
import io
from datetime import datetime, time
from statistics import median
from zoneinfo import ZoneInfo

from odoo.tests import HttpCase, tagged

PUBLISHED = ("approved", "forwarded")


@tagged("post_install", "-at_install")
class TestDemoStatistics(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.tz = ZoneInfo(cls.company._get_complaint_calendar().tz)
        cls.published = cls.env["library.complaint.quarter.report"].search(
            [("company_id", "=", cls.company.id), ("state", "in", PUBLISHED)],
            order="date_from",
        )

    def utc(self, day):
        """Midnight of `day` in the office's time zone, as a naive UTC datetime."""
        local = datetime.combine(day, time(), tzinfo=self.tz)
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    def count(self, start, end):
        """The quarter's figures, counted over the complaints themselves (SQL)."""
        cr = self.env.cr
        company = self.company.id
        cr.execute(
            "SELECT count(*) FROM helpdesk_ticket WHERE company_id = %s "
            "AND received_date >= %s AND received_date < %s",
            [company, start, end],
        )
        [(received,)] = cr.fetchall()
        cr.execute(
            "SELECT handling_working_days, resolution_timeliness FROM helpdesk_ticket "
            "WHERE company_id = %s AND closed_date >= %s AND closed_date < %s",
            [company, start, end],
        )
        resolved = cr.fetchall()
        cr.execute(
            "SELECT count(*) FROM helpdesk_ticket WHERE company_id = %s "
            "AND received_date < %s AND (closed_date IS NULL OR closed_date >= %s)",
            [company, end, end],
        )
        [(still_open,)] = cr.fetchall()
        cr.execute(
            "SELECT count(*), avg(answer.satisfaction_score) FROM survey_user_input answer "
            "JOIN helpdesk_ticket ticket ON ticket.id = answer.ticket_id "
            "WHERE ticket.company_id = %s AND answer.state = 'done' "
            "AND answer.satisfaction_score > 0 "
            "AND answer.end_datetime >= %s AND answer.end_datetime < %s",
            [company, start, end],
        )
        [(answers, score)] = cr.fetchall()
        on_time = sum(1 for __, verdict in resolved if verdict == "on_time")
        return {
            "received": received,
            "resolved": len(resolved),
            "on_time_rate": round(100.0 * on_time / len(resolved), 1) if resolved else None,
            "median_days": round(float(median(d for d, __ in resolved)), 1) if resolved else None,
            "open": still_open,
            "satisfaction_score": round(float(score), 2) if answers else None,
            "satisfaction_count": answers,
        }

    def published_rows(self, year):
        """{quarter: figures} of the year's table as the visitor downloads it."""
        response = self.url_open(f"/complaints/statistics?year={year}&format=csv")
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        keys = list(self.count(datetime.now(), datetime.now()))

        def value(cell, key):
            if cell == "":
                return None
            return (
                float(cell)
                if key in ("on_time_rate", "median_days", "satisfaction_score")
                else int(cell)
            )

        return {
            int(row[1].split()[-1]): {
                key: value(cell, key) for key, cell in zip(keys, row[4:], strict=True)
            }
            for row in rows[1:]
            if row[2] == row[3]  # "All complaints" twice, in the reader's language
        }

    def test_the_published_figures_are_the_demo_complaints_counted(self):
        self.assertGreaterEqual(len(self.published), 8, "eight quarters are published")
        self.opener.cookies.set("frontend_lang", "en_US")
        received = 0
        for year in sorted(set(self.published.mapped("year"))):
            page = self.published_rows(year)
            summaries = self.published.filtered(lambda summary, y=year: summary.year == y)
            self.assertEqual(sorted(page), sorted(summaries.mapped("quarter")))
            for summary in summaries:
                with self.subTest(quarter=summary.quarter_code):
                    counted = self.count(self.utc(summary.date_from), self.utc(summary.date_to))
                    self.assertEqual(page[summary.quarter], counted)
                    received += counted["received"]
        self.assertTrue(received, "the published quarters have complaints behind them")

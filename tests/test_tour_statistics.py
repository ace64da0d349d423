"""The visitor's journey to the public complaint statistics in Chromium (tour in
library_complaints/static/tests/tours/visitor_statistics.js), and the CSV it downloads."""

import csv
import io

from lxml import html

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot


@tagged("post_install", "-at_install")
class TestTourStatistics(HttpCase):
    def test_visitor_reads_the_statistics_and_downloads_the_csv(self):
        # The demo's approved summaries are published; the one of the quarter that
        # ended last is only sent to the committee.
        Report = self.env["library.complaint.quarter.report"]
        published = Report.search([("state", "in", ("approved", "forwarded"))])
        self.assertTrue(published, "the demo publishes approved summaries")
        self.assertTrue(Report.search([("state", "in", ("draft", "sent"))]))
        year = max(published.mapped("year"))

        with final_screenshot("statistics_"):
            self.start_tour("/", "library_complaints_visitor_statistics", login=None)

        # The link the visitor clicked, and what it downloads
        self.opener.cookies.set("frontend_lang", "en_US")
        page = self.url_open("/complaints/statistics")
        self.assertEqual(page.status_code, 200)
        [href] = html.fromstring(page.text).xpath(
            "//a[contains(@class, 'o_complaint_statistics_csv')]/@href"
        )
        self.assertEqual(href, f"/complaints/statistics?year={year}&format=csv")
        response = self.url_open(href)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        quarters = published.filtered(lambda report: report.year == year)
        totals = [row for row in rows[1:] if row[2] == "All complaints"]
        self.assertEqual(
            [int(row[4]) for row in totals],
            quarters.sorted("quarter").mapped("received_count"),
        )
        # No complaint's title in the download
        titles = self.env["helpdesk.ticket"].search([]).mapped("name")
        self.assertFalse([title for title in titles if title in response.content.decode()])

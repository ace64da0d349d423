"""The public statistics page /complaints/statistics: the figures of the approved
quarterly summaries only, as a page, a CSV and an XLSX, in English and in Thai with
Buddhist-era years, with no complaint and no one's identity, in a fixed number of
queries whatever the number of complaints."""

import csv
import io
import logging
import statistics
import time
from datetime import datetime

from freezegun import freeze_time
from lxml import html

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import warmup

from .common import LibraryComplaintsCase

_logger = logging.getLogger(__name__)

# Fiscal year 2020 (2563 B.E.): its first quarter is October to December 2019.
YEAR = 2020
TITLE = "The lift to the rare-books room squeaks"
# Reading the published figures of a fiscal year: the summaries (years, quarters, the
# trend) and their lines, a constant whatever the number of complaints; the tracks'
# and services' names are configuration, kept in the cache.
STATISTICS_QUERIES = 2
PAGE_QUERIES = 10
# The whole page (website layout and menus included), warm.
PAGE_SECONDS = 0.3


@tagged("post_install", "-at_install")
class TestStatistics(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["library.complaint.quarter.report"]
        cls.patron.name = "Somchai Jaidee"
        cls.patron.partner_id.email = "somchai@example.com"
        received = [
            (datetime(2019, 10, 7, 3, 0), datetime(2019, 10, 8, 3, 0)),
            (datetime(2019, 10, 8, 3, 0), datetime(2019, 11, 20, 3, 0)),
            (datetime(2019, 10, 9, 3, 0), datetime(2019, 10, 15, 3, 0)),
            (datetime(2019, 11, 4, 3, 0), None),
        ]
        cls.complaints = cls.env["helpdesk.ticket"]
        for when, closed in received:
            with freeze_time(when):
                ticket = cls.create_complaint(
                    name=TITLE,
                    partner_id=cls.patron.partner_id.id,
                    service_id=cls.service.id,
                    track_id=cls.track_3.id,
                )
            if closed:
                ticket.write({"stage_id": cls.done.id})
                ticket.closed_date = closed
            cls.complaints |= ticket
        # one more in the second quarter, whose summary stays a draft
        with freeze_time(datetime(2020, 1, 8, 3, 0)):
            cls.create_complaint(name=TITLE, service_id=cls.service.id, track_id=cls.track_1.id)
        cls.env.flush_all()
        cls.first = cls.Report._generate_quarter_report(cls.env.company, YEAR, 1)
        cls.second = cls.Report._generate_quarter_report(cls.env.company, YEAR, 2)
        cls.first.with_user(cls.committee).action_approve()

    def page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        return response

    # ------------------------------------------------------------------
    # What is published

    def test_approving_publishes_the_figures(self):
        resolved = self.complaints.filtered("closed_date")
        self.assertEqual(self.first.state, "approved")
        self.assertTrue(self.first.published_date)
        self.assertEqual(
            self.first.median_handling_days,
            statistics.median(resolved.mapped("handling_working_days")),
        )
        track = self.first.line_ids.filtered(
            lambda line: line.dimension == "track" and line.res_id == self.track_3.id
        )
        self.assertEqual((track.count, track.open_count), (4, 1))
        self.assertEqual(track.on_time_count + track.late_count, 3)

        stats = self.Report.with_user(self.env.ref("base.public_user"))._get_published_statistics(
            YEAR
        )
        [quarter] = stats["quarters"]
        self.assertEqual(quarter["quarter"], 1, "the draft summary of Q2 is not published")
        self.assertEqual((quarter["received"], quarter["resolved"], quarter["open"]), (4, 3, 1))
        self.assertEqual(
            [(row["dimension"], row["name"]) for row in stats["rows"]],
            [("track", self.track_3.name), ("service", self.service.name)],
        )
        self.assertEqual(stats["tracks"][0], (self.track_1.name, self.track_1.target_working_days))

    def test_the_public_reads_the_figures_not_the_summaries(self):
        """The summaries' chatter (the committee's mails and PDFs) and recommendations
        stay the committee's: the public and portal users read the published figures
        through the statistics only."""
        for user in (self.env.ref("base.public_user"), self.patron, self.staff):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Report.with_user(user).search([])
        self.assertTrue(
            self.Report.with_user(self.patron)._get_published_statistics(YEAR)["quarters"]
        )

    def test_draft_summary_is_not_published(self):
        self.second.with_user(self.committee).action_approve()
        self.assertEqual(len(self.Report._get_published_statistics(YEAR)["quarters"]), 2)
        self.second.sudo().state = "sent"
        self.assertEqual(len(self.Report._get_published_statistics(YEAR)["quarters"]), 1)
        self.first.sudo().state = "draft"
        self.assertIsNone(self.Report._get_published_statistics(YEAR)["year"])
        self.page(f"/complaints/statistics?year={YEAR}", status=404)

    def test_page_shows_the_approved_quarter_and_nothing_personal(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        response = self.page(f"/complaints/statistics?year={YEAR}")
        tree = html.fromstring(response.text)
        heading = tree.get_element_by_id("complaint_statistics_year").text_content()
        self.assertEqual(heading.strip(), f"Fiscal year {YEAR}")
        rows = tree.xpath("//table[@id='complaint_statistics_quarters']/tbody/tr")
        self.assertEqual(len(rows), 1, "the approved quarter only")
        cells = [" ".join(cell.text_content().split()) for cell in rows[0]]
        self.assertEqual(cells[:3], ["Quarter 1", "4", "3"])
        self.assertEqual(cells[5], "1", "one complaint still open")
        tracks = tree.xpath("//table[@id='complaint_statistics_tracks']/tbody/tr/td[1]")
        self.assertEqual([cell.text_content() for cell in tracks], [self.track_3.name])
        self.assertTrue(tree.xpath("//*[hasclass('o_complaint_statistics_chart')][@data-chart]"))
        self.assertNoPersonalData(response.text)
        [csv_link] = tree.xpath("//a[hasclass('o_complaint_statistics_csv')]/@href")
        self.assertEqual(csv_link, f"/complaints/statistics?year={YEAR}&format=csv")

    def test_thai_page_shows_buddhist_era_years(self):
        thai = self.env["res.lang"]._activate_lang("th_TH")
        self.env["website"].search([]).language_ids |= thai
        response = self.page(f"/th/complaints/statistics?year={YEAR}")
        tree = html.fromstring(response.text)
        heading = tree.get_element_by_id("complaint_statistics_year").text_content()
        self.assertIn(str(YEAR + 543), heading)
        self.assertNotIn(str(YEAR), heading)
        trend = tree.xpath("//table[@id='complaint_statistics_trend']/tbody/tr/th")
        self.assertIn(str(YEAR + 543), trend[-1].text_content())

    def test_csv_download(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        response = self.page(f"/complaints/statistics?year={YEAR}&format=csv")
        self.assertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
        disposition = response.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("complaint-statistics-FY2563.csv", disposition)
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(
            rows[0][:6],
            ["Year", "Quarter", "Breakdown", "Name", "Received", "Resolved"],
        )
        self.assertEqual(
            rows[1][:6],
            [f"Fiscal year {YEAR}", "Quarter 1", "All complaints", "All complaints", "4", "3"],
        )
        self.assertEqual([row[3] for row in rows[2:]], [self.track_3.name, self.service.name])
        self.assertEqual(len(rows), 4, "the approved quarter only: no row of the draft one")
        self.assertNoPersonalData(text)

    def test_xlsx_download(self):
        response = self.page(f"/complaints/statistics?year={YEAR}&format=xlsx")
        self.assertTrue(response.headers["Content-Type"].startswith("application/vnd.openxml"))
        self.assertEqual(response.content[:2], b"PK", "a zip file, as an XLSX is")
        try:
            import openpyxl
        except ImportError:
            return
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A1"].value, "Year")
        self.assertEqual(sheet["E2"].value, 4)

    def test_bad_parameters_are_refused(self):
        for url, status in (
            ("/complaints/statistics?year=abc", 400),
            ("/complaints/statistics?year=2020'", 400),
            ("/complaints/statistics?year=99999", 400),
            (f"/complaints/statistics?year={YEAR}&format=pdf", 400),
            ("/complaints/statistics?year=1999", 404),
            ("/complaints/statistics?year=1999&format=csv", 404),
        ):
            with self.subTest(url=url):
                self.page(url, status=status)

    def assertNoPersonalData(self, text):
        for private in (
            TITLE,
            "Somchai",
            "somchai@example.com",
            self.complaints[0].number,
            self.complaints[0].tracking_code,
        ):
            self.assertNotIn(private, text)

    # ------------------------------------------------------------------
    # The figure: <= 10 queries and < 300 ms, whatever the complaints

    @warmup
    def test_statistics_query_count(self):
        public = self.Report.with_user(self.env.ref("base.public_user"))
        # as in a request, the visitor's user and company are read already
        self.assertTrue(public.env.company.complaint_quarter_basis)
        with self.assertQueryCount(STATISTICS_QUERIES):
            stats = public._get_published_statistics(YEAR)
        self.assertEqual(len(stats["quarters"]), 1)

    @warmup
    def test_page_query_count(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        url = f"/complaints/statistics?year={YEAR}"
        self.page(url)  # the website's caches: views, menus, assets
        with self.assertQueryCount(PAGE_QUERIES):
            self.page(url)

    def test_page_time(self):
        url = f"/complaints/statistics?year={YEAR}"
        self.page(url)  # warm the caches
        start = time.perf_counter()
        self.page(url)
        seconds = time.perf_counter() - start
        _logger.warning("The statistics page of a fiscal year: %.0f ms", seconds * 1000)
        self.assertLess(seconds, PAGE_SECONDS * 3, "well under a second even on a busy machine")

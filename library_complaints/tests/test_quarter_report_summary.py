"""What the quarterly summary tells the committee (#25): no figure where nothing was
counted ("—", not 0), the previous quarter as its own approved summary says, and the
office's letterhead on the summary and on the noticeboard notice."""

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools.pdf import PdfReader
from odoo.tools.safe_eval import safe_eval

from .test_committee import CommitteeCase
from .test_committee_pdf import closed_port_url

NO_DATA = "—"
OFFICE = "Lamthan Thong University Library Office"


@tagged("post_install", "-at_install")
class TestQuarterSummaryFigures(CommitteeCase):
    def received(self, when, track, closed=None):
        with freeze_time(when):
            ticket = self.create_complaint(track_id=track.id, service_id=self.service.id)
        if closed:
            ticket.sudo().write(
                {"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id}
            )
            ticket.sudo().closed_date = closed
        return ticket

    def html(self, report):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "library_complaints.action_report_quarter_report", report.ids
        )
        return " ".join(html.decode().split())

    def test_a_quarter_without_data_shows_a_dash_not_zero(self):
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.flush_tracking()
        self.assertEqual((report.received_count, report.resolved_count), (0, 0))
        self.assertFalse(report.has_resolved)
        self.assertFalse(report.has_satisfaction)
        # the form's fields, the committee's mail and the PDF say "no data"
        committee_report = report.with_user(self.committee)
        self.assertEqual(committee_report.on_time_rate_text, NO_DATA)
        self.assertEqual(committee_report.avg_handling_days_text, NO_DATA)
        self.assertEqual(committee_report.median_handling_days_text, NO_DATA)
        self.assertEqual(committee_report.satisfaction_score_text, NO_DATA)
        html = self.html(report)
        self.assertRegex(html, r'name="on_time_rate"><span>—</span>')
        self.assertRegex(html, r'name="avg_handling_days"><span>—</span>')
        self.assertNotRegex(html, r"0\.0 %")

    def test_a_quarter_with_resolved_complaints_shows_its_figures(self):
        self.received(datetime(2021, 1, 12, 3), self.track_3, closed=datetime(2021, 1, 14, 3))
        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        self.assertTrue(report.has_resolved)
        self.assertEqual(report.on_time_rate_text, "100.0")
        self.assertEqual(report.avg_handling_days_text, "2.0")
        self.assertRegex(self.html(report), r'name="on_time_rate"><span>100.0</span>')

    def test_previous_quarter_is_the_figures_of_its_approved_summary(self):
        # fiscal 2021: Q1 is October to December 2020, Q2 January to March 2021
        self.received(datetime(2020, 10, 5, 3), self.track_3, closed=datetime(2020, 10, 7, 3))
        self.received(datetime(2020, 11, 2, 3), self.track_1)
        previous = self.Report._generate_quarter_report(self.env.company, 2021, 1)
        previous.with_user(self.committee).action_approve()
        self.assertEqual((previous.received_count, previous.resolved_count), (2, 1))
        # The complaints change after the committee approved: one more is filed
        # with a received date in November, and the open one is closed in December.
        late_filed = self.received(
            datetime(2020, 11, 20, 3), self.track_3, closed=datetime(2020, 12, 1, 3)
        )
        self.assertEqual(late_filed.report_quarter, "FY2564-Q1")

        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        self.flush_tracking()
        self.assertEqual(report.prev_received_count, previous.received_count)
        self.assertEqual(report.prev_resolved_count, previous.resolved_count)
        self.assertEqual(report.prev_on_time_count, previous.on_time_count)
        comparison = {
            line.res_id: line.prev_count for line in report._get_lines("track_comparison")
        }
        self.assertEqual(comparison, {self.track_3.id: 1, self.track_1.id: 1})
        self.assertIn(
            f'<td class="text-end"><span>{previous.received_count}</span></td>',
            self.html(report),
        )

    def test_previous_quarter_without_summary_is_counted(self):
        self.received(datetime(2020, 11, 2, 3), self.track_1)
        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        self.assertEqual(report.prev_received_count, 1)


@tagged("post_install", "-at_install")
class TestLetterhead(CommitteeCase):
    """The summary and the noticeboard notice print on the office's letterhead: its
    name and its logo, on this machine's wkhtmltopdf too (which drops the layout's
    header)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.name = OFFICE
        cls.env["ir.config_parameter"].sudo().set_param("report.url", closed_port_url())

    def save_first_page(self, pdf, name):
        """The PDF and its first page as PNG beside the tours' screenshots, to look at."""
        target = Path(config["screenshots"]) / self.env.cr.dbname / "reports"
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{name}.pdf").write_bytes(pdf)
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
                + [str(target / f"{name}.pdf"), str(target / name)],
                check=True,
                timeout=60,
            )

    def assert_letterhead(self, report_ref, records, name):
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, __ = reports._render_qweb_pdf(report_ref, records.ids)
        self.save_first_page(pdf, name)
        first_page = PdfReader(io.BytesIO(pdf)).pages[0]
        self.assertIn(OFFICE, re.sub(r"\s+", " ", first_page.extract_text()))
        images = first_page["/Resources"].get("/XObject") or {}
        self.assertTrue(
            any(image.get_object()["/Subtype"] == "/Image" for image in images.values()),
            "the logo is on the first page",
        )
        html, __ = reports._render_qweb_html(report_ref, records.ids)
        self.assertIn("<img", html.decode())
        self.assertIn(OFFICE, html.decode())

    def test_quarterly_summary_has_the_letterhead(self):
        self.assertTrue(self.env.company.logo)
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.assert_letterhead(
            "library_complaints.action_report_quarter_report", report, "letterhead_summary"
        )

    def test_noticeboard_notice_has_the_letterhead(self):
        outcome = self.env["library.complaint.outcome"].search(
            [("state", "=", "published"), ("company_id", "=", self.env.company.id)], limit=1
        )
        self.assertTrue(outcome, "the demo published outcomes")
        self.assert_letterhead(
            "library_complaints.action_report_outcome_notice", outcome, "letterhead_notice"
        )


@tagged("post_install", "-at_install")
class TestSatisfactionFigures(CommitteeCase):
    """The satisfaction analysis of the back office and the public statistics page
    give the same figures for a quarter: the same answers, the same average."""

    def analysis(self):
        """{quarter: (answers, average)} of the back office's analysis as it opens
        (its action's domain, its default filter, per quarter answered), read as the
        committee member."""
        action = self.env.ref("library_complaints.survey_user_input_action_complaint")
        context = safe_eval(action.context)
        search = etree.fromstring(
            self.env["survey.user_input"].get_view(action.search_view_id.id, "search")["arch"]
        )
        domain = Domain(safe_eval(action.domain))
        for node in search.iter("filter"):
            if context.get(f"search_default_{node.get('name')}"):
                domain &= Domain(safe_eval(node.get("domain")))
        rows = (
            self.env["survey.user_input"]
            .with_user(self.committee)
            ._read_group(domain, ["answer_quarter"], ["__count", "satisfaction_score:avg"])
        )
        return {quarter: (count, round(score, 2)) for quarter, count, score in rows}

    def test_back_office_and_public_page_agree(self):
        Report = self.env["library.complaint.quarter.report"]
        stats = Report._get_published_statistics()
        self.assertTrue(stats["year"], "the demo publishes summaries")
        analysis = self.analysis()
        compared = 0
        for year in stats["years"]:
            for quarter in Report._get_published_statistics(year)["quarters"]:
                if not quarter["satisfaction_count"]:
                    self.assertNotIn(quarter["code"], analysis)
                    continue
                self.assertEqual(
                    analysis[quarter["code"]],
                    (quarter["satisfaction_count"], round(quarter["satisfaction_score"], 2)),
                    quarter["code"],
                )
                compared += 1
        self.assertGreater(compared, 2)
        # the outcomes page's figures per service: the same computation
        by_service = self.env["survey.user_input"]._get_public_satisfaction_by_service()
        self.assertEqual(
            sum(count for __, count, __ in by_service),
            sum(count for count, __ in analysis.values()),
        )


@tagged("post_install", "-at_install")
class TestSummaryDates(CommitteeCase):
    def test_the_form_dates_have_their_year_in_the_readers_era(self):
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.env["res.lang"]._activate_lang("th_TH")
        thai = report.with_context(lang="th_TH")
        self.assertEqual(thai.date_from_text, "1 ตุลาคม 2562")
        self.assertEqual(thai.date_last_text, "31 ธันวาคม 2562")
        english = report.with_context(lang="en_US")
        self.assertEqual(english.date_from_text, "October 1, 2019")
        self.assertTrue(english.generated_date_text)

import io
import socket
from datetime import date, datetime

from odoo.tests import tagged
from odoo.tools.pdf import PdfReader

from .common import LibraryComplaintsCase


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


TITLE = "เครื่องถ่ายเอกสารชั้น 2 เสีย"
ROOT_CAUSE = "ลูกกลิ้งดึงกระดาษสึก"
MINUTES = "ที่ประชุมรับทราบและอนุมัติ"


@tagged("post_install", "-at_install")
class TestCommitteePdf(LibraryComplaintsCase):
    """The minutes and the quarterly summary print in the office's language (Thai),
    whatever the language of the user who prints them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("th_TH")
        cls.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        cls.env.company.partner_id.lang = "th_TH"
        cls.clear_open_meetings()
        # wkhtmltopdf fetches the report's stylesheets from report.url. Under
        # `odoo --test-enable` the test's own server would answer, and wait for the
        # database this test holds: point it at a closed port instead.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", closed_port_url())

    def render(self, report_ref, records):
        """(text of the PDF, HTML) of the report, whitespace collapsed.

        wkhtmltopdf's Thai text comes back from the PDF without its tone marks
        (ห้อง reads หอง), so the PDF is checked for dates and numbers only and the
        HTML of the same report for the rest.
        """
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, __ = reports._render_qweb_pdf(report_ref, records.ids)
        self.assertTrue(pdf.startswith(b"%PDF"), "a real PDF, from wkhtmltopdf")
        pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        html, __ = reports._render_qweb_html(report_ref, records.ids)
        # The extracted text may space out Thai letters: compare without whitespace.
        return "".join(pdf_text.split()), " ".join(html.decode().split())

    def test_minutes_are_printed_in_thai(self):
        ticket = self.create_complaint(name=TITLE, track_id=self.track_4.id)
        ticket._propose_to_committee()
        meeting = (
            self.env["library.complaint.meeting"]
            .with_user(self.committee)
            .create(
                {
                    "name": "ประชุมคณะกรรมการ MT ครั้งที่ 1/2569",
                    "date_start": datetime(2026, 1, 15, 3, 0),  # 10:00 in Bangkok
                    "location": "ห้องประชุม 1",
                    "chair_id": self.committee.id,
                }
            )
        )
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)
        self.assertTrue(item, "the proposed complaint is on the agenda")
        summary = self.env["library.complaint.quarter.report"]._generate_quarter_report(
            self.env.company, 2026, 1
        )
        summary.meeting_id = meeting
        meeting.action_schedule()
        meeting.item_ids.write({"decision": "defer"})
        item.write(
            {
                "decision": "approve",
                "root_cause": ROOT_CAUSE,
                "solution": "เปลี่ยนลูกกลิ้ง",
                "prevention": "ตรวจเครื่องทุกเดือน",
                "budget_estimate": 4500.0,
                "responsible_id": self.staff.id,
                "date_due": date(2026, 1, 31),
            }
        )
        meeting.action_mark_held()
        meeting.minutes = f"<p>{MINUTES}</p>"

        pdf_text, html = self.render("library_complaints.action_report_meeting_minutes", meeting)
        for expected in ("15 มกราคม 2569", "10:00 - 12:00", "31 มกราคม 2569", ticket.number):
            self.assertIn("".join(expected.split()), pdf_text)
        for expected in (
            "15 มกราคม 2569",
            "31 มกราคม 2569",
            ticket.number,
            TITLE,
            ROOT_CAUSE,
            "ห้องประชุม 1",
            MINUTES,
            self.committee.name,
            self.staff.name,
            "ข้อร้องเรียน ไตรมาสที่ 1 ปีงบประมาณ 2569",  # the summary presented, in Thai
            "วาระการประชุม",  # "Agenda", translated
            # printed in Thai although the user printing works in English
            self.track_4.with_context(lang="th_TH").name,
        ):
            self.assertIn(expected, html)
        self.assertNotEqual(self.env.lang, "th_TH")

    def test_quarter_without_complaints_is_printed_in_thai(self):
        report = self.env["library.complaint.quarter.report"]._generate_quarter_report(
            self.env.company, 2020, 1
        )
        self.assertEqual(report.received_count, 0)
        self.assertEqual(report.satisfaction_count, 0)

        pdf_text, html = self.render("library_complaints.action_report_quarter_report", report)
        for expected in ("1 ตุลาคม 2562", "31 ธันวาคม 2562"):
            self.assertIn("".join(expected.split()), pdf_text)
            self.assertIn(expected, html)
        self.assertIn("ข้อร้องเรียน ไตรมาสที่ 1 ปีงบประมาณ 2563", html)
        self.assertIn("ไตรมาสนี้ไม่มีข้อร้องเรียน", html)
        # the sentences for an empty quarter, whatever language they are in
        self.assertIn('name="no_complaints"', html)
        self.assertIn('name="no_satisfaction"', html)
        self.assertNotIn('name="breakdown_track"', html)

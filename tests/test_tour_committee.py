"""The MT committee member's journey (#11) in Chromium, as the demo user
``lc_committee``: plan a meeting, put the proposed complaints on its agenda, record
cause, solution, prevention and decision, mark it held, approve and print the minutes;
then the committee dashboard (opening a complaint that waits) and the quarterly
summary with its PDF. After each tour, what was stored is read back from the
database."""

import io
import json
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .tours import final_screenshot, save_first_page

COMMITTEE = "lc_committee"
MEETING = "MT committee meeting 2/2569"

# Counts the rows of the dashboard's "Waiting for the committee" list once it
# rendered, and compares them with the number the server counts.
COUNT_WAITING_ROWS = """
(async () => {
    const expected = %s;
    const deadline = Date.now() + 30000;
    const waitingList = () =>
        [...document.querySelectorAll(".o-dashboard-action")].find((el) =>
            el.querySelector(".o-dashboard-action-header")?.textContent.includes(
                "Waiting for the committee"
            )
        );
    while (!waitingList()?.querySelector(".o_list_renderer .o_data_row")) {
        if (Date.now() > deadline) {
            throw new Error("the waiting list did not render");
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (document.querySelector(".o_error_dialog")) {
        throw new Error("an error dialog is shown");
    }
    const rows = waitingList().querySelectorAll(".o_data_row").length;
    if (rows !== expected) {
        throw new Error(`the waiting list shows ${rows} complaints, ${expected} wait`);
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestCommitteeTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee = cls.env.ref("library_complaints.user_committee")
        # The demo committee reads Thai; the tour's steps read the English labels.
        cls.committee.lang = "en_US"
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Meeting = cls.env["library.complaint.meeting"]
        # The demo proposed these two to the committee; its planned meeting goes, so
        # that they wait for the meeting the tour creates.
        cls.computers = cls.env.ref("library_complaints.ticket_demo_computers")
        cls.aircon = cls.env.ref("library_complaints.ticket_demo_aircon")
        open_meetings = cls.Meeting.search([("state", "in", ("draft", "scheduled"))])
        open_meetings.write({"state": "draft"})
        open_meetings.unlink()
        pool = cls.Ticket.search(cls.Ticket._get_committee_pool_domain())
        assert cls.computers | cls.aircon <= pool, "the demo complaints wait for the committee"

    def start_committee_tour(self, tour):
        with final_screenshot():
            # the minutes' PDF (wkhtmltopdf) ends the tour: time for a busy machine
            self.start_tour("/odoo", tour, login=COMMITTEE, timeout=240)
        self.env.invalidate_all()

    def record_reports(self):
        """Patch the report rendering to record (report, ids, uid) of every print."""
        printed = []
        Report = self.registry["ir.actions.report"]
        original = Report._render_qweb_pdf

        def render(report_self, report_ref, res_ids=None, data=None):
            printed.append((report_ref, list(res_ids or []), report_self.env.uid))
            return original(report_self, report_ref, res_ids=res_ids, data=data)

        return printed, patch.object(Report, "_render_qweb_pdf", render)

    def render_pdf(self, report_ref, records, name):
        """The text of the report printed as the committee member: its real PDF
        (wkhtmltopdf) is kept with its first page as PNG (where pdftoppm exists) to
        look at; the text comes from the HTML of the same report (the PDF's web
        fonts give no text back)."""
        reports = (
            self.env["ir.actions.report"]
            .with_user(self.committee)
            .with_context(force_report_rendering=True)
        )
        pdf, __ = reports._render_qweb_pdf(report_ref, records.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
        save_first_page(pdf, name, self.env.cr.dbname)
        html, __ = reports._render_qweb_html(report_ref, records.ids)
        return " ".join(html.decode().split())

    def test_meeting_from_agenda_to_minutes(self):
        printed, recording = self.record_reports()
        with recording:
            self.start_committee_tour("library_complaints_committee_meeting")

        meeting = self.Meeting.search([("name", "=", MEETING)])
        self.assertEqual(len(meeting), 1, "the tour created the meeting")
        self.assertEqual(meeting.state, "approved")
        self.assertIn("deferred the air conditioning", meeting.minutes)
        self.assertEqual(meeting.location, "Meeting room, 4th floor")
        self.assertEqual(meeting.create_uid, self.committee)
        self.assertEqual(meeting.item_ids.ticket_id, self.computers | self.aircon)
        self.assertIn(self.committee, meeting.attendee_ids, "the invited members attended")
        self.assertTrue(meeting.calendar_event_id, "the members were invited")

        # The decision is written back on the complaint...
        computers = self.computers
        self.assertEqual(computers.committee_decision, "approve")
        self.assertEqual(computers.root_cause, "The computers are eight years old")
        self.assertEqual(computers.solution, "Replace the 20 computers of the e-learning room")
        self.assertEqual(
            computers.prevention, "Renew the computers every five years in the budget plan"
        )
        self.assertEqual(computers.committee_budget, 450000)
        self.assertEqual(computers.committee_responsible_id, self.staff)
        # ... in its chatter, as a note naming the meeting ...
        notes = computers.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and MEETING in m.body
        )
        self.assertTrue(notes, "the decision is in the complaint's chatter")
        self.assertIn("eight years old", notes[0].body)
        # ... and as a to-do for the person responsible.
        follow_up = computers.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("library_complaints.mail_activity_type_committee_decision")
        )
        self.assertEqual(follow_up.user_id, self.staff)
        self.assertEqual(follow_up.summary, "Carry out the MT committee's decision")

        # The deferred complaint still waits for the committee.
        self.assertEqual(self.aircon.committee_decision, "defer")
        pool = self.Ticket.search(self.Ticket._get_committee_pool_domain())
        self.assertIn(self.aircon, pool)
        self.assertNotIn(computers, pool)

        # The minutes were printed by the committee member...
        minutes = "library_complaints.report_meeting_minutes"
        self.assertIn((minutes, meeting.ids, self.committee.id), printed)
        # ... and their PDF holds the agenda and the decisions, in the office's language.
        text = self.render_pdf(minutes, meeting, "committee_minutes")
        office = meeting.item_ids.with_context(lang=meeting.company_id._get_report_lang())
        decisions = dict(office._fields["decision"]._description_selection(office.env))
        for expected in (
            MEETING,
            computers.number,
            decisions["approve"],
            "The computers are eight years old",
            "450,000.00",
            decisions["defer"],
        ):
            self.assertIn(expected, text)

    def test_dashboard_and_quarterly_summary(self):
        report = self.env["library.complaint.quarter.report"].search([], limit=1)
        self.assertTrue(report, "the demo has the summary of the quarter that ended")
        summaries = report.search_count([])
        secretariat = self.env["res.partner"].create(
            {"name": "Operating committee secretariat", "email": "operating@example.com"}
        )
        report.company_id.complaint_operating_committee_ids = secretariat
        printed, recording = self.record_reports()
        with recording:
            self.start_committee_tour("library_complaints_committee_reports")
        self.assertIn(
            ("library_complaints.report_quarter_report", report.ids, self.committee.id),
            printed,
        )
        self.assertEqual(report.search_count([]), summaries, "opened, not generated again")
        self.assertEqual(report.state, "forwarded")
        self.assertIn("renewal of the e-learning room", report.recommendations)
        forward = report.message_ids.filtered(lambda m: secretariat in m.partner_ids)
        self.assertEqual(len(forward), 1, "the summary went to the operating committee")
        self.assertEqual(forward.create_uid, self.committee, "sent by the committee member")
        self.assertEqual(len(forward.attachment_ids), 1, "with the summary's PDF")
        text = self.render_pdf(
            "library_complaints.report_quarter_report", report, "committee_quarter_report"
        )
        # The title in the office's language, the summary's PDF's
        self.assertIn(report.with_context(lang=report.company_id._get_report_lang()).name, text)

    def test_dashboard_lists_exactly_the_complaints_waiting(self):
        waiting = self.Ticket.with_user(self.committee).search_count(
            self.Ticket._get_committee_pool_domain()
        )
        self.assertLess(waiting, self.Ticket.with_user(self.committee).search_count([]))
        with final_screenshot():
            self.browser_js(
                "/odoo/action-library_complaints.board_action_committee_dashboard",
                COUNT_WAITING_ROWS % json.dumps(waiting),
                login=COMMITTEE,
            )

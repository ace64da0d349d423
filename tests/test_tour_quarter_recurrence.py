"""The quarterly summary's recurring complaints and root causes (#15) in Chromium,
as the demo user ``lc_committee``: file an agenda item's root cause under a category,
then open the summary of a quarter with a recurring group and print it."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot, save_first_page

DOOR = "ประตูทางเข้าอัตโนมัติปิดไม่สนิท"
MEETING = "MT committee meeting 3/2569"


@tagged("post_install", "-at_install")
class TestQuarterRecurrenceTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee = cls.env.ref("library_complaints.user_committee")
        # The demo committee reads Thai; the tour's steps read the English labels.
        cls.committee.lang = "en_US"
        cls.aircon = cls.env.ref("library_complaints.ticket_demo_aircon")
        Meeting = cls.env["library.complaint.meeting"]
        open_meetings = Meeting.search([("state", "in", ("draft", "scheduled"))])
        open_meetings.write({"state": "draft"})
        open_meetings.unlink()
        # the demo's complaints waiting for the committee come on its agenda
        cls.meeting = Meeting.create({"name": MEETING, "date_start": datetime(2031, 3, 5, 2)})
        # Fiscal 2567 Q3 (April to June 2024): the door repeated twice; two decisions
        cls.door = cls.received(datetime(2024, 4, 3, 3), DOOR)
        cls.decided(cls.door, date(2024, 5, 10), "cause_equipment_it")
        for when in (datetime(2024, 5, 2, 3), datetime(2024, 6, 12, 3)):
            cls.received(when, "ประตูอัตโนมัติปิดไม่ได้อีกแล้ว", recurrence_of_id=cls.door.id)
        lights = cls.received(datetime(2024, 4, 20, 3), "ไฟห้องค้นคว้ากลุ่มกะพริบ")
        cls.decided(lights, date(2024, 5, 10), "cause_facilities")
        with freeze_time(datetime(2024, 7, 1, 3)):
            cls.report = cls.env["library.complaint.quarter.report"]._generate_quarter_report(
                cls.env.company, 2024, 3
            )
        assert cls.report.quarter_code == "FY2567-Q3", cls.report.quarter_code

    @classmethod
    def received(cls, when, name, **vals):
        with freeze_time(when):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": name,
                    "description": f"<p>{name}</p>",
                    "team_id": cls.env.ref("library_complaints.team_library_service_desk").id,
                    "service_id": cls.env.ref("library_complaints.service_information").id,
                    **vals,
                }
            )

    @classmethod
    def decided(cls, ticket, day, cause_xmlid):
        ticket.write(
            {
                "is_committee_proposed": True,
                "committee_decision": "approve",
                "committee_decision_date": day,
                "cause_id": cls.env.ref(f"library_complaints.{cause_xmlid}").id,
            }
        )

    def test_committee_reads_the_recurring_group_and_the_causes(self):
        with final_screenshot("final_quarter_recurrence_"):
            self.start_tour("/odoo", "library_complaints_quarter_recurrence", login="lc_committee")
        self.env.invalidate_all()
        item = self.meeting.item_ids.filtered(lambda i: i.ticket_id == self.aircon)
        self.assertEqual(item.cause_id, self.env.ref("library_complaints.cause_facilities"))
        self.assertEqual(item.root_cause, "The compressor is worn out")
        self.assertEqual(item.write_uid, self.committee)
        # the summary printed: the group with its reference, the categories
        reports = (
            self.env["ir.actions.report"]
            .with_user(self.committee)
            .with_context(force_report_rendering=True)
        )
        report_ref = "library_complaints.report_quarter_report"
        pdf, __ = reports._render_qweb_pdf(report_ref, self.report.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        save_first_page(pdf, "quarter_recurrence", self.env.cr.dbname)
        html, __ = reports._render_qweb_html(report_ref, self.report.ids)
        html = " ".join(html.decode().split())
        for expected in (self.door.number, DOOR, 'name="pareto"'):
            self.assertIn(expected, html)
        self.assertNotIn('name="no_recurrence"', html)

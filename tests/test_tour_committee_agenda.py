"""The MT committee's agenda item in its own form (#25), in Chromium as the demo
user ``lc_committee`` reading Thai: at 1366 px the secretary plans a meeting with a
Buddhist-era date, learns from "Add proposed complaints" where the proposed
complaints are, opens the complaint staff could not fix on that meeting's agenda
and writes cause, solution and prevention in the item's form; at 390 px the same
form opens from the agenda. What was stored is read back from the database."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

COMMITTEE = "lc_committee"
NEW_MEETING = "ประชุมคณะกรรมการ MT ครั้งที่ 2"


@tagged("post_install", "-at_install")
class TestCommitteeAgendaItemTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee = cls.env.ref("library_complaints.user_committee")
        assert cls.committee.lang == "th_TH", "the demo committee member reads Thai"
        cls.next_meeting = cls.env.ref("library_complaints.meeting_demo_next")
        assert cls.next_meeting.state == "draft"
        # Staff cannot fix the shelving: the complaint goes on the next meeting.
        staff = cls.env.ref("library_complaints.user_staff")
        cls.ticket = (
            cls.env["helpdesk.ticket"]
            .with_user(staff)
            .create(
                {
                    "name": "ชั้นหนังสือชั้น 3 โยก",
                    "description": "<p>ชั้นหนังสือโยกเมื่อหยิบหนังสือ</p>",
                    "team_id": cls.env.ref("library_complaints.team_library_service_desk").id,
                    "user_id": staff.id,
                }
            )
        )
        cls.ticket.with_user(staff).write(
            {
                "track_id": cls.env.ref("library_complaints.track_3_satisfaction").id,
                "service_id": cls.env.ref("library_complaints.service_information").id,
            }
        )
        cls.ticket.with_user(staff)._mark_cannot_fix("ต้องจ้างผู้รับเหมามาซ่อมขายึดชั้น")
        assert cls.ticket in cls.next_meeting.item_ids.ticket_id

    def test_agenda_item_form_in_thai_at_1366(self):
        self.browser_size = "1366x768"
        with final_screenshot("committee_agenda_item_1366_"):
            self.start_tour("/odoo", "library_complaints_committee_agenda_item", login=COMMITTEE)
        self.env.invalidate_all()
        item = self.next_meeting.item_ids.filtered(lambda i: i.ticket_id == self.ticket)
        self.assertRecordValues(
            item,
            [
                {
                    "root_cause": "ขาที่ยึดชั้นหนังสือหลวมเพราะใช้งานมานาน",
                    "solution": "จ้างผู้รับเหมาเปลี่ยนขายึดชั้นหนังสือชั้น 3",
                    "prevention": "ตรวจชั้นหนังสือทุกภาคการศึกษา",
                }
            ],
        )
        # The date typed in the Buddhist era is stored in the Common Era.
        meeting = self.env["library.complaint.meeting"].search([("name", "=", NEW_MEETING)])
        self.assertEqual(len(meeting), 1)
        # (next month, at 09:00 in the browser's time zone: the Common-Era year)
        self.assertIn(
            meeting.date_start.year, (fields.Date.today().year, fields.Date.today().year + 1)
        )
        self.assertEqual(meeting.date_start.minute, 0)
        # It was not given the complaints of the other meeting.
        self.assertFalse(meeting.item_ids)

    def test_agenda_item_form_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        url = (
            "/odoo/action-library_complaints.library_complaint_meeting_action/"
            f"{self.next_meeting.id}"
        )
        with final_screenshot("committee_agenda_item_390_"):
            self.start_tour(url, "library_complaints_committee_agenda_item_phone", login=COMMITTEE)

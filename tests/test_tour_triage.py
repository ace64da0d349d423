"""Triage (#25) in Chromium, as the demo user ``lc_staff`` reading Thai: To Triage
from the menu as a readable list, a track set in the list and work started from the
row, another complaint triaged and started from its form (the next step written on
it); on a phone, the queue as cards. What was stored is read back afterwards."""

from odoo.api import SUPERUSER_ID
from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

STAFF = "lc_staff"
# Kept in step with library_complaints/static/tests/tours/staff_triage.js.
LIST_TITLE = "เครื่องยืมคืนหนังสืออัตโนมัติชั้น 1 ไม่อ่านบัตรนักศึกษา ผู้ใช้บริการต้องต่อคิวยืมที่เคาน์เตอร์"
FORM_TITLE = "ไฟทางเดินระหว่างชั้นหนังสือชั้น 5 ดับหลายดวง"


@tagged("post_install", "-at_install")
class TestTriageTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.staff.lang = "th_TH"
        cls.desk = cls.env.ref("library_complaints.team_library_service_desk")
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.track_1 = cls.env.ref("library_complaints.track_1_on_the_spot")
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        Ticket = cls.env["helpdesk.ticket"]
        # From the public form: anonymous, on a service, no track yet.
        cls.from_form = Ticket._create_anonymous_complaint(
            {
                "name": LIST_TITLE,
                "description": "<p>ตั้งแต่เช้า เครื่องยืมคืนอัตโนมัติไม่อ่านบัตรเลย</p>",
                "service_id": cls.service.id,
                "team_id": cls.desk.id,
                "channel_id": cls.env.ref("library_complaints.channel_web_form").id,
            },
            [],
        )
        # Taken by phone and recorded by the system: no owner, no service, no track.
        cls.by_phone = (
            Ticket.with_user(SUPERUSER_ID)
            .create(
                {
                    "name": FORM_TITLE,
                    "description": "<p>ทางเดินมืด เดินหาหนังสือลำบาก</p>",
                    "team_id": cls.desk.id,
                    "user_id": False,
                    "partner_id": cls.env.ref("library_complaints.partner_patron").id,
                    "channel_id": cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
                }
            )
            .with_env(cls.env)
        )

    def start_triage_tour(self, tour, prefix, size="1366x768", url="/odoo"):
        self.browser_size = size
        with final_screenshot(prefix):
            self.start_tour(url, tour, login=STAFF, timeout=240)
        self.env.invalidate_all()

    def test_staff_triage_from_the_list_and_the_form(self):
        self.start_triage_tour(
            "library_complaints_staff_triage", "final_triage_1366_", url="/odoo/complaints"
        )

        # Triaged in the list, started from its row.
        self.assertEqual(self.from_form.track_id, self.track_1)
        self.assertEqual(self.from_form.stage_id, self.in_progress)
        self.assertEqual(self.from_form.user_id, self.staff, "the starter owns it")
        self.assertTrue(self.from_form.date_deadline)
        # Triaged and started from its form.
        self.assertEqual(self.by_phone.track_id, self.track_1)
        self.assertEqual(self.by_phone.service_id, self.service)
        self.assertEqual(self.by_phone.stage_id, self.in_progress)
        self.assertEqual(self.by_phone.user_id, self.staff)
        owner = self.by_phone.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "user_id"
        )
        self.assertEqual(owner.new_value_integer, self.staff.id, "the new owner is tracked")
        self.assertEqual(owner.mail_message_id.author_id, self.staff.partner_id)

    def test_staff_triage_on_a_phone(self):
        # A triaged complaint that waits to be started, for the card's button.
        self.env["helpdesk.ticket"].with_user(SUPERUSER_ID).create(
            {
                "name": "ที่จอดจักรยานหน้าห้องสมุดเต็ม",
                "description": "<p>ไม่มีที่จอด</p>",
                "team_id": self.desk.id,
                "user_id": False,
                "service_id": self.service.id,
                "track_id": self.env.ref("library_complaints.track_3_satisfaction").id,
            }
        )
        self.start_triage_tour(
            "library_complaints_staff_triage_phone",
            "final_triage_390_",
            "390x844",
            "/odoo/complaints-to-triage",
        )
        self.start_triage_tour(
            "library_complaints_staff_triage_phone_form",
            "final_triage_390_form_",
            "390x844",
            "/odoo/complaints-to-triage",
        )
        self.assertEqual(self.by_phone.stage_id, self.env.ref("library_complaints.stage_triage"))

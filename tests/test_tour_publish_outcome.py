"""Publishing an outcome in one dialog (#25) in Chromium, as ``lc_staff`` reading
Thai: fix an anonymous complaint on the spot and publish its outcome from the one
dialog (tours in library_complaints/static/tests/tours/staff_publish_outcome.js); the
dialog's screenshots at 1366 and 390 px. What was stored is read back."""

from odoo.tests import HttpCase, tagged
from odoo.tools import plaintext2html

from .tours import final_screenshot

TITLE = "ทัวร์ เสียงดังในโซนเงียบ"
FIXED = "ขอให้กลุ่มนักศึกษาย้ายไปใช้ห้องประชุมกลุ่ม"
FOUND = "นักศึกษากลุ่มหนึ่งคุยเสียงดังในโซนอ่านหนังสือเงียบ"
PREVENTION = "เจ้าหน้าที่เดินตรวจโซนเงียบทุกชั่วโมง"


@tagged("post_install", "-at_install")
class TestPublishOutcomeTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.staff.lang = "th_TH"
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.ticket = cls.env["helpdesk.ticket"]._create_anonymous_complaint(
            {
                "name": TITLE,
                "description": "<p>มีกลุ่มนักศึกษาคุยเสียงดังในโซนเงียบ ชั้น 3</p>",
                "service_id": cls.service.id,
                "team_id": cls.service.team_id.id,
                "channel_id": cls.env.ref("library_complaints.channel_web_form").id,
            },
            [],
        )

    def test_fix_on_the_spot_and_publish_in_one_dialog(self):
        self.browser_size = "1366x768"
        with final_screenshot("final_publish_one_dialog_1366_"):
            self.start_tour(
                "/odoo/complaints",
                "library_complaints_staff_publish_one_dialog",
                login="lc_staff",
                timeout=240,
            )
        self.env.invalidate_all()
        ticket = self.ticket
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(ticket.outcome_state, "published")
        outcome = ticket.outcome_id
        self.assertEqual(
            (outcome.found, outcome.done, outcome.prevention), (FOUND, FIXED, PREVENTION)
        )
        self.assertEqual(outcome.name, "เสียงดังในโซนอ่านหนังสือเงียบ")
        self.assertTrue(outcome.is_published)
        notices = sorted((n.channel, n.audience) for n in ticket.notice_ids)
        self.assertEqual(
            notices,
            [
                ("email", "info-users@example.com"),
                ("noticeboard", "บอร์ดประชาสัมพันธ์ หน้าทางเข้าห้องสมุด ชั้น 1"),
                ("noticeboard", "บอร์ดมุมกาแฟ ชั้น 1"),
                ("website", "หน้าเผยแพร่ผลการดำเนินการ"),  # as the Thai staff published it
            ],
        )
        self.assertEqual(ticket.notice_ids.user_id, self.staff)

    def _fixed_on_the_spot(self):
        ticket = self.ticket.with_user(self.staff)
        ticket.track_id = self.env.ref("library_complaints.track_1_on_the_spot")
        ticket.action_triage()
        ticket._close_fixed_on_the_spot(plaintext2html(FIXED))

    def test_the_dialog_at_1366(self):
        self._fixed_on_the_spot()
        self.browser_size = "1366x768"
        with final_screenshot("final_publish_dialog_1366_"):
            self.start_tour(
                "/odoo", "library_complaints_staff_publish_dialog", login="lc_staff", timeout=180
            )

    def test_the_dialog_at_390(self):
        self._fixed_on_the_spot()
        self.browser_size = "390x844"
        self.touch_enabled = True
        with final_screenshot("final_publish_dialog_390_"):
            self.start_tour(
                "/odoo", "library_complaints_staff_publish_dialog", login="lc_staff", timeout=180
            )

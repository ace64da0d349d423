"""Recurrence (#15) in Chromium, as the demo user ``lc_staff``: a complaint that repeats
a demo complaint in other words is recorded, the earlier one is suggested on the
"Similar complaints" tab, and staff link it. What was stored is read back."""

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

STAFF = "lc_staff"
TITLE = "แอร์ห้องอ่านหนังสือชั้น 2 ไม่เย็นอีกแล้ว"


@tagged("post_install", "-at_install")
class TestRecurrenceTour(HttpCase):
    def test_staff_links_a_repeat_of_a_demo_complaint(self):
        earlier = self.env.ref("library_complaints.ticket_demo_aircon")
        with final_screenshot("final_recurrence_"):
            self.start_tour(
                "/odoo", "library_complaints_staff_recurrence", login=STAFF, timeout=240
            )
        self.env.invalidate_all()
        repeat = self.env["helpdesk.ticket"].search([("name", "=", TITLE)])
        self.assertEqual(len(repeat), 1)
        self.assertEqual(repeat.create_uid, self.env.ref("library_complaints.user_staff"))
        self.assertEqual(repeat.recurrence_of_id, earlier)
        self.assertEqual(repeat.recurrence_root_id, earlier)
        self.assertEqual(earlier.recurrence_count, 1)
        tracked = repeat.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "recurrence_of_id"
        )
        self.assertEqual(tracked.new_value_integer, earlier.id)
        self.assertEqual(tracked.mail_message_id.author_id, repeat.create_uid.partner_id)

"""A complaint sent by email (#16), in Chromium as the demo user ``lc_staff``: the
message goes through the mail gateway first (a real ``.eml``), then staff find it in
the triage queue from the menu and open it. What was stored is read back."""

from pathlib import Path

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

EML = Path(__file__).parent.parent / "library_complaints" / "tests" / "data" / "thai_complaint.eml"
TITLE = "แอร์ห้องอ่านหนังสือชั้น 3 เสีย"


@tagged("post_install", "-at_install")
class TestMailIntakeTour(HttpCase):
    def test_staff_find_an_emailed_complaint_in_triage(self):
        desk = self.env.ref("library_complaints.team_library_service_desk")
        domain = self.env["mail.alias.domain"].create({"name": "library.test"})
        # the demo's address: complaints@<the alias domain set in Settings>
        desk.alias_id.alias_domain_id = domain
        self.assertEqual(desk.alias_id.alias_full_name, "complaints@library.test")
        ticket_id = self.env["mail.thread"].message_process(False, EML.read_bytes())
        self.env.flush_all()
        self.env.cr.precommit.run()
        complaint = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(complaint.name, TITLE)
        self.assertIn(self.env.ref("library_complaints.user_staff"), desk.user_ids)

        with final_screenshot("final_mail_intake_"):
            self.start_tour("/odoo", "library_complaints_mail_intake", login="lc_staff")

        self.env.invalidate_all()
        self.assertEqual(complaint.stage_id, self.env.ref("library_complaints.stage_triage"))
        self.assertEqual(
            complaint.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        )
        self.assertEqual(complaint.partner_email, "somsri@example.com")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("name", "=", TITLE)]), 1)

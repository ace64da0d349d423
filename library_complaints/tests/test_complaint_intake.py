import re
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LibraryComplaintsCase

RAW_EMAIL = """To: {to}
From: Pim Patron <pim@example.com>
Subject: The lift to the 4th floor is out of order
Message-ID: <lift-4th-floor@example.com>
Date: Tue, 24 Nov 2026 09:00:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The lift has been out of order for two days.
"""


@tagged("post_install", "-at_install")
class TestComplaintIntake(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.walk_in = cls.env.ref("library_complaints.channel_walk_in")
        cls.complainant = cls.env["res.partner"].create(
            {"name": "Kanya Patron", "email": "kanya@example.com", "lang": "en_US"}
        )
        cls.ack_template = cls.env.ref("library_complaints.mail_template_complaint_acknowledgement")

    def _ack_mails(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids), ("model", "=", "helpdesk.ticket")]
        )

    def test_staff_records_walk_in_complaint_and_complainant_is_acknowledged(self):
        complaint = self.create_complaint(
            user=self.staff,
            partner_id=self.complainant.id,
            channel_id=self.walk_in.id,
            service_id=self.service.id,
            track_id=self.track_2.id,
            location="Counter 2",
        )
        self.assertEqual(complaint.channel_id, self.walk_in)
        self.assertEqual(complaint.division_id, self.service.division_id)
        self.assertEqual(complaint.stage_id, self.env.ref("library_complaints.stage_triage"))
        mail = self._ack_mails(self.complainant)
        self.assertEqual(len(mail), 1, "one acknowledgement, at once")
        self.assertIn(complaint.number, mail.subject)
        self.assertIn("5", mail.body_html)
        self.assertIn("official working days", mail.body_html)
        self.assertIn(complaint.tracking_code, mail.body_html)

    def test_acknowledgement_is_in_the_complainants_language(self):
        self.env["res.lang"]._activate_lang("th_TH")
        self.complainant.lang = "th_TH"
        self.create_complaint(partner_id=self.complainant.id)
        mail = self._ack_mails(self.complainant)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("We received", mail.subject, "the subject is in Thai")

    def test_anonymous_complaint_stores_no_identity(self):
        complaint = self.create_complaint(
            user=self.staff,
            is_anonymous=True,
            partner_id=self.complainant.id,
            partner_name="Kanya",
            partner_email="kanya@example.com",
            is_confidential=True,
        )
        self.assertTrue(complaint.is_anonymous)
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.partner_name)
        self.assertFalse(complaint.partner_email)
        self.assertFalse(complaint.is_confidential)
        self.assertEqual(complaint.sudo().create_uid, self.env.ref("base.user_root"))
        self.assertNotIn(self.staff.partner_id, complaint.sudo().message_partner_ids)
        self.assertFalse(self._ack_mails(self.complainant))
        self.assertRegex(complaint.tracking_code, r"^[A-Z2-9]{5}-[A-Z2-9]{5}$")

    def test_identity_cannot_be_added_to_an_anonymous_complaint(self):
        complaint = self.create_complaint(is_anonymous=True)
        with self.assertRaises(UserError):
            complaint.with_user(self.staff).partner_id = self.complainant
        with self.assertRaises(UserError):
            complaint.with_user(self.staff).is_anonymous = False
        known = self.create_complaint(partner_id=self.complainant.id)
        with self.assertRaises(UserError):
            known.with_user(self.staff).is_anonymous = True

    def test_tracking_codes_are_random_and_distinct(self):
        complaints = self.env["helpdesk.ticket"].create(
            [
                {"name": f"Complaint {i}", "description": "<p>x</p>", "team_id": self.team.id}
                for i in range(30)
            ]
        )
        codes = complaints.mapped("tracking_code")
        self.assertEqual(len(set(codes)), 30)
        self.assertTrue(all(re.match(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$", c) for c in codes))

    def test_triage_needs_track_and_service(self):
        complaint = self.create_complaint(user=self.staff)
        self.assertFalse(complaint.is_triaged)
        with self.assertRaises(UserError):
            complaint.with_user(self.staff).action_triage()
        complaint.with_user(self.staff).write(
            {"track_id": self.track_3.id, "service_id": self.service.id}
        )
        complaint.with_user(self.staff).action_triage()
        self.assertEqual(
            complaint.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        )

    def test_track_1_fixed_on_the_spot_closes_with_what_was_done(self):
        complaint = self.create_complaint(user=self.staff, track_id=self.track_1.id)
        action = complaint.with_user(self.staff).action_fix_on_the_spot()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.staff).with_context(**action["context"])
        )
        wizard_form.resolution = "Cleared the jam & reloaded paper"
        wizard_form.save().action_confirm()
        self.assertTrue(complaint.closed)
        self.assertIn("Cleared the jam &amp; reloaded paper", complaint.resolution)
        self.assertIn("Fixed on the spot", complaint.message_ids[0].body)

    def test_a_complaint_recorded_closed_has_its_closing_date(self):
        """Recorded after it was fixed (data imported, the demo): it counts as resolved."""
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        complaint = self.create_complaint(track_id=self.track_1.id, stage_id=done.id)
        self.flush_tracking()
        self.assertTrue(complaint.closed_date)
        self.assertFalse(self.create_complaint().closed_date)

    def test_only_track_1_can_be_fixed_on_the_spot(self):
        complaint = self.create_complaint(user=self.staff, track_id=self.track_2.id)
        with self.assertRaises(UserError):
            complaint.with_user(self.staff).action_fix_on_the_spot()
        wizard = (
            self.env["library.complaint.fix.wizard"]
            .with_user(self.staff)
            .create({"ticket_id": complaint.id, "resolution": "x"})
        )
        # The dialog called without its button refuses too (issue #24).
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(complaint.closed)

    def test_deadline_counts_working_days_only(self):
        friday = datetime(2026, 11, 27, 3, 0)  # 10:00 in Bangkok
        complaint = self.create_complaint(track_id=self.track_1.id, received_date=friday)
        deadline = complaint.date_deadline
        self.assertEqual(deadline.weekday(), 0, "one working day after a Friday is a Monday")
        self.assertEqual(deadline.date().isoformat(), "2026-11-30")
        complaint.track_id = self.track_2  # 5 working days: the next Friday
        self.assertEqual(complaint.date_deadline.date().isoformat(), "2026-12-04")

    def test_mail_alias_creates_complaint_on_the_default_team(self):
        alias = self.env.ref("helpdesk_mgmt.mail_alias_lead_info_helpdesk")
        domain = self.env["mail.alias.domain"].create({"name": "library.test"})
        alias.alias_domain_id = domain
        ticket_id = self.env["mail.thread"].message_process(
            model=None, message=RAW_EMAIL.format(to="help@library.test")
        )
        complaint = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(complaint.name, "The lift to the 4th floor is out of order")
        self.assertEqual(
            complaint.team_id, self.env.ref("library_complaints.team_library_service_desk")
        )
        self.assertEqual(
            complaint.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        )

"""Complaints by email (#16): real messages (tests/data/*.eml) through Odoo's mail
gateway, as the incoming mail server hands them over."""

from datetime import datetime, time, timedelta
from pathlib import Path

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LibraryComplaintsCase

DATA = Path(__file__).parent / "data"
THAI_SUBJECT = "แอร์ห้องอ่านหนังสือชั้น 3 เสีย"
THAI_SENDER = "somsri@example.com"


def read_eml(name):
    return (DATA / name).read_bytes()


@tagged("post_install", "-at_install")
class TestMailIntake(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "library.test"})
        cls.desk.alias_id.write({"alias_name": "complaints", "alias_domain_id": domain.id})
        cls.desk.user_ids = [(4, cls.staff.id)]
        cls.email_channel = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.triage = cls.env.ref("library_complaints.stage_triage")
        cls.template = cls.env.ref(
            "library_complaints.mail_template_complaint_acknowledgement_email"
        )

    def process(self, raw):
        """Hand ``raw`` to the gateway as the incoming mail server does; the
        complaint it went to, if any."""
        Tickets = self.env["helpdesk.ticket"]
        before = Tickets.search([]).ids
        thread_id = self.env["mail.thread"].message_process(False, raw)
        self.flush_tracking()
        self.env.invalidate_all()
        if thread_id and thread_id not in before:
            return Tickets.browse(thread_id)
        return Tickets.browse(thread_id or ())

    def mails_to(self, email):
        """Mails queued to ``email`` (as an address or as a partner's)."""
        return self.env["mail.mail"].search(
            ["|", ("email_to", "ilike", email), ("recipient_ids.email", "=ilike", email)]
        )

    def test_thai_email_becomes_a_complaint_waiting_for_triage(self):
        # sent two days ago (the sample's November 2025 is older than the window of
        # days back in which a Date: header is believed: test_time_facts.py)
        sent = fields.Date.today() - timedelta(days=2)
        raw = read_eml("thai_complaint.eml").replace(
            b"Mon, 24 Nov 2025", sent.strftime("%a, %d %b %Y").encode()
        )
        complaint = self.process(raw)
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.name, THAI_SUBJECT, "the Thai subject is kept intact")
        self.assertEqual(complaint.channel_id, self.email_channel)
        self.assertEqual(complaint.team_id, self.desk)
        self.assertEqual(complaint.stage_id, self.triage)
        self.assertFalse(complaint.is_triaged)
        self.assertFalse(complaint.user_id, "not assigned to the gateway's user (OdooBot)")
        self.assertFalse(complaint.partner_id, "no partner has this address")
        self.assertEqual(complaint.partner_name, "สมศรี ใจดี")
        self.assertEqual(complaint.partner_email, THAI_SENDER)
        # 09:15 in Bangkok, when the mail was sent (not when it was fetched)
        self.assertEqual(complaint.received_date, datetime.combine(sent, time(2, 15)))
        self.assertFalse(complaint.track_id, "its track is set at triage")
        self.assertIn("แอร์ในห้องอ่านหนังสือชั้น 3", complaint.description)
        self.assertIn("ไม่เย็นมาสามวันแล้ว", complaint.description)
        self.assertNotIn("<script", complaint.description, "the HTML body is sanitized")
        self.assertNotIn("onclick", complaint.description)
        self.assertNotIn("alert(", complaint.description)
        self.assertTrue(complaint.tracking_code)
        email = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(email), 1, "the email itself is in the chatter")
        self.assertIn("ไม่เย็นมาสามวันแล้ว", email.body)
        self.assertEqual(email.message_id, "<thai-complaint-1@mail.example.com>")
        # acknowledged to the sender, once, with the tracking code; marked automatic
        ack = self.mails_to(THAI_SENDER)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.email_to, THAI_SENDER)
        self.assertIn(complaint.tracking_code, ack.subject)
        self.assertIn(complaint.tracking_code, ack.body_html)
        self.assertIn(complaint.number, ack.body_html)
        self.assertIn(THAI_SUBJECT, ack.body_html)
        self.assertIn("สมศรี ใจดี", ack.body_html)
        self.assertIn("Auto-Submitted", ack.headers)
        self.assertNotIn("could not keep", ack.body_html)

    def test_known_sender_is_the_complainant_and_is_acknowledged_once(self):
        partner = self.env["res.partner"].create(
            {"name": "Niran Sukjai", "email": "Niran@Example.com", "lang": "en_US"}
        )
        complaint = self.process(read_eml("allowed_attachment.eml"))
        self.assertEqual(complaint.partner_id, partner)
        self.assertEqual(complaint.partner_name, "Niran Sukjai")
        ack = self.mails_to("niran@example.com")
        self.assertEqual(len(ack), 1, "the email acknowledgement only, not the form's too")
        self.assertEqual(ack.recipient_ids, partner)
        self.assertFalse(ack.email_to)
        self.assertIn(complaint.tracking_code, ack.subject)

    def test_reply_threads_on_the_complaint(self):
        complaint = self.process(read_eml("thai_complaint.eml"))
        count = self.env["helpdesk.ticket"].search_count([])
        replied = self.process(read_eml("reply.eml"))
        self.assertEqual(replied, complaint, "In-Reply-To: the same complaint")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        emails = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(emails), 2)
        self.assertIn("ตอนนี้แอร์ยังเสียอยู่ค่ะ", emails[0].body)
        self.assertEqual(len(self.mails_to(THAI_SENDER)), 1, "a reply is not acknowledged")

    def test_tracking_code_in_subject_threads_for_the_complainant_only(self):
        complaint = self.process(read_eml("thai_complaint.eml"))
        raw = read_eml("reply_by_code.eml").replace(b"@@CODE@@", complaint.tracking_code.encode())
        self.assertEqual(self.process(raw), complaint)
        self.assertIn("ขอสอบถามความคืบหน้าค่ะ", complaint.message_ids.mapped("body")[0], "threaded")
        # someone else quoting the code makes their own complaint
        other = self.process(
            raw.replace(THAI_SENDER.encode(), b"stranger@example.com").replace(
                b"thai-complaint-3", b"stranger-1"
            )
        )
        self.assertTrue(other)
        self.assertNotEqual(other, complaint)
        self.assertEqual(other.partner_email, "stranger@example.com")

    def test_received_date_is_never_in_the_future(self):
        raw = read_eml("thai_complaint.eml").replace(b"24 Nov 2025", b"24 Nov 2099")
        before = fields.Datetime.now()
        complaint = self.process(raw)
        self.assertGreaterEqual(complaint.received_date, before)
        self.assertLessEqual(complaint.received_date, fields.Datetime.now())

    def test_automatic_replies_create_nothing(self):
        thai = read_eml("thai_complaint.eml")
        automatic = {
            "autoreply.eml": read_eml("autoreply.eml"),
            "out_of_office.eml": read_eml("out_of_office.eml"),
            "Precedence: bulk": thai.replace(b"To: ", b"Precedence: bulk\nTo: ", 1),
            "X-Autoreply": thai.replace(b"To: ", b"X-Autoreply: yes\nTo: ", 1),
            "Auto-Submitted": thai.replace(b"To: ", b"Auto-Submitted: auto-generated\nTo: ", 1),
        }
        stored = self.count_stored()
        mails = self.env["mail.mail"].search_count([])
        for name, raw in automatic.items():
            with self.subTest(name):
                self.assertFalse(self.process(raw))
                self.assertEqual(self.count_stored(), stored, "no complaint, no file")
                self.assertEqual(self.env["mail.mail"].search_count([]), mails, "nothing sent back")
        # "Auto-Submitted: no" is a person's mail
        self.assertTrue(self.process(thai.replace(b"To: ", b"Auto-Submitted: no\nTo: ", 1)))

    def test_bounce_creates_nothing(self):
        stored = self.count_stored()
        mails = self.env["mail.mail"].search_count([])
        self.assertFalse(self.process(read_eml("bounce.eml")))
        self.assertEqual(self.count_stored(), stored)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails, "nothing sent back")
        self.assertFalse(self.mails_to("mailer-daemon@mx.example.com"))

    def test_forbidden_attachment_is_refused_and_noted(self):
        complaint = self.process(read_eml("forbidden_attachment.eml"))
        self.assertEqual(len(complaint), 1, "the complaint itself is recorded")
        Attachment = self.env["ir.attachment"]
        files = Attachment.search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(files.mapped("name"), ["kiosk.png"], "the photo is kept")
        self.assertFalse(Attachment.search([("name", "=", "fix_kiosk.exe")]), "not stored")
        note = complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and "fix_kiosk.exe" in m.body
        )
        self.assertEqual(len(note), 1, "staff see what was refused")
        # in the office's language (the demo office's: Thai)
        self.assertTrue("refused" in note.body or "ไม่ได้รับอนุญาต" in note.body, note.body)
        ack = self.mails_to("niran@example.com")
        self.assertEqual(len(ack), 1)
        self.assertIn("could not keep", ack.body_html, "the sender is told, politely")
        self.assertIn("fix_kiosk.exe", ack.body_html)
        self.assertNotIn("kiosk.png", ack.body_html)

    def test_refused_attachment_of_a_reply_is_not_stored(self):
        complaint = self.process(read_eml("thai_complaint.eml"))
        raw = read_eml("forbidden_attachment.eml").replace(
            b"Message-ID: <kiosk-1@mail.example.com>",
            b"Message-ID: <kiosk-2@mail.example.com>\n"
            b"In-Reply-To: <thai-complaint-1@mail.example.com>",
        )
        self.assertEqual(self.process(raw), complaint)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "fix_kiosk.exe")]))
        self.assertIn("kiosk.png", complaint.message_ids.attachment_ids.mapped("name"))
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "fix_kiosk.exe" in (m.body or "")),
            "the refusal is noted",
        )

    def test_allowed_attachments_are_kept(self):
        complaint = self.process(read_eml("allowed_attachment.eml"))
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(files.mapped("name")), ["error_report.pdf", "printer.png"])
        self.assertEqual(set(files.mapped("mimetype")), {"image/png", "application/pdf"})
        self.assertFalse(complaint.message_ids.filtered(lambda m: "refused" in (m.body or "")))
        self.assertNotIn("could not keep", self.mails_to("niran@example.com").body_html)

    def test_staff_triage_it_and_another_patron_cannot_read_it(self):
        sender = self.other_patron.partner_id
        sender.email = "patron.two@example.com"
        raw = read_eml("thai_complaint.eml").replace(THAI_SENDER.encode(), sender.email.encode())
        complaint = self.process(raw)
        self.assertEqual(complaint.partner_id, sender)
        # staff find it in the triage queue (the menu "To Triage")
        Tickets = self.env["helpdesk.ticket"].with_user(self.staff)
        queue = Tickets.search([("is_triaged", "=", False), ("closed", "=", False)])
        self.assertIn(complaint, queue)
        as_staff = complaint.with_user(self.staff)
        self.assertEqual(as_staff.channel_id, self.email_channel)
        self.assertEqual(as_staff.partner_email, sender.email)
        self.assertTrue(as_staff.tracking_code)
        # its complainant reads it in the portal; another patron cannot
        self.assertEqual(complaint.with_user(self.other_patron).name, THAI_SUBJECT)
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            complaint.with_user(self.patron).read(["name", "description"])
        self.assertFalse(
            self.env["helpdesk.ticket"].with_user(self.patron).search([("id", "=", complaint.id)])
        )

    def test_a_sender_flooding_the_alias_is_ignored(self):
        """A mail loop with an autoresponder that sends no header: Odoo's loop
        detection finds the complaints by the sender's address."""
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 2)
        raw = read_eml("thai_complaint.eml")
        for number in range(3):
            self.process(raw.replace(b"thai-complaint-1", b"flood-%d" % number))
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count([("partner_email", "=", THAI_SENDER)]), 2
        )

    def test_unknown_sender_is_answered_in_the_language_of_the_complaint(self):
        self.env["res.lang"]._activate_lang("th_TH")
        thai = self.process(read_eml("thai_complaint.eml"))
        self.assertEqual(thai._get_mail_intake_lang(), "th_TH")
        english = self.process(read_eml("allowed_attachment.eml"))
        self.assertNotEqual(english._get_mail_intake_lang(), "th_TH")

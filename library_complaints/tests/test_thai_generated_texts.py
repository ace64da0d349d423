"""The office works in Thai: the mails, chatter lines and to-dos the product writes
are in the language of whoever reads them (the office's, for a line in the chatter,
for a group), never in the language of whoever or whichever job triggered them.

Every trigger here runs in English (an English-speaking user, or OdooBot's job),
every reader reads Thai."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.tests import tagged

from .test_committee import CommitteeCase

RESOLVED = datetime(2030, 2, 4, 3, 0)  # Monday 10:00 in Bangkok


@tagged("post_install", "-at_install")
class TestThaiGeneratedTexts(CommitteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("th_TH")
        cls.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        thai_readers = cls.staff | cls.wg_head | cls.division_head | cls.committee | cls.committee_2
        thai_readers.write({"lang": "th_TH"})
        cls.env.company.partner_id.lang = "th_TH"
        # whoever triggers: in English
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.odoobot = cls.env(user=SUPERUSER_ID, su=True)

    def activity(self, ticket_or_lesson, user, xmlid):
        activity_type = self.env.ref(xmlid)
        return ticket_or_lesson.activity_ids.filtered(
            lambda a: a.user_id == user and a.activity_type_id == activity_type
        )

    def test_lesson_todo_is_its_authors_in_thai_due_in_working_days(self):
        ticket = self.complaint_on_track(self.track_3)
        self.assertEqual(ticket.env.lang, "en_US")
        ticket.with_user(self.staff).write({"stage_id": self.done.id})
        lesson = ticket.lesson_ids
        todo = self.activity(lesson, self.staff, "mail.mail_activity_data_todo")
        self.assertEqual(todo.summary, "เขียนบทเรียนที่ได้รับ")
        self.assertIn("เขียน", todo.note)
        self.assertNotIn("Write", todo.note)
        # due ten official working days on, not the day it closed
        today = fields.Date.context_today(lesson)
        self.assertGreaterEqual(todo.date_deadline, today + timedelta(days=12))
        self.assertLessEqual(todo.date_deadline, today + timedelta(days=30))

    def test_committee_follow_up_and_decision_note_in_thai(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        meeting.item_ids.decision = "defer"
        self.decide(meeting, ticket, decision="reject", note="Out of the office's scope")
        meeting.with_user(self.committee).action_mark_held()
        todo = self.activity(
            ticket, self.staff, "library_complaints.mail_activity_type_committee_decision"
        )
        self.assertEqual(todo.summary, "แจ้งมติคณะกรรมการ MT ให้ผู้ร้องเรียนทราบ")
        self.flush_tracking()
        note = ticket.message_ids.filtered(lambda m: "คณะกรรมการ MT," in (m.body or ""))
        self.assertTrue(note, "the decision's headline reads Thai")
        self.assertNotIn("Root cause", note[0].body)

    def test_survey_invitation_note_in_the_office_language(self):
        with freeze_time(RESOLVED - timedelta(days=3)):
            ticket = self.create_complaint(
                partner_id=self.patron.partner_id.id,
                service_id=self.service.id,
                track_id=self.track_3.id,
            )
        with freeze_time(RESOLVED):
            ticket.with_user(self.staff).write({"stage_id": self.done.id})
        self.patron.partner_id.write({"email": "patron@example.com", "lang": "en_US"})
        with freeze_time(RESOLVED + timedelta(days=1)):
            ticket.with_env(self.odoobot)._invite_to_satisfaction_survey()
        self.flush_tracking()
        notes = ticket.message_ids.mapped("body")
        self.assertTrue(any("ส่งแบบสำรวจความพึงพอใจถึง" in (body or "") for body in notes))
        self.assertFalse(any("Satisfaction survey sent" in (body or "") for body in notes))

    # what was already written in the reader's language stays so (guards)

    def test_approval_todo_in_the_heads_language(self):
        ticket = self.complaint_on_track(self.track_2)
        todo = self.activity(
            ticket, self.wg_head, "library_complaints.mail_activity_type_complaint_approval"
        )
        self.assertIn("อนุมัติ ส่งกลับ หรือไม่อนุมัติ", todo.note)

    def test_quarterly_summary_mail_in_the_committees_language(self):
        self.new_meeting()
        report = self.Report.with_env(self.odoobot)._generate_quarter_report(
            self.env.company, 2020, 1
        )
        mail = report.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("เรียน กรรมการ MT", mail.body)
        self.assertNotIn("Dear members", mail.body)

"""The complaint manager's journeys in Chromium: adds a public holiday to the
official working days, edits an escalation rule, publishes a lesson learned that a
staff member wrote. After each tour the test reads what was stored."""

from datetime import date

from odoo.tests import tagged

from .test_tour_heads import TourCase


@tagged("post_install", "-at_install")
class TestManagerTours(TourCase):
    def test_adds_a_public_holiday(self):
        calendar = self.env.ref("library_complaints.resource_calendar_official")
        self.run_tour("library_complaints_manager_holiday", "lc_manager")
        holiday = self.env["resource.calendar.leaves"].search(
            [("name", "=", "Office foundation day")]
        )
        self.assertEqual(len(holiday), 1)
        self.assertEqual(holiday.calendar_id, calendar)
        self.assertFalse(holiday.resource_id, "a public holiday: no resource")
        self.assertEqual(holiday.time_type, "leave")
        self.assertEqual(holiday.create_uid, self.env.ref("library_complaints.user_manager"))
        # Friday 18 December 2026 is no longer an official working day.
        self.assertEqual(
            calendar._get_working_dates(date(2026, 12, 17), date(2026, 12, 21)),
            [date(2026, 12, 17), date(2026, 12, 21)],
        )

    def test_edits_an_escalation_rule(self):
        rule = self.env.ref("library_complaints.escalation_rule_overdue")
        self.assertEqual((rule.working_days, rule.activity_working_days), (1, 1))
        self.run_tour("library_complaints_manager_escalation_rule", "lc_manager")
        self.assertEqual((rule.working_days, rule.activity_working_days), (2, 3))
        self.assertEqual(rule.write_uid, self.env.ref("library_complaints.user_manager"))
        self.assertEqual(rule.target_level, "next", "the rest of the rule is unchanged")

    def test_publishes_a_lesson(self):
        ticket = self.env.ref("library_complaints.ticket_demo_printer")
        lesson = self.env["library.complaint.lesson"].create(
            {
                "name": "Paper jams in the computer zone",
                "ticket_id": ticket.id,
                "author_id": self.staff.id,
                "what_happened": "<p>The printer jammed during the thesis week.</p>",
                "cause": "<p>Damp paper from the open store room.</p>",
                "fix": "<p>Cleared the jam and reloaded dry paper.</p>",
            }
        )
        self.run_tour("library_complaints_manager_lesson", "lc_manager")
        self.assertEqual(lesson.state, "published")
        self.assertIn("Check the paper trays every morning", lesson.prevention)
        post = lesson.blog_post_id
        self.assertEqual(post.blog_id, self.env.ref("library_complaints.blog_blog_km"))
        self.assertTrue(post.is_published)
        self.assertIn("Damp paper", str(post.content))
        self.assertIn("Check the paper trays", str(post.content))
        self.assertEqual(lesson.line_state, "disabled", "LINE is off by default")
        mails = self.env["mail.mail"].search(
            [("model", "=", lesson._name), ("res_id", "=", lesson.id)]
        )
        self.assertTrue(mails, "the lesson is e-mailed to the staff")
        self.assertIn(self.staff.partner_id, mails.recipient_ids)

import json
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.library_complaint_lesson import LINE_MAX_ATTEMPTS
from .common import LibraryComplaintsCase
from .line_server import LineRecorder, closed_port, start_line_server

LINE_TOKEN = "test-channel-token"
LINE_GROUP = "C0123456789abcdef"


def filled_lesson_values(ticket, author):
    return {
        "name": "Photocopier jams on floor 2",
        "ticket_id": ticket.id,
        "author_id": author.id,
        "what_happened": "<p>The photocopier jammed for a whole day.</p>",
        "cause": "<p>No one was in charge of clearing jams.</p>",
        "fix": "<p>The supplier repaired it the next morning.</p>",
        "prevention": "<p>The floor's staff check it every morning.</p>",
    }


class TestLesson(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.km_blog = cls.env.ref("library_complaints.blog_blog_km")
        cls.public_user = cls.env.ref("base.public_user")
        cls.employee = new_test_user(cls.env, "t_lesson_employee", groups="base.group_user")
        cls.Lesson = cls.env["library.complaint.lesson"]
        cls.Message = cls.env["library.complaint.line.message"]
        cls.line_url = start_line_server(cls)

    def setUp(self):
        super().setUp()
        LineRecorder.requests.clear()
        self.env.company.write({"lesson_line_enabled": False, "lesson_audience_group_id": False})

    # ------------------------------------------------------------------
    # Helpers

    def enable_line(self, path="", port=None):
        """Lessons to LINE, through the office's LINE account (the one outbox)."""
        url = f"http://127.0.0.1:{port}" if port else self.line_url
        self.env.company.write(
            {
                "lesson_line_enabled": True,
                "complaint_line_token": LINE_TOKEN,
                "lesson_line_target": LINE_GROUP,
                "complaint_line_endpoint": url + path,
            }
        )

    def close_complaint(self, track, user=None):
        ticket = self.create_complaint(
            track_id=track.id, service_id=self.service.id, user_id=self.staff.id
        )
        while ticket.approval_state == "to_approve":  # the heads decide before it closes
            ticket.with_user(ticket.approver_id).action_approve()
        ticket.with_user(user or self.staff).write({"stage_id": self.done.id})
        return ticket

    def published_lesson(self):
        ticket = self.create_complaint(track_id=self.track_2.id, user_id=self.staff.id)
        lesson = self.Lesson.with_user(self.staff).create(filled_lesson_values(ticket, self.staff))
        lesson.action_publish()
        return lesson

    # ------------------------------------------------------------------
    # Closing a complaint starts its lesson

    def test_closing_track_2_starts_a_draft_lesson_and_a_todo(self):
        ticket = self.close_complaint(self.track_2)
        lesson = ticket.lesson_ids
        self.assertEqual(len(lesson), 1)
        self.assertEqual(lesson.state, "draft")
        self.assertEqual(lesson.author_id, self.staff)
        activity = lesson.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.user_id, self.staff)
        # The owner reads and writes it
        lesson.with_user(self.staff).write({"cause": "<p>Worn rollers.</p>"})
        # Closing again does not start a second one
        ticket.write({"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id})
        ticket.write({"stage_id": self.done.id})
        self.assertEqual(len(ticket.lesson_ids), 1)

    def test_closing_track_1_starts_no_lesson_but_staff_may_write_one(self):
        ticket = self.close_complaint(self.track_1)
        self.assertFalse(ticket.lesson_ids)
        action = ticket.with_user(self.staff).action_write_lesson()
        lesson = self.Lesson.browse(action["res_id"])
        self.assertEqual(lesson.ticket_id, ticket)
        self.assertEqual(lesson.author_id, self.staff)

    def test_open_complaint_has_no_lesson_to_write(self):
        ticket = self.create_complaint(track_id=self.track_1.id, user_id=self.staff.id)
        with self.assertRaises(UserError):
            ticket.with_user(self.staff).action_write_lesson()

    # ------------------------------------------------------------------
    # Publishing: rights and completeness

    def test_lesson_must_be_complete_to_publish(self):
        ticket = self.create_complaint(track_id=self.track_2.id)
        values = dict(filled_lesson_values(ticket, self.staff), prevention="<p><br></p>")
        lesson = self.Lesson.with_user(self.staff).create(values)
        with self.assertRaises(UserError):
            lesson.action_publish()
        self.assertEqual(lesson.state, "draft")

    def test_only_the_author_or_a_manager_publishes(self):
        ticket = self.create_complaint(track_id=self.track_2.id)
        lesson = self.Lesson.with_user(self.staff).create(filled_lesson_values(ticket, self.staff))
        with self.assertRaises(AccessError):
            lesson.with_user(self.wg_head).action_publish()
        with self.assertRaises(AccessError):
            self.Lesson.with_user(self.staff).create(filled_lesson_values(ticket, self.wg_head))
        with self.assertRaises(AccessError):
            lesson.with_user(self.patron).read(["name"])
        lesson.with_user(self.manager).action_publish()
        self.assertEqual(lesson.state, "published")
        # Published, every staff member reads it
        self.assertEqual(lesson.with_user(self.wg_head).read(["name"])[0]["name"], lesson.name)

    # ------------------------------------------------------------------
    # The KM blog

    def test_publish_posts_on_the_km_blog_for_internal_users_only(self):
        lesson = self.published_lesson()
        post = lesson.blog_post_id
        self.assertEqual(post.blog_id, self.km_blog)
        self.assertTrue(post.is_published)
        self.assertIn("No one was in charge", str(post.content))
        self.assertEqual(post.author_id, self.staff.partner_id)
        for user in (self.employee, self.wg_head):
            self.assertEqual(post.with_user(user).read(["name"])[0]["name"], lesson.name)
            self.assertIn(self.km_blog, self.env["blog.blog"].with_user(user).search([]))
        for user in (self.patron, self.public_user):
            with self.assertRaises(AccessError):
                post.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.km_blog.with_user(user).read(["name"])
            self.assertNotIn(post, self.env["blog.post"].with_user(user).search([]))

    def test_other_blogs_stay_public(self):
        news = self.env["blog.blog"].create({"name": "Library news"})
        post = self.env["blog.post"].create(
            {"name": "New opening hours", "blog_id": news.id, "is_published": True}
        )
        for user in (self.patron, self.public_user):
            self.assertEqual(post.with_user(user).read(["name"])[0]["name"], post.name)

    # ------------------------------------------------------------------
    # E-mail to the staff

    def _staff_mails(self, lesson):
        return self.env["mail.mail"].search(
            [("model", "=", lesson._name), ("res_id", "=", lesson.id)]
        )

    def test_publish_emails_all_internal_users_by_default(self):
        lesson = self.published_lesson()
        recipients = self._staff_mails(lesson).recipient_ids
        for user in (self.staff, self.wg_head, self.committee, self.manager, self.employee):
            self.assertIn(user.partner_id, recipients)
        self.assertNotIn(self.patron.partner_id, recipients)
        self.assertIn(lesson.name, self._staff_mails(lesson)[0].subject)
        self.assertIn("No one was in charge", str(self._staff_mails(lesson)[0].body_html))

    def test_publish_emails_the_configured_audience(self):
        self.env.company.lesson_audience_group_id = self.env.ref(
            "library_complaints.group_complaint_committee"
        )
        lesson = self.published_lesson()
        recipients = self._staff_mails(lesson).recipient_ids
        self.assertIn(self.committee.partner_id, recipients)
        self.assertIn(self.manager.partner_id, recipients)  # a manager sits on the committee
        self.assertNotIn(self.staff.partner_id, recipients)
        self.assertNotIn(self.employee.partner_id, recipients)

    def test_each_staff_member_reads_the_email_in_their_language(self):
        thai = self.env["res.lang"]._activate_lang("th_TH")
        self.employee.lang = thai.code
        lesson = self.published_lesson()
        mails = self._staff_mails(lesson)
        thai_mail = mails.filtered(lambda m: self.employee.partner_id in m.recipient_ids)
        # the employee and every other Thai reader (the demo's committee member) in one mail
        self.assertEqual(set(thai_mail.recipient_ids.mapped("lang")), {"th_TH"})
        self.assertNotIn(self.staff.partner_id, thai_mail.recipient_ids)
        self.assertEqual(len(mails), 2)

    # ------------------------------------------------------------------
    # LINE

    def test_line_message_is_sent_by_the_cron_not_while_publishing(self):
        self.enable_line()
        lesson = self.published_lesson()
        self.assertEqual(lesson.line_state, "not_sent")
        self.assertFalse(LineRecorder.requests, "publishing waits for no HTTP call")
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        self.assertEqual(lesson.line_state, "sent")
        self.assertEqual(lesson.line_attempts, 1)
        self.assertTrue(lesson.line_sent_date)
        [request] = LineRecorder.requests
        self.assertEqual(request["path"], "/v2/bot/message/push")
        self.assertEqual(request["headers"]["Authorization"], f"Bearer {LINE_TOKEN}")
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        payload = json.loads(request["body"])
        self.assertEqual(payload["to"], LINE_GROUP)
        [message] = payload["messages"]
        self.assertEqual(message["type"], "text")
        self.assertIn(lesson.name, message["text"])
        self.assertIn("No one was in charge of clearing jams.", message["text"])
        self.assertIn(lesson.blog_post_id.website_url, message["text"])
        # Sent once only
        self.assertEqual(self.Message._send_queued_messages(), (0, 0))
        self.assertEqual(len(LineRecorder.requests), 1)

    def test_line_server_error_is_logged_and_retried_by_the_cron(self):
        self.enable_line(path="/fail")
        lesson = self.published_lesson()
        with self.assertLogs(
            "odoo.addons.library_complaints.models.library_complaint_line_message", "WARNING"
        ):
            self.assertEqual(self.Message._send_queued_messages(), (0, 1))
        self.assertEqual(lesson.state, "published")
        self.assertEqual(lesson.line_state, "failed")
        self.assertEqual(lesson.line_attempts, 1)
        self.assertIn("500", lesson.line_last_error)
        # The next run tries again and, LINE being back, succeeds
        self.enable_line()
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        self.assertEqual(lesson.line_state, "sent")
        self.assertEqual(lesson.line_attempts, 2)
        self.assertFalse(lesson.line_last_error)
        self.assertEqual(
            [r["path"] for r in LineRecorder.requests],
            ["/fail/v2/bot/message/push", "/v2/bot/message/push"],
        )

    def test_line_connection_refused_is_retried_up_to_the_limit(self):
        self.enable_line(port=closed_port())
        lesson = self.published_lesson()
        for attempt in range(1, LINE_MAX_ATTEMPTS + 1):
            with self.assertLogs(
                "odoo.addons.library_complaints.models.library_complaint_line_message", "WARNING"
            ):
                self.Message._send_queued_messages()
            self.assertEqual(lesson.line_attempts, attempt)
        self.assertEqual(lesson.line_state, "failed")
        self.assertTrue(lesson.line_last_error)
        # Given up: the cron leaves it, a manager may queue it again
        self.assertEqual(self.Message._send_queued_messages(), (0, 0))
        self.enable_line()
        lesson.with_user(self.manager).action_retry_line()
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        self.assertEqual(lesson.line_state, "sent")

    def test_line_cron_entry_point_runs(self):
        self.enable_line()
        lesson = self.published_lesson()
        # the one LINE outbox's scheduled action sends lessons too
        cron = self.env.ref("library_complaints.ir_cron_send_complaint_line")
        self.assertEqual(cron.code, "model._cron_send_line_messages()")
        IrCron = type(self.env["ir.cron"])
        with patch.object(IrCron, "_commit_progress", return_value=60.0) as commit:
            self.Message._cron_send_line_messages()
        self.assertEqual(lesson.line_state, "sent")
        commit.assert_any_call(remaining=1)
        commit.assert_called_with(1)

    def test_line_disabled_sends_nothing(self):
        self.env.company.write(
            {
                "lesson_line_enabled": False,
                "complaint_line_token": LINE_TOKEN,
                "lesson_line_target": LINE_GROUP,
                "complaint_line_endpoint": self.line_url,
            }
        )
        lesson = self.published_lesson()
        self.assertEqual(lesson.line_state, "disabled")
        self.assertEqual(self.Message._send_queued_messages(), (0, 0))
        self.assertFalse(LineRecorder.requests)

    def test_line_switched_off_after_queueing_sends_nothing(self):
        self.enable_line()
        lesson = self.published_lesson()
        self.env.company.lesson_line_enabled = False
        self.Message._send_queued_messages()
        self.assertEqual(lesson.line_state, "disabled")
        self.assertFalse(LineRecorder.requests)

    def test_erasing_the_complaint_erases_the_lesson_text_queued_for_line(self):
        self.enable_line()
        lesson = self.published_lesson()
        message = self.Message.sudo().search([("lesson_id", "=", lesson.id)])
        self.assertIn("No one was in charge of clearing jams.", message.payload)
        lesson.ticket_id._erase_personal_data()
        self.flush_tracking()
        self.assertNotIn("clearing jams", message.payload)
        self.assertEqual(lesson.line_state, "not_sent", "the lesson still says how LINE went")

    def test_line_is_disabled_by_default(self):
        company = self.env["res.company"].create({"name": "Branch library"})
        self.assertFalse(company.lesson_line_enabled)
        self.assertEqual(company.complaint_line_endpoint, "https://api.line.me")

    # ------------------------------------------------------------------
    # Staff meeting

    def test_lesson_presented_at_a_staff_meeting(self):
        lesson = self.published_lesson()
        with self.assertRaises(UserError):
            lesson.with_user(self.staff).action_mark_presented()
        meeting = self.env["calendar.event"].create(
            {
                "name": "Staff meeting, June",
                "start": "2026-06-05 03:00:00",
                "stop": "2026-06-05 05:00:00",
            }
        )
        lesson.with_user(self.staff).meeting_id = meeting
        self.assertIn(lesson.name, str(meeting.description))
        lesson.with_user(self.staff).action_mark_presented()
        self.assertTrue(lesson.is_presented)
        self.assertEqual(str(lesson.presented_date), "2026-06-05")
        self.assertIn(meeting.name, lesson.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestLessonBlogPage(LibraryComplaintsCase, HttpCase):
    """The KM post's web page: staff open it, visitors and patrons do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ticket = cls.create_complaint(name="Noisy reading room", description="<p>Loud.</p>")
        lesson = cls.env["library.complaint.lesson"].create(filled_lesson_values(ticket, cls.staff))
        lesson.with_user(cls.staff).action_publish()
        cls.url = lesson.blog_post_id.website_url

    def test_public_visitor_cannot_open_the_post(self):
        response = self.url_open(self.url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn("No one was in charge", response.text)

    def test_patron_cannot_open_the_post(self):
        self.authenticate_as(self.patron)
        response = self.url_open(self.url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn("No one was in charge", response.text)

    def test_staff_open_the_post(self):
        self.authenticate_as(self.staff)
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("No one was in charge", response.text)

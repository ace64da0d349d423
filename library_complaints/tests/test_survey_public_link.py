"""An anonymous complaint's public survey link: a GET shows a page and stores
nothing; the visitor's answer is created by a POST with the session's CSRF token,
once per visitor, and the starts are throttled per sender."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CSRF_RE, LibraryComplaintsCase


@tagged("post_install", "-at_install")
class TestPublicSurveyLink(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.create_complaint(
            is_anonymous=True,
            service_id=cls.service.id,
            track_id=cls.track_3.id,
            user_id=cls.staff.id,
        )
        cls.ticket.with_user(cls.staff).write({"stage_id": cls.done.id})
        cls.env.flush_all()
        cls.url = cls.ticket._get_public_survey_url()
        cls.path = cls.url.split(cls.ticket.get_base_url(), 1)[1]
        cls.start_path = f"{cls.path}/start"

    def count_answers(self):
        self.env.invalidate_all()
        return self.env["survey.user_input"].search_count([("ticket_id", "=", self.ticket.id)])

    def count_starts(self):
        self.env.invalidate_all()
        return (
            self.env["library.complaint.rate.limit"]
            .sudo()
            .search_count([("kind", "=", "survey_start")])
        )

    def open_page(self):
        """Follow the link as a browser does: the page and its form's CSRF token."""
        response = self.url_open(self.path)
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertIn(f'action="{self.start_path}"', response.text)
        return response, CSRF_RE.search(response.text).group(1)

    def start(self, csrf_token):
        return self.url_open(
            self.start_path, data={"csrf_token": csrf_token}, allow_redirects=False
        )

    def test_following_the_link_stores_nothing(self):
        self.authenticate(None, None)
        for __ in range(20):
            response, __ = self.open_page()
            self.assertIn("Start the survey", response.text)
        self.assertEqual(self.count_answers(), 0)
        self.assertEqual(self.count_starts(), 0)

    def test_starting_needs_a_post_with_the_csrf_token(self):
        self.authenticate(None, None)
        __, csrf_token = self.open_page()
        with mute_logger("odoo.http"):
            response = self.url_open(self.start_path, allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        with mute_logger("odoo.http"):
            for data in ({"no_token": "1"}, {"csrf_token": "0" * 40 + "o9999999999"}):
                response = self.url_open(self.start_path, data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.count_answers(), 0)
        # With the page's token: the answer, linked to the complaint, and its page.
        response = self.start(csrf_token)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        answer = self.env["survey.user_input"].search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(len(answer), 1)
        self.assertFalse(answer.partner_id)
        self.assertIn(f"answer_token={answer.access_token}", response.headers["Location"])

    def test_one_answer_per_visitor(self):
        self.authenticate(None, None)
        __, csrf_token = self.open_page()
        first = self.start(csrf_token)
        second = self.start(csrf_token)
        self.assertEqual(first.headers["Location"], second.headers["Location"])
        self.assertEqual(self.count_answers(), 1)
        self.assertEqual(self.count_starts(), 1, "continuing is not counted")
        # Back on the page, the visitor continues their answer.
        response, __ = self.open_page()
        self.assertIn("Continue the survey", response.text)
        # Another visitor gets their own answer.
        self.authenticate(None, None)
        __, csrf_token = self.open_page()
        self.start(csrf_token)
        self.assertEqual(self.count_answers(), 2)

    def test_starts_are_throttled_per_sender(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "library_complaints.survey_rate_limit", "2"
        )
        statuses = []
        for __ in range(3):
            self.authenticate(None, None)  # a new visitor each time, one network
            __, csrf_token = self.open_page()
            statuses.append(self.start(csrf_token).status_code)
        self.assertEqual(statuses, [303, 303, 429])
        self.assertEqual(self.count_answers(), 2)

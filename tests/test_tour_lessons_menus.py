"""Lessons learned open on the work to do, and a new walk-in complaint has a
breadcrumb, for users who read Thai (screenshots: lessons_1366_, lessons_390_,
walk_in_1366_)."""

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

LESSONS = "/odoo/action-library_complaints.library_complaint_lesson_action"
WALK_IN = "/odoo/action-library_complaints.helpdesk_ticket_action_walk_in"


@tagged("post_install", "-at_install")
class TestLessonsAndMenusTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env.ref("library_complaints.user_manager")
        cls.staff = cls.env.ref("library_complaints.user_staff")
        (cls.manager | cls.staff).write({"lang": "th_TH"})
        drafts = cls.env["library.complaint.lesson"].search([("state", "=", "draft")])
        assert drafts, "the demo has draft lessons"
        assert not drafts.filtered(lambda lesson: lesson.author_id == cls.manager)

    def run_lessons(self, size, tour):
        self.browser_size = size
        with final_screenshot(f"lessons_{size.split('x')[0]}_"):
            self.start_tour(LESSONS, tour, login="lc_manager")

    def test_manager_sees_the_drafts_to_review(self):
        self.run_lessons("1366x768", "library_complaints_manager_lessons")

    def test_manager_sees_the_drafts_on_a_phone(self):
        self.run_lessons("390x844", "library_complaints_manager_lessons_phone")

    def test_new_walk_in_breadcrumb(self):
        self.browser_size = "1366x768"
        with final_screenshot("walk_in_1366_"):
            self.start_tour(
                WALK_IN, "library_complaints_staff_walk_in_breadcrumb", login="lc_staff"
            )

"""The committee's and the satisfaction screens open in a real browser (Debian's
chromium), without a JavaScript error: meetings calendar and form, the quarterly
summary, the complaint analysis, the committee dashboard, the satisfaction answers,
the service assessments and the lessons learned."""

import json

from odoo.tests import HttpCase, tagged

# Waits until the selector matches (the view rendered), then reports success;
# any JavaScript error on the page fails the test.
WAIT_FOR = """
(async () => {
    const selector = %s;
    const deadline = Date.now() + 30000;
    while (!document.querySelector(selector)) {
        if (Date.now() > deadline) {
            throw new Error("not rendered: " + selector);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestScreens(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting = cls.env.ref("library_complaints.meeting_demo_next")
        cls.report = cls.env["library.complaint.quarter.report"].search([], limit=1)

    def open(self, path, selector):
        self.browser_js(path, WAIT_FOR % json.dumps(selector), login="lc_committee")

    def test_meetings_calendar(self):
        self.open(
            "/odoo/action-library_complaints.library_complaint_meeting_action?view_type=calendar",
            ".o_calendar_renderer",
        )

    def test_meeting_form_shows_the_agenda(self):
        self.assertTrue(self.meeting.item_ids, "the demo meeting has the proposed complaints")
        self.open(
            f"/odoo/action-library_complaints.library_complaint_meeting_action/{self.meeting.id}",
            ".o_form_view .o_field_one2many .o_data_row",
        )

    def test_quarterly_summary_form(self):
        self.assertTrue(self.report, "the demo has the summary of the last quarter")
        self.open(
            f"/odoo/action-library_complaints.library_complaint_quarter_report_action/{self.report.id}",
            ".o_form_view .o_statusbar_status",
        )

    def test_complaint_analysis_pivot(self):
        self.open(
            "/odoo/action-library_complaints.helpdesk_ticket_action_analysis?view_type=pivot",
            ".o_pivot table",
        )

    def test_committee_dashboard(self):
        self.open(
            "/odoo/action-library_complaints.board_action_committee_dashboard",
            ".o_dashboard .o_graph_renderer",
        )

    def test_satisfaction_answers_pivot(self):
        self.open(
            "/odoo/action-library_complaints.survey_user_input_action_complaint?view_type=pivot",
            ".o_pivot table",
        )

    def test_service_assessments_graph(self):
        self.open(
            "/odoo/action-library_complaints.library_complaint_assessment_action?view_type=graph",
            ".o_graph_renderer",
        )

    def test_lessons_learned_list(self):
        self.browser_js(
            "/odoo/action-library_complaints.library_complaint_lesson_action",
            WAIT_FOR % json.dumps(".o_list_renderer, .o_view_nocontent"),
            login="lc_staff",
        )

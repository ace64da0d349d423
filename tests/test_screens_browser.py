"""The committee's and the satisfaction screens open in a real browser (Debian's
chromium), without a JavaScript error: meetings calendar and form, the quarterly
summary, the complaint analysis, the committee dashboard, the satisfaction answers,
the service assessments and the lessons learned. The demo looks like the library
office: screenshots of its home page, form, portal list and committee dashboard
(in Thai), and every role lands on its own screen."""

import json
import re

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

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


# Odoo's starter texts that the demo office must not show
STARTER_TEXTS = ("Your Logo", "YourCompany", "555-555-5556", "passionate people")
CHANNELS = ("/complaint", "/complaint/status", "/complaints/outcomes")
OFFICE = "สำนักหอสมุด"
LANDS_ON_COMPLAINTS = """
(async () => {
    const deadline = Date.now() + 30000;
    const title = () => document.querySelector(".o_kanban_view .o_breadcrumb .active");
    while (!title()) {
        if (Date.now() > deadline) {
            throw new Error("no kanban on the home screen");
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (title().textContent.trim() !== "Complaints") {
        throw new Error("landed on " + title().textContent);
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestDemoOffice(HttpCase):
    """The demo database is a Thai university library office; its screens are kept
    as screenshots (home_, form_, my_tickets_, dashboard_ in the screenshots folder)."""

    def screenshot(self, path, selector, login, prefix):
        with final_screenshot(prefix):
            self.browser_js(path, WAIT_FOR % json.dumps(selector), login=login)

    def test_home_page_leads_to_the_complaint_channels(self):
        page = self.url_open("/").text
        for text in STARTER_TEXTS:
            self.assertNotIn(text, page)
        self.assertIn(OFFICE, page)
        for url in CHANNELS:
            self.assertIn(f'href="{url}"', page, "the home page and header lead there")
        menus = self.env["website"].get_current_website().menu_id.child_id
        self.assertLessEqual(set(CHANNELS), set(menus.mapped("url")), "header menu items")
        self.screenshot(
            "/", "header a.nav-link[href$='/complaints/outcomes']", "lc_patron", "home_"
        )

    def test_thai_patron_form(self):
        self.screenshot("/complaint", "#wrap form textarea", "lc_patron", "form_")

    def test_thai_patron_tickets(self):
        self.screenshot("/my/tickets", "#wrap table", "lc_patron", "my_tickets_")

    def test_committee_dashboard_in_thai(self):
        self.env.ref("library_complaints.user_committee").lang = "th_TH"
        self.screenshot(
            "/odoo/action-library_complaints.board_action_committee_dashboard",
            ".o_dashboard .o_graph_renderer",
            "lc_committee",
            "dashboard_",
        )

    def test_everyone_in_bangkok(self):
        users = self.env["res.users"].search(
            [("login", "in", ["admin", *HOME_ACTIONS, "lc_patron"])]
        )
        self.assertEqual(len(users), len(HOME_ACTIONS) + 2)
        self.assertEqual(set(users.mapped("tz")), {"Asia/Bangkok"})
        self.assertEqual(self.env.ref("base.main_partner").lang, "th_TH")

    def test_staff_and_heads_land_on_their_screen(self):
        for login, xmlid in HOME_ACTIONS.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertEqual(user.action_id.id, self.env.ref(xmlid).id, login)
        # /odoo opens the complaints, not Discuss
        self.browser_js("/odoo", LANDS_ON_COMPLAINTS, login="lc_staff")

    def test_staff_dashboard_shows_the_library_only(self):
        unrelated = ("Localization team", "Consultants", "Helpdesk")
        teams = self.env["helpdesk.ticket.team"].search([])
        self.assertFalse(teams.filtered(lambda team: team.name in unrelated))
        tickets = self.env["helpdesk.ticket"].search([])
        self.assertFalse(tickets.filtered(lambda ticket: ticket.team_id.name in unrelated))
        self.assertFalse(tickets.filtered(lambda ticket: ticket.name == "Damaged Products"))

    def test_people_are_the_librarys(self):
        """Staff choosing a complaint's contact meet the library's people, in Thai,
        not Odoo's demo furniture customers."""
        staff = self.env.ref("library_complaints.user_staff")
        partners = self.env["res.partner"].with_user(staff).search([])
        self.assertFalse(partners.filtered(lambda p: p.name in ("Azure Interior", "Wood Corner")))
        people = partners.filtered(lambda p: not p.is_company and p.user_ids)
        latin = people.filtered(lambda p: re.search("[A-Za-z]{3}", p.name))
        self.assertFalse(latin, "demo people have Thai names")


HOME_ACTIONS = {
    "lc_staff": "library_complaints.helpdesk_ticket_action_complaints",
    "lc_wg_head": "library_complaints.helpdesk_ticket_action_approvals",
    "lc_div_head": "library_complaints.helpdesk_ticket_action_approvals",
    "lc_committee": "library_complaints.board_action_committee_dashboard",
    "lc_manager": "library_complaints.helpdesk_ticket_action_complaints",
}

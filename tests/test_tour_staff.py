"""The staff journey (#11) in Chromium, as the demo user ``lc_staff``: record complaints
from the kanban and triage them onto the four tracks, fix one on the spot, write "What
was done", press "Cannot fix", publish outcomes (direct; anonymous with the noticeboard
notice), and walk every menu a staff member has. After each tour, what was stored is
read back from the database."""

import json

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot, save_first_page

STAFF = "lc_staff"


@tagged("post_install", "-at_install")
class TestStaffTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.patron = cls.env.ref("library_complaints.partner_patron")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.Ticket = cls.env["helpdesk.ticket"]

    def start_staff_tour(self, url, tour):
        with final_screenshot():
            self.start_tour(url, tour, login=STAFF, timeout=240)
        self.env.invalidate_all()

    def find(self, title):
        ticket = self.Ticket.search([("name", "=", title)])
        self.assertEqual(len(ticket), 1, f"the tour created “{title}”")
        return ticket

    def notes(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        ).mapped("body")

    def test_track_1_fixed_on_the_spot_and_told_directly(self):
        self.start_staff_tour("/odoo", "library_complaints_staff_track_1")
        ticket = self.find("Tour T1 printer prints blank pages")
        self.assertEqual(ticket.create_uid, self.staff)
        self.assertEqual(ticket.track_id, self.env.ref("library_complaints.track_1_on_the_spot"))
        self.assertEqual(ticket.service_id.name, "Learning-media service")
        self.assertEqual(ticket.partner_id, self.patron)
        self.assertIn("prints blank pages", ticket.description)
        self.assertEqual(ticket.stage_id, self.done)
        self.assertTrue(ticket.closed_date)
        self.assertIn("Replaced the empty toner cartridge.", ticket.resolution)
        self.assertTrue(
            any("Fixed on the spot" in body for body in self.notes(ticket)),
            "the fix is noted in the chatter",
        )
        self.assertEqual(ticket.escalation_level, "staff")
        self.assertFalse(ticket.approval_state)
        self.assertEqual(ticket.outcome_state, "published")
        self.assertEqual(ticket.notice_ids.mapped("channel"), ["direct"])
        self.assertEqual(ticket.notice_ids.user_id, self.staff)
        told = ticket.message_ids.filtered(lambda m: self.patron in m.partner_ids)
        self.assertTrue(told, "the complainant got the outcome as a message")
        self.assertEqual(ticket.lesson_ids.author_id, self.staff, "the lesson staff started")

    def test_tracks_2_3_4_approval_resolution_cannot_fix(self):
        self.start_staff_tour("/odoo/complaints", "library_complaints_staff_tracks")
        wg_head = self.env.ref("library_complaints.user_wg_head")
        division_head = self.env.ref("library_complaints.user_division_head")

        track_2 = self.find("Tour T2 self-checkout machines are down")
        self.assertEqual(
            track_2.track_id, self.env.ref("library_complaints.track_2_escalate_heads")
        )
        self.assertEqual(track_2.stage_id, self.in_progress)
        self.assertEqual(track_2.approval_state, "to_approve")
        self.assertEqual(track_2.approval_step, "wg_head")
        self.assertTrue(track_2.approval_needs_division)
        self.assertEqual(track_2.approver_id, wg_head)
        self.assertEqual(track_2.escalation_level, "wg_head")
        self.assertEqual(track_2.escalation_ids.to_level, "wg_head")
        self.assertIn(wg_head, track_2.activity_ids.user_id)

        track_3 = self.find("Tour T3 reading room chairs are uncomfortable")
        self.assertEqual(track_3.track_id, self.env.ref("library_complaints.track_3_satisfaction"))
        self.assertEqual(track_3.stage_id, self.in_progress)
        self.assertIn("Ordered ten new chairs", track_3.resolution)
        self.assertTrue(
            any(
                "What was done" in b and "Ordered ten new chairs" in b for b in self.notes(track_3)
            ),
            "the new “What was done” is noted in the chatter",
        )
        self.assertFalse(track_3.approval_state)
        self.assertEqual(
            track_3.cannot_fix_reason, "The supplier needs a purchase order from the division."
        )
        self.assertEqual(track_3.escalation_level, "wg_head")
        self.assertEqual(
            track_3.escalation_ids.rule_id,
            self.env.ref("library_complaints.escalation_rule_cannot_fix"),
        )
        self.assertTrue(track_3.is_committee_proposed, "every 'cannot fix' goes to the committee")

        track_4 = self.find("Tour T4 the book scanner needs replacing")
        self.assertEqual(track_4.track_id, self.env.ref("library_complaints.track_4_budget"))
        self.assertEqual(track_4.stage_id, self.in_progress)
        self.assertEqual(track_4.approval_state, "to_approve")
        self.assertEqual(track_4.approval_step, "division_head")
        self.assertEqual(track_4.approver_id, division_head)
        self.assertEqual(track_4.escalation_level, "division_head")

    def test_anonymous_outcome_with_noticeboard_notice(self):
        service = self.env.ref("library_complaints.service_information")
        ticket = self.Ticket._create_anonymous_complaint(
            {
                "name": "Tour anonymous noise in the silent zone",
                "description": "<p>A group talks loudly in the silent zone.</p>",
                "service_id": service.id,
                "team_id": service.team_id.id,
                "channel_id": self.env.ref("library_complaints.channel_web_form").id,
            },
            [],
        )
        self.start_staff_tour("/odoo/complaints", "library_complaints_staff_anonymous_outcome")
        self.assertEqual(ticket.stage_id, self.done)
        self.assertTrue(ticket.is_anonymous)
        self.assertFalse(ticket.partner_id)
        self.assertIn("Staff asked them to use a discussion room.", ticket.resolution)
        self.assertEqual(ticket.outcome_state, "published")
        self.assertEqual(ticket.outcome_title, "Noise in the silent zone")
        self.assertTrue(ticket.outcome_on_website)
        notices = {n.channel: n.audience for n in ticket.notice_ids}
        self.assertEqual(
            notices,
            {
                "website": "Public outcome page",
                # the service's audience and default noticeboard, preset in the dialog
                "email": "info-users@example.com",
                "noticeboard": "บอร์ดประชาสัมพันธ์ หน้าทางเข้าห้องสมุด ชั้น 1",
            },
        )
        # The outcome is on the public page, without anyone's identity.
        page = self.url_open(ticket.outcome_id.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Noise in the silent zone", page.text)
        self.assertIn("Staff asked them to use a discussion room.", page.text)

        # The noticeboard PDF as lc_staff prints it; its first page as an image.
        report = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            .with_context(force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(
            "library_complaints.action_report_outcome_notice", ticket.outcome_id.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        save_first_page(pdf, "outcome_notice", self.env.cr.dbname)


# Opens each target's form through the web client's action service, in one page;
# an error dialog or a failed request fails the test.
OPEN_FORMS = """
(async () => {
    const targets = %s;
    const env = odoo.__WOWL_DEBUG__.root.env;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const errorDialog = () => document.querySelector(".o_error_dialog");
    for (const target of targets) {
        await env.services.action.doAction(target.action, {
            clearBreadcrumbs: true,
            props: { resId: target.res_id },
            viewType: "form",
        });
        const deadline = Date.now() + 20000;
        while (!document.querySelector(`.o_form_view .o_pager_value, .o_form_view .o_form_sheet`)) {
            if (errorDialog() || Date.now() > deadline) {
                break;
            }
            await sleep(100);
        }
        await sleep(200);
        if (errorDialog()) {
            throw new Error(`${target.label}: ${errorDialog().innerText}`);
        }
        if (!document.querySelector(".o_form_view")) {
            throw new Error(`${target.label}: the form did not open`);
        }
        console.log(`opened ${target.label}`);
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestStaffForms(HttpCase):
    """Every form a staff member reaches from their menus, every complaint they can
    read, and what the complaint's stat buttons open, without an error
    (tests/test_screens_per_role.py walks each menu's views and first record)."""

    def test_staff_opens_every_form(self):
        staff = self.env.ref("library_complaints.user_staff")
        menus = self.env["ir.ui.menu"].with_user(staff).load_menus(False)
        app = next(
            m for m in menus.values() if m.get("xmlid") == "helpdesk_mgmt.helpdesk_ticket_main_menu"
        )
        targets, seen, todo = [], set(), list(app["children"])
        while todo:
            menu = menus[todo.pop(0)]
            todo += menu["children"]
            if menu.get("action_model") != "ir.actions.act_window":
                continue
            action = self.env["ir.actions.act_window"].browse(menu["action_id"])
            model = self.env[action.res_model].with_user(staff)
            if "form" not in action.view_mode or action.id in seen:
                continue
            seen.add(action.id)
            record = model.search([], limit=1)
            if record or model.has_access("create"):  # else a new record's form
                targets.append({"action": action.id, "res_id": record.id, "label": menu["name"]})
        self.assertGreaterEqual(len(targets), 5, "the complaints, lessons, dashboard... menus")
        # Every complaint staff can read (the committee's fields are hidden from them),
        # and what the complaint's buttons open.
        Ticket = self.env["helpdesk.ticket"].with_user(staff)
        complaints = Ticket.search([])
        self.assertGreater(len(complaints), 5)
        complaints_action = self.env.ref("library_complaints.helpdesk_ticket_action_complaints")
        targets += [
            {"action": complaints_action.id, "res_id": t.id, "label": t.sudo().display_name}
            for t in complaints
        ]
        for model in ("library.complaint.escalation", "library.complaint.notice"):
            record = self.env[model].with_user(staff).search([], limit=1)
            self.assertTrue(record, f"staff can read a {model}")
            targets.append(
                {
                    "action": {
                        "type": "ir.actions.act_window",
                        "res_model": model,
                        "views": [[False, "form"]],
                    },
                    "res_id": record.id,
                    "label": model,
                }
            )
        self.browser_js(
            "/odoo",
            OPEN_FORMS % json.dumps(targets),
            "odoo.isReady === true",
            login=STAFF,
            timeout=300,
        )

"""The complaint workflow seen from the external API (JSON-2), as each demo role.

Whatever a client sends, workflow fields change only through their buttons, other
teams' complaints stay out of reach, and every button answers a value (an action or
True: a ``null`` says the button forgot its return value). Each refusal is checked
for its HTTP status and the exception its JSON body names.
"""

from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.library_complaints.tests.common import Json2Mixin

ROLES = ("lc_staff", "lc_wg_head", "lc_div_head", "lc_committee", "lc_manager")
XMLIDS = {
    "lc_staff": "library_complaints.user_staff",
    "lc_wg_head": "library_complaints.user_wg_head",
    "lc_div_head": "library_complaints.user_division_head",
    "lc_committee": "library_complaints.user_committee",
    "lc_manager": "library_complaints.user_manager",
}
MEETING_DATE = datetime(2031, 3, 5, 2, 0)


@tagged("post_install", "-at_install")
class TestExternalApi(Json2Mixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {login: cls.env.ref(xmlid) for login, xmlid in XMLIDS.items()}
        cls.desk = cls.env.ref("library_complaints.team_library_service_desk")
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.Ticket = cls.env["helpdesk.ticket"]
        # The demo's open meetings would take the proposals: the tests plan their own.
        open_meetings = cls.env["library.complaint.meeting"].search(
            [("state", "in", ("draft", "scheduled"))]
        )
        open_meetings.write({"state": "draft"})
        open_meetings.unlink()
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Rare books (API test)", "user_ids": [(6, 0, [])]}
        )
        cls.other_ticket = cls.complaint(
            name="Rare book damaged", team_id=cls.other_team.id, user_id=False
        )

    @classmethod
    def complaint(cls, track=None, **vals):
        values = {
            "name": "Wi-Fi drops on floor 3",
            "description": "<p>It drops every few minutes.</p>",
            "team_id": cls.desk.id,
            "service_id": cls.service.id,
            "user_id": cls.users["lc_staff"].id,
        }
        if track:
            values["track_id"] = cls.env.ref(f"library_complaints.{track}").id
        values.update(vals)
        return cls.Ticket.create(values)

    def call(self, login, model, method, ids=None, **params):
        return self.call_as(self.users[login], model, method, ids, **params)

    def create(self, login, model, vals):
        """The id of the record ``login`` creates (JSON-2 answers the list of ids)."""
        [record_id] = self.call(login, model, "create", vals_list=[vals])
        return record_id

    def refused(self, login, model, method, ids=None, **params):
        return self.assertApiRefused(self.users[login], model, method, ids, **params)

    def button(self, login, model, method, ids):
        return self.press_as(self.users[login], model, method, ids)

    def reread(self, record, fnames):
        self.env.invalidate_all()
        return record.read(fnames)[0]

    # ------------------------------------------------------------------
    # Workflow fields

    def test_staff_cannot_approve_or_decide_by_writing(self):
        ticket = self.complaint("track_2_escalate_heads")
        self.assertEqual(ticket.approval_state, "to_approve")
        fnames = ["approval_state", "committee_decision", "committee_budget", "solution"]
        before = self.reread(ticket, fnames)
        forged = {
            "approval_state": "approved",
            "approval_step": False,
            "approver_id": self.users["lc_staff"].id,
            "committee_decision": "approve",
            "committee_budget": 1000000,
            "solution": "Buy everything",
            "escalation_level": "committee",
            "received_date": "2020-01-01 00:00:00",
            "tracking_code": "AAAAA-BBBBB",
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                message = self.refused(
                    "lc_staff", "helpdesk.ticket", "write", ticket.ids, vals={fname: value}
                )
                self.assertIn(f"“{self.Ticket._fields[fname].string}”", message)
        # A context a client sends opens nothing either.
        message = self.refused(
            "lc_staff",
            "helpdesk.ticket",
            "write",
            ticket.ids,
            vals={"approval_state": "approved"},
            context={"library_complaints_no_resolution_note": True, "workflow_action": True},
        )
        self.assertIn(f"“{self.Ticket._fields['approval_state'].string}”", message)
        message = self.refused(
            "lc_staff",
            "helpdesk.ticket",
            "create",
            vals_list=[{"name": "Forged", "team_id": self.desk.id, "approval_state": "approved"}],
        )
        self.assertIn(f"“{self.Ticket._fields['approval_state'].string}”", message)
        self.assertEqual(self.reread(ticket, fnames), before)
        self.assertFalse(self.Ticket.search([("name", "=", "Forged")]))

    def test_committee_cannot_rewrite_a_decision_after_the_minutes(self):
        ticket = self.complaint("track_3_satisfaction")
        ticket.with_user(self.users["lc_staff"])._mark_cannot_fix("Needs a contractor")
        meeting_id = self.create(
            "lc_committee",
            "library.complaint.meeting",
            {"name": "MT API", "date_start": MEETING_DATE.strftime("%Y-%m-%d %H:%M:%S")},
        )
        meeting = self.env["library.complaint.meeting"].browse(meeting_id)
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)
        self.assertTrue(item)
        self.call(
            "lc_committee",
            "library.complaint.meeting.item",
            "write",
            item.ids,
            vals={"decision": "approve", "solution": "New shelving", "budget_estimate": 85000},
        )
        others = (meeting.item_ids - item).ids
        if others:
            self.call(
                "lc_committee",
                "library.complaint.meeting.item",
                "write",
                others,
                vals={"decision": "defer"},
            )
        Meeting = "library.complaint.meeting"
        self.button("lc_committee", Meeting, "action_schedule", [meeting_id])
        self.button("lc_committee", Meeting, "action_mark_held", [meeting_id])
        self.assertEqual(
            self.reread(ticket, ["committee_decision"])["committee_decision"], "approve"
        )
        # Held: the decision stays as the committee took it.
        message = self.refused(
            "lc_committee",
            "library.complaint.meeting.item",
            "write",
            item.ids,
            vals={"decision": "reject"},
            error=UserError,
        )
        self.assertIn("The meeting was held", message)
        self.call(
            "lc_committee", Meeting, "write", [meeting_id], vals={"minutes": "<p>Minutes</p>"}
        )
        self.button("lc_committee", Meeting, "action_approve_minutes", [meeting_id])
        # Approved: neither the complaint's decision (a workflow field, named), nor the
        # agenda, nor the meeting's state.
        for model, ids, vals, error, said in (
            ("helpdesk.ticket", ticket.ids, {"committee_decision": "reject"}, AccessError, None),
            ("helpdesk.ticket", ticket.ids, {"solution": "Nothing"}, AccessError, None),
            (
                "library.complaint.meeting.item",
                item.ids,
                {"decision": "reject"},
                UserError,
                "The minutes are approved",
            ),
            (Meeting, [meeting_id], {"state": "draft"}, AccessError, None),
        ):
            with self.subTest(model=model, vals=vals):
                message = self.refused("lc_committee", model, "write", ids, vals=vals, error=error)
                [fname] = vals
                string = self.env[model]._fields[fname].string
                self.assertIn(said or f"“{string}”", message)
        values = self.reread(ticket, ["committee_decision", "solution", "committee_budget"])
        self.assertEqual(
            (values["committee_decision"], values["solution"], values["committee_budget"]),
            ("approve", "New shelving", 85000),
        )
        self.assertEqual(self.reread(item, ["decision"])["decision"], "approve")

    # ------------------------------------------------------------------
    # Other teams' complaints

    def test_other_teams_complaints_are_out_of_reach(self):
        ticket = self.other_ticket
        for login in ("lc_staff", "lc_wg_head"):
            with self.subTest(login=login):
                self.refused(login, "helpdesk.ticket", "read", ticket.ids, fields=["name"])
                self.refused(
                    login, "helpdesk.ticket", "write", ticket.ids, vals={"name": "Mine now"}
                )
                found = self.call(
                    login, "helpdesk.ticket", "search", domain=[("id", "=", ticket.id)]
                )
                self.assertEqual(found, [])
        # Nor can a lesson learned be hung on it to read its title.
        self.refused(
            "lc_staff",
            "library.complaint.lesson",
            "create",
            vals_list=[
                {
                    "name": "Peek",
                    "ticket_id": ticket.id,
                    "author_id": self.users["lc_staff"].id,
                }
            ],
        )
        self.assertFalse(
            self.env["library.complaint.lesson"].search([("ticket_id", "=", ticket.id)])
        )
        self.assertEqual(self.reread(ticket, ["name"])["name"], "Rare book damaged")

    # ------------------------------------------------------------------
    # Buttons answer a value

    def test_staff_buttons_answer_a_value(self):
        Ticket = "helpdesk.ticket"
        new = self.complaint("track_3_satisfaction", user_id=False)
        self.button("lc_staff", Ticket, "assign_to_me", new.ids)
        self.assertEqual(new.user_id, self.users["lc_staff"])
        self.button("lc_staff", Ticket, "action_triage", new.ids)
        self.button("lc_staff", Ticket, "action_view_escalations", new.ids)
        self.button("lc_staff", Ticket, "action_view_lessons", new.ids)
        # Cannot fix, through its dialog.
        action = self.button("lc_staff", Ticket, "action_cannot_fix", new.ids)
        wizard_id = self.create(
            "lc_staff",
            action["res_model"],
            {"ticket_ids": [(6, 0, new.ids)], "action": "cannot_fix", "comment": "No budget"},
        )
        self.button("lc_staff", action["res_model"], "action_confirm", [wizard_id])
        self.assertEqual(new.cannot_fix_reason, "No budget")
        # Track 1: fixed on the spot.
        spot = self.complaint("track_1_on_the_spot")
        action = self.button("lc_staff", Ticket, "action_fix_on_the_spot", spot.ids)
        wizard_id = self.create(
            "lc_staff", action["res_model"], {"ticket_id": spot.id, "resolution": "Done"}
        )
        self.button("lc_staff", action["res_model"], "action_confirm", [wizard_id])
        self.assertTrue(spot.stage_id.closed)
        self.button("lc_staff", Ticket, "action_write_lesson", spot.ids)

    def test_outcome_publication_answers_a_value(self):
        ticket = self.complaint("track_3_satisfaction", is_anonymous=True)
        ticket.with_user(self.users["lc_staff"]).write(
            {"stage_id": self.done.id, "outcome_found": "A loose cable", "outcome_done": "Fixed"}
        )
        action = self.button("lc_staff", "helpdesk.ticket", "action_publish_outcome", ticket.ids)
        wizard_id = self.create(
            "lc_staff",
            action["res_model"],
            {
                "ticket_id": ticket.id,
                "outcome_title": "Wi-Fi on floor 3",
                "send_website": True,
                "send_email": False,
                "send_noticeboard": True,
                "location_ids": [
                    (6, 0, self.env.ref("library_complaints.notice_location_main_entrance").ids)
                ],
            },
        )
        self.button("lc_staff", action["res_model"], "action_publish", [wizard_id])
        self.assertEqual(ticket.outcome_state, "published")
        self.assertEqual(set(ticket.notice_ids.mapped("channel")), {"website", "noticeboard"})

    def test_head_buttons_answer_a_value(self):
        ticket = self.complaint("track_2_escalate_heads")
        self.button("lc_wg_head", "helpdesk.ticket", "action_approve", ticket.ids)
        self.assertEqual(ticket.approval_step, "division_head")
        for method in ("action_return", "action_refuse"):
            self.button("lc_div_head", "helpdesk.ticket", method, ticket.ids)

    def test_committee_meeting_buttons_answer_a_value(self):
        Meeting = "library.complaint.meeting"
        meeting_id = self.create(
            "lc_committee",
            Meeting,
            {"name": "MT buttons", "date_start": MEETING_DATE.strftime("%Y-%m-%d %H:%M:%S")},
        )
        for method in ("action_load_proposals", "action_schedule", "action_reset_to_draft"):
            with self.subTest(method=method):
                self.button("lc_committee", Meeting, method, [meeting_id])
        meeting = self.env["library.complaint.meeting"].browse(meeting_id)
        self.assertEqual(meeting.state, "draft")
        self.button("lc_committee", Meeting, "action_schedule", [meeting_id])
        self.button("lc_committee", Meeting, "action_open_calendar_event", [meeting_id])

    def test_lesson_buttons_answer_a_value(self):
        ticket = self.complaint("track_3_satisfaction")
        ticket.write({"stage_id": self.done.id})
        lesson = ticket.lesson_ids
        self.assertTrue(lesson)
        lesson.write(
            {
                "author_id": self.users["lc_staff"].id,
                "cause": "<p>A loose cable.</p>",
                "fix": "<p>Fixed it.</p>",
                "prevention": "<p>Check monthly.</p>",
            }
        )
        Lesson = "library.complaint.lesson"
        self.button("lc_staff", Lesson, "action_publish", lesson.ids)
        self.button("lc_manager", Lesson, "action_retry_line", lesson.ids)
        self.button("lc_staff", Lesson, "action_open_blog_post", lesson.ids)

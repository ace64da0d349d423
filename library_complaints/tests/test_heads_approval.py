from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import LibraryComplaintsCase
from .test_committee import FIRST_MEETING, CommitteeCase
from .test_escalation import TUESDAY_MORNING, EscalationCase

APPROVAL = "library_complaints.mail_activity_type_complaint_approval"


@tagged("post_install", "-at_install")
class TestProposeWithOpenMeeting(CommitteeCase):
    """Proposing a complaint to the committee while a meeting is open, as the heads
    and staff do it: a new request (nothing in the cache), then the commit path."""

    def setUp(self):
        super().setUp()
        self.meeting = self.Meeting.with_user(self.committee).create(
            {"name": "MT 1/2574", "date_start": FIRST_MEETING}
        )

    def test_division_head_approves_track_4(self):
        ticket = self.complaint_on_track(self.track_4)
        self.assertEqual(ticket.approver_id, self.division_head)
        self.env.invalidate_all()  # the head's request reads the complaint afresh

        ticket.with_user(self.division_head).action_approve()
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.escalation_level, "committee")
        self.assertTrue(ticket.is_committee_proposed)
        self.assertIn(ticket, self.meeting.item_ids.ticket_id)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Approved by t_div_head" in m.body
                and self.staff.partner_id in m.partner_ids
            ),
            "the staff owner is told",
        )

    def test_staff_cannot_fix(self):
        ticket = self.complaint_on_track(self.track_3)
        self.env.invalidate_all()

        action = ticket.with_user(self.staff).action_cannot_fix()
        self.env["library.complaint.comment.wizard"].with_user(self.staff).with_context(
            **action["context"]
        ).create({"comment": "The shelving needs a contractor."}).action_confirm()
        self.flush_tracking()

        self.assertTrue(ticket.is_committee_proposed)
        self.assertEqual(ticket.cannot_fix_reason, "The shelving needs a contractor.")
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assertIn(ticket, self.meeting.item_ids.ticket_id)


@tagged("post_install", "-at_install")
class TestDemoApprovals(LibraryComplaintsCase):
    """On the demo database, a head's answer reaches a staff member."""

    def test_return_reaches_the_demo_staff_member(self):
        ticket = self.env.ref("library_complaints.ticket_demo_database")
        staff = self.env.ref("library_complaints.user_staff")
        wg_head = self.env.ref("library_complaints.user_wg_head")
        self.assertEqual(ticket.approver_id, wg_head)
        self.env.invalidate_all()

        ticket.with_user(wg_head)._return_to_staff("Ask the vendor about the VPN licence.")
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "returned")
        todo = ticket.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(APPROVAL))
        self.assertEqual(todo.user_id, staff, "the demo staff member has the to-do")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Ask the vendor about the VPN licence" in m.body
                and staff.partner_id in m.partner_ids
            )
        )


class ApprovalCase(EscalationCase):
    def decide(self, user, ticket, action, comment):
        """As `user`: press the button `action_<action>`, write `comment` in the
        dialog it opens, confirm."""
        opened = getattr(ticket.with_user(user), f"action_{action}")()
        self.env["library.complaint.comment.wizard"].with_user(user).with_context(
            **opened["context"]
        ).create({"comment": comment}).action_confirm()

    def approval_todos(self, ticket):
        """The open approval to-dos of the complaint, whoever has them."""
        self.env.invalidate_all()
        return ticket.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )

    def assert_todo_of(self, ticket, user, deadline=None):
        """`user` alone has the open approval to-do (nobody when `user` is None)."""
        todos = self.approval_todos(ticket)
        if not user:
            self.assertFalse(todos, f"nobody has a to-do, not {todos.user_id.mapped('name')}")
            return todos
        self.assertEqual(todos.user_id, user)
        self.assertEqual(len(todos), 1, "one to-do, not one per step")
        if deadline:
            self.assertEqual(todos.date_deadline, deadline)
        return todos


@tagged("post_install", "-at_install")
class TestApprovalHistory(ApprovalCase):
    """Every decision of a head is kept, round after round (issue #12)."""

    def test_returned_then_approved_keeps_both_rounds(self):
        ticket = self.complaint_on_track(self.track_2)
        self.env.invalidate_all()

        self.decide(self.wg_head, ticket, "return", "A: ask IT for a quote first.")
        self.flush_tracking()
        ticket.with_user(self.staff).action_submit_for_approval()
        self.flush_tracking()
        self.assertFalse(ticket.approval_comment, "a new round starts without a comment")
        self.decide(self.wg_head, ticket, "approve_with_comment", "B: the quote is fine.")
        self.flush_tracking()
        self.assertEqual(ticket.approval_comment, "B: the quote is fine.")
        self.decide(self.division_head, ticket, "approve_with_comment", "B: within budget.")
        self.flush_tracking()

        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.approval_round, 2)
        self.env.invalidate_all()
        history = ticket.with_user(self.staff).approval_ids.sorted("id")
        self.assertEqual(
            [(h.round_number, h.step, h.decision, h.user_id, h.comment) for h in history],
            [
                (1, "wg_head", "return", self.wg_head, "A: ask IT for a quote first."),
                (2, "wg_head", "approve", self.wg_head, "B: the quote is fine."),
                (2, "division_head", "approve", self.division_head, "B: within budget."),
            ],
        )
        self.assertTrue(all(history.mapped("date")))
        # The heads of the complaint read the same history.
        self.assertEqual(ticket.with_user(self.wg_head).approval_ids, history)
        self.assertEqual(ticket.with_user(self.division_head).approval_ids, history)
        told = f"Approved by {self.division_head.name}: B: within budget."
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: told in m.body and self.staff.partner_id in m.partner_ids
            ),
            "the staff owner is told, with the comment",
        )

    def test_refusal_is_kept_with_its_comment(self):
        ticket = self.complaint_on_track(self.track_4)
        self.decide(self.division_head, ticket, "refuse", "No budget this year.")
        self.flush_tracking()
        entry = ticket.with_user(self.staff).approval_ids
        self.assertEqual(
            (entry.round_number, entry.step, entry.decision, entry.user_id, entry.comment),
            (1, "division_head", "refuse", self.division_head, "No budget this year."),
        )

    def test_nobody_writes_the_history_by_hand(self):
        ticket = self.complaint_on_track(self.track_2)
        self.decide(self.wg_head, ticket, "return", "Ask IT first.")
        self.flush_tracking()
        entry = ticket.approval_ids
        History = self.env["library.complaint.approval"]
        with self.assertRaises(AccessError):
            entry.with_user(self.wg_head).write({"comment": "I never said that."})
        with self.assertRaises(AccessError):
            entry.with_user(self.manager).write({"decision": "approve"})
        with self.assertRaises(AccessError):
            entry.with_user(self.wg_head).unlink()
        for user in (self.staff, self.wg_head, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                History.with_user(user).create(
                    {
                        "ticket_id": ticket.id,
                        "round_number": 1,
                        "step": "division_head",
                        "decision": "approve",
                        "user_id": self.division_head.id,
                        "comment": "Forged",
                    }
                )
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.approval_ids, entry)
        self.assertEqual((entry.decision, entry.comment), ("return", "Ask IT first."))

    def test_only_who_sees_the_complaint_sees_its_history(self):
        ticket = self.complaint_on_track(self.track_2)
        self.decide(self.wg_head, ticket, "return", "Ask IT first.")
        self.flush_tracking()
        History = self.env["library.complaint.approval"]
        domain = [("ticket_id", "=", ticket.id)]
        self.assertEqual(History.with_user(self.staff).search(domain), ticket.approval_ids)
        self.assertFalse(History.with_user(self.other_wg_head).search(domain))
        with self.assertRaises(AccessError):
            History.with_user(self.patron).search(domain)


@tagged("post_install", "-at_install")
class TestApprovalTodos(ApprovalCase):
    """The approval to-do follows whoever must act now, and nobody else."""

    def test_each_step_gives_the_todo_to_the_next_person(self):
        with freeze_time(TUESDAY_MORNING):  # Tuesday 10 March 2026, 09:00 in Bangkok
            ticket = self.complaint_on_track(self.track_2)
            self.flush_tracking()
            # Due the day each step is asked (hr_leave's way): the systray counts it.
            self.assert_todo_of(ticket, self.wg_head, date(2026, 3, 10))

            ticket.with_user(self.wg_head).action_approve()
            self.flush_tracking()
            self.assert_todo_of(ticket, self.division_head, date(2026, 3, 10))

            self.decide(self.division_head, ticket, "return", "Check the <b>quote</b>.")
            self.flush_tracking()
            todo = self.assert_todo_of(ticket, self.staff, date(2026, 3, 10))
            self.assertIn("Check the &lt;b&gt;quote&lt;/b&gt;.", str(todo.note), "as text")
            self.assertIn(self.division_head.name, str(todo.note))

            ticket.with_user(self.staff).action_submit_for_approval()
            self.flush_tracking()
            self.assert_todo_of(ticket, self.wg_head)

            self.decide(self.wg_head, ticket, "refuse", "Not this year.")
            self.flush_tracking()
            self.assert_todo_of(ticket, None)
        done = ticket.message_ids.filtered(lambda m: m.mail_activity_type_id)
        self.assertEqual(
            len(done), 4, "each decided step marks its to-do done: approve, return, submit, refuse"
        )

    def test_closing_removes_the_todo_and_reassigning_moves_it(self):
        ticket = self.complaint_on_track(self.track_2)
        self.decide(self.wg_head, ticket, "return", "Check the quote.")
        self.flush_tracking()
        self.assert_todo_of(ticket, self.staff)
        ticket.with_user(self.staff).write({"user_id": self.wg_head.id})
        self.flush_tracking()
        self.assert_todo_of(ticket, self.wg_head)

        other = self.complaint_on_track(self.track_2)
        # Waiting for a head, only a complaint manager closes it, with a reason.
        other.with_user(self.manager)._close_with_reason("The patron withdrew it.")
        self.flush_tracking()
        self.assert_todo_of(other, None)

    def test_moving_to_another_work_group_moves_the_todo(self):
        ticket = self.complaint_on_track(self.track_2)
        ticket.with_user(self.manager).write({"team_id": self.other_team.id})
        self.flush_tracking()
        self.assertEqual(ticket.approver_id, self.other_wg_head)
        self.assert_todo_of(ticket, self.other_wg_head)

    def test_one_update_for_many_complaints(self):
        tickets = self.complaint_on_track(self.track_2) | self.complaint_on_track(self.track_2)
        tickets.with_user(self.wg_head).action_approve()
        self.flush_tracking()
        for ticket in tickets:
            self.assert_todo_of(ticket, self.division_head)


# Tuesday 10 March 2026, 23:30 in Bangkok (16:30 UTC) and Wednesday 01:00 (18:00 UTC).
TUESDAY_LATE_EVENING = datetime(2026, 3, 10, 16, 30)
WEDNESDAY_AFTER_MIDNIGHT = datetime(2026, 3, 10, 18, 0)


@tagged("post_install", "-at_install")
class TestHeadsWaitingForMe(ApprovalCase):
    """What a head meets (issue #25): the approvals open on the head's own waiting
    complaints, the to-do is due the day it is asked so the systray counts it, and a
    returned or refused complaint shows the head's comment at the top of its form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.wg_head | cls.division_head | cls.staff).tz = "Asia/Bangkok"

    def systray_count(self, user):
        """The approvals the systray counts for `user` (due today or overdue)."""
        groups = self.env["res.users"].with_user(user)._get_activity_groups()
        tickets = [g for g in groups if g["model"] == "helpdesk.ticket"]
        return tickets[0]["total_count"] if tickets else 0

    def test_the_todo_is_due_the_day_it_is_asked(self):
        with freeze_time(TUESDAY_LATE_EVENING):
            ticket = self.complaint_on_track(self.track_2)
            self.flush_tracking()
            deadline = ticket.date_deadline
            todo = self.assert_todo_of(ticket, self.wg_head, date(2026, 3, 10))
            self.assertEqual(todo.state, "today")
            self.assertEqual(self.systray_count(self.wg_head), 1, "the badge shows it")
        with freeze_time(WEDNESDAY_AFTER_MIDNIGHT):
            # The next day in Bangkok (still Tuesday in UTC): overdue, still counted.
            self.env.invalidate_all()
            self.assertEqual(todo.state, "overdue")
            self.assertEqual(self.systray_count(self.wg_head), 1)
            ticket.with_user(self.wg_head).action_approve()
            self.flush_tracking()
            # Asked of the division head on Wednesday, Bangkok's day.
            todo = self.assert_todo_of(ticket, self.division_head, date(2026, 3, 11))
            self.assertEqual(self.systray_count(self.division_head), 1)
            self.assertEqual(self.systray_count(self.wg_head), 0, "decided: no badge")
        self.assertEqual(ticket.date_deadline, deadline, "the complaint's deadline is a fact")

    def default_search(self, user):
        """As `user`, what the Approvals menu shows at first: the action's domain and
        the filters its context activates, read from the action's own search view."""
        action = self.env.ref("library_complaints.helpdesk_ticket_action_approvals")
        context = safe_eval(action.context)
        arch = etree.fromstring(
            self.env["helpdesk.ticket"]
            .with_user(user)
            .get_views([(action.search_view_id.id, "search")])["views"]["search"]["arch"]
        )
        filters = {f.get("name"): f for f in arch.iter("filter")}
        defaults = [key.removeprefix("search_default_") for key in context]
        domain = safe_eval(action.domain)
        for name in defaults:
            domain += safe_eval(filters[name].get("domain"), {"uid": user.id})
        return defaults, domain, arch

    def filter_groups(self, arch):
        """The search view's filter groups (filters of a group are OR-ed, groups AND-ed)."""
        groups, current = [], []
        for node in arch:
            if node.tag == "filter":
                current.append(node.get("name"))
            elif node.tag in ("separator", "group") and current:
                groups.append(current)
                current = []
        return groups + [current] if current else groups

    def test_approvals_open_on_my_own_waiting_complaints(self):
        mine = self.complaint_on_track(self.track_2)
        at_division = self.complaint_on_track(self.track_2)
        at_division.with_user(self.wg_head).action_approve()
        returned = self.complaint_on_track(self.track_2)
        self.decide(self.wg_head, returned, "return", "Ask IT first.")
        elsewhere = self.complaint_on_track(self.track_2, team_id=self.other_team.id)
        self.flush_tracking()
        self.assertEqual(elsewhere.approver_id, self.other_wg_head)
        Ticket = self.env["helpdesk.ticket"]

        defaults, domain, arch = self.default_search(self.wg_head)
        self.assertEqual(defaults, ["waiting_for_me"], "one default: mine")
        found = Ticket.with_user(self.wg_head).search(domain)
        self.assertIn(mine, found)
        self.assertEqual(found, Ticket.search([("approver_id", "=", self.wg_head.id)]))
        __, domain, __ = self.default_search(self.division_head)
        found = Ticket.with_user(self.division_head).search(domain)
        self.assertIn(at_division, found)
        self.assertEqual(found, Ticket.search([("approver_id", "=", self.division_head.id)]))
        self.assertFalse(found & (mine | returned | elsewhere), "nothing waiting for others")

        # The rest of the team's approvals: a filter of its own group, not OR-ed with
        # the default (taking it off shows the team's, never another team's).
        groups = self.filter_groups(arch)
        self.assertIn(["waiting_for_me"], groups)
        self.assertIn(["my_heads_scope"], groups)
        team = safe_eval(
            arch.find(".//filter[@name='my_heads_scope']").get("domain"), {"uid": self.wg_head.id}
        )
        found = Ticket.with_user(self.wg_head).search([("approval_state", "!=", False), *team])
        created = mine | at_division | returned | elsewhere
        self.assertEqual(found & created, mine | at_division | returned)

    def test_returned_comment_shows_at_the_top(self):
        ticket = self.complaint_on_track(self.track_2)
        self.flush_tracking()
        as_staff = ticket.with_user(self.staff)
        self.assertFalse(as_staff.approval_alert, "nothing decided yet")
        self.decide(self.wg_head, ticket, "return", "Ask the vendor first.")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(
            as_staff.approval_alert,
            f"Returned by {self.wg_head.name}: Ask the vendor first. "
            "Rework it and submit it again.",
        )
        self.assertEqual(
            as_staff.with_context(lang="th_TH").approval_alert,
            f"ส่งคืนโดย {self.wg_head.name}: Ask the vendor first. " "โปรดแก้ไขแล้วเสนอใหม่อีกครั้ง",
            "in the reader's language",
        )
        form = as_staff.get_views([(False, "form")])["views"]["form"]["arch"]
        alert = etree.fromstring(form).find(".//div[@name='approval_alert_returned']")
        self.assertIsNotNone(alert, "a banner above the sheet, not only in the Approval tab")
        self.assertFalse(alert.xpath("ancestor::notebook"))
        self.assertEqual(alert.xpath("following-sibling::sheet")[0].tag, "sheet")

        as_staff.action_submit_for_approval()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertFalse(as_staff.approval_alert, "submitted again: no banner")
        self.decide(self.wg_head, ticket, "refuse", "Not this year.")
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(as_staff.approval_alert, f"Refused by {self.wg_head.name}: Not this year.")

"""The heads' journeys in Chromium: a work-group head and a division head approve,
return and refuse from the Approvals kanban and from the complaint form (two-step
approval of track 2), and a division head's approval sends a track 4 complaint to
the open MT committee meeting. The complaints are recorded by the demo staff member
in the demo work group (head lc_wg_head, division head lc_div_head); after each tour
the test reads what was stored and who was told."""

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

APPROVAL_ACTIVITY = "library_complaints.mail_activity_type_complaint_approval"


class TourCase(HttpCase):
    """Demo users and the demo work group; complaints recorded by the demo staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.wg_head = cls.env.ref("library_complaints.user_wg_head")
        cls.division_head = cls.env.ref("library_complaints.user_division_head")
        cls.team = cls.env.ref("library_complaints.team_library_service_desk")
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.track_2 = cls.env.ref("library_complaints.track_2_escalate_heads")
        cls.track_4 = cls.env.ref("library_complaints.track_4_budget")

    def run_tour(self, tour_name, login):
        """Run the tour from the home screen as `login`, then read the database afresh."""
        with final_screenshot():
            self.start_tour("/odoo", tour_name, login=login)
        self.env.invalidate_all()


class HeadsTourCase(TourCase):
    """Complaints of the demo work group and what a head's decision leaves."""

    def complaint(self, name, track=None):
        """A complaint the staff member records, owns and puts on a track."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.staff)
            .create(
                {
                    "name": name,
                    "description": f"<p>{name}.</p>",
                    "team_id": self.team.id,
                    "service_id": self.service.id,
                    "user_id": self.staff.id,
                }
            )
        )
        ticket.with_user(self.staff).write({"track_id": (track or self.track_2).id})
        self.assertEqual(ticket.approval_state, "to_approve")
        return ticket

    def approved_by_wg_head(self, name):
        ticket = self.complaint(name)
        ticket.with_user(self.wg_head).action_approve()
        self.assertEqual(ticket.approver_id, self.division_head)
        return ticket

    def activities(self, ticket, user, xmlid=APPROVAL_ACTIVITY):
        return ticket.activity_ids.filtered(
            lambda a: a.user_id == user and a.activity_type_id == self.env.ref(xmlid)
        )

    def assert_told(self, ticket, author, partner, text):
        """A message of `author` on the complaint, sent to `partner`, saying `text`."""
        messages = ticket.message_ids.filtered(
            lambda m: m.author_id == author.partner_id
            and partner in m.partner_ids
            and text in (m.body or "")
        )
        self.assertTrue(messages, f"{ticket.name}: {author.name} told {partner.name} {text!r}")

    def assert_decided(self, ticket, head, decision, comment=False):
        """The head's decision is the last entry of the complaint's approval history."""
        last = ticket.approval_ids.sorted("id")[-1]
        self.assertEqual((last.user_id, last.decision, last.comment), (head, decision, comment))
        step = "wg_head" if head == self.wg_head else "division_head"
        self.assertEqual((last.step, last.round_number), (step, 1))

    def assert_approved(self, ticket, head, comment=False):
        self.assertEqual(ticket.approval_state, "approved")
        self.assertFalse(ticket.approval_step)
        self.assertFalse(ticket.approver_id)
        self.assertFalse(self.activities(ticket, head))
        self.assert_told(ticket, head, self.staff.partner_id, f"Approved by {head.name}")
        self.assert_decided(ticket, head, "approve", comment)

    def assert_returned(self, ticket, head, comment):
        self.assertEqual(ticket.approval_state, "returned")
        self.assertEqual(ticket.approval_comment, comment)
        self.assertEqual(ticket.escalation_level, "staff")
        self.assertFalse(ticket.approver_id)
        self.assertFalse(self.activities(ticket, head))
        self.assert_told(ticket, head, self.staff.partner_id, f"Returned by {head.name}: {comment}")
        todo = self.activities(ticket, self.staff)
        self.assertEqual(len(todo), 1, "the staff owner has a to-do to handle the return")
        self.assertIn(comment, todo.note)
        self.assert_decided(ticket, head, "return", comment)

    def assert_refused(self, ticket, head, comment):
        self.assertEqual(ticket.approval_state, "refused")
        self.assertEqual(ticket.approval_comment, comment)
        self.assertFalse(ticket.approver_id)
        self.assertFalse(self.activities(ticket, head))
        self.assertFalse(self.activities(ticket, self.staff), "nothing to rework after a refusal")
        self.assert_told(ticket, head, self.staff.partner_id, f"Refused by {head.name}: {comment}")
        self.assert_decided(ticket, head, "refuse", comment)

    def assert_waiting_for_division_head(self, ticket):
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approval_step, "division_head")
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assertFalse(self.activities(ticket, self.wg_head))
        self.assertTrue(self.activities(ticket, self.division_head))
        self.assert_told(
            ticket,
            self.wg_head,
            self.division_head.partner_id,
            f"Approved by {self.wg_head.name} (work-group head)",
        )


@tagged("post_install", "-at_install")
class TestHeadsTours(HeadsTourCase):
    def test_two_step_approval_from_the_cards(self):
        scanner = self.complaint("Scanner on floor 1 rejects USB drives")
        lockers = self.complaint("Lockers in the foyer do not lock")
        lamps = self.complaint("Reading lamps are too dim in zone B")
        catalogue = self.approved_by_wg_head("Catalogue search times out")
        microfilm = self.approved_by_wg_head("Microfilm reader needs a new bulb")
        self.assertEqual(scanner.approver_id, self.wg_head)

        self.run_tour("library_complaints_heads_wg_kanban", "lc_wg_head")
        self.assert_waiting_for_division_head(scanner)
        self.assert_returned(lockers, self.wg_head, "Ask the vendor for the spare keys first.")
        self.assert_refused(lamps, self.wg_head, "The lamps were replaced last month.")

        self.run_tour("library_complaints_heads_div_kanban", "lc_div_head")
        self.assert_approved(scanner, self.division_head)
        self.assert_returned(catalogue, self.division_head, "Check the proxy settings with IT.")
        self.assert_refused(microfilm, self.division_head, "The reader is retired next term.")

    def test_two_step_approval_from_the_forms(self):
        kiosk = self.complaint("Self-checkout kiosk freezes")
        quota = self.complaint("Printing quota is not reset")
        carrels = self.complaint("Study carrels need more sockets")
        booking = self.approved_by_wg_head("Group study room booking double-books")
        audio = self.approved_by_wg_head("Audio guide app crashes")

        self.run_tour("library_complaints_heads_wg_form", "lc_wg_head")
        self.assert_waiting_for_division_head(kiosk)
        self.assert_returned(quota, self.wg_head, "Reset it by hand and tell the patron.")
        self.assert_refused(carrels, self.wg_head, "Not within this year's works.")

        self.run_tour("library_complaints_heads_div_form", "lc_div_head")
        self.assert_approved(kiosk, self.division_head, "Go ahead; order two spares.")
        self.assertEqual(
            kiosk.approval_ids.sorted("id").mapped(lambda a: (a.user_id, a.decision)),
            [(self.wg_head, "approve"), (self.division_head, "approve")],
        )
        self.assert_returned(booking, self.division_head, "Fix the booking rules first.")
        self.assert_refused(audio, self.division_head, "The app is replaced in June.")

    def test_division_head_sends_track_4_to_the_open_meeting(self):
        meeting = self.env.ref("library_complaints.meeting_demo_next")
        self.assertIn(meeting.state, ("draft", "scheduled"), "the demo meeting is open")
        lift = self.complaint("The lift to the 4th floor is out of order", self.track_4)
        self.assertEqual(lift.approver_id, self.division_head)

        self.run_tour("library_complaints_heads_div_committee", "lc_div_head")
        self.assert_approved(lift, self.division_head)
        self.assertTrue(lift.is_committee_proposed)
        self.assertEqual(lift.escalation_level, "committee")
        self.assertIn(lift, meeting.item_ids.ticket_id, "on the open meeting's agenda")


@tagged("post_install", "-at_install")
class TestHeadsWaitingForMeTour(HeadsTourCase):
    """Issue #25: a work-group head reading Thai opens the approvals from the menu,
    meets their own waiting complaints first and acts from there; the returned
    complaint shows the head's comment at the top of its form (1366 and 390 px)."""

    def setUp(self):
        super().setUp()
        (self.wg_head | self.staff).lang = "th_TH"
        self.mine_first = self.complaint("เครื่องสแกนชั้น 1 อ่านแฟลชไดรฟ์ไม่ได้")
        self.mine_second = self.complaint("ตู้ล็อกเกอร์หน้าห้องสมุดล็อกไม่ได้")
        self.at_division = self.approved_by_wg_head("ระบบสืบค้นรายการหนังสือค้าง")

    def test_head_acts_from_waiting_for_me(self):
        self.browser_size = "1366x768"
        with final_screenshot("heads_waiting_for_me_1366_"):
            self.start_tour("/odoo", "library_complaints_heads_waiting_for_me", login="lc_wg_head")
        self.env.invalidate_all()
        first, second = self.mine_first, self.mine_second
        self.assertEqual(first.approval_state, "to_approve")
        self.assertEqual(first.approver_id, self.division_head)
        self.assertTrue(self.activities(first, self.division_head))
        self.assertFalse(self.activities(first, self.wg_head))
        self.assertEqual(second.approval_state, "returned")
        self.assertEqual(second.approval_comment, "ขอใบเสนอราคาจากผู้ขายก่อน")
        self.assert_decided(second, self.wg_head, "return", "ขอใบเสนอราคาจากผู้ขายก่อน")
        self.assertTrue(self.activities(second, self.staff), "the staff owner's to-do")
        self.assertEqual(self.at_division.approver_id, self.division_head, "left alone")

    def test_phone(self):
        self.browser_size = "390x844"
        with final_screenshot("heads_waiting_for_me_390_"):
            self.start_tour(
                "/odoo/complaint-approvals",
                "library_complaints_heads_waiting_for_me_phone",
                login="lc_wg_head",
            )
        self.mine_second.with_user(self.wg_head)._return_to_staff("ขอใบเสนอราคาจากผู้ขายก่อน")
        with final_screenshot("heads_returned_banner_390_"):
            self.start_tour(
                "/odoo/complaints",
                "library_complaints_returned_banner_phone",
                login="lc_staff",
            )

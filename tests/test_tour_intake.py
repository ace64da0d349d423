"""The visitor's and the patron's journeys in Chromium (tours in
library_complaints/static/tests/tours/intake_*.js), and what they stored."""

from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

VISITOR_TITLE = "The scanner on floor 3 jams every page"
TITLE = "Wi-Fi drops in the reading room every afternoon"
ANONYMOUS_TITLE = "A staff member was rude at the loans counter"
CONFIDENTIAL_TITLE = "Noise from the staff room during exams"


@tagged("post_install", "-at_install")
class TestTourIntake(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patron = cls.env.ref("library_complaints.user_patron")
        cls.root = cls.env.ref("base.user_root")
        cls.Ticket = cls.env["helpdesk.ticket"].sudo()

    def _find(self, title):
        self.env.invalidate_all()
        return self.Ticket.search([("name", "=", title)])

    def test_visitor_complains_and_follows_the_complaint(self):
        self.start_tour("/complaint", "library_complaints_intake_visitor", login=None)
        ticket = self._find(VISITOR_TITLE)
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.is_anonymous)
        self.assertFalse(ticket.partner_id)
        self.assertEqual(ticket.create_uid, self.root)
        self.assertEqual(ticket.service_id, self.env.ref("library_complaints.service_information"))
        self.assertEqual(ticket.channel_id, self.env.ref("library_complaints.channel_web_form"))
        self.assertEqual(ticket.location, "Floor 3, scanner corner")
        self.assertIn("Each page I scan gets stuck halfway.<br>", ticket.description)
        self.assertIn("The screen shows error E42.", ticket.description)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["scanner-error.txt"])
        self.assertEqual(ticket.attachment_ids.raw, b"Scanner error E42 at 10:15.\n")

    def test_patron_complains_in_their_name_anonymously_and_confidentially(self):
        first_service = self.env["library.complaint.service"].search([], limit=1)
        self.start_tour("/my/tickets", "library_complaints_intake_patron", login="lc_patron")
        partner = self.patron.partner_id

        ticket = self._find(TITLE)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, partner)
        self.assertFalse(ticket.is_anonymous or ticket.is_confidential)
        self.assertEqual(ticket.service_id, first_service)
        self.assertEqual(ticket.location, "Reading room, 2nd floor")
        self.assertIn("The connection drops at 2 pm.<br>", ticket.description)
        self.assertEqual(ticket.channel_id, self.env.ref("library_complaints.channel_portal"))

        anonymous = self._find(ANONYMOUS_TITLE)
        self.assertEqual(len(anonymous), 1)
        self.assertTrue(anonymous.is_anonymous)
        self.assertFalse(anonymous.partner_id)
        self.assertIn("He shouted at me", anonymous.description)
        self.assertNotIn(partner, anonymous.message_partner_ids)

        confidential = self._find(CONFIDENTIAL_TITLE)
        self.assertEqual(len(confidential), 1)
        self.assertTrue(confidential.is_confidential)
        self.assertFalse(confidential.is_anonymous)
        self.assertIn("Staff chat loudly", confidential.description)
        self.assertNotIn(partner, confidential.message_partner_ids)

    def test_patron_reads_the_outcome_and_answers_the_survey(self):
        ticket = self.Ticket.create(
            {
                "name": "The book return machine rejects books",
                "description": "<p>It rejected all my books twice.</p>",
                "partner_id": self.patron.partner_id.id,
                "service_id": self.env.ref("library_complaints.service_information").id,
                "team_id": self.env.ref("library_complaints.team_library_service_desk").id,
            }
        )
        ticket.write(
            {
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
                "outcome_found": "Its scanner was dirty.",
                "outcome_done": "We cleaned the scanner.",
                "outcome_prevention": "Staff clean it weekly.",
            }
        )
        ticket.outcome_id._publish(["direct"])
        answer = ticket._invite_to_satisfaction_survey()
        self.assertEqual(answer.partner_id, self.patron.partner_id)
        invitation = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
        )
        self.assertIn(answer.get_start_url(), invitation.body_html)

        self.start_tour("/my/tickets", "library_complaints_patron_outcome", login="lc_patron")
        link = urlsplit(answer.get_start_url())
        self.start_tour(
            f"{link.path}?{link.query}", "library_complaints_patron_survey", login="lc_patron"
        )
        self.env.invalidate_all()
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.ticket_id, ticket)
        scores = answer.user_input_line_ids.filtered(lambda line: line.answer_type == "scale")
        self.assertEqual(scores.mapped("value_scale"), [4, 4, 4, 4])
        comments = [text for text in answer.user_input_line_ids.mapped("value_text_box") if text]
        self.assertEqual(comments, ["Quick and polite, thank you."])

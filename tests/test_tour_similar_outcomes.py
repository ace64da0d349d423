"""Similar published outcomes (#15) in Chromium: the visitor on /complaint and the patron
(lc_patron) on /new/ticket type a title like the demo's published outcome, are shown
it (the box checked with axe-core), and send their complaint all the same (tours in
library_complaints/static/tests/tours/similar_outcomes.js). What was stored is read back."""

from odoo.tests import HttpCase, tagged

from . import test_accessibility
from .tours import final_screenshot

VISITOR_TITLE = "เครื่องพิมพ์ในโซนคอมพิวเตอร์กระดาษติดอีกแล้ว"
PATRON_TITLE = "เครื่องพิมพ์โซนคอมพิวเตอร์กระดาษติดทุกวัน"


@tagged("post_install", "-at_install")
class TestSimilarOutcomesTour(HttpCase):
    def _find(self, title):
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].sudo().search([("name", "=", title)])

    def test_visitor_sees_a_similar_outcome_and_still_complains(self):
        with test_accessibility.axe_in_page(), final_screenshot("final_similar_visitor_"):
            self.start_tour("/complaint", "library_complaints_similar_outcomes_visitor", login=None)
        ticket = self._find(VISITOR_TITLE)
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.is_anonymous)
        self.assertEqual(
            ticket.service_id, self.env.ref("library_complaints.service_learning_media")
        )

    def test_patron_sees_a_similar_outcome_and_still_complains(self):
        with test_accessibility.axe_in_page(), final_screenshot("final_similar_patron_"):
            self.start_tour(
                "/new/ticket", "library_complaints_similar_outcomes_patron", login="lc_patron"
            )
        ticket = self._find(PATRON_TITLE)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            ticket.partner_id, self.env.ref("library_complaints.user_patron").partner_id
        )
        self.assertIn("jams every day", ticket.description)

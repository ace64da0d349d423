"""The complaint manager answers a patron's PDPA request in Chromium, as the demo
user ``lc_manager``: finds what the office holds by the patron's email, exports it,
erases it, sees the log. Then the test reads what was stored."""

from odoo.tests import tagged

from .test_tour_heads import TourCase


@tagged("post_install", "-at_install")
class TestPersonalDataTour(TourCase):
    def test_manager_exports_and_erases_a_patrons_data(self):
        patron = self.env.ref("library_complaints.partner_patron")
        manager = self.env.ref("library_complaints.user_manager")
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        confidential = (
            self.env["library.complaint.identity"]
            .search([("partner_id", "=", patron.id)])
            .ticket_id
        )
        tickets = Ticket.search([("partner_id", "=", patron.id)]) | confidential
        self.assertTrue(tickets, "the demo patron has complaints")
        name, email = patron.name, patron.email
        self.run_tour("library_complaints_manager_personal_data", "lc_manager")
        # the erased complaint says so on its form
        ticket = tickets.filtered("personal_data_erased")[:1]
        self.assertTrue(ticket)
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "library_complaints_manager_erased_complaint",
            login="lc_manager",
        )
        self.assertTrue(all(tickets.mapped("personal_data_erased")))
        self.assertFalse(tickets.partner_id)
        self.assertFalse(confidential.confidential_identity_ids)
        self.assertFalse(Ticket.search([("partner_email", "=ilike", email)]))
        # the patron's account stays: their contact is not changed
        self.assertEqual((patron.name, patron.email, patron.active), (name, email, True))
        logs = self.env["library.complaint.personal.data.log"].search(
            [("user_id", "=", manager.id)]
        )
        self.assertEqual(sorted(logs.mapped("action")), ["erase", "export"])
        erase = logs.filtered(lambda log: log.action == "erase")
        self.assertEqual(erase.ticket_count, len(tickets))
        for number in tickets.mapped("number"):
            self.assertIn(number, erase.ticket_refs)

"""A complaint taken by phone and recorded later (#14) in Chromium, as the demo user
``lc_staff``: the real received date typed in the form (in the user's language's
date format), the deadline following it, the change in the chatter. What was stored
is read back from the database."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

TITLE = "Tour RD phone call about the broken lift"


@tagged("post_install", "-at_install")
class TestStaffReceivedDateTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env.ref("library_complaints.user_staff")
        cls.values = {
            "name": TITLE,
            "description": "<p>A patron phoned: the lift to the 4th floor is broken.</p>",
            "team_id": cls.env.ref("library_complaints.team_library_service_desk").id,
            "service_id": cls.env.ref("library_complaints.service_information").id,
            "channel_id": cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
            "track_id": cls.env.ref("library_complaints.track_2_escalate_heads").id,
            "user_id": cls.staff.id,
        }

    def give_received_date(self, screenshot):
        """Run the journey on a phone complaint lc_staff just recorded; check what
        was stored."""
        ticket = self.env["helpdesk.ticket"].with_user(self.staff).create(dict(self.values))
        recorded, deadline = ticket.received_date, ticket.date_deadline
        self.assertEqual(ticket.stage_id, self.env.ref("library_complaints.stage_triage"))

        with final_screenshot(screenshot):
            self.start_tour("/odoo", "library_complaints_staff_received_date", login="lc_staff")

        self.env.invalidate_all()
        # A week before it was recorded, at half past nine (the browser's time zone).
        self.assertLess(ticket.received_date, recorded - timedelta(days=6))
        self.assertGreater(ticket.received_date, recorded - timedelta(days=8))
        self.assertEqual((ticket.received_date.minute % 30, ticket.received_date.second), (0, 0))
        self.assertLess(ticket.received_date, fields.Datetime.now())
        self.assertLess(ticket.date_deadline, deadline)
        # The deadline is the one of a complaint received at that moment.
        same_day = self.env["helpdesk.ticket"].create(
            dict(self.values, name="Received the same day", received_date=ticket.received_date)
        )
        self.assertEqual(ticket.date_deadline, same_day.date_deadline)
        self.assertEqual(ticket.write_uid, self.staff)
        tracked = ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "received_date"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_datetime, recorded)
        self.assertEqual(tracked.new_value_datetime, ticket.received_date)
        self.assertEqual(tracked.mail_message_id.author_id, self.staff.partner_id)

    def test_staff_give_a_phone_complaint_its_received_date(self):
        self.give_received_date("final_received_date_")

    def test_in_thai(self):
        """Typed in the Thai date format, read back the same."""
        self.staff.lang = "th_TH"
        self.give_received_date("final_received_date_th_")

    def test_staff_record_a_walk_in_complaint_with_its_received_date(self):
        started = fields.Datetime.now()
        with final_screenshot("final_received_date_walk_in_"):
            self.start_tour(
                "/odoo", "library_complaints_staff_received_date_walk_in", login="lc_staff"
            )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour RD walk-in about the noisy air conditioner")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.create_uid, self.staff)
        self.assertEqual(ticket.channel_id, self.env.ref("library_complaints.channel_walk_in"))
        self.assertEqual(ticket.stage_id, self.env.ref("library_complaints.stage_triage"))
        # Two days before it was recorded, at two in the afternoon (the browser's zone).
        self.assertLess(ticket.received_date, started - timedelta(days=1))
        self.assertGreater(ticket.received_date, started - timedelta(days=3))
        self.assertEqual((ticket.received_date.minute % 30, ticket.received_date.second), (0, 0))

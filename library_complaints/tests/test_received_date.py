"""When a complaint was received: staff give a complaint received at the desk, by
phone or by email its real received date while it waits for triage, never a future
one; the change is in the chatter and the deadline and the quarter follow (#14)."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import Json2Mixin, LibraryComplaintsCase

# Monday 23 November 2026, 10:00 in Bangkok: five working days later is Monday 30.
MONDAY = datetime(2026, 11, 23, 3, 0)


class ReceivedDateCase(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.walk_in = cls.env.ref("library_complaints.channel_walk_in")
        cls.web_form = cls.env.ref("library_complaints.channel_web_form")
        cls.portal = cls.env.ref("library_complaints.channel_portal")
        cls.triage = cls.env.ref("library_complaints.stage_triage")
        # the dates of autumn 2026 below, whenever the tests run (the window of days
        # back is tested in test_time_facts.py)
        cls.env.company.complaint_received_date_max_days = 3650

    def phone_complaint(self, channel=None, **vals):
        """A complaint on track 2 (five working days) that staff recorded, waiting for triage."""
        return self.create_complaint(
            user=self.staff,
            channel_id=(channel or self.phone).id,
            track_id=self.track_2.id,
            service_id=self.service.id,
            **vals,
        )

    def assert_received_date_refused(self, ticket, value, error=AccessError):
        before = ticket.sudo().read(["received_date", "date_deadline", "report_quarter"])
        with self.assertRaises(error) as caught:
            ticket.write({"received_date": value})
        self.flush_tracking()
        ticket.invalidate_recordset()
        self.assertEqual(
            ticket.sudo().read(["received_date", "date_deadline", "report_quarter"]), before
        )
        return str(caught.exception)


@tagged("post_install", "-at_install")
class TestReceivedDate(ReceivedDateCase):
    def test_staff_date_a_phone_complaint_and_the_deadline_follows(self):
        self.env.company.complaint_quarter_basis = "calendar"
        ticket = self.phone_complaint()
        self.flush_tracking()
        self.assertEqual(ticket.stage_id, self.triage)
        self.assertTrue(ticket.with_user(self.staff).can_edit_received_date)
        recorded = ticket.received_date
        ticket.with_user(self.staff).write({"received_date": MONDAY})
        self.flush_tracking()
        self.assertEqual(ticket.received_date, MONDAY)
        self.assertEqual(ticket.date_deadline.date().isoformat(), "2026-11-30")
        self.assertEqual(ticket.report_quarter, "2569-Q4")
        # Earlier in September: the deadline and the quarter move with it.
        september = datetime(2026, 9, 29, 3, 0)  # Tuesday
        ticket.with_user(self.staff).write({"received_date": september})
        self.flush_tracking()
        self.assertEqual(ticket.date_deadline.date().isoformat(), "2026-10-06")
        self.assertEqual(ticket.report_quarter, "2569-Q3")
        # Each change is in the chatter, signed by the staff member.
        tracked = ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "received_date"
        )
        by_new_value = {value.new_value_datetime: value for value in tracked}
        self.assertEqual(by_new_value[MONDAY].old_value_datetime, recorded)
        self.assertEqual(by_new_value[september].old_value_datetime, MONDAY)
        self.assertEqual(by_new_value[MONDAY].mail_message_id.author_id, self.staff.partner_id)

    def test_walk_in_and_email_complaints_too(self):
        for channel in (self.walk_in, self.email):
            with self.subTest(channel=channel.name):
                ticket = self.phone_complaint(channel)
                ticket.with_user(self.staff).write({"received_date": MONDAY})
                self.flush_tracking()
                self.assertEqual(ticket.received_date, MONDAY)

    def test_staff_record_a_complaint_with_its_received_date(self):
        ticket = self.phone_complaint(received_date=MONDAY)
        self.flush_tracking()
        self.assertEqual(ticket.received_date, MONDAY)
        self.assertEqual(ticket.date_deadline.date().isoformat(), "2026-11-30")

    def test_the_form_lets_staff_date_only_a_complaint_received_by_hand(self):
        """The staff form (views/helpdesk_ticket_views.xml), as "Record a Complaint" opens it."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.staff)
        form = Form(Ticket.with_context(default_channel_id=self.walk_in.id))
        form.name = "Recorded after the patron left"
        form.description = "<p>The air conditioner rattles.</p>"
        form.team_id = self.team
        form.track_id = self.track_3
        form.service_id = self.service
        form.received_date = MONDAY
        ticket = form.save()
        self.flush_tracking()
        self.assertEqual(ticket.received_date, MONDAY)
        form = Form(Ticket.with_context(default_channel_id=self.web_form.id))
        with self.assertRaises(AssertionError):  # read-only in the view
            form.received_date = MONDAY
        ticket.with_user(self.staff).action_triage()
        with self.assertRaises(AssertionError):
            Form(ticket).received_date = MONDAY

    def test_never_in_the_future(self):
        ticket = self.phone_complaint()
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        message = self.assert_received_date_refused(
            ticket.with_user(self.staff), tomorrow, ValidationError
        )
        self.assertIn("future", message)
        with self.assertRaises(ValidationError):
            self.phone_complaint(name="Dated tomorrow", received_date=tomorrow)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Dated tomorrow")]))

    def test_kept_once_the_complaint_left_triage(self):
        ticket = self.phone_complaint()
        ticket.with_user(self.staff).action_triage()
        self.flush_tracking()
        self.assertFalse(ticket.with_user(self.staff).can_edit_received_date)
        message = self.assert_received_date_refused(ticket.with_user(self.staff), MONDAY)
        self.assertIn("Received on", message)
        # Nor in the same write that would take it back to triage or out of it.
        for stage in (self.triage, self.done):
            with self.subTest(stage=stage.name), self.assertRaises(AccessError):
                ticket.with_user(self.staff).write({"stage_id": stage.id, "received_date": MONDAY})
        ticket = self.phone_complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff).write({"stage_id": self.done.id, "received_date": MONDAY})

    def test_the_web_form_and_the_portal_date_their_complaints(self):
        for channel in (self.web_form, self.portal):
            with self.subTest(channel=channel.name):
                ticket = self.phone_complaint(channel)
                self.assertFalse(ticket.with_user(self.staff).can_edit_received_date)
                self.assert_received_date_refused(ticket.with_user(self.staff), MONDAY)
                # Not by passing to a phone channel in the same write either.
                with self.assertRaises(AccessError):
                    ticket.with_user(self.staff).write(
                        {"channel_id": self.phone.id, "received_date": MONDAY}
                    )
        # Nor when recording one, or a complaint without channel, nor through a default.
        Ticket = self.env["helpdesk.ticket"].with_user(self.staff)
        values = {"name": "Forged date", "description": "<p>x</p>", "team_id": self.team.id}
        for vals, context in (
            ({"channel_id": self.web_form.id, "received_date": MONDAY}, {}),
            ({"received_date": MONDAY}, {}),
            ({"channel_id": self.portal.id}, {"default_received_date": "2026-11-23 03:00:00"}),
        ):
            with self.subTest(vals=vals, context=context), self.assertRaises(AccessError):
                Ticket.with_context(**context).create(dict(values, **vals))
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Forged date")]))

    def test_a_form_complaint_keeps_its_channel(self):
        """Not in two saves either: first "received by phone", then the date."""
        for channel in (self.web_form, self.portal):
            with self.subTest(channel=channel.name):
                ticket = self.phone_complaint(channel).with_user(self.staff)
                with self.assertRaises(AccessError):
                    ticket.write({"channel_id": self.phone.id})
                self.flush_tracking()
                self.assertEqual(ticket.channel_id, channel)
                self.assert_received_date_refused(ticket, MONDAY)
        # A complaint staff recorded may still be given its right channel.
        ticket = self.phone_complaint(self.walk_in).with_user(self.staff)
        ticket.write({"channel_id": self.phone.id})
        self.flush_tracking()
        self.assertEqual(ticket.channel_id, self.phone)

    def test_a_patron_cannot_date_a_complaint(self):
        ticket = self.phone_complaint(partner_id=self.patron.partner_id.id)
        self.assert_received_date_refused(ticket.with_user(self.patron), MONDAY)


@tagged("post_install", "-at_install")
class TestReceivedDateExternalApi(Json2Mixin, ReceivedDateCase, HttpCase):
    """The same rule for what a client sends over JSON-2."""

    def date(self, user, ticket, received_date, error=None):
        """Write the received date as ``user``; refused with ``error`` if given."""
        vals = {"received_date": received_date}
        if error:
            return self.assertApiRefused(
                user, "helpdesk.ticket", "write", ticket.ids, vals=vals, error=error
            )
        return self.call_as(user, "helpdesk.ticket", "write", ticket.ids, vals=vals)

    def test_staff_date_a_phone_complaint_a_patron_cannot(self):
        ticket = self.phone_complaint(partner_id=self.patron.partner_id.id)
        message = self.date(self.patron, ticket, "2026-11-23 03:00:00", AccessError)
        self.assertIn("Only complaint staff", message)
        message = self.date(self.staff, ticket, "2040-01-01 00:00:00", ValidationError)
        self.assertIn("future", message)
        self.env.invalidate_all()
        self.assertNotEqual(ticket.received_date, MONDAY)
        self.assertTrue(self.date(self.staff, ticket, "2026-11-23 03:00:00"))
        self.env.invalidate_all()
        self.assertEqual(ticket.received_date, MONDAY)
        self.assertEqual(ticket.date_deadline.date().isoformat(), "2026-11-30")

    def test_staff_cannot_date_a_web_form_complaint(self):
        ticket = self.phone_complaint(self.web_form)
        before = ticket.received_date
        message = self.date(self.staff, ticket, "2026-11-23 03:00:00", AccessError)
        self.assertIn("“Received on”", message)
        self.env.invalidate_all()
        self.assertEqual(ticket.received_date, before)

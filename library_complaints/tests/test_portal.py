import json
from datetime import datetime

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import LibraryComplaintsCase


@tagged("post_install", "-at_install")
class TestComplaintPortal(LibraryComplaintsCase, HttpCase):
    """A logged-in patron complains through helpdesk_mgmt's portal and follows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk.user_ids = [(4, cls.staff.id)]
        cls.media_lab = cls.env["helpdesk.ticket.team"].create(
            {"name": "Media Lab", "show_in_portal": True}
        )
        cls.media_service = cls.env["library.complaint.service"].create(
            {
                "name": "Media production",
                "division_id": cls.env.ref("library_complaints.division_technology").id,
                "team_id": cls.media_lab.id,
            }
        )
        cls.unassigned_service = cls.env["library.complaint.service"].create(
            {
                "name": "Exhibitions",
                "division_id": cls.env.ref("library_complaints.division_library").id,
            }
        )
        cls.channel_portal = cls.env.ref("library_complaints.channel_portal")
        cls.ack_template = cls.env.ref("library_complaints.mail_template_complaint_acknowledgement")

    # ------------------------------------------------------------------
    # Helpers

    def _submit(self, title, **values):
        return self.submit_portal_form(subject=title, **values)

    def _find(self, title):
        return self.env["helpdesk.ticket"].search([("name", "=", title)])

    def _create_complaint(self, title, partner, **values):
        return self.create_complaint(
            name=title,
            description="<p>Seen from the portal.</p>",
            partner_id=partner.id,
            team_id=self.desk.id,
            service_id=self.service.id,
            **values,
        )

    def _mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    # ------------------------------------------------------------------
    # The form

    def test_form_offers_active_services_and_choices(self):
        self.authenticate_as(self.patron)
        resp = self.url_open("/new/ticket")
        self.assertEqual(resp.status_code, 200)
        self.assertIn('name="service"', resp.text)
        self.assertIn(self.service.name, resp.text)
        self.assertIn(self.media_service.name, resp.text)
        self.assertNotIn(self.closed_service.name, resp.text)
        for name in ("location", "date_observed", "is_anonymous", "is_confidential"):
            self.assertIn(f'name="{name}"', resp.text)

    def test_submit_complaint(self):
        self.authenticate_as(self.patron)
        resp = self._submit(
            "Lights flicker in the reading room",
            location="Reading room, 2nd floor",
            date_observed="2026-01-05T09:30",
        )
        self.assertEqual(resp.status_code, 200)
        complaint = self._find("Lights flicker in the reading room")
        self.assertEqual(len(complaint), 1)
        self.assertTrue(resp.url.endswith(f"/my/ticket/{complaint.id}"))
        self.assertEqual(complaint.service_id, self.service)
        self.assertEqual(complaint.location, "Reading room, 2nd floor")
        # 09:30 in Bangkok, the patron's time zone, is 02:30 UTC
        self.assertEqual(complaint.date_observed, datetime(2026, 1, 5, 2, 30))
        self.assertEqual(complaint.channel_id, self.channel_portal)
        self.assertEqual(complaint.partner_id, self.patron.partner_id)
        self.assertEqual(complaint.team_id, self.service.team_id)
        self.assertEqual(complaint.stage_id, self.env.ref("library_complaints.stage_triage"))
        self.assertFalse(complaint.is_anonymous)
        self.assertFalse(complaint.is_confidential)
        self.assertIn(self.patron.partner_id, complaint.message_partner_ids)

        mail = self._mails_to(self.patron.partner_id)
        self.assertEqual(len(mail), 1, "the known complainant is acknowledged at once")
        subject = self.ack_template._render_field("subject", complaint.ids)[complaint.id]
        self.assertEqual(mail.subject, subject)
        self.assertIn(complaint.tracking_code, mail.body_html)

    def test_team_comes_from_the_service(self):
        self.authenticate_as(self.patron)
        self._submit("Green screen is torn", service=self.media_service.id)
        self.assertEqual(self._find("Green screen is torn").team_id, self.media_lab)
        self._submit("Exhibition labels are wrong", service=self.unassigned_service.id)
        self.assertEqual(self._find("Exhibition labels are wrong").team_id, self.desk)

    def test_invalid_form_is_refused_and_nothing_stored(self):
        self.authenticate_as(self.patron)
        cases = [
            ("service", "", "Choose the service"),
            ("service", self.closed_service.id, "Choose the service"),
            ("service", "books", "Choose the service"),
            ("location", "x" * 201, "Location must be at most 200 characters long."),
            ("date_observed", "yesterday", "not a valid date"),
            ("date_observed", "2999-01-01T10:00", "in the future"),
        ]
        for field, value, error in cases:
            with self.subTest(field=field, value=value):
                resp = self._submit("Refused complaint", **{field: value})
                self.assertEqual(resp.status_code, 400)
                self.assertIn(error, resp.text)
                self.assertIn("Refused complaint", resp.text, "the form keeps what was typed")
                self.assertFalse(self._find("Refused complaint"))
        resp = self._submit("x" * 201)
        self.assertEqual(resp.status_code, 400)
        self.assertIn("Title must be at most 200 characters long.", resp.text)
        self.assertFalse(self._find("x" * 201))
        self.assertFalse(self._mails_to(self.patron.partner_id))

    # ------------------------------------------------------------------
    # Anonymous and confidential

    def test_anonymous_complaint_stores_no_identity(self):
        self.authenticate_as(self.patron)
        resp = self._submit(
            "Staff at the counter were rude",
            is_anonymous="1",
            is_confidential="1",
            files=[("evidence.txt", b"what they said", "text/plain")],
        )
        self.assertEqual(resp.status_code, 200)
        complaint = self._find("Staff at the counter were rude")
        self.assertEqual(len(complaint), 1)
        self.assertTrue(complaint.is_anonymous)
        self.assertFalse(complaint.is_confidential)
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.partner_name)
        self.assertFalse(complaint.partner_email)
        self.assertEqual(complaint.create_uid, self.env.ref("base.user_root"))
        self.assertEqual(complaint.channel_id, self.channel_portal)
        self.assertEqual(complaint.service_id, self.service)
        self.assertNotIn(self.patron.partner_id, complaint.message_partner_ids)
        self.assertNotIn(self.patron.partner_id, complaint.message_ids.author_id)
        self.assertEqual(complaint.attachment_ids.mapped("name"), ["evidence.txt"])
        self.assertEqual(complaint.attachment_ids.create_uid, self.env.ref("base.user_root"))
        self.assertFalse(self._mails_to(self.patron.partner_id))

        # The patron is shown the tracking code and where to follow the complaint.
        self.assertTrue(resp.url.endswith("/new/ticket/anonymous"))
        self.assertIn(complaint.tracking_code, resp.text)
        self.assertIn(f"/complaint/status?code={complaint.tracking_code}", resp.text)
        # ... once: the session keeps no link to the complaint.
        resp = self.url_open("/new/ticket/anonymous", allow_redirects=False)
        self.assertEqual(resp.status_code, 303)
        self.assertTrue(resp.headers["Location"].endswith("/my/tickets"))

        resp = self.url_open("/my/tickets")
        self.assertEqual(resp.status_code, 200)
        self.assertNotIn("Staff at the counter were rude", resp.text)
        resp = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertNotIn("Staff at the counter were rude", resp.text)

    def test_confidential_complaint_hides_the_patron_from_staff(self):
        self.authenticate_as(self.patron)
        resp = self._submit("Noise from the staff room", is_confidential="1")
        complaint = self._find("Noise from the staff room")
        self.assertTrue(resp.url.endswith(f"/my/ticket/{complaint.id}"))
        self.assertTrue(complaint.is_confidential)
        self.assertFalse(complaint.is_anonymous)
        self.assertFalse(complaint.partner_id)
        self.assertEqual(complaint.confidential_identity_ids.partner_id, self.patron.partner_id)
        self.assertNotIn(self.patron.partner_id, complaint.message_partner_ids)
        self.assertEqual(len(self._mails_to(self.patron.partner_id)), 1)

        resp = self.url_open("/my/tickets")
        self.assertIn("Noise from the staff room", resp.text)

        identity = ["partner_id", "partner_name", "partner_email"]
        as_staff = complaint.with_user(self.staff)
        for values in (as_staff.read(identity)[0], as_staff.web_read({f: {} for f in identity})[0]):
            self.assertFalse(values["partner_id"])
            self.assertFalse(values["partner_name"])
            self.assertFalse(values["partner_email"])
        identity = complaint.with_user(self.manager).confidential_identity_ids
        self.assertEqual(identity.partner_id, self.patron.partner_id)

    # ------------------------------------------------------------------
    # Following complaints

    def test_list_and_page_show_status_track_service_and_outcome(self):
        closed = self._create_complaint(
            "Book drop was full",
            self.patron.partner_id,
            track_id=self.track_2.id,
            resolution="<p>We now empty the book drop twice a day.</p>",
        )
        while closed.approval_state == "to_approve":  # the heads decide before it closes
            closed.with_user(closed.approver_id).action_approve()
        closed.stage_id = self.done
        open_complaint = self._create_complaint(
            "Catalogue search is slow",
            self.patron.partner_id,
            resolution="<p>Draft answer not yet published.</p>",
        )
        self.authenticate_as(self.patron)

        # the list and the closed complaint's page: its track, service and outcome
        closed_shows = (self.track_2.name, self.service.name, "We now empty the book drop")
        resp = self.url_open("/my/tickets")
        self.assertEqual(resp.status_code, 200)
        for text in ("Book drop was full", "Catalogue search is slow", self.done.name):
            self.assertIn(text, resp.text)
        for text in closed_shows:
            self.assertIn(text, resp.text)
        self.assertNotIn("Draft answer not yet published.", resp.text)

        resp = self.url_open(f"/my/ticket/{closed.id}")
        self.assertEqual(resp.status_code, 200)
        for text in (*closed_shows, 'id="complaint_survey_link"'):
            self.assertIn(text, resp.text)

        resp = self.url_open(f"/my/ticket/{open_complaint.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertNotIn("Severity track", resp.text, "no track before triage")
        self.assertNotIn("Draft answer not yet published.", resp.text)

    def test_portal_shows_working_days_left_or_overdue(self):
        on_time = self._create_complaint(
            "Wi-Fi drops in the reading room", self.patron.partner_id, track_id=self.track_2.id
        )
        late = self._create_complaint(
            "Returned book still on my account", self.patron.partner_id, track_id=self.track_3.id
        )
        late.sudo().write({"received_date": "2026-01-05 02:00:00"})
        self.authenticate_as(self.patron)
        resp = self.url_open(f"/my/ticket/{on_time.id}")
        self.assertRegex(resp.text, rf"Working days left:\s*{on_time.remaining_working_days}\b")
        self.assertNotIn("text-bg-danger", resp.text)
        resp = self.url_open(f"/my/ticket/{late.id}")
        self.assertIn("Overdue", resp.text)
        resp = self.url_open("/my/tickets")
        self.assertIn("Overdue", resp.text)
        self.assertIn("Working days left:", resp.text)
        self.authenticate(None, None)
        resp = self.url_open(f"/complaint/status?code={late.tracking_code}")
        self.assertIn("Overdue", resp.text)

    def test_other_patrons_complaint_is_out_of_reach(self):
        complaint = self._create_complaint("My locker was broken into", self.patron.partner_id)
        self.authenticate_as(self.other_patron)

        resp = self.url_open("/my/tickets")
        self.assertEqual(resp.status_code, 200)
        self.assertNotIn("My locker was broken into", resp.text)

        resp = self.url_open(f"/my/ticket/{complaint.id}", allow_redirects=False)
        # helpdesk_mgmt, like Odoo's other portals, sends the intruder back to /my.
        if resp.is_redirect:
            self.assertTrue(resp.headers["Location"].endswith("/my"))
        else:
            self.assertIn(resp.status_code, (403, 404))
        self.assertNotIn("My locker was broken into", resp.text)

        resp = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": complaint.id,
                "stage_id": self.done.id,
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertEqual(resp.status_code, 404)
        self.assertNotEqual(complaint.stage_id, self.done)

    def test_internal_notes_stay_internal(self):
        complaint = self._create_complaint("Printer eats coins", self.patron.partner_id)
        complaint.message_post(
            body="INTERNAL: the patron complained last week too",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        complaint.message_post(
            body="We are repairing the printer.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.authenticate_as(self.patron)

        resp = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertIn("Printer eats coins", resp.text)
        self.assertNotIn("INTERNAL: the patron complained", resp.text)

        # The portal chatter loads its messages from this route.
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "helpdesk.ticket", "thread_id": complaint.id},
        )
        messages = json.dumps(result)
        self.assertIn("We are repairing the printer.", messages)
        self.assertNotIn("INTERNAL: the patron complained", messages)

import hashlib
import re
from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CSRF_RE, PNG, LibraryComplaintsCase

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TEXT = b"The printer on the second floor has been out of paper since Monday.\n"
MB = 1024 * 1024
SCRIPT = "<script>alert('pwned')</script>"
CODE_RE = re.compile(r'o_complaint_tracking_code">([A-Z2-9]{5}-[A-Z2-9]{5})<')


@tagged("post_install", "-at_install")
class TestAnonymousForm(LibraryComplaintsCase, HttpCase):
    """The public complaint form and the tracking-code status page, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["helpdesk.ticket.team"].create({"name": "Media Desk"})
        cls.media_service = cls.env.ref("library_complaints.service_learning_media")
        cls.media_service.team_id = cls.other_team
        cls.web_form = cls.env.ref("library_complaints.channel_web_form")
        cls.public_user = cls.env.ref("base.public_user")

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # a visitor: no sign-in

    def _ticket_from_page(self, response):
        code = CODE_RE.search(response.text).group(1)
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].sudo().search([("tracking_code", "=", code)])

    # ------------------------------------------------------------------
    # The form

    def test_form_is_public_and_lists_active_services(self):
        response = self.url_open("/complaint")
        self.assertEqual(response.status_code, 200)
        self.assertIn('action="/complaint/submit"', response.text)
        self.assertRegex(response.text, CSRF_RE)
        self.assertIn('name="website_url"', response.text)
        self.assertIn(self.service.name, response.text)
        self.assertIn(self.media_service.name, response.text)
        self.assertNotIn("Closed service", response.text)

    def test_form_leads_to_a_complaint_in_ones_name(self):
        """A visitor is asked to sign in; a signed-in patron is not: the link goes
        straight to the portal form, where the complaint is sent in their name."""
        page = self.url_open("/complaint").text
        self.assertIn('href="/web/login?redirect=/new/ticket"', page)
        self.authenticate_as(self.patron)
        page = self.url_open("/complaint").text
        self.assertIn('href="/new/ticket"', page)
        self.assertNotIn("/web/login?redirect=/new/ticket", page)

    def test_submission_stores_one_anonymous_complaint_with_its_files(self):
        before_tickets, before_files = self.count_stored()
        observed = date.today() - timedelta(days=1)
        response = self.submit_public_form(
            files=[("photo.png", PNG, "image/png"), ("receipt.pdf", PDF, "application/pdf")],
            date_observed=fields.Date.to_string(observed),
        )
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertEqual(self.count_stored(), (before_tickets + 1, before_files + 2))
        ticket = self._ticket_from_page(response)
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.is_anonymous)
        self.assertFalse(ticket.partner_id)
        self.assertFalse(ticket.partner_name)
        self.assertFalse(ticket.partner_email)
        self.assertEqual(ticket.create_uid, self.root, "created by the system")
        self.assertNotEqual(ticket.create_uid, self.public_user)
        self.assertNotIn(self.public_user.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.channel_id, self.web_form)
        self.assertEqual(ticket.service_id, self.service)
        self.assertEqual(ticket.team_id, self.desk)
        self.assertEqual(ticket.name, "The printer on floor 2 is out of paper")
        self.assertEqual(ticket.location, "Floor 2, near the lifts")
        self.assertIn(
            "Nobody refilled it since Monday.<br>Please check it daily.", ticket.description
        )
        self.assertEqual(ticket.stage_id, self.env.ref("library_complaints.stage_triage"))
        # the day observed, at midnight where the library is (the complaint calendar)
        calendar = self.env.company._get_complaint_calendar()
        observed_at = calendar._get_local_datetime(ticket.date_observed)
        self.assertEqual((observed_at.date(), observed_at.hour), (observed, 0))
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["photo.png", "receipt.pdf"])
        self.assertEqual(attachments.filtered(lambda a: a.name == "photo.png").raw, PNG)
        # the success page: the code, where to follow it, and when the office acts
        self.assertIn(ticket.tracking_code, response.text)
        self.assertIn(f"/complaint/status?code={ticket.tracking_code}", response.text)
        self.assertIn("within one official\n", response.text)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        # no trace of the sender on the complaint: only a salted hash, elsewhere
        self.assertNotIn("127.0.0.1", str(ticket.read()[0]))
        counter = self.env["library.complaint.rate.limit"].sudo().search([])
        self.assertEqual(len(counter), 1)
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        expected_hash = hashlib.sha256(f"{secret}:127.0.0.1".encode()).hexdigest()
        self.assertEqual(counter.ip_hash, expected_hash)

    def test_service_sends_the_complaint_to_its_work_group(self):
        response = self.submit_public_form(service_id=str(self.media_service.id))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._ticket_from_page(response).team_id, self.other_team)

    def test_script_is_stored_and_shown_escaped(self):
        response = self.submit_public_form(
            name=f"Broken {SCRIPT}", description=SCRIPT, location=SCRIPT
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(SCRIPT, response.text)
        ticket = self._ticket_from_page(response)
        self.assertNotIn("<script", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        self.assertEqual(ticket.name, f"Broken {SCRIPT}", "a char field, stored as typed")
        status = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertEqual(status.status_code, 200)
        self.assertNotIn("<script>alert", status.text)
        self.assertIn("&lt;script&gt;alert", status.text)

    # ------------------------------------------------------------------
    # Bad input: the form again, with the values and the errors, and nothing stored

    def test_missing_required_fields_are_refused(self):
        before = self.count_stored()
        response = self.submit_public_form(
            name="  ", description="", service_id="", location="Hall"
        )
        self.assertRefused(response, before, "Title is required.")
        self.assertIn("Description is required.", response.text)
        self.assertIn("Choose the service your complaint is about.", response.text)
        self.assertIn('value="Hall"', response.text, "the entered values are kept")

    def test_oversize_text_is_refused(self):
        before = self.count_stored()
        response = self.submit_public_form(name="x" * 201, description="long text " * 501)
        self.assertRefused(response, before, "Title must be at most 200 characters long.")
        self.assertIn("Description must be at most 5000 characters long.", response.text)
        response = self.submit_public_form(location="y" * 201)
        self.assertRefused(response, before, "Location must be at most 200 characters long.")

    def test_inactive_or_unknown_service_is_refused(self):
        before = self.count_stored()
        for service_id in (str(self.closed_service.id), "999999", "abc"):
            response = self.submit_public_form(service_id=service_id)
            self.assertRefused(response, before, "Choose the service")

    def test_bad_observation_date_is_refused(self):
        before = self.count_stored()
        tomorrow = fields.Date.to_string(date.today() + timedelta(days=2))
        response = self.submit_public_form(date_observed=tomorrow)
        self.assertRefused(response, before, "cannot be in the future")
        response = self.submit_public_form(date_observed="31/12/2025")
        self.assertRefused(response, before, "is not a valid date")

    def test_too_many_files_are_refused(self):
        before = self.count_stored()
        files = [(f"note{i}.txt", TEXT, "text/plain") for i in range(6)]
        response = self.submit_public_form(files=files)
        self.assertRefused(response, before, "Attach at most 5 files.")

    def test_too_large_files_are_refused(self):
        before = self.count_stored()
        big = TEXT * (5 * MB // len(TEXT) + 1)
        response = self.submit_public_form(files=[("big.txt", big, "text/plain")])
        self.assertRefused(response, before, "big.txt is larger than 5 MB.")
        part = TEXT * (4 * MB // len(TEXT))
        files = [(f"part{i}.txt", part, "text/plain") for i in range(3)]
        response = self.submit_public_form(files=files)
        self.assertRefused(response, before, "at most 10 MB together")

    def test_forbidden_file_types_are_refused(self):
        before = self.count_stored()
        cases = [
            ("tool.exe", b"MZ\x90\x00\x03", "only images (PNG, JPEG, GIF, WebP), PDF"),
            ("page.html", b"<html></html>", "only images (PNG, JPEG, GIF, WebP), PDF"),
            ("noextension", TEXT, "only images (PNG, JPEG, GIF, WebP), PDF"),
            # the name says image, the content says PDF
            ("photo.png", PDF, "photo.png: its content is not what its name says."),
            # the name says text, the content is a web page
            ("notes.txt", f"<html><body>{SCRIPT}</body></html>".encode(), "notes.txt: its content"),
            ("empty.pdf", b"", "empty.pdf is empty."),
        ]
        for filename, content, message in cases:
            with self.subTest(filename=filename):
                response = self.submit_public_form(
                    files=[(filename, content, "application/octet-stream")]
                )
                self.assertRefused(response, before, message)

    def test_filled_honeypot_is_refused(self):
        before = self.count_stored()
        response = self.submit_public_form(website_url="https://spam.example.com")
        self.assertRefused(response, before, "Your complaint could not be sent.")

    def test_missing_or_forged_csrf_token_is_refused(self):
        before = self.count_stored()
        data = self.public_form_values()
        del data["csrf_token"]
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open("/complaint/submit", data=data)
        self.assertRefused(response, before, "Session expired (invalid CSRF token)")
        data["csrf_token"] = "0" * 40 + "o9999999999"
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open("/complaint/submit", data=data)
        self.assertRefused(response, before, "Session expired (invalid CSRF token)")

    def test_failure_while_storing_stores_nothing(self):
        before = self.count_stored()
        counters = self.env["library.complaint.rate.limit"].sudo().search_count([])
        failing = patch.object(
            self.registry["ir.attachment"], "create", side_effect=ValueError("disk full")
        )
        with failing, mute_logger("odoo.http"):
            response = self.submit_public_form(files=[("photo.png", PNG, "image/png")])
        self.assertEqual(response.status_code, 500)
        self.assertEqual(self.count_stored(), before, "the complaint went with its files")
        self.assertEqual(self.env["library.complaint.rate.limit"].sudo().search_count([]), counters)

    # ------------------------------------------------------------------
    # Rate limit

    def test_rate_limit_per_sender_and_hour(self):
        self.env["ir.config_parameter"].sudo().set_param("library_complaints.form_rate_limit", 2)
        tickets, files = self.count_stored()
        for _i in range(2):
            self.assertEqual(self.submit_public_form().status_code, 200)
        response = self.submit_public_form()
        self.assertRefused(response, (tickets + 2, files), "Too many complaints", status=429)
        # an hour later the sender may complain again
        self.env["library.complaint.rate.limit"].sudo().search([]).write(
            {"submitted_at": fields.Datetime.now() - timedelta(hours=1, minutes=1)}
        )
        self.assertEqual(self.submit_public_form().status_code, 200)

    def test_cron_purges_old_counters(self):
        counters = self.env["library.complaint.rate.limit"].sudo()
        old = counters.create(
            {"ip_hash": "a" * 64, "submitted_at": fields.Datetime.now() - timedelta(hours=2)}
        )
        recent = counters.create({"ip_hash": "b" * 64})
        self.env.ref("library_complaints.ir_cron_purge_rate_limits").method_direct_trigger()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_only_administrators_read_the_counters(self):
        self.env["library.complaint.rate.limit"].sudo().create({"ip_hash": "c" * 64})
        with self.assertRaises(AccessError):
            self.env["library.complaint.rate.limit"].with_user(self.manager).search([])
        with self.assertRaises(AccessError):
            self.env["library.complaint.rate.limit"].with_user(self.public_user).search([])
        admin = self.env.ref("base.user_admin")
        self.assertTrue(self.env["library.complaint.rate.limit"].with_user(admin).search([]))

    # ------------------------------------------------------------------
    # Status page

    def test_status_page_shows_the_public_status_only(self):
        partner = self.env["res.partner"].create(
            {"name": "Somchai Secret", "email": "somchai.secret@example.com"}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Noisy study room",
                "description": "<p>Private details of the complaint</p>",
                "partner_id": partner.id,
                "team_id": self.desk.id,
                "service_id": self.service.id,
                "track_id": self.env.ref("library_complaints.track_3_satisfaction").id,
                "user_id": self.staff.id,
                "location": "Room 301",
            }
        )
        ticket.resolution = "<p>Quiet signs were put up.</p>"
        response = self.url_open(f"/complaint/status?code={ticket.tracking_code.lower()}")
        self.assertEqual(response.status_code, 200)
        for shown in (ticket.number, "Noisy study room", "To Triage", self.service.name):
            self.assertIn(shown, response.text)
        self.assertIn(ticket.track_id.name, response.text)
        for hidden in (
            "Somchai Secret",
            "somchai.secret@example.com",
            self.staff.name,
            "Private details",
            "Room 301",
            "Quiet signs",  # not published while the complaint is open
        ):
            self.assertNotIn(hidden, response.text)
        # closed: the outcome is published
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        response = self.url_open(
            "/complaint/status",
            data={
                "code": f"  {ticket.tracking_code}  ",
                "csrf_token": self.csrf_token_of("/complaint"),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Quiet signs were put up.", response.text)
        self.assertIn(ticket.stage_id.name, response.text)
        self.assertNotIn("Somchai Secret", response.text)

    def test_status_page_without_code_is_a_form(self):
        response = self.url_open("/complaint/status")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="code"', response.text)
        self.assertRegex(response.text, CSRF_RE)

    def test_unknown_code_is_not_found(self):
        response = self.url_open("/complaint/status?code=ABCDE-FGH23")
        self.assertEqual(response.status_code, 404)
        self.assertIn("No complaint has this tracking code", response.text)

    def test_malformed_code_is_refused(self):
        for code in ("", "ABCDE", "ABCDE-FGH2", "ABCDE-FGH01", "ABCDE_FGH23", "' OR 1=1 --"):
            with self.subTest(code=code):
                response = self.url_open("/complaint/status", params={"code": code})
                self.assertEqual(response.status_code, 400)
                self.assertIn("This is not a tracking code", response.text)

    def test_status_post_needs_csrf_token(self):
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open("/complaint/status", data={"code": "ABCDE-FGH23"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Session expired (invalid CSRF token)", response.text)

    # ------------------------------------------------------------------
    # Ways in

    def test_footer_links_to_the_form(self):
        response = self.url_open("/")
        self.assertEqual(response.status_code, 200)
        self.assertIn('<a href="/complaint">Complain anonymously</a>', response.text)

    def test_portal_home_links_to_the_form(self):
        self.authenticate_as(self.patron)
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="/complaint" title="Complain anonymously"', response.text)

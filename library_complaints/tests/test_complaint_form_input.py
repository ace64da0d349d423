"""Both complaint forms as a person meets them (the rendered page), one validator
behind them, and bad input answered with a clear 4xx that stores nothing."""

from lxml import html

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PNG, LibraryComplaintsCase

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
TOO_BIG_ID = "99999999999999999999"


def form_controls(page, form_action):
    """The form's visible controls and its labels, from the rendered page."""
    tree = html.fromstring(page)
    form = tree.xpath(f"//form[@action='{form_action}']")[0]
    controls = [
        el
        for el in form.xpath(".//input|.//select|.//textarea")
        if el.get("type") not in ("hidden", "submit") and el.get("name") != "website_url"
    ]
    labels = {label.get("for"): label for label in form.xpath(".//label[@for]")}
    return form, controls, labels


@tagged("post_install", "-at_install")
class TestComplaintFormInput(LibraryComplaintsCase, HttpCase):
    """The public form (as a visitor) and the portal form (as the patron)."""

    # ------------------------------------------------------------------
    # The rendered forms

    def _check_labels(self, page, action):
        form, controls, labels = form_controls(page, action)
        for control in controls:
            with self.subTest(control=control.get("name")):
                self.assertTrue(control.get("id"), "every control has an id")
                self.assertIn(control.get("id"), labels, "and a label for it")
        return form, controls, labels

    def test_public_form_has_a_description_box_and_labels(self):
        response = self.url_open("/complaint")
        form, controls, labels = self._check_labels(response.text, "/complaint/submit")
        names = {control.get("name") for control in controls}
        self.assertLessEqual(
            {"name", "service_id", "description", "location", "date_observed", "attachments"},
            names,
        )
        textarea = form.xpath(".//textarea[@name='description']")[0]
        self.assertEqual(labels[textarea.get("id")].text_content().split()[0], "Description")

    def test_public_form_error_keeps_the_description(self):
        before = self.count_stored()
        response = self.submit_public_form(name="", description="Line one\nLine <two>")
        self.assertRefused(response, before, "Title is required.")
        form, __, __ = form_controls(response.text, "/complaint/submit")
        textarea = form.xpath(".//textarea[@name='description']")[0]
        self.assertEqual(textarea.text_content().strip(), "Line one\nLine <two>")

    def test_portal_form_has_a_description_box_and_labels(self):
        self.authenticate_as(self.patron)
        response = self.url_open("/new/ticket")
        self.assertEqual(response.status_code, 200)
        form, controls, labels = self._check_labels(response.text, "/submitted/ticket")
        names = {control.get("name") for control in controls}
        self.assertLessEqual(
            {"subject", "service", "description", "location", "date_observed", "attachment"},
            names,
        )
        # each label sits with its own control, in the same group
        for control in controls:
            label = labels[control.get("id")]
            group = control.xpath("ancestor::div[contains(@class, 'form-group')][1]")[0]
            self.assertIn(label, group.iter(), f"the label of {control.get('name')}")
        subject = form.xpath(".//input[@name='subject']")[0]
        self.assertNotIn("Service", labels[subject.get("id")].text_content())
        self.assertTrue(form.xpath(".//textarea[@name='description'][@maxlength='5000']"))

    def test_portal_missing_description_shows_the_box_again(self):
        self.authenticate_as(self.patron)
        before = self.count_stored()
        response = self.submit_portal_form(subject="Kept title", description="  ")
        self.assertRefused(response, before, "Description is required.")
        form, __, __ = form_controls(response.text, "/submitted/ticket")
        self.assertTrue(form.xpath(".//textarea[@name='description']"))
        self.assertEqual(form.xpath(".//input[@name='subject']")[0].get("value"), "Kept title")
        # and with a description typed, the box keeps it
        response = self.submit_portal_form(subject="", description="Keep me")
        self.assertRefused(response, before, "Title is required.")
        form, __, __ = form_controls(response.text, "/submitted/ticket")
        self.assertEqual(form.xpath(".//textarea[@name='description']")[0].text, "Keep me")

    # ------------------------------------------------------------------
    # One validator

    def test_one_validator_for_both_forms(self):
        checker = self.env["library.complaint.form"]
        with self.assertRaises(ValidationError) as caught:
            checker._check_complaint(
                {"name": "A\x00", "description": "", "service_id": "abc"},
                [("x.pdf", EXE)],
            )
        message = caught.exception.args[0]
        self.assertIn("Title contains characters that are not allowed.", message)
        self.assertIn("Description is required.", message)
        self.assertIn("Choose the service your complaint is about.", message)
        self.assertIn("x.pdf: its content is not what its name says.", message)
        vals, attachments = checker._check_complaint(
            {
                "name": "  A   title ",
                "description": "Line\r\nnext\ttab",
                "service_id": str(self.service.id),
                "location": " Hall ",
                "date_observed": "2026-01-05T09:30",
            },
            [("C:\\photos\\p.png", PNG)],
        )
        self.assertEqual(vals["name"], "A title")
        self.assertEqual(vals["service_id"], self.service.id)
        self.assertEqual(vals["location"], "Hall")
        self.assertEqual(vals["date_observed"], fields.Datetime.to_datetime("2026-01-05 02:30"))
        self.assertEqual(attachments, [{"name": "p.png", "raw": PNG}])

    def test_portal_uploads_are_checked_on_every_path(self):
        """An .exe renamed .pdf: refused on the normal, anonymous and confidential path."""
        self.authenticate_as(self.patron)
        before = self.count_stored()
        for choice in ({}, {"is_anonymous": "1"}, {"is_confidential": "1"}):
            with self.subTest(**choice):
                response = self.submit_portal_form(
                    files=[("report.pdf", EXE, "application/pdf")], **choice
                )
                self.assertRefused(
                    response, before, "report.pdf: its content is not what its name says."
                )
                files = [(f"n{i}.png", PNG, "image/png") for i in range(6)]
                response = self.submit_portal_form(files=files, **choice)
                self.assertRefused(response, before, "Attach at most 5 files.")
        # an accepted file is stored with the complaint on each path
        for choice in ({}, {"is_anonymous": "1"}, {"is_confidential": "1"}):
            title = f"With a photo {sorted(choice)}"
            response = self.submit_portal_form(
                files=[("photo.png", PNG, "image/png")], subject=title, **choice
            )
            self.assertEqual(response.status_code, 200, response.text[:2000])
            ticket = self.env["helpdesk.ticket"].sudo().search([("name", "=", title)])
            self.assertEqual(ticket.attachment_ids.mapped("name"), ["photo.png"])

    # ------------------------------------------------------------------
    # Bad input: 4xx, never 500, nothing stored

    def test_nul_byte_in_public_fields(self):
        before = self.count_stored()
        for field in ("name", "description", "location", "date_observed", "service_id"):
            with self.subTest(field=field), mute_logger("odoo.http", "odoo.sql_db"):
                response = self.submit_public_form(**{field: "Broken\x00 value"})
                self.assertRefused(response, before)
        # werkzeug cuts a file name at its NUL byte; the check refuses what gets through
        with mute_logger("odoo.http", "odoo.sql_db"):
            response = self.submit_public_form(files=[("a\x00.png", PNG, "image/png")])
        self.assertIn(response.status_code, (200, 400))
        __, errors = self.env["library.complaint.form"]._check_files([("a\x00\x1b.png", PNG)])
        self.assertEqual(
            errors, ["a??.png: the file name contains characters that are not allowed."]
        )

    def test_nul_byte_in_portal_fields(self):
        self.authenticate_as(self.patron)
        before = self.count_stored()
        for choice in ({}, {"is_anonymous": "1"}, {"is_confidential": "1"}):
            for field in ("subject", "description", "location", "date_observed", "service"):
                with self.subTest(field=field, **choice), mute_logger("odoo.http", "odoo.sql_db"):
                    response = self.submit_portal_form(**{field: "Broken\x00 value"}, **choice)
                    self.assertRefused(response, before)

    def test_huge_values_are_refused(self):
        before = self.count_stored()
        huge = "x" * 600_000
        for field in ("name", "description", "location", "date_observed", "service_id"):
            with mute_logger("odoo.http"):
                response = self.submit_public_form(**{field: huge})
            self.assertIn(response.status_code, (400, 413), field)
            self.assertEqual(self.count_stored(), before)
        self.authenticate_as(self.patron)
        for field in ("subject", "description", "location", "date_observed", "service"):
            with mute_logger("odoo.http"):
                response = self.submit_portal_form(**{field: huge})
            self.assertIn(response.status_code, (400, 413), field)
            self.assertEqual(self.count_stored(), before)

    def test_bad_numbers_in_portal_form(self):
        self.authenticate_as(self.patron)
        before = self.count_stored()
        cases = [
            {"category": "abc"},
            {"category": TOO_BIG_ID},
            {"team": "abc"},
            {"service": TOO_BIG_ID},
            {"service": "-1"},
        ]
        for values in cases:
            with self.subTest(**values), mute_logger("odoo.http", "odoo.sql_db"):
                self.assertRefused(self.submit_portal_form(**values), before)

    def test_portal_form_is_sent_by_post_only(self):
        """A GET is not checked for CSRF: another site could file complaints as the patron."""
        self.authenticate_as(self.patron)
        before = self.count_stored()
        params = {"subject": "Forged", "description": "Forged", "service": self.service.id}
        with mute_logger("odoo.http"):
            response = self.url_open("/submitted/ticket", params=params, allow_redirects=False)
        self.assertRefused(response, before, status=405)

    def test_bad_numbers_in_public_form(self):
        before = self.count_stored()
        for service_id in (TOO_BIG_ID, "-5", "1.5", "0x10"):
            with self.subTest(service_id=service_id), mute_logger("odoo.http", "odoo.sql_db"):
                response = self.submit_public_form(service_id=service_id)
                self.assertRefused(response, before, "Choose the service")

    def test_bad_values_when_closing_a_ticket(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": "Closing with bad values",
                    "description": "<p>x</p>",
                    "partner_id": self.patron.partner_id.id,
                    "service_id": self.service.id,
                }
            )
        )
        stage = ticket.stage_id
        self.authenticate_as(self.patron)
        for params in (
            {"ticket_id": ticket.id, "stage_id": "abc"},
            {"ticket_id": ticket.id, "stage_id": self.done.id, "team_id": "abc"},
            {"ticket_id": ticket.id, "stage_id": TOO_BIG_ID},
            {"ticket_id": "abc", "stage_id": self.done.id},
            {"ticket_id": f"{ticket.id}\x00", "stage_id": self.done.id},
        ):
            with self.subTest(**params), mute_logger("odoo.http", "odoo.sql_db"):
                response = self.url_open(
                    "/ticket/close",
                    data=dict(params, csrf_token=http.Request.csrf_token(self)),
                    allow_redirects=False,
                )
                self.assertIn(response.status_code, (400, 404), response.text[:2000])
                self.env.invalidate_all()
                self.assertEqual(ticket.stage_id, stage)

    def test_bad_values_on_the_status_page(self):
        for code in ("ABCDE-FGH23\x00", "\x00", "A" * 4000):
            with self.subTest(code=code[:20]), mute_logger("odoo.http", "odoo.sql_db"):
                response = self.url_open("/complaint/status", params={"code": code})
                self.assertEqual(response.status_code, 400, response.text[:2000])
                self.assertIn("This is not a tracking code", response.text)

    # ------------------------------------------------------------------
    # Throttled status lookups

    def test_status_lookups_are_throttled_per_sender(self):
        self.env["ir.config_parameter"].sudo().set_param("library_complaints.status_rate_limit", 3)
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create({"name": "Known code", "description": "<p>x</p>", "is_anonymous": True})
        )
        found = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertEqual(found.status_code, 200, "a found code is not a failure")
        for __ in range(3):
            response = self.url_open("/complaint/status?code=ABCDE-FGH23")
            self.assertEqual(response.status_code, 404)
        response = self.url_open("/complaint/status?code=ABCDE-FGH24")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many tracking codes were tried", response.text)
        # blocked: even a right code waits for the hour to pass
        response = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("Known code", response.text)
        # the form's own count is separate
        self.assertEqual(self.submit_public_form().status_code, 200)
        # an hour later the sender may look up again
        self.env["library.complaint.rate.limit"].sudo().search([]).write(
            {"submitted_at": fields.Datetime.subtract(fields.Datetime.now(), hours=1, minutes=1)}
        )
        response = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Known code", response.text)

    def test_probe_other_routes(self):
        """Odd parameters on the public and portal pages: never a 500."""
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create({"name": "Probe", "description": "<p>x</p>", "is_anonymous": True})
        )
        self.authenticate_as(self.patron)
        urls = [
            "/my/tickets?sortby=abc",
            "/my/tickets?filterby=abc",
            "/my/tickets?groupby=abc",
            "/my/tickets?search_in=abc&search=x",
            "/my/tickets?search=%00",
            "/my/tickets?search_in=name&search=%00",
            "/my/tickets?date_begin=abc&date_end=abc",
            "/my/tickets?date_begin=%00&date_end=%00",
            "/my/tickets/page/99999999999",
            "/my/ticket/99999999999",
            f"/my/ticket/{ticket.id}/%00",
            f"/my/ticket/{ticket.id}?access_token=%00",
            "/new/ticket?category=abc&team=abc",
            "/new/ticket/anonymous",
            "/complaints/outcomes?service_id=abc",
            "/complaints/outcomes?service=abc",
            "/complaints/outcomes?service=99999999999",
            "/complaints/outcomes?service=%00",
            "/complaints/outcomes?page=abc",
            "/complaint?service_id=abc",
            "/complaint/status?code=%00",
            f"/complaint/survey/{ticket.id}/%00",
            "/complaint/survey/99999999999/abc",
            "/complaints/outcomes/99999999999",
            "/nonexistent%00",
            "/nonexistent",
            "/contactus?x=%00",
        ]
        failed = []
        for url in urls:
            with mute_logger("odoo.http", "odoo.sql_db"):
                response = self.url_open(url, allow_redirects=False)
            if response.status_code >= 500:
                failed.append(url)
        self.assertEqual(failed, [])

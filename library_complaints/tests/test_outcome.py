from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CSRF_RE, LibraryComplaintsCase

FOUND = "The Wi-Fi access point on floor 3 was failing"
DONE = "We replaced the access point"
PREVENTION = "Monthly checks of the access points"
NAME = "Somchai Patron"
EMAIL = "somchai@example.com"


@tagged("post_install", "-at_install")
class TestOutcomeNotices(LibraryComplaintsCase, HttpCase):
    """The owner publishes a resolved complaint's outcome on the channels its
    complainant calls for: directly when known, publicly when anonymous. The
    outcome is a record of its own (library.complaint.outcome), which the public
    pages read as the visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patron.partner_id.write({"name": NAME, "email": EMAIL})
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.mailing_list = cls.env["res.partner"].create(
            {"name": "Information service users", "email": "info-users@example.com"}
        )
        cls.service.outcome_audience_ids = cls.mailing_list
        Location = cls.env["library.complaint.notice.location"]
        cls.entrance = Location.create({"name": "Main entrance, 1st floor"})
        cls.cafe = Location.create({"name": "Library café"})
        cls.service.notice_location_id = cls.entrance
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.Outcome = cls.env["library.complaint.outcome"]
        cls.public_user = cls.env.ref("base.public_user")

    def resolved(self, **vals):
        values = {
            "name": "Wi-Fi drops on floor 3",
            "service_id": self.service.id,
            "track_id": self.track_3.id,
            "user_id": self.staff.id,
        }
        values.update(vals)
        ticket = self.create_complaint(**values)
        ticket.with_user(self.staff).write(
            {
                "stage_id": self.done_stage.id,
                "outcome_found": FOUND,
                "resolution": DONE,
                "outcome_prevention": PREVENTION,
            }
        )
        return ticket

    def publish(self, ticket, **vals):
        wizard = (
            self.env["library.complaint.outcome.wizard"]
            .with_user(self.staff)
            .with_context(default_ticket_id=ticket.id)
            .create(vals)
        )
        action = wizard.action_publish()
        self.flush_tracking()
        return wizard, action

    def test_the_outcome_is_a_record_of_its_own_with_its_notices(self):
        ticket = self.create_complaint(user_id=self.staff.id, is_anonymous=True)
        self.assertFalse(self.Outcome.search([("ticket_id", "=", ticket.id)]), "none yet")
        self.assertEqual(ticket.outcome_state, "draft")
        # The complaint's form writes the outcome: created once, then edited.
        ticket.with_user(self.staff).write({"stage_id": self.done_stage.id, "outcome_found": FOUND})
        ticket.with_user(self.staff).resolution = DONE
        outcome = self.Outcome.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(outcome), 1)
        self.assertEqual(ticket.outcome_id, outcome)
        self.assertEqual((outcome.found, outcome.done, outcome.state), (FOUND, DONE, "draft"))
        self.assertEqual(outcome.number, ticket.number)
        self.assertEqual(outcome.received_date, ticket.received_date)
        self.assertEqual(outcome.create_uid, self.staff)
        self.publish(ticket, send_website=True, send_email=False, send_noticeboard=False)
        self.assertEqual(outcome.state, "published")
        self.assertTrue(outcome.is_published)
        self.assertEqual(outcome.website_url, f"/complaints/outcomes/{outcome.id}")
        self.assertEqual(outcome.notice_ids.channel, "website")
        self.assertEqual(outcome.notice_ids.ticket_id, ticket)
        self.assertEqual(ticket.notice_ids, outcome.notice_ids)
        self.assertTrue(
            any("Outcome published" in body for body in ticket.message_ids.mapped("body")),
            "the complaint's chatter notes the notice",
        )
        # Only the publication writes the state and the website flag.
        for vals in ({"state": "draft"}, {"is_published": False}, {"website_published": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                outcome.with_user(self.manager).write(vals)
        # One outcome per complaint; it goes with its complaint.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Outcome.create({"ticket_id": ticket.id})
        notices = outcome.notice_ids
        ticket.unlink()
        self.assertFalse(outcome.exists() or notices.exists())

    def test_known_complainant_is_told_directly_once(self):
        ticket = self.resolved(partner_id=self.patron.partner_id.id)
        wizard, __ = self.publish(ticket)
        self.assertTrue(wizard.send_direct)
        self.assertFalse(wizard.send_website or wizard.send_email or wizard.send_noticeboard)
        self.assertEqual(ticket.outcome_state, "published")
        message = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.patron.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn(DONE, message.body)
        self.assertEqual(ticket.notice_ids.mapped("channel"), ["direct"])
        # Announcing again does not tell them twice.
        self.publish(ticket, send_direct=True)
        self.assertEqual(len(ticket.notice_ids), 1)
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: m.message_type == "comment")), 1)
        # The patron reads it on the complaint's portal page.
        self.authenticate(self.patron.login, self.patron.login)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(PREVENTION, page.text)

    def test_anonymous_complaint_goes_to_website_email_and_noticeboard(self):
        ticket = self.resolved(is_anonymous=True)
        wizard = (
            self.env["library.complaint.outcome.wizard"]
            .with_user(self.staff)
            .with_context(default_ticket_id=ticket.id)
            .create({})
        )
        self.assertFalse(wizard.send_direct)
        self.assertTrue(wizard.send_website and wizard.send_email and wizard.send_noticeboard)
        self.assertEqual(wizard.audience_ids, self.mailing_list)
        self.assertEqual(wizard.location_ids, self.entrance, "the service's noticeboard")
        action = wizard.action_publish()
        self.flush_tracking()
        self.assertEqual(action["report_name"], "library_complaints.report_outcome_notice")
        self.assertEqual(action["context"]["active_ids"], ticket.outcome_id.ids)
        self.assertEqual(
            sorted(ticket.notice_ids.mapped("channel")), ["email", "noticeboard", "website"]
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        mail = mail.filtered(lambda m: FOUND in m.body_html)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.mailing_list)
        # Sending the same notices again changes nothing.
        self.publish(
            ticket,
            send_website=True,
            send_email=True,
            send_noticeboard=True,
            location_ids=[Command.set(self.entrance.ids)],
        )
        self.assertEqual(len(ticket.notice_ids), 3)
        # A second noticeboard is a new notice.
        self.publish(ticket, send_noticeboard=True, location_ids=[Command.set(self.cafe.ids)])
        self.assertEqual(len(ticket.notice_ids), 4)
        self.assertEqual(
            sorted(
                ticket.notice_ids.filtered(lambda n: n.channel == "noticeboard").mapped("audience")
            ),
            ["Library café", "Main entrance, 1st floor"],
        )

    def test_public_pages_show_the_outcome_and_no_identity(self):
        ticket = self.resolved(partner_id=self.patron.partner_id.id)
        self.publish(ticket, send_direct=True, send_website=True, outcome_title="Wi-Fi on floor 3")
        for url in ("/complaints/outcomes", ticket.outcome_id.website_url):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertIn("Wi-Fi on floor 3", page.text)
            self.assertIn(PREVENTION, page.text)
            for personal in (NAME, EMAIL):
                self.assertNotIn(personal, page.text)
        status = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertIn(DONE, status.text)
        # Not on the website: no page.
        private = self.resolved(partner_id=self.patron.partner_id.id)
        self.publish(private, send_direct=True)
        self.assertEqual(self.url_open(private.outcome_id.website_url).status_code, 404)

    def test_the_public_reads_only_the_outcomes_published_on_the_website(self):
        """The public routes read outcomes as the visitor: what the access rules of
        library.complaint.outcome let the public read, and nothing of the complaint."""
        published = self.resolved(is_anonymous=True, name="Published complaint")
        self.publish(
            published,
            send_website=True,
            send_email=False,
            send_noticeboard=False,
            outcome_title="Published outcome",
        )
        draft = self.resolved(is_anonymous=True, name="Draft complaint")
        draft.with_user(self.staff).outcome_title = "Draft outcome"
        told = self.resolved(partner_id=self.patron.partner_id.id, name="Told complaint")
        self.publish(told, send_direct=True, outcome_title="Told outcome")
        published, draft, told = (t.outcome_id for t in (published, draft, told))
        self.assertEqual((draft.state, told.state), ("draft", "published"))

        for user in (self.public_user, self.patron):
            with self.subTest(user=user.login):
                Outcome = self.Outcome.with_user(user)
                visible = Outcome.search([("id", "in", (published | draft | told).ids)])
                self.assertEqual(visible, published)
                self.assertEqual(Outcome.browse(published.id).found, FOUND)
                for hidden in (draft, told):
                    with self.assertRaises(AccessError):
                        Outcome.browse(hidden.id).read(["found"])
                for staff_only in ("ticket_id", "notice_ids"):
                    with self.assertRaises(AccessError):
                        Outcome.browse(published.id).read([staff_only])
                with self.assertRaises(AccessError):
                    Outcome.browse(published.id).write({"found": "Rewritten"})

        self.assertEqual(self.url_open(published.website_url).status_code, 200)
        for hidden in (draft, told):
            self.assertEqual(self.url_open(f"/complaints/outcomes/{hidden.id}").status_code, 404)
        listing = self.url_open("/complaints/outcomes").text
        self.assertIn("Published outcome", listing)
        self.assertIn(published.website_url, listing, "the list links to the outcome's page")
        for hidden in ("Draft outcome", "Told outcome", "Draft complaint", "Told complaint"):
            self.assertNotIn(hidden, listing)
        # The bad ids of before answer 404, not an error.
        for url in ("/complaints/outcomes/0", "/complaints/outcomes/99999999999"):
            self.assertEqual(self.url_open(url).status_code, 404)

    def test_refusals(self):
        open_ticket = self.create_complaint(name="Open")
        with self.assertRaises(UserError):
            self.publish(open_ticket, send_website=True)  # not resolved
        ticket = self.resolved(is_anonymous=True)
        ticket.resolution = False
        with self.assertRaises(UserError):
            ticket.with_user(self.staff).outcome_id._publish(["website"])  # nothing done
        ticket.resolution = DONE
        with self.assertRaises(UserError):
            ticket.with_user(self.staff).outcome_id._publish(["direct"])  # nobody to tell
        with self.assertRaises(AccessError):
            self.env["library.complaint.outcome.wizard"].with_user(self.patron).create(
                {"ticket_id": ticket.id, "outcome_title": "x"}
            )
        self.assertEqual(ticket.outcome_state, "draft")

    def test_noticeboard_notice_is_thai_with_buddhist_era_date_and_qr_codes(self):
        """The first QR code of the notice links to all published outcomes (it
        linked to this complaint's page), the second to this outcome's page."""
        self.env["res.lang"]._activate_lang("th_TH")
        self.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        self.env.company.partner_id.lang = "th_TH"
        ticket = self.resolved(is_anonymous=True)
        self.publish(
            ticket,
            send_website=True,
            send_noticeboard=True,
            location_ids=[Command.set(self.entrance.ids)],
            send_email=False,
        )
        outcome = ticket.outcome_id
        Report = self.env["ir.actions.report"].with_user(self.staff)
        html, __ = Report._render_qweb_html(
            "library_complaints.action_report_outcome_notice", outcome.ids
        )
        html = html.decode()
        published = self.env.company._format_long_date(outcome.published_date, "th_TH")
        self.assertRegex(published, r"^\d+ \S+ 25\d\d$")  # Buddhist era
        self.assertIn(published, html)
        self.assertIn(FOUND, html)
        self.assertNotIn("Somchai", html)

        barcode = type(Report).barcode
        encoded = []

        def spy(report, barcode_type, value, *args, **kwargs):
            encoded.append((barcode_type, value))
            return barcode(report, barcode_type, value, *args, **kwargs)

        with patch.object(type(Report), "barcode", spy):
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "library_complaints.action_report_outcome_notice", outcome.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        base_url = outcome.get_base_url()
        self.assertEqual(
            encoded,
            [
                ("QR", f"{base_url}/complaints/outcomes"),
                ("QR", f"{base_url}/complaints/outcomes/{outcome.id}"),
                ("QR", outcome.survey_url),
            ],
        )
        self.assertTrue(outcome.survey_url)

    def test_anonymous_outcome_page_links_to_the_survey(self):
        ticket = self.resolved(is_anonymous=True)
        self.publish(ticket, send_website=True, send_email=False, send_noticeboard=False)
        survey_url = ticket._get_public_survey_url()
        self.assertTrue(survey_url)
        page = self.url_open(ticket.outcome_id.website_url)
        self.assertIn(survey_url.split("/complaint/survey/")[1], page.text)
        # The link shows a page; its button starts the answer (tests in test_survey_public_link.py).
        page = self.url_open(survey_url)
        self.assertEqual(page.status_code, 200)
        csrf_token = CSRF_RE.search(page.text).group(1)
        answer = self.url_open(f"{survey_url}/start", data={"csrf_token": csrf_token})
        self.assertEqual(answer.status_code, 200)
        self.assertIn("/survey/", answer.url)
        started = self.env["survey.user_input"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(started), 1)

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

FOUND = "The Wi-Fi access point on floor 3 was failing"
DONE = "We replaced the access point"
PREVENTION = "Monthly checks of the access points"


@tagged("post_install", "-at_install")
class TestOutcomeNotices(HttpCase):
    """The owner publishes a resolved complaint's outcome on the channels its
    complainant calls for: directly when known, publicly when anonymous."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env, "lc_outcome_staff", groups="library_complaints.group_complaint_staff"
        )
        cls.patron = new_test_user(
            cls.env,
            "lc_outcome_patron",
            groups="base.group_portal",
            name="Somchai Patron",
            email="somchai@example.com",
        )
        cls.desk = cls.env.ref("library_complaints.team_library_service_desk")
        cls.desk.user_ids = [(4, cls.staff.id)]
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.mailing_list = cls.env["res.partner"].create(
            {"name": "Information service users", "email": "info-users@example.com"}
        )
        cls.service.outcome_audience_ids = cls.mailing_list
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def resolved(self, **vals):
        values = {
            "name": "Wi-Fi drops on floor 3",
            "description": "<p>It drops every few minutes.</p>",
            "team_id": self.desk.id,
            "service_id": self.service.id,
            "track_id": self.env.ref("library_complaints.track_3_satisfaction").id,
            "user_id": self.staff.id,
        }
        values.update(vals)
        ticket = self.env["helpdesk.ticket"].create(values)
        ticket.with_user(self.staff).write(
            {
                "stage_id": self.done.id,
                "outcome_found": FOUND,
                "outcome_done": DONE,
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
        return wizard, wizard.action_publish()

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
        self.authenticate("lc_outcome_patron", "lc_outcome_patron")
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
        with self.assertRaises(UserError):
            wizard.action_publish()  # which noticeboard?
        wizard.noticeboard_location = "Main entrance, 1st floor"
        action = wizard.action_publish()
        self.assertEqual(action["report_name"], "library_complaints.report_outcome_notice")
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
            noticeboard_location="Main entrance, 1st floor",
        )
        self.assertEqual(len(ticket.notice_ids), 3)
        # A second noticeboard is a new notice.
        self.publish(ticket, send_noticeboard=True, noticeboard_location="Library café")
        self.assertEqual(len(ticket.notice_ids), 4)

    def test_public_pages_show_the_outcome_and_no_identity(self):
        ticket = self.resolved(partner_id=self.patron.partner_id.id)
        self.publish(ticket, send_direct=True, send_website=True, outcome_title="Wi-Fi on floor 3")
        for url in ("/complaints/outcomes", f"/complaints/outcomes/{ticket.id}"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertIn("Wi-Fi on floor 3", page.text)
            self.assertIn(PREVENTION, page.text)
            for personal in ("Somchai", "somchai@example.com"):
                self.assertNotIn(personal, page.text)
        status = self.url_open(f"/complaint/status?code={ticket.tracking_code}")
        self.assertIn(DONE, status.text)
        # Not on the website: no page.
        private = self.resolved(partner_id=self.patron.partner_id.id)
        self.publish(private, send_direct=True)
        self.assertEqual(self.url_open(f"/complaints/outcomes/{private.id}").status_code, 404)

    def test_refusals(self):
        open_ticket = self.env["helpdesk.ticket"].create(
            {"name": "Open", "description": "<p>x</p>", "team_id": self.desk.id}
        )
        with self.assertRaises(UserError):
            self.publish(open_ticket, send_website=True)  # not resolved
        ticket = self.resolved(is_anonymous=True)
        ticket.outcome_done = False
        with self.assertRaises(UserError):
            self.publish(ticket, send_website=True)  # nothing written
        ticket.outcome_done = DONE
        with self.assertRaises(UserError):
            ticket.with_user(self.staff)._publish_outcome(["direct"])  # nobody to tell
        with self.assertRaises(UserError):
            self.publish(ticket)  # the defaults need a noticeboard
        with self.assertRaises(AccessError):
            self.env["library.complaint.outcome.wizard"].with_user(self.patron).create(
                {"ticket_id": ticket.id, "outcome_title": "x"}
            )

    def test_noticeboard_notice_is_thai_with_buddhist_era_date_and_qr_codes(self):
        self.env["res.lang"]._activate_lang("th_TH")
        self.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        self.env.company.partner_id.lang = "th_TH"
        ticket = self.resolved(is_anonymous=True)
        self.publish(
            ticket,
            send_website=True,
            send_noticeboard=True,
            noticeboard_location="Main entrance",
            send_email=False,
        )
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "library_complaints.action_report_outcome_notice", ticket.ids
        )
        html = html.decode()
        published = ticket.with_context(lang="th_TH")._format_date_th(ticket.outcome_published_date)
        self.assertRegex(published, r"^\d+ \S+ 25\d\d$")  # Buddhist era
        self.assertIn(published, html)
        self.assertIn("data:image/png;base64,", html)
        self.assertIn(FOUND, html)

    def test_anonymous_outcome_page_links_to_the_survey(self):
        ticket = self.resolved(is_anonymous=True)
        self.publish(ticket, send_website=True, send_email=False, send_noticeboard=False)
        survey_url = ticket._get_public_survey_url()
        self.assertTrue(survey_url)
        page = self.url_open(f"/complaints/outcomes/{ticket.id}")
        self.assertIn(survey_url.split("/complaint/survey/")[1], page.text)
        answer = self.url_open(survey_url)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("/survey/", answer.url)
        started = self.env["survey.user_input"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(started), 1)
        # The same visitor following the link again continues the same answer.
        again = self.url_open(survey_url)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(
            self.env["survey.user_input"].search_count([("ticket_id", "=", ticket.id)]), 1
        )

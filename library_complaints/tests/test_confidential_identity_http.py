"""The confidential complainant as people meet it: the patron in the portal, staff
over the external API, on the demo database."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import Json2Mixin, LibraryComplaintsCase
from .test_confidential_identity import EMAIL, NAME


@tagged("post_install", "-at_install")
class TestConfidentialIdentityHttp(Json2Mixin, LibraryComplaintsCase, HttpCase):
    """The same, as people meet it: the patron in the portal, staff over the
    external API, on the demo database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patron.partner_id.write({"name": NAME, "email": EMAIL})
        cls.neutral = cls.env.ref(
            "library_complaints.partner_confidential_complainant", raise_if_not_found=False
        )
        # The demo's staff member and manager: the complaints go to the demo's desk.
        cls.demo_staff = cls.env.ref("library_complaints.user_staff")
        cls.demo_manager = cls.env.ref("library_complaints.user_manager")
        cls.demo_patron = cls.env.ref("library_complaints.partner_patron")
        cls.demo_confidential = cls.env.ref("library_complaints.ticket_demo_av_booking")

    def test_patron_submits_follows_and_writes_on_a_confidential_complaint(self):
        self.authenticate_as(self.patron)
        title = "Noise from the staff room every afternoon"
        resp = self.submit_portal_form(
            subject=title,
            description="Staff talk loudly all afternoon.",
            is_confidential="1",
            files=[("noise.txt", b"every day at 14:00", "text/plain")],
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", title)])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(resp.url.endswith(f"/my/ticket/{ticket.id}"), resp.url)
        self.assertIn(title, resp.text)
        self.assertTrue(ticket.is_confidential)
        self.assertFalse(ticket.partner_id or ticket.partner_name or ticket.partner_email)
        self.assertEqual(ticket.confidential_identity_ids.partner_id, self.patron.partner_id)
        self.assertEqual(ticket.create_uid, self.root)
        self.assertEqual(ticket.write_uid, self.root)
        self.assertEqual(ticket.attachment_ids.create_uid, self.root)
        self.assertFalse(ticket.user_id, "not auto-assigned to the system that created it")
        self.assertNotIn(self.patron.partner_id, ticket.message_partner_ids)

        # the patron finds it in their portal ...
        self.assertIn(title, self.url_open("/my/tickets").text)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(title, page.text)
        self.assertIn("Your name is kept confidential.", page.text)
        # ... and writes on it: signed "Confidential complainant"
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": ticket.id,
                "post_data": {
                    "body": "Still loud today.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.author_id, self.neutral)
        self.assertEqual(message.create_uid, self.root)
        self.assertNotIn(self.patron.partner_id, ticket.message_partner_ids)
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "helpdesk.ticket", "thread_id": ticket.id}
        )
        self.assertIn(message.id, messages["messages"], "they read their own post")

        # another patron does not see it
        self.authenticate_as(self.other_patron)
        self.assertNotIn(title, self.url_open("/my/tickets").text)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertNotIn(title, page.text)

        # staff over the external API: the complaint, not who sent it
        [values] = self.call_as(
            self.demo_staff,
            "helpdesk.ticket",
            "read",
            ticket.ids,
            fields=["partner_id", "partner_name", "partner_email", "create_uid", "write_uid"],
        )
        self.assertFalse(values["partner_id"] or values["partner_name"] or values["partner_email"])
        self.assertEqual(values["create_uid"][0], self.root.id)
        self.assertEqual(values["write_uid"][0], self.root.id)
        authors = self.call_as(
            self.demo_staff,
            "mail.message",
            "search_read",
            domain=[("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)],
            fields=["author_id", "body"],
        )
        self.assertTrue(authors)
        self.assertNotIn(
            self.patron.partner_id.id, [m["author_id"] and m["author_id"][0] for m in authors]
        )
        self.assertNotIn(NAME, str(authors))

    def test_anonymous_portal_complaint_is_signed_by_the_system(self):
        self.authenticate_as(self.patron)
        title = "Rude answer at the loan desk"
        self.submit_portal_form(subject=title, description="I was shouted at.", is_anonymous="1")
        ticket = self.env["helpdesk.ticket"].search([("name", "=", title)])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.is_anonymous)
        [values] = self.call_as(
            self.demo_staff,
            "helpdesk.ticket",
            "read",
            ticket.ids,
            fields=["create_uid", "write_uid"],
        )
        self.assertEqual(values["create_uid"][0], self.root.id)
        self.assertEqual(values["write_uid"][0], self.root.id)
        self.assertFalse(ticket.user_id, "not auto-assigned to the system that created it")
        self.assertFalse(ticket.sudo().confidential_identity_ids)

    def test_staff_over_the_external_api_on_the_demo(self):
        ticket = self.demo_confidential
        self.assertTrue(ticket.is_confidential)
        self.assertFalse(ticket.partner_id, "demo data follow the identity model")
        self.assertEqual(ticket.confidential_identity_ids.partner_id, self.demo_patron)
        found = self.call_as(
            self.demo_staff,
            "helpdesk.ticket",
            "search",
            domain=[("partner_id", "=", self.demo_patron.id)],
        )
        self.assertNotIn(ticket.id, found)
        self.assertIn(
            ticket.id,
            self.call_as(
                self.demo_staff, "helpdesk.ticket", "search", domain=[("id", "=", ticket.id)]
            ),
        )
        groups = self.call_as(
            self.demo_staff,
            "helpdesk.ticket",
            "formatted_read_group",
            domain=[("id", "=", ticket.id)],
            groupby=["partner_id"],
            aggregates=["__count"],
        )
        self.assertEqual([group["partner_id"] for group in groups], [False])
        self.demo_staff.group_ids += self.env.ref("base.group_allow_export")
        exported = self.call_as(
            self.demo_staff,
            "helpdesk.ticket",
            "export_data",
            ticket.ids,
            fields_to_export=["partner_id", "partner_email"],
        )
        self.assertEqual(exported["datas"], [["", ""]])
        [partner] = self.call_as(
            self.demo_staff,
            "res.partner",
            "read",
            self.demo_patron.ids,
            fields=["helpdesk_ticket_ids"],
        )
        self.assertNotIn(ticket.id, partner["helpdesk_ticket_ids"])
        with mute_logger("odoo.addons.base.models.ir_model"):
            self.assertApiRefused(
                self.demo_staff, "library.complaint.identity", "search_read", domain=[]
            )
        [identity] = self.call_as(
            self.demo_manager,
            "library.complaint.identity",
            "search_read",
            domain=[("ticket_id", "=", ticket.id)],
            fields=["partner_id"],
        )
        self.assertEqual(identity["partner_id"][0], self.demo_patron.id)
        # the demo patron follows it in their portal
        self.authenticate("lc_patron", "lc_patron")
        self.assertIn(ticket.name, self.url_open("/my/tickets").text)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.name, page.text)

"""A campus portal reads a complaint's public status by its tracking code over
JSON-2, with a dedicated API user, as README.md ("External API (JSON-2)") sets it
up: that user gets the status and nothing else."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import MissingError, ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import Json2Mixin, LibraryComplaintsCase

# What /complaint/status shows, and nothing more (no one's identity).
PUBLIC_KEYS = {
    "number",
    "name",
    "stage",
    "service",
    "track",
    "received_date",
    "closed",
    "resolution",
    "deadline",
    "overdue",
    "remaining",
    "outcome",
}


@tagged("post_install", "-at_install")
class TestStatusApi(Json2Mixin, LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # README: the dedicated user, a portal user in the group "Complaint status API"
        cls.portal_api = cls.env["res.users"].create(
            {
                "name": "Campus portal (status API)",
                "login": "campus_portal_api",
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_portal").id,
                            cls.env.ref("library_complaints.group_complaint_status_api").id,
                        ]
                    )
                ],
            }
        )
        cls.ticket = cls.create_complaint(
            user=cls.staff,
            service_id=cls.service.id,
            track_id=cls.track_2.id,
            partner_id=cls.patron.partner_id.id,
        )

    def setUp(self):
        super().setUp()
        # README: its key, made as that user, for a year (the group allows it)
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.portal_api)
            ._generate(None, "Campus portal", fields.Datetime.now() + timedelta(days=365))
        )
        self.api_key(self.portal_api, key)

    def status(self, code, user=None, **params):
        return self.json2(
            user or self.portal_api,
            "helpdesk.ticket",
            "get_public_status",
            tracking_code=code,
            **params,
        )

    def test_the_portal_reads_the_public_status_by_tracking_code(self):
        code = self.ticket.tracking_code
        # as README's snippet sends it: the code as a visitor types it, in Thai
        response = self.status(f"  {code.lower()} ", context={"lang": "th_TH"})
        self.assertEqual(response.status_code, 200, response.text[-1500:])
        status = response.json()
        self.assertEqual(set(status), PUBLIC_KEYS)
        self.env.invalidate_all()
        expected = self.ticket._get_public_status(code)
        self.assertEqual(
            (status["number"], status["name"], status["closed"], status["remaining"]),
            (expected["number"], expected["name"], False, expected["remaining"]),
        )
        self.assertEqual(status["stage"], self.ticket.stage_id.with_context(lang="th_TH").name)
        self.assertEqual(
            status["received_date"], fields.Datetime.to_string(expected["received_date"])
        )
        self.assertEqual(status["deadline"], fields.Datetime.to_string(expected["deadline"]))
        self.assertNotIn(self.patron.partner_id.name, response.text)
        self.assertNotIn(self.patron.partner_id.email, response.text)

    def test_unknown_or_malformed_codes_are_named(self):
        message = self.assertApiRefused(
            self.portal_api,
            "helpdesk.ticket",
            "get_public_status",
            tracking_code="ZZZZZ-ZZZZ2",
            error=MissingError,
        )
        self.assertIn("No complaint has this tracking code", message)
        self.assertApiRefused(
            self.portal_api,
            "helpdesk.ticket",
            "get_public_status",
            tracking_code="not a code",
            error=ValidationError,
        )

    def test_the_portal_reads_no_complaint_otherwise(self):
        user, ticket = self.portal_api, self.ticket
        self.assertEqual(
            self.call_as(user, "helpdesk.ticket", "search", domain=[]), [], "sees none"
        )
        self.assertApiRefused(user, "helpdesk.ticket", "read", ticket.ids, fields=["name"])
        self.assertApiRefused(user, "helpdesk.ticket", "write", ticket.ids, vals={"name": "X"})
        self.assertApiRefused(user, "helpdesk.ticket", "_get_public_status", code="X")
        for model in (
            "library.complaint.identity",
            "library.complaint.meeting",
            "library.complaint.personal.data.log",
        ):
            with self.subTest(model=model):
                self.assertApiRefused(user, model, "search_read", domain=[], fields=["id"])
        self.env.invalidate_all()
        self.assertNotEqual(ticket.name, "X")

    def test_only_the_status_api_group_may_call_it(self):
        for user in (self.patron, self.staff, self.manager):
            with self.subTest(login=user.login):
                message = self.assertApiRefused(
                    user,
                    "helpdesk.ticket",
                    "get_public_status",
                    tracking_code=self.ticket.tracking_code,
                )
                self.assertIn("Complaint status API", message)

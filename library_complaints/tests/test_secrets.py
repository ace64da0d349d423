"""Tokens, secrets and the addresses tokens are sent to are the administrators' only."""

import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LibraryComplaintsCase

SYSTEM = "base.group_system"
# a field holding a token, a secret, or the address a token is sent to
SECRET_NAME_RE = re.compile(r"(^|_)(token|secret|endpoint|password|api_key|api_url)(_|$)")
COMPANY_SECRETS = (
    "complaint_line_secret",
    "complaint_line_token",
    "complaint_line_endpoint",
    "lesson_line_target",
)


@tagged("post_install", "-at_install")
class TestSecrets(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "complaint_line_secret": "secret-of-the-channel",
                "complaint_line_token": "token-of-the-channel",
                "complaint_line_endpoint": "https://line.example.com",
                "lesson_line_target": "C0123456789abcdef",
            }
        )

    def test_every_secret_field_is_for_administrators_only(self):
        found = []
        for model in self.env.registry.values():
            for name, field in model._fields.items():
                if field._module == "library_complaints" and SECRET_NAME_RE.search(name):
                    found.append(f"{model._name}.{name}")
                    self.assertIn(SYSTEM, (field.groups or "").split(","), found[-1])
        self.assertIn("res.company.complaint_line_token", found)
        # and the group the lessons are pushed to with that token
        for model in ("res.company", "res.config.settings"):
            for name in COMPANY_SECRETS:
                field = self.env[model]._fields[name]
                self.assertIn(SYSTEM, (field.groups or "").split(","), f"{model}.{name}")

    def test_managers_and_staff_cannot_read_them(self):
        company = self.env.company
        for user in (self.manager, self.staff):
            for name in COMPANY_SECRETS:
                with self.assertRaises(AccessError, msg=(user.login, name)):
                    company.with_user(user).read([name])
            message = (
                self.env["library.complaint.line.message"]
                .sudo()
                .create({"company_id": company.id, "kind": "reply", "reply_token": "one-reply"})
            )
            with self.assertRaises(AccessError):
                message.with_user(user).read(["reply_token"])
            # what the settings screen reads leaves them out
            values = company.with_user(user).read()[0]
            self.assertFalse(set(COMPANY_SECRETS) & values.keys(), user.login)

    def test_nor_over_json_rpc(self):
        company = self.env.company
        for user in (self.manager, self.staff):
            self.authenticate_as(user)
            for name in COMPANY_SECRETS:
                with (
                    self.assertRaises(JsonRpcException, msg=(user.login, name)),
                    mute_logger("odoo.http"),
                ):
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw/res.company/read",
                        {
                            "model": "res.company",
                            "method": "read",
                            "args": [company.ids, [name]],
                            "kwargs": {},
                        },
                    )
        # an administrator reads them
        self.authenticate("admin", "admin")
        [values] = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.company/read",
            {
                "model": "res.company",
                "method": "read",
                "args": [company.ids, list(COMPANY_SECRETS)],
                "kwargs": {},
            },
        )
        self.assertEqual(values["complaint_line_endpoint"], "https://line.example.com")

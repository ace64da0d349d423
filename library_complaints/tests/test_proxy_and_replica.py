"""The public pages behind a reverse proxy and with a read replica: the per-sender
limit counts the visitor's address from the proxy's header only with proxy_mode,
and the routes say which ones only read (README, "Running it for many offices")."""

import threading
from unittest.mock import patch

from odoo.tests import HOST, HttpCase, tagged
from odoo.tools import config

from .common import LibraryComplaintsCase

VISITOR = "203.0.113.7"
OTHER_VISITOR = "198.51.100.9"


@tagged("post_install", "-at_install")
class TestProxyAndReplica(LibraryComplaintsCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # a visitor: no sign-in
        self.env["ir.config_parameter"].sudo().set_param("library_complaints.form_rate_limit", 1)
        self.counters = self.env["library.complaint.rate.limit"].sudo()

    def submit_through_proxy(self, client_address, proxy_mode):
        """Send the form as the proxy forwards it: the visitor's address in
        X-Forwarded-For (after whatever the visitor wrote there himself)."""
        headers = {
            "X-Forwarded-For": f"10.9.9.9, {client_address}",
            "X-Forwarded-Host": f"{HOST}:{self.http_port()}",
            "X-Forwarded-Proto": "http",
        }
        with patch.dict(config.options, {"proxy_mode": proxy_mode}):
            return self.url_open(
                "/complaint/submit", data=self.public_form_values(), headers=headers, timeout=60
            )

    def senders(self):
        self.env.invalidate_all()
        return self.counters.search([("kind", "=", "submission")]).mapped("ip_hash")

    def test_with_proxy_mode_the_forwarded_address_is_limited(self):
        self.assertEqual(self.submit_through_proxy(VISITOR, proxy_mode=True).status_code, 200)
        self.assertEqual(self.senders(), [self.counters._hash_ip(VISITOR)])
        # the same visitor again: limited; another visitor behind the same proxy: not
        refused = self.submit_through_proxy(VISITOR, proxy_mode=True)
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Too many complaints", refused.text)
        self.assertEqual(self.submit_through_proxy(OTHER_VISITOR, proxy_mode=True).status_code, 200)
        self.assertCountEqual(
            self.senders(),
            [self.counters._hash_ip(VISITOR), self.counters._hash_ip(OTHER_VISITOR)],
        )

    def test_without_proxy_mode_the_header_is_ignored(self):
        self.assertEqual(self.submit_through_proxy(VISITOR, proxy_mode=False).status_code, 200)
        self.assertEqual(self.senders(), [self.counters._hash_ip("127.0.0.1")])
        # a forged header does not give a new allowance
        refused = self.submit_through_proxy(OTHER_VISITOR, proxy_mode=False)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(self.senders(), [self.counters._hash_ip("127.0.0.1")])

    def test_public_routes_say_whether_they_only_read(self):
        # the routing map is built for the database of the request's thread
        thread = threading.current_thread()
        with patch.object(thread, "dbname", self.env.cr.dbname, create=True):
            routing_map = self.env["ir.http"].routing_map()
        rules = {rule.rule: rule.endpoint.routing["readonly"] for rule in routing_map.iter_rules()}
        for path in (
            "/complaint",
            "/complaints/outcomes",
            "/complaints/outcomes/<int:outcome_id>",
            "/complaints/statistics",
            "/complaint/survey/<int:ticket_id>/<string:token>",
        ):
            self.assertIs(rules[path], True, path)
        for path in (
            "/complaint/submit",
            "/complaint/survey/<int:ticket_id>/<string:token>/start",
        ):
            self.assertIs(rules[path], False, path)
        self.assertTrue(callable(rules["/complaint/status"]))

    def test_read_only_pages_do_not_write(self):
        """Odoo retries a read-only request that wrote on the primary, logging a
        warning ("retrying with a read/write cursor"): none is logged here."""
        with self.assertNoLogs("odoo.http", level="WARNING"):
            for path in (
                "/complaint",
                "/complaint/status",
                "/complaints/outcomes",
                "/complaints/statistics",
            ):
                self.assertEqual(self.url_open(path).status_code, 200, path)

    def test_status_lookup_writes_on_the_primary(self):
        """An unknown code is counted (a write): the look-up is not a read-only
        request (else Odoo would log its retry on the primary)."""
        with self.assertNoLogs("odoo.http", level="WARNING"):
            response = self.url_open("/complaint/status?code=ABCDE-FGH23")
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.counters.search_count([("kind", "=", "failed_lookup")]), 1)

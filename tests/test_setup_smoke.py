"""Smoke test of the set-up: the server, the portal, the asset bundles, PDF reports."""

import importlib.util
from pathlib import Path

from odoo.tests import HttpCase, tagged

_DEV = Path(__file__).resolve().parent.parent / "tools" / "dev.py"
_spec = importlib.util.spec_from_file_location("lc_dev", _DEV)
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

ROLE_GROUPS = {
    "admin": "base.group_system",
    "lc_staff": "library_complaints.group_complaint_staff",
    "lc_wg_head": "library_complaints.group_complaint_wg_head",
    "lc_div_head": "library_complaints.group_complaint_division_head",
    "lc_committee": "library_complaints.group_complaint_committee",
    "lc_manager": "library_complaints.group_complaint_manager",
    "lc_patron": "base.group_portal",
}


@tagged("post_install", "-at_install")
class TestSetupSmoke(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patron = cls.env.ref("library_complaints.user_patron")  # lc_patron
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Smoke test complaint",
                "description": "<p>The smoke test's own complaint.</p>",
                "partner_id": cls.patron.partner_id.id,
            }
        )

    def test_server_answers_login_page(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)

    def test_portal_user_opens_my_tickets(self):
        self.authenticate("lc_patron", "lc_patron")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket.number, response.text)

    def test_backend_asset_bundles_build_without_error(self):
        # Drop the bundles an earlier run may have stored, so they are built now.
        self.env["ir.attachment"].search([("url", "=like", "/web/assets/%")]).unlink()
        with self.assertNoLogs("odoo", level="ERROR"):
            for bundle_name in ("web.assets_web", "web.assets_frontend"):
                bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name)
                js = bundle.js()
                css = bundle.css()
                self.assertTrue(js and js.raw, f"{bundle_name}: no JavaScript built")
                self.assertTrue(css and css.raw, f"{bundle_name}: no CSS built")

    def test_pdf_report_renders_with_wkhtmltopdf(self):
        # One page is enough to prove wkhtmltopdf works: the noticeboard notice of
        # the demo outcome (Odoo's module reference, used before, took 12 s of the suite).
        outcome = self.env.ref("library_complaints.outcome_demo_printer")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("library_complaints.action_report_outcome_notice", outcome.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF")
        self.assertGreater(len(pdf), 1000)

    def test_printed_demo_logins_work_with_their_role(self):
        """Every login ``./dev run`` prints signs in, with the role it claims."""
        self.assertEqual({login for _r, login, _p in dev.ROLE_LOGINS}, set(ROLE_GROUPS))
        for _role, login, password in dev.ROLE_LOGINS:
            self.authenticate(login, password)
            self.assertEqual(self.session.login, login)
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user.has_group(ROLE_GROUPS[login]), login)
        patron = self.env["res.users"].search([("login", "=", "lc_patron")])
        self.assertEqual(patron.lang, "th_TH")

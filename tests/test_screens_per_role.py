"""Every back-office screen, as each back-office role, in Chromium: each menu of
the Helpdesk app that the role sees, each of its views, its search panel, and the
form of its first record. An error dialog, a failed request or a JavaScript error
fails the test (the browser reports console errors to the test), and so does an
English word where the product speaks to these Thai users (menus, buttons, labels,
column headers, filters, placeholders, empty states; the records' own data aside)."""

import json
from pathlib import Path

from odoo.tests import HttpCase, tagged

# Runs in the web client: walks the app's menus through the menu service (what a
# click on the menu does), switches to each view with the view switcher and opens
# the first record, waiting for each screen to render; reports what it saw.
WALK_SCREENS = (Path(__file__).parent / "walk_screens.js").read_text()
APP = "helpdesk_mgmt.helpdesk_ticket_main_menu"
# Latin words a Thai screen may show: names and codes, not English
ALLOWED_WORDS = (
    "MT",  # the office's management team: its name in Thai too
    "LINE",  # the messaging app
    "KM",  # the knowledge-management blog
    "PDPA",  # Thailand's personal data act
    "PDF",
    "Odoo",
    "OdooBot",
    "Wi-Fi",
    "e-learning",
    "FY",  # quarter codes: FY2569-Q4
    "Q",
)


@tagged("post_install", "-at_install")
class TestScreensPerRole(HttpCase):
    def walk(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        apps = {menus[app_id]["xmlid"] for app_id in menus["root"]["children"]}
        self.assertIn(APP, apps, f"{login} sees the Helpdesk app")
        # as a Thai member of the office reads it (the demo's staff, heads and
        # manager keep the language they were created in: tours type English there)
        user.lang = "th_TH"
        script = (
            WALK_SCREENS.replace("APP_XMLID", json.dumps(APP))
            .replace("ALLOWED_WORDS", json.dumps(ALLOWED_WORDS))
            .replace("CHECK_ENGLISH", "true")
        )
        self.browser_js(
            "/odoo",
            script,
            "odoo.isReady === true",
            login=login,
            timeout=600,
        )

    def test_staff(self):
        self.walk("lc_staff")

    def test_work_group_head(self):
        self.walk("lc_wg_head")

    def test_division_head(self):
        self.walk("lc_div_head")

    def test_committee_member(self):
        self.walk("lc_committee")

    def test_manager(self):
        self.walk("lc_manager")

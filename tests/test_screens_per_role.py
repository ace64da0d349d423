"""Every back-office screen, as each back-office role, in Chromium: each menu of
the Helpdesk app that the role sees, each of its views, and the form of its first
record. An error dialog, a failed request or a JavaScript error fails the test
(the browser reports console errors to the test)."""

import json
from pathlib import Path

from odoo.tests import HttpCase, tagged

# Runs in the web client: walks the app's menus through the menu service (what a
# click on the menu does), switches to each view with the view switcher and opens
# the first record, waiting for each screen to render; reports what it saw.
WALK_SCREENS = (Path(__file__).parent / "walk_screens.js").read_text()
APP = "helpdesk_mgmt.helpdesk_ticket_main_menu"


@tagged("post_install", "-at_install")
class TestScreensPerRole(HttpCase):
    def walk(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        apps = {menus[app_id]["xmlid"] for app_id in menus["root"]["children"]}
        self.assertIn(APP, apps, f"{login} sees the Helpdesk app")
        self.browser_js(
            "/odoo",
            WALK_SCREENS.replace("APP_XMLID", json.dumps(APP)),
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

"""The browser tests share one Chromium (``conftest.py``), and still none of them sees
what another left: a test writes a cookie, local storage and session storage on the
test server's page; the next test, in the same Chromium, finds none of them."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

LEAVE_STATE = """
document.cookie = "lc_left_behind=1; path=/";
localStorage.setItem("lc_left_behind", "1");
sessionStorage.setItem("lc_left_behind", "1");
console.log("test successful");
"""

FIND_NO_STATE = """
const left = [
    document.cookie.includes("lc_left_behind") && "a cookie",
    localStorage.getItem("lc_left_behind") && "local storage",
    sessionStorage.getItem("lc_left_behind") && "session storage",
].filter(Boolean);
if (left.length) {
    console.error("left by the previous test: " + left.join(", "));
} else {
    console.log("test successful");
}
"""


@tagged("post_install", "-at_install")
class TestSharedBrowser(HttpCase):
    chromium_pids = []

    def open_page(self, code):
        navigate_to = ChromeBrowser.navigate_to

        def navigate_and_note_the_process(browser, url, wait_stop=False):
            self.chromium_pids.append(browser.chrome.pid)
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_and_note_the_process):
            self.browser_js("/complaint/status", code, login="lc_patron")

    def test_1_a_test_leaves_state_behind(self):
        self.open_page(LEAVE_STATE)

    def test_2_the_next_test_finds_none_in_the_same_chromium(self):
        self.open_page(FIND_NO_STATE)
        if len(self.chromium_pids) == 2:  # the class ran whole
            first, second = self.chromium_pids
            self.assertEqual(first, second, "both tests ran in the same Chromium")

"""A Thai patron's complaint list (/my/tickets) fits the screen in Chromium: no
sideways scroll on a laptop (1366 px) nor on a phone (390 px, where Bootstrap's
table-responsive may scroll the table itself), and no helpdesk_mgmt "Category"
column (the library does not use categories). Screenshots: my_tickets_1366_,
my_tickets_390_ in the screenshots folder."""

import json

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

FITS = """
(async () => {
    const tableMayScroll = %s;
    const deadline = Date.now() + 30000;
    const loaded = () =>
        document.querySelector("#wrap table tbody tr") &&
        [...document.querySelectorAll("header img")].every(
            (img) => img.complete || !img.offsetParent // a hidden (lazy) logo never loads
        );
    while (!loaded()) {
        if (Date.now() > deadline) {
            console.error("no complaint list (or its images) on /my/tickets");
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const problems = [];
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        problems.push(`the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    const box = document.querySelector("#wrap .table-responsive");
    if (!tableMayScroll && box && box.scrollWidth > box.clientWidth) {
        problems.push(`the table is ${box.scrollWidth}px wide in ${box.clientWidth}px`);
    }
    const headers = [...document.querySelectorAll("#wrap table thead th")].map((th) =>
        th.textContent.trim()
    );
    if (
        document.querySelector("#wrap th[name=th_category]") ||
        headers.some((text) => ["Category", "หมวดหมู่"].includes(text))
    ) {
        problems.push("a Category column: " + headers.join(" | "));
    }
    if (!headers.includes("สถานะ")) {
        problems.push("not in Thai: " + headers.join(" | "));
    }
    if (problems.length) {
        console.error(problems.join("; "));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestThaiPatronTicketsFit(HttpCase):
    def check_tickets_fit(self, size, table_may_scroll):
        patron = self.env.ref("library_complaints.user_patron")
        self.assertEqual(patron.lang, "th_TH", "the demo patron reads Thai")
        self.browser_size = size
        with final_screenshot(f"my_tickets_{size.split('x')[0]}_"):
            self.browser_js("/my/tickets", FITS % json.dumps(table_may_scroll), login="lc_patron")

    def test_laptop(self):
        self.check_tickets_fit("1366x768", table_may_scroll=False)

    def test_phone(self):
        self.check_tickets_fit("390x844", table_may_scroll=True)

"""The patron's and the visitor's pages on a 390 px phone (and a 1366 px laptop), in
Chromium, as the demo patron (Thai) and an anonymous visitor:

- /my/tickets: below 576 px the complaints are cards (what, status, deadline or
  outcome), the table from 576 px on; "New complaint" is a visible button, on the
  list and on /my/home;
- /complaint and /new/ticket: the same fields in the same order, the same required
  marks (title, service, description) and a date input;
- /complaints/statistics: its tables fit 390 px and 360 px, nothing scrolls sideways.

Screenshots (`.local/tmp/screenshots/`): phone_<page>_<width>_...png."""

import json

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot

# Waits for the page (and its header's images), runs the page's check, then reports
# every problem with console.error, or success.
PAGE = """
(async () => {
    const check = %(check)s;
    const deadline = Date.now() + 30000;
    const ready = () =>
        document.querySelector(%(ready)s) &&
        [...document.querySelectorAll("header img")].every(
            (img) => img.complete || !img.offsetParent
        );
    while (!ready()) {
        if (Date.now() > deadline) {
            console.error("not ready: " + %(ready)s);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const problems = [];
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        problems.push(`the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    const visible = (el) => !!el && el.offsetParent !== null && el.getClientRects().length > 0;
    const inView = (el) => {
        const box = el.getBoundingClientRect();
        return box.left >= 0 && box.right <= window.innerWidth;
    };
    check(problems, {visible, inView});
    if (problems.length) {
        console.error(problems.join("; "));
    } else {
        console.log("test successful");
    }
})();
"""

NEW_BUTTON = """
    const button = [...document.querySelectorAll("#wrap a[href$='/new/ticket']")].find(visible);
    if (!button) {
        problems.push("no visible New complaint button");
    } else if (!inView(button) || !button.classList.contains("btn")) {
        problems.push("the New complaint button is not a button in view");
    }
"""

TICKETS_PHONE = (
    """(problems, {visible, inView}) => {"""
    + NEW_BUTTON
    + """
    const cards = [...document.querySelectorAll(".o_complaint_card")];
    if (!cards.length || !cards.every(visible)) {
        problems.push(`no visible complaint cards (${cards.length})`);
    }
    if (visible(document.querySelector("#wrap table"))) {
        problems.push("the table shows on a phone");
    }
    for (const card of cards) {
        if (card.getBoundingClientRect().right > window.innerWidth) {
            problems.push("a card is wider than the screen");
        }
        if (!card.querySelector("a.stretched-link") || !card.querySelector(".badge")) {
            problems.push("a card without its title link or status");
        }
    }
    if (!document.querySelector(".o_complaint_card .o_complaint_card_deadline")) {
        problems.push("no card shows a deadline");
    }
    if (!document.querySelector(".o_complaint_card .o_complaint_card_outcome")) {
        problems.push("no card shows an outcome");
    }
}"""
)

TICKETS_LAPTOP = (
    """(problems, {visible, inView}) => {"""
    + NEW_BUTTON
    + """
    if (!visible(document.querySelector("#wrap table"))) {
        problems.push("no table on a laptop");
    }
    if ([...document.querySelectorAll(".o_complaint_card")].some(visible)) {
        problems.push("cards on a laptop");
    }
    const box = document.querySelector("#wrap .table-responsive");
    if (box.scrollWidth > box.clientWidth) {
        problems.push(`the table is ${box.scrollWidth}px wide in ${box.clientWidth}px`);
    }
}"""
)

HOME = "(problems, {visible, inView}) => {" + NEW_BUTTON + "}"

# The fields in their order: [role, required, type] of each labelled control
FORM = """(problems, {visible, inView}) => {
    const form = document.querySelector(%s);
    const order = [];
    for (const control of form.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        const hidden = control.closest("[aria-hidden=true]"); // the robots' honeypot
        if (!visible(control) || control.type === "checkbox" || hidden) {
            continue;
        }
        const label = control.labels[0];
        const marked = !!label && !!label.querySelector(".text-danger");
        if (marked !== control.required) {
            problems.push(`${control.name}: required ${control.required}, marked ${marked}`);
        }
        if (!inView(control)) {
            problems.push(`${control.name} is outside the screen`);
        }
        order.push([control.tagName.toLowerCase(), control.type, control.required].join(" "));
    }
    const expected = %s;
    if (JSON.stringify(order) !== JSON.stringify(expected)) {
        problems.push("fields: " + JSON.stringify(order));
    }
    if (!form.querySelector(".o_complaint_required_note")) {
        problems.push("no note on the required marks");
    }
}"""
FIELDS = [
    "input text true",
    "select select-one true",
    "textarea textarea true",
    "input text false",
    "input date false",
    "input file false",
]

STATISTICS = """(problems, {visible, inView}) => {
    for (const table of document.querySelectorAll("#wrap table")) {
        const box = table.parentElement;
        if (table.getBoundingClientRect().width > window.innerWidth ||
                box.scrollWidth > box.clientWidth + 1) {
            problems.push(`${table.id} is ${table.scrollWidth}px wide`);
        }
    }
    if (window.innerWidth < 576) {
        const cell = document.querySelector("#complaint_statistics_quarters td[data-label]");
        if (!cell || !getComputedStyle(cell, "::before").content.includes(cell.dataset.label)) {
            problems.push("a figure without its column's name");
        }
    }
    // the screenshot shows the first table
    document.querySelector("#complaint_statistics_quarters").scrollIntoView();
}"""


@tagged("post_install", "-at_install")
class TestPhonePages(HttpCase):
    def check(self, url, size, check, ready, name, login=None):
        self.browser_size = size
        code = PAGE % {"check": check, "ready": json.dumps(ready)}
        with final_screenshot(f"phone_{name}_{size.split('x')[0]}_"):
            self.browser_js(url, code, login=login)

    def test_my_tickets_as_cards_on_a_phone(self):
        self.check(
            "/my/tickets", "390x844", TICKETS_PHONE, ".o_complaint_card", "tickets", "lc_patron"
        )

    def test_my_tickets_as_a_table_on_a_laptop(self):
        ready = "#wrap table tbody tr"
        self.check("/my/tickets", "1366x768", TICKETS_LAPTOP, ready, "tickets", "lc_patron")

    def test_new_complaint_on_the_portal_home(self):
        self.check("/my/home", "390x844", HOME, ".o_portal_my_home", "home", "lc_patron")

    def test_both_forms_alike_on_a_phone(self):
        forms = (
            ("/complaint", "form[action='/complaint/submit']", None, "complaint"),
            ("/new/ticket", "form[action$='/submitted/ticket']", "lc_patron", "new_ticket"),
        )
        for url, selector, login, name in forms:
            with self.subTest(url=url):
                check = FORM % (json.dumps(selector), json.dumps(FIELDS))
                self.check(url, "390x844", check, selector, name, login)

    def test_portal_form_on_a_laptop(self):
        check = FORM % (json.dumps("form[action$='/submitted/ticket']"), json.dumps(FIELDS))
        self.check("/new/ticket", "1366x768", check, "form", "new_ticket", "lc_patron")

    def test_statistics_fit_a_phone(self):
        for size in ("390x844", "360x740", "1366x768"):
            with self.subTest(size=size):
                self.check(
                    "/complaints/statistics",
                    size,
                    STATISTICS,
                    "#complaint_statistics_quarters",
                    "statistics",
                )

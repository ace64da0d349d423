"""The public pages meet WCAG 2.1 AA: axe-core (npm, installed by the set-up into
.local/npm) runs in Debian's Chromium on each page a visitor or a patron opens, on
the whole page as it is (Odoo's own header, footer and portal parts included,
nothing excluded), and finds no violation of any impact. Every input has a label;
errors are announced (role="alert"). On failure the test lists each violation, its
rule, its help page and the elements concerned."""

import contextlib
import json
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .tours import final_screenshot

AXE_JS = Path(__file__).resolve().parents[1] / ".local/npm/node_modules/axe-core/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs after axe's source: axe on the whole page, then the labels and the alert;
# console.error fails the test with the list, console.log reports success.
CHECK = """
(async () => {
    const problems = [];
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: %(tags)s},
        resultTypes: ["violations"],
    });
    for (const violation of results.violations) {
        const {impact, id, help, helpUrl} = violation;
        problems.push(`${impact} ${id}: ${help} (${helpUrl})`);
        for (const node of violation.nodes) {
            const summary = (node.failureSummary || "").replace(/\\s*\\n\\s*/g, " ");
            problems.push(`    ${node.target.join(" ")}: ${summary}`);
        }
    }
    const fields = document.querySelectorAll(
        "#wrap input:not([type=hidden]):not([type=submit]), #wrap select, #wrap textarea"
    );
    for (const field of fields) {
        if (!field.labels.length && !field.getAttribute("aria-label")
                && !field.getAttribute("aria-labelledby")) {
            problems.push(`no label: ${field.outerHTML.slice(0, 200)}`);
        }
    }
    const alertText = %(alert)s;
    if (alertText) {
        const alerts = [...document.querySelectorAll("[role=alert]")];
        if (!alerts.some((alert) => alert.textContent.includes(alertText))) {
            problems.push(`the error "${alertText}" is not announced (no role="alert")`);
        }
        const invalid = document.querySelector("#wrap [aria-invalid=true][aria-describedby]");
        const describedBy = invalid && invalid.getAttribute("aria-describedby");
        const message = describedBy && document.getElementById(describedBy);
        if (!message || !message.textContent.includes(alertText)) {
            problems.push(`no field in error (aria-invalid) points to "${alertText}"`);
        }
    }
    if (problems.length) {
        console.error(`axe-core ${axe.version} on ${location.pathname}${location.search}:\\n`
            + problems.join("\\n"));
    } else {
        console.log("test successful");
    }
})();
"""


@contextlib.contextmanager
def axe_in_page():
    """Load axe's source into the page once it is ready, before the test code runs
    (so that the test code, which Odoo logs and quotes on failure, stays short)."""
    wait_ready = ChromeBrowser._wait_ready
    source = AXE_JS.read_text()

    def wait_ready_then_load_axe(browser, ready_code=None, timeout=60):
        ready = wait_ready(browser, ready_code, timeout)
        browser._websocket_request("Runtime.evaluate", params={"expression": source}, timeout=60)
        return ready

    with patch.object(ChromeBrowser, "_wait_ready", wait_ready_then_load_axe):
        yield


@tagged("post_install", "-at_install")
class TestAccessibility(HttpCase):
    """axe-core's WCAG 2.1 A and AA rules on the public pages, with the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.printer = cls.env.ref("library_complaints.ticket_demo_printer")
        cls.outcome = cls.env.ref("library_complaints.outcome_demo_printer")
        patron = cls.env["res.users"].search([("login", "=", "lc_patron")])
        cls.patron_ticket = cls.env["helpdesk.ticket"].search(
            [("partner_id", "=", patron.partner_id.id)], limit=1
        )
        cls.open_ticket = cls.env["helpdesk.ticket"].search(
            [("stage_id.closed", "=", False), ("date_deadline", "!=", False)], limit=1
        )
        # The patron's satisfaction survey on their closed complaint, as invited.
        closed = cls.env["helpdesk.ticket"].search(
            [("partner_id", "=", patron.partner_id.id), ("stage_id.closed", "=", True)], limit=1
        )
        survey = cls.env["survey.survey"]._get_complaint_survey()
        cls.survey_answer = survey._create_answer(
            partner=patron.partner_id, check_attempts=False, ticket_id=closed.id
        )

    def check_page(self, url, login=None, alert=None):
        """axe on ``url``; ``alert``: an error text the page must announce."""
        if not AXE_JS.exists():
            self.fail(f"{AXE_JS} is missing: `./dev setup` installs axe-core with npm")
        code = CHECK % {
            "tags": json.dumps(WCAG_21_AA),
            "alert": json.dumps(alert),
        }
        with axe_in_page(), final_screenshot():
            self.browser_js(url, code, login=login, timeout=120)

    def test_complaint_form(self):
        self.check_page("/complaint")

    def test_status_page(self):
        self.check_page("/complaint/status")

    def test_status_page_with_a_complaint(self):
        self.check_page(f"/complaint/status?code={self.printer.tracking_code}")
        self.check_page(f"/complaint/status?code={self.open_ticket.tracking_code}")

    def test_status_page_announces_a_wrong_code(self):
        self.check_page(
            "/complaint/status?code=AAAAA-BBBBB",
            alert="No complaint has this tracking code. Check the code and try again.",
        )

    def test_outcomes(self):
        self.check_page("/complaints/outcomes")
        self.check_page(f"/complaints/outcomes/{self.outcome.id}")

    def test_patron_portal(self):
        self.check_page("/my/tickets", login="lc_patron")
        self.check_page(f"/my/ticket/{self.patron_ticket.id}", login="lc_patron")
        self.check_page("/new/ticket", login="lc_patron")

    def test_home_pages(self):
        self.check_page("/")
        self.check_page("/my/home", login="lc_patron")

    def test_statistics(self):
        self.check_page("/complaints/statistics")

    def test_satisfaction_survey(self):
        self.check_page(self.survey_answer.get_start_url(), login="lc_patron")
        self.survey_answer._mark_in_progress()
        survey = self.survey_answer.survey_id
        self.check_page(
            f"/survey/{survey.access_token}/{self.survey_answer.access_token}", login="lc_patron"
        )

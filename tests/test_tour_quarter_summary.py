"""The quarterly summary and its analysis as the MT committee member meets them
(lc_committee, in Thai, at 1366 px): the dashboards, the summary's form, the
satisfaction analysis; screenshots kept to look at."""

import json

from odoo.tests import HttpCase, tagged

from .tours import final_screenshot, save_first_page

# Waits for a selector, fails on an error dialog or on a text that must not show.
WAIT_FOR = """
(async () => {
    const [selector, absent] = %s;
    const deadline = Date.now() + 30000;
    while (!document.querySelector(selector)) {
        if (Date.now() > deadline) {
            throw new Error(`${selector} did not render`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (document.querySelector(".o_error_dialog")) {
        throw new Error("an error dialog is shown");
    }
    for (const text of absent) {
        if (document.body.innerText.includes(text)) {
            throw new Error(`the page shows ${text}`);
        }
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestTourQuarterSummary(HttpCase):
    browser_size = "1366x768"

    def look(self, url, selector, name, absent=()):
        with final_screenshot(f"summary_{name}_"):
            self.browser_js(
                url, WAIT_FOR % json.dumps([selector, list(absent)]), login="lc_committee"
            )

    def test_screens(self):
        report = self.env["library.complaint.quarter.report"].search([], limit=1)
        # the PDFs with the letterhead, styled (this server answers wkhtmltopdf)
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        outcome = self.env["library.complaint.outcome"].search(
            [("state", "=", "published")], limit=1
        )
        for ref, records, name in (
            ("library_complaints.action_report_quarter_report", report, "letterhead_summary"),
            ("library_complaints.action_report_outcome_notice", outcome, "letterhead_notice"),
        ):
            pdf, __ = reports._render_qweb_pdf(ref, records.ids)
            save_first_page(pdf, f"{name}_styled", self.env.cr.dbname)
        self.look(
            "/odoo/action-library_complaints.board_action_committee_dashboard",
            ".o-dashboard-action .o_pivot",
            "committee_dashboard",
        )
        self.look(
            f"/odoo/action-library_complaints.library_complaint_quarter_report_action/{report.id}",
            ".o_form_view .o_field_widget[name=received_count]",
            "form",
        )
        self.look(
            "/odoo/action-library_complaints.survey_user_input_action_complaint",
            ".o_pivot",
            "satisfaction",
        )
        self.look(
            "/odoo/action-helpdesk_mgmt.helpdesk_ticket_dashboard_action",
            ".o_kanban_record",
            "team_dashboard",
        )

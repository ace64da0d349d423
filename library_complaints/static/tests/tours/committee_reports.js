import { registry } from "@web/core/registry";
import { NO_ERROR, currentStage, openHelpdesk, openMenu, printReport, save } from "./tour_helpers";

// An MT committee member (lc_committee) opens the committee's dashboard, then the
// summary of the quarter that ended: prints it, writes the recommendations, approves
// it and forwards it to the operating committee. The Python side
// (tests/test_tour_committee.py) leaves two complaints waiting for the committee.

function dashlet(title) {
    return `.o-dashboard-action:has(.o-dashboard-action-header:contains(${title}))`;
}
const WAITING = dashlet("Waiting for the committee");
const SERVICES = dashlet("Complaints per service and division");

function openCommitteeMenu(xmlid) {
    return openMenu(
        "library_complaints.library_complaints_committee_menu",
        `library_complaints.${xmlid}`
    );
}

registry.category("web_tour.tours").add("library_complaints_committee_reports", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openCommitteeMenu("library_complaints_committee_dashboard_menu"),
        // The dashboard: only the complaints waiting for the committee...
        { trigger: `${WAITING} .o_data_row:contains(แอร์ไม่เย็น)` },
        { trigger: `${WAITING} .o_data_row:contains(e-learning room)` },
        { trigger: `${WAITING} .o_list_renderer:not(:has(.o_data_row:contains(ตู้รับคืนหนังสือ)))` },
        // ... and the complaints per service (rows) and division (columns).
        {
            trigger: `${SERVICES} .o_pivot .o_pivot_header_cell_closed:contains(Learning-media service)`,
        },
        { trigger: `${SERVICES} .o_pivot thead :contains(Technology Division)` },
        { trigger: `${SERVICES} .o_pivot:not(:has(:contains(Needs budget)))` },
        { trigger: `${dashlet("Complaints per quarter and track")} .o_graph_renderer canvas` },
        NO_ERROR,
        // A complaint waiting for the committee opens from the dashboard, to read it
        // before the meeting.
        { trigger: `${WAITING} .o_data_row:contains(e-learning room) td[name=name]`, run: "click" },
        { trigger: ".o_breadcrumb .active:contains(e-learning room)" },
        { trigger: ".o_form_view .o_field_widget[name=escalation_level]:contains(MT committee)" },
        NO_ERROR,
        {
            trigger:
                ".o_breadcrumb .breadcrumb-item:not(.active) a:contains(MT committee dashboard)",
            run: "click",
        },
        { trigger: `${WAITING} .o_data_row` },
        // The summary of the quarter that ended
        ...openCommitteeMenu("library_complaint_quarter_report_menu"),
        { trigger: ".o_breadcrumb .active:contains(Quarterly summaries)" },
        { trigger: ".o_action_manager > .o_list_view .o_data_row" },
        // "Generate a summary" proposes the quarter that ended, whose summary exists:
        // it opens it.
        { trigger: ".o_control_panel button:contains(Generate a summary)", run: "click" },
        { trigger: ".modal .o_field_widget[name=title]:contains(quarter)" },
        { trigger: ".modal .o_field_widget[name=report_id]" },
        { trigger: ".modal footer button[name=action_generate]", run: "click" },
        NO_ERROR,
        { trigger: ".o_breadcrumb:contains(Quarterly summaries) .active:contains(quarter)" },
        { trigger: ".o_form_view .o_field_widget[name=received_count]" },
        { trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current" },
        ...printReport(".o_statusbar_buttons button:contains(Print)", "print the summary"),
        // The committee writes its recommendations, approves the summary and forwards
        // it to the operating committee.
        {
            trigger: ".o_field_widget[name=recommendations] .odoo-editor-editable",
            run: "editor Budget the renewal of the e-learning room's computers.",
        },
        ...save(),
        { trigger: "button[name=action_approve]", run: "click" },
        NO_ERROR,
        currentStage("Approved"),
        { trigger: "button[name=action_forward]", run: "click" },
        {
            trigger:
                ".modal .o_mail_composer_form .o_field_widget[name=partner_ids]:contains(Operating committee secretariat)",
        },
        {
            trigger: ".modal button[name=action_send_mail]:not([disabled]):contains(Send)",
            run: "click",
        },
        NO_ERROR,
        {
            trigger:
                "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(Forwarded)",
        },
        {
            trigger:
                "body:not(:has(.o_error_dialog)) .o_form_view .o_field_widget[name=recommendations]:contains(renewal of the e-learning)",
        },
    ],
});

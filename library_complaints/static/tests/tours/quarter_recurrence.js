import { registry } from "@web/core/registry";
import { NO_ERROR, openHelpdesk, openMenu, openTab, printReport, save } from "./tour_helpers";

// An MT committee member (lc_committee) files the root cause of an agenda item under
// a category, then opens the quarterly summary of fiscal 2567 Q3 from the menu: its
// recurring complaints (the automatic entrance door, repeated twice in the quarter)
// and its root causes, most frequent first; and prints it. The Python side
// (tests/test_tour_quarter_recurrence.py) records the quarter and plans the meeting.

const AGENDA = ".o_field_widget[name=item_ids]";
const AIRCON = `${AGENDA} .o_data_row:contains(แอร์ไม่เย็น)`;
const GROUPS = ".o_field_widget[name=recurrence_line_ids]";
const CAUSES = ".o_field_widget[name=cause_line_ids]";
const DOOR = `${GROUPS} .o_data_row:contains(ประตูทางเข้าอัตโนมัติปิดไม่สนิท)`;

function openCommitteeMenu(xmlid) {
    return openMenu(
        "library_complaints.library_complaints_committee_menu",
        `library_complaints.${xmlid}`
    );
}

registry.category("web_tour.tours").add("library_complaints_quarter_recurrence", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        // The meeting's agenda: the air conditioning's root cause, filed under a category
        ...openCommitteeMenu("library_complaint_meeting_menu"),
        { trigger: ".o_kanban_record:contains(MT committee meeting 3/2569)", run: "click" },
        // the agenda item's own form, in a dialog
        { trigger: `${AIRCON} td[name=ticket_id]`, run: "click" },
        {
            trigger: `.modal .o_form_view .o_field_widget[name=root_cause] textarea`,
            run: "edit The compressor is worn out",
        },
        {
            trigger: `.modal .o_form_view .o_field_widget[name=cause_id] input`,
            run: "edit Facilities",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Facilities and building)",
            run: "click",
        },
        { content: "save the item", trigger: ".modal .o_form_button_save", run: "click" },
        { content: "the item's form closed", trigger: "body:not(:has(.modal))" },
        ...save(),
        // The quarterly summary of the quarter
        ...openCommitteeMenu("library_complaint_quarter_report_menu"),
        { trigger: ".o_breadcrumb .active:contains(Quarterly summaries)" },
        { trigger: ".o_list_view .o_data_row:contains(FY2567-Q3) td[name=name]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=quarter_code]:contains(FY2567-Q3)" },
        openTab("Recurring complaints"),
        // The recurring group: the door, repeated twice this quarter, twice in all
        { trigger: `${DOOR} td[name=count]:contains(2)` },
        { trigger: `${DOOR} td[name=total_count]:contains(2)` },
        { trigger: `${DOOR} td[name=decision]:contains(Approved)` },
        // The Pareto: the equipment first (a decision and the recurring group)
        { trigger: `${CAUSES} .o_data_row:first-child:contains(Equipment and IT systems)` },
        { trigger: `${CAUSES} .o_data_row:first-child td[name=count]:contains(2)` },
        {
            trigger: `${CAUSES} .o_data_row:contains(Facilities and building) td[name=cumulative_rate]:contains(100.0)`,
        },
        NO_ERROR,
        ...printReport(".o_statusbar_buttons button:contains(Print)", "print the summary"),
        { trigger: DOOR },
    ],
});

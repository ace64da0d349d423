import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import {
    NO_ERROR,
    currentStage,
    openHelpdesk,
    openMenu,
    openTab,
    printReport,
    save,
} from "./tour_helpers";

const { DateTime } = luxon;

// The MT committee's secretary (lc_committee) plans a meeting, puts the proposed
// complaints on its agenda, records what the committee found and decided, marks the
// meeting as held, writes and approves the minutes and prints them. The Python side
// (tests/test_tour_committee.py) proposes two complaints first: the e-learning room's
// slow computers and the reading room's air conditioning.
const AGENDA = ".o_field_widget[name=item_ids]";
const COMPUTERS = `${AGENDA} .o_data_row:contains(e-learning room)`;
const AIRCON = `${AGENDA} .o_data_row:contains(แอร์ไม่เย็น)`;
const ITEM = ".modal .o_form_view";

/** Click the agenda row: the agenda item's own form opens. */
function openItem(row) {
    return [
        { content: "open the agenda item", trigger: `${row} td[name=ticket_id]`, run: "click" },
        { content: "the item's form", trigger: `${ITEM} .o_field_widget[name=root_cause]` },
    ];
}

function edit(field, text) {
    return {
        trigger: `${ITEM} .o_field_widget[name=${field}] :is(input, textarea)`,
        run: `edit ${text}`,
    };
}

function decide(label) {
    return {
        content: `decide: ${label}`,
        trigger: `${ITEM} .o_field_widget[name=decision] .o_radio_item:contains(${label}) input`,
        run: "click",
    };
}

/** Save the item's form: the dialog closes, back on the meeting. */
function closeItem() {
    return [
        { content: "save the item", trigger: ".modal .o_form_button_save", run: "click" },
        { content: "the item's form closed", trigger: "body:not(:has(.modal))" },
        NO_ERROR,
    ];
}

registry.category("web_tour.tours").add("library_complaints_committee_meeting", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "library_complaints.library_complaints_committee_menu",
            "library_complaints.library_complaint_meeting_menu",
            "MT Committee > MT committee meetings"
        ),
        { trigger: ".o_kanban_view .o_kanban_renderer" },
        { trigger: ".o_control_panel_main_buttons .o-kanban-button-new", run: "click" },
        // The meeting: today at 09:00, in the meeting room
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit MT committee meeting 2/2569",
        },
        {
            trigger: ".o_field_widget[name=date_start] input",
            run: `edit ${formatDateTime(DateTime.now().set({ hour: 9, minute: 0, second: 0 }))}`,
        },
        { trigger: ".o_field_widget[name=location] input", run: "edit Meeting room, 4th floor" },
        ...save(),
        // The proposed complaints came on the agenda with the new meeting.
        { trigger: COMPUTERS },
        { trigger: AIRCON },
        // One is taken off by mistake...
        { trigger: `${AIRCON} .o_list_record_remove`, run: "click" },
        { trigger: `${AGENDA}:not(:has(.o_data_row:contains(แอร์ไม่เย็น)))` },
        ...save(),
        { trigger: `${AGENDA}:not(:has(.o_data_row:contains(แอร์ไม่เย็น)))` },
        // ... and "Add proposed complaints" brings back every proposed complaint.
        { trigger: "button[name=action_load_proposals]", run: "click" },
        NO_ERROR,
        { trigger: AIRCON },
        { trigger: COMPUTERS },
        // What the committee found and decided on the computers, in the item's form
        ...openItem(COMPUTERS),
        edit("root_cause", "The computers are eight years old"),
        edit("solution", "Replace the 20 computers of the e-learning room"),
        edit("prevention", "Renew the computers every five years in the budget plan"),
        edit("budget_estimate", "450000"),
        decide("Approved"),
        edit("responsible_id", "สมชาย"),
        { trigger: ".o-autocomplete--dropdown-item:contains(สมชาย ใจดี)", run: "click" },
        ...closeItem(),
        // The air conditioning waits for the next meeting.
        ...openItem(AIRCON),
        decide("Deferred to the next meeting"),
        ...closeItem(),
        ...save(),
        { trigger: `${COMPUTERS}:contains(Approved)` },
        { trigger: `${AIRCON}:contains(Deferred to the next meeting)` },
        // Invite the members, hold the meeting
        { trigger: "button[name=action_schedule]", run: "click" },
        NO_ERROR,
        { trigger: "button[name=action_mark_held]", run: "click" },
        { trigger: ".modal-footer .btn-primary", run: "click" },
        NO_ERROR,
        currentStage("Held"),
        { trigger: `${COMPUTERS}:contains(Approved)` },
        // The secretary writes the minutes; the committee approves them.
        openTab("Minutes"),
        {
            trigger: ".o_field_widget[name=minutes] .odoo-editor-editable",
            run: "editor The committee approved the new computers and deferred the air conditioning.",
        },
        ...save(),
        { trigger: "button[name=action_approve_minutes]", run: "click" },
        NO_ERROR,
        currentStage("Minutes approved"),
        { trigger: ".o_field_widget[name=minutes]:contains(deferred the air conditioning)" },
        openTab("Agenda"),
        ...printReport(".o_statusbar_buttons button:contains(Print the minutes)", "print the minutes"),
        {
            trigger:
                "body:not(:has(.o_error_dialog)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains(Minutes approved)",
        },
        {
            trigger: `body:not(:has(.o_error_dialog)) ${AIRCON}:contains(Deferred to the next meeting)`,
        },
    ],
});

/**
 * Triage (#25), as `lc_staff` in Thai: open To Triage from the menu, read a whole
 * title, put a complaint on a track from the list and start it from its row; open
 * another from the list, read the next step on its form, choose its track and service
 * and start it from the form; look at the queue as a graph and a pivot. The
 * complaints are prepared by tests/test_tour_triage.py, which checks what was stored.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR, openMenu, save, selectMany2one } from "./tour_helpers";

// Kept in step with tests/test_tour_triage.py.
const LIST_TITLE =
    "เครื่องยืมคืนหนังสืออัตโนมัติชั้น 1 ไม่อ่านบัตรนักศึกษา ผู้ใช้บริการต้องต่อคิวยืมที่เคาน์เตอร์";
const FORM_TITLE = "ไฟทางเดินระหว่างชั้นหนังสือชั้น 5 ดับหลายดวง";
const TRACK_1 = "1. เร่งด่วน";
const SERVICE = "งานบริการสารสนเทศ";
const STAFF_NAME = "สมชาย ใจดี";

const rowOf = (title) => `.o_data_row:has(td[name=name]:contains(${title}))`;
const row = (title) => `.o_list_view ${rowOf(title)}`;

/** The cell shows the whole text, not cut with an ellipsis. */
function readWhole(trigger, text, content) {
    return {
        content,
        trigger,
        run({ anchor }) {
            const shown = anchor.textContent.trim();
            if (shown !== text) {
                throw new Error(`the cell reads "${shown}"`);
            }
            if (anchor.scrollWidth > anchor.clientWidth + 1) {
                throw new Error(
                    `the title is cut: ${anchor.clientWidth}px of ${anchor.scrollWidth}px`
                );
            }
        },
    };
}

registry.category("web_tour.tours").add("library_complaints_staff_triage", {
    url: "/odoo/complaints",
    steps: () => [
        // the first page may take a while on a busy machine
        {
            content: "the complaints kanban",
            trigger: ".o_kanban_view .o_kanban_record",
            timeout: 60000,
        },
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_to_triage_menu",
            "open the complaints to triage"
        ),
        // A readable list: the title first, only what triage needs.
        {
            content: "the title is the first column",
            trigger: ".o_list_view thead th.o_list_record_selector + th[data-name=name]",
        },
        {
            content: "no stars, tags, stage or working days left in the queue",
            trigger:
                ".o_list_view:not(:has(th[data-name=priority], th[data-name=tag_ids], th[data-name=stage_id], th[data-name=remaining_working_days]))",
        },
        {
            content: "the columns triage needs",
            trigger:
                ".o_list_view:has(th[data-name=received_date]):has(th[data-name=channel_id]):has(th[data-name=complainant_label]):has(th[data-name=service_id]):has(th[data-name=track_id])",
        },
        NO_ERROR,
        readWhole(`${row(LIST_TITLE)} td[name=name]`, LIST_TITLE, "the whole title reads"),
        {
            content: "an anonymous complaint says so",
            trigger: `${row(LIST_TITLE)} td[name=complainant_label]:contains(ไม่ระบุชื่อ), ${row(LIST_TITLE)} td[name=complainant_label]:contains(Anonymous)`,
        },
        {
            content: "no track: no deadline, and work cannot start yet",
            trigger: `${row(LIST_TITLE)}:not(:has(button[name=action_triage]))`,
            run({ anchor }) {
                const deadline = anchor.querySelector("td[name=date_deadline]");
                if (deadline && deadline.textContent.trim()) {
                    throw new Error(`a deadline before the track: ${deadline.textContent}`);
                }
            },
        },
        // The track from the list (multi-edit on the selected row), then "Start work".
        {
            content: "select the complaint",
            trigger: `${row(LIST_TITLE)} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "edit its track in the list",
            trigger: `${row(LIST_TITLE)} td[name=track_id]`,
            run: "click",
        },
        ...selectMany2one("track_id", "เร่งด่วน", TRACK_1, row(LIST_TITLE)),
        {
            // with one row selected the list may save the change at once: then
            // there is no Save button left to press
            content: "save the row (unless the list saved it already)",
            trigger: `.o_list_button_save:enabled, ${row(LIST_TITLE)}:not(.o_selected_row) td[name=track_id]:contains(${TRACK_1})`,
            run({ anchor }) {
                if (anchor.matches(".o_list_button_save")) {
                    anchor.click();
                }
            },
        },
        NO_ERROR,
        {
            content: "the track is saved: the deadline shows",
            trigger: `${row(LIST_TITLE)}:not(.o_selected_row) td[name=track_id]:contains(${TRACK_1})`,
            run({ anchor }) {
                const deadline = anchor.closest("tr").querySelector("td[name=date_deadline]");
                if (!deadline.textContent.trim()) {
                    throw new Error("no deadline once the track is set");
                }
            },
        },
        {
            content: "start work from the row",
            trigger: `${row(LIST_TITLE)} button[name=action_triage]`,
            run: "click",
        },
        {
            content: "started: it leaves To Triage",
            trigger: `.o_list_view:has(${rowOf(FORM_TITLE)}):not(:has(${rowOf(LIST_TITLE)}))`,
        },
        NO_ERROR,
        // Another from its form: the next step is written on it.
        {
            content: "open a complaint that came by phone",
            trigger: `${row(FORM_TITLE)} td[name=name]`,
            run: "click",
        },
        {
            content: "the form tells the next step",
            trigger: ".o_form_view div[name=triage_hint] .o_field_widget:not(:empty)",
        },
        {
            content: "no “Start work” before the track and the service",
            trigger: ".o_form_view:not(:has(button[name=action_triage]))",
        },
        {
            content: "the status bar: To Triage first, no unused “New”",
            trigger: ".o_statusbar_status:not(:has(button:contains(ใหม่))):not(:has(button:contains(New)))",
        },
        ...selectMany2one("track_id", "เร่งด่วน", TRACK_1),
        ...selectMany2one("service_id", "สารสนเทศ", SERVICE),
        ...save(),
        {
            content: "triaged: the next step is to start",
            trigger: ".o_form_view div[name=triage_hint] .o_field_widget:not(:empty)",
        },
        { content: "start work", trigger: ".o_form_view button[name=action_triage]", run: "click" },
        {
            content: "in progress",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(กำลังดำเนินการ)",
        },
        {
            content: "the starter owns it",
            trigger: `.o_form_view .o_field_widget[name=user_id] input:value(${STAFF_NAME}), .o_form_view .o_field_widget[name=user_id]:contains(${STAFF_NAME})`,
        },
        {
            content: "no more hint once started",
            trigger: ".o_form_view:not(:has(div[name=triage_hint]))",
        },
        NO_ERROR,
        // The queue as a graph and a pivot, then the list again.
        {
            content: "back to To Triage",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "the complaint left the queue",
            trigger: `.o_list_view:not(:has(${rowOf(FORM_TITLE)}))`,
        },
        { content: "the graph", trigger: ".o_switch_view.o_graph", run: "click" },
        { content: "a chart", trigger: ".o_graph_renderer canvas" },
        NO_ERROR,
        { content: "the pivot", trigger: ".o_switch_view.o_pivot", run: "click" },
        { content: "a table", trigger: ".o_pivot table .o_pivot_cell_value" },
        NO_ERROR,
        { content: "the list again", trigger: ".o_switch_view.o_list", run: "click" },
        { content: "the queue", trigger: ".o_list_view .o_data_row td[name=name]" },
        NO_ERROR,
    ],
});

// On a phone: To Triage opens as cards, each title whole.
registry.category("web_tour.tours").add("library_complaints_staff_triage_phone", {
    url: "/odoo/complaints-to-triage",
    steps: () => [
        {
            content: "the queue as cards",
            trigger: `.o_kanban_view .o_kanban_record:contains(${LIST_TITLE})`,
            timeout: 60000,
        },
        NO_ERROR,
        {
            content: "the whole title reads on the card",
            trigger: `.o_kanban_record:contains(${LIST_TITLE})`,
            run({ anchor }) {
                const title = [...anchor.querySelectorAll("*")].find(
                    (el) => !el.children.length && el.textContent.trim() === LIST_TITLE
                );
                if (!title || title.scrollWidth > title.clientWidth + 1) {
                    throw new Error("the title is cut on the card");
                }
            },
        },
        {
            content: "a triaged complaint can be started from its card",
            trigger: ".o_kanban_record button[name=action_triage]",
        },
    ],
});

// On a phone, a card opens the form, which tells the next step.
registry.category("web_tour.tours").add("library_complaints_staff_triage_phone_form", {
    url: "/odoo/complaints-to-triage",
    steps: () => [
        {
            content: "open the complaint",
            trigger: `.o_kanban_record:contains(${FORM_TITLE})`,
            run: "click",
            timeout: 60000,
        },
        {
            content: "the form tells the next step",
            trigger: ".o_form_view div[name=triage_hint] .o_field_widget:not(:empty)",
        },
        NO_ERROR,
    ],
});

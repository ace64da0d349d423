import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { NO_ERROR, openHelpdesk, openMenu, save } from "./tour_helpers";

const { DateTime } = luxon;

// The MT committee's secretary (lc_committee, in Thai, at 1366 px) plans a meeting
// with its date in the Buddhist era; "Add proposed complaints" says that the proposed
// complaints already sit on the demo's next meeting; there the secretary opens an
// agenda item's own form, reads why staff could not fix it, and writes cause,
// solution and prevention. The Python side (tests/test_tour_committee_agenda.py)
// proposes the complaint "cannot fix" first and reads back what was stored.
const NEXT_MEETING = "ประชุมคณะกรรมการ MT ครั้งที่ 1";
const NEW_MEETING = "ประชุมคณะกรรมการ MT ครั้งที่ 2";
const CANNOT_FIX = "ชั้นหนังสือชั้น 3 โยก";
const AGENDA = ".o_field_widget[name=item_ids]";
const ITEM = ".modal .o_form_view";

function edit(field, text) {
    return {
        content: `write the ${field}`,
        trigger: `${ITEM} .o_field_widget[name=${field}] textarea`,
        run: `edit ${text}`,
    };
}

registry.category("web_tour.tours").add("library_complaints_committee_agenda_item", {
    url: "/odoo",
    steps: () => {
        // Next month, 09:00, in the user's time zone; its Buddhist-era year
        const meetingDate = DateTime.now()
            .plus({ months: 1 })
            .set({ hour: 9, minute: 0, second: 0 });
        const beYear = String(meetingDate.year + 543);
        return [
            ...openHelpdesk(),
            ...openMenu(
                "library_complaints.library_complaints_committee_menu",
                "library_complaints.library_complaint_meeting_menu",
                "the committee's meetings"
            ),
            {
                content: "the four states of the meetings fit the screen",
                trigger: ".o_kanban_view .o_kanban_renderer .o_kanban_group:nth-child(4)",
                run(helpers) {
                    const right = helpers.anchor.getBoundingClientRect().right;
                    if (right > window.innerWidth) {
                        throw new Error(`the 4th column ends at ${right} px of ${window.innerWidth}`);
                    }
                },
            },
            { trigger: ".o_control_panel_main_buttons .o-kanban-button-new", run: "click" },
            {
                trigger: ".o_form_view .o_field_widget[name=name] input",
                run: `edit ${NEW_MEETING}`,
            },
            {
                content: "the date typed as the input shows it (Buddhist era)",
                trigger: ".o_field_widget[name=date_start] input",
                run: `edit ${formatDateTime(meetingDate)}`,
            },
            { trigger: ".o_field_widget[name=location] input", run: "edit ห้องประชุม ชั้น 4" },
            {
                content: "the date shows the Buddhist-era year",
                trigger: ".o_field_widget[name=date_start]",
                run(helpers) {
                    const shown =
                        helpers.anchor.querySelector("input")?.value || helpers.anchor.textContent;
                    if (!shown.includes(beYear)) {
                        throw new Error(`the date shows "${shown}", not the year ${beYear}`);
                    }
                },
            },
            { trigger: ".o_field_widget[name=date_start] button", run: "click" },
            {
                content: "the picker counts in the Buddhist era",
                trigger: `.o_datetime_picker .o_datetime_picker_header:contains(${beYear})`,
            },
            {
                content: "the date being edited too",
                trigger: `.o_field_widget[name=date_start] input:value(${beYear})`,
            },
            { trigger: ".o_form_view .o_field_widget[name=name] input", run: "click" },
            { trigger: "body:not(:has(.o_datetime_picker))" },
            ...save(),
            // The proposed complaints already sit on the next meeting's agenda: the
            // button says so, and where.
            { trigger: `${AGENDA}:not(:has(.o_data_row))` },
            { trigger: "button[name=action_load_proposals]", run: "click" },
            { trigger: `.o_notification:contains(${NEXT_MEETING}):contains(${CANNOT_FIX})` },
            NO_ERROR,
            // On that meeting, the complaint staff could not fix
            { trigger: ".o_breadcrumb .breadcrumb-item.o_back_button", run: "click" },
            {
                trigger: `.o_kanban_record:contains(${NEXT_MEETING})`,
                run: "click",
            },
            {
                content: "the agenda shows the complaint's title",
                trigger: `${AGENDA} .o_data_row td[name=ticket_id]:contains(${CANNOT_FIX})`,
                run: "click",
            },
            {
                content: "the item's form shows why staff could not fix it",
                trigger: `${ITEM} .o_field_widget[name=cannot_fix_reason]:contains(ผู้รับเหมา)`,
            },
            edit("root_cause", "ขาที่ยึดชั้นหนังสือหลวมเพราะใช้งานมานาน"),
            edit("solution", "จ้างผู้รับเหมาเปลี่ยนขายึดชั้นหนังสือชั้น 3"),
            edit("prevention", "ตรวจชั้นหนังสือทุกภาคการศึกษา"),
            { content: "save the item", trigger: ".modal .o_form_button_save", run: "click" },
            { content: "the item's form closed", trigger: "body:not(:has(.modal))" },
            ...save(),
            // Open again: what was written is there
            {
                trigger: `${AGENDA} .o_data_row td[name=ticket_id]:contains(${CANNOT_FIX})`,
                run: "click",
            },
            {
                trigger: `${ITEM} .o_field_widget[name=prevention] textarea:value(ตรวจชั้นหนังสือทุกภาคการศึกษา)`,
            },
            NO_ERROR,
        ];
    },
});

// The same item's form on a phone (390 px): opened from the meeting's agenda
registry.category("web_tour.tours").add("library_complaints_committee_agenda_item_phone", {
    steps: () => [
        {
            content: "on a phone the agenda is a list of cards",
            trigger: `${AGENDA} .o_kanban_record:contains(${CANNOT_FIX})`,
            run: "click",
        },
        { trigger: `${ITEM} .o_field_widget[name=cannot_fix_reason]:contains(ผู้รับเหมา)` },
        { trigger: `${ITEM} .o_field_widget[name=root_cause] textarea` },
        NO_ERROR,
    ],
});

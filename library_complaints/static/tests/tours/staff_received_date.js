/**
 * A complaint taken by phone and recorded later (#14), as `lc_staff` in the backend:
 * open it from the complaints, type the day it was really received, save; the deadline
 * moves and the change is in the chatter. The date is typed in the user's own
 * date format (English or Thai), as the datetime field parses it.
 */
import { formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { NO_ERROR, openMenu, save } from "./tour_helpers";

const TITLE = "Tour RD phone call about the broken lift";
const WALK_IN_TITLE = "Tour RD walk-in about the noisy air conditioner";

/** Open the form's received date and type `text` in it. */
function typeReceivedDate(text) {
    return [
        {
            content: "the received date is editable: open it",
            trigger:
                ".o_form_view .o_field_widget[name=received_date]:not(.o_readonly_modifier) button",
            run: "click",
        },
        {
            content: "type the day the complaint was really received",
            trigger: ".o_form_view .o_field_widget[name=received_date] input",
            run: `click && edit ${text} && click body`,
        },
    ];
}

registry.category("web_tour.tours").add("library_complaints_staff_received_date", {
    url: "/odoo",
    steps: () => {
        // A week ago at 09:30, in the browser's time zone, as the user would type it.
        const received = luxon.DateTime.now()
            .minus({ days: 7 })
            .set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
        const typed = formatDateTime(received);
        let deadlineBefore = null;
        return [
            ...openMenu(
                "library_complaints.library_complaints_main_menu",
                "library_complaints.library_complaints_all_menu",
                "all complaints"
            ),
            {
                content: "open the phone complaint, waiting for triage",
                trigger: `.o_kanban_record:contains(${TITLE})`,
                run: "click",
            },
            NO_ERROR,
            {
                content: "the deadline counts from the moment it was recorded",
                trigger: ".o_form_view .o_field_widget[name=date_deadline]:not(:empty)",
                run({ anchor }) {
                    deadlineBefore = anchor.textContent.trim();
                },
            },
            ...typeReceivedDate(typed),
            ...save(),
            {
                content: "the deadline moved with the received date",
                trigger: ".o_form_view .o_form_saved",
                async run() {
                    const field = () =>
                        document.querySelector(".o_field_widget[name=date_deadline]");
                    for (let tries = 0; tries < 50; tries++) {
                        if (field() && field().textContent.trim() !== deadlineBefore) {
                            return;
                        }
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    throw new Error(`the deadline is still ${deadlineBefore}`);
                },
            },
            {
                content: "the change is tracked in the chatter",
                trigger: `.o-mail-Message .o-mail-Message-trackingNew:contains(${typed})`,
                run({ anchor }) {
                    anchor.scrollIntoView({ block: "center" });
                },
            },
            {
                content: "the complaint still waits for triage: the date stays editable",
                trigger:
                    ".o_form_view .o_field_widget[name=received_date]:not(.o_readonly_modifier) button",
            },
            NO_ERROR,
        ];
    },
});

// A walk-in complaint recorded after the patron left: "Record a Complaint", with the
// moment the patron came to the desk.
registry.category("web_tour.tours").add("library_complaints_staff_received_date_walk_in", {
    url: "/odoo",
    steps: () => {
        const received = luxon.DateTime.now()
            .minus({ days: 2 })
            .set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
        return [
            ...openMenu(
                "library_complaints.library_complaints_main_menu",
                "library_complaints.library_complaints_record_menu",
                "record a complaint"
            ),
            {
                content: "type the title",
                trigger: ".o_form_view .o_field_widget[name=name] input",
                run: `edit ${WALK_IN_TITLE}`,
            },
            {
                content: "describe the problem",
                trigger: ".o_field_widget[name=description] .odoo-editor-editable",
                run: "editor The air conditioner in the reading room rattles all day.",
            },
            ...typeReceivedDate(formatDateTime(received)),
            ...save(),
            {
                content: "recorded, waiting for triage: the date can still be corrected",
                trigger:
                    ".o_form_view .o_field_widget[name=received_date]:not(.o_readonly_modifier) button",
            },
            NO_ERROR,
        ];
    },
});

/**
 * Recurrence (#15), as `lc_staff` in the backend: record a complaint that repeats a demo
 * complaint in other words, see the earlier complaint suggested on the "Similar
 * complaints" tab, and link the new one as its recurrence.
 */
import { registry } from "@web/core/registry";
import {
    NO_ERROR,
    openHelpdesk,
    openMenu,
    openTab,
    save,
    selectMany2one,
} from "./tour_helpers";

const EARLIER = "ห้องอ่านหนังสือชั้น 2 แอร์ไม่เย็น";
const SUGGESTIONS = ".o_field_widget[name=similar_complaint_ids]";

registry.category("web_tour.tours").add("library_complaints_staff_recurrence", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_all_menu",
            "all complaints"
        ),
        { content: "the complaints kanban", trigger: ".o_kanban_view .o_kanban_group" },
        { content: "new complaint", trigger: ".o-kanban-button-new", run: "click" },
        {
            content: "type the title: a repeat, in other words",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit แอร์ห้องอ่านหนังสือชั้น 2 ไม่เย็นอีกแล้ว",
        },
        {
            content: "describe the problem",
            trigger: ".o_field_widget[name=description] .odoo-editor-editable",
            run: "editor เครื่องปรับอากาศห้องอ่านหนังสือชั้น 2 ไม่เย็นอีกครั้ง",
        },
        ...selectMany2one("service_id", "Informat", "Information service"),
        ...selectMany2one("team_id", "Library Service", "Library Service Desk"),
        ...save(),
        openTab("Similar complaints"),
        {
            content: "the earlier complaint is suggested first, with its outcome column",
            trigger: `${SUGGESTIONS} .o_data_row:first-child:contains(${EARLIER})`,
        },
        {
            content: "link the complaint as a recurrence of it",
            trigger: `${SUGGESTIONS} .o_data_row:first-child:contains(${EARLIER}) button[name=action_link_recurrence]`,
            run: "click",
        },
        NO_ERROR,
        {
            content: "the complaint now repeats the earlier one",
            trigger: `.o_field_widget[name=recurrence_of_id] input:value(${EARLIER})`,
        },
        {
            content: "the group counts one recurrence",
            trigger: ".o_field_widget[name=recurrence_count]:contains(1)",
        },
        {
            content: "the earlier complaint is no longer suggested",
            trigger: `.o_notebook:not(:has(${SUGGESTIONS} .o_data_row:contains(${EARLIER})))`,
        },
        {
            content: "the link is in the chatter",
            trigger: `.o-mail-Message:contains(${EARLIER})`,
        },
        NO_ERROR,
    ],
});

/**
 * Publishing an outcome in one dialog (#25), as `lc_staff` reading Thai: an anonymous
 * complaint is triaged onto track 1, fixed on the spot, and its outcome published from
 * the one dialog: "What was done" carried over from the fix, what was found and what
 * will prevent it typed in the dialog, email and noticeboard preset from the service.
 */
import { registry } from "@web/core/registry";
import {
    NO_ERROR,
    confirmDialog,
    openMenu,
    printReport,
    save,
    selectMany2one,
} from "./tour_helpers";

const TITLE = "ทัวร์ เสียงดังในโซนเงียบ";
const FIXED = "ขอให้กลุ่มนักศึกษาย้ายไปใช้ห้องประชุมกลุ่ม";
const FOUND = "นักศึกษากลุ่มหนึ่งคุยเสียงดังในโซนอ่านหนังสือเงียบ";
const PREVENTION = "เจ้าหน้าที่เดินตรวจโซนเงียบทุกชั่วโมง";
const SUMMARY = "เสียงดังในโซนอ่านหนังสือเงียบ";

/** The textarea of the field `name` (in `scope`) holds `text`. */
function dialogText(name, text, scope = ".modal") {
    return {
        content: `${name} says "${text}"`,
        trigger: `${scope} .o_field_widget[name=${name}] textarea`,
        run(helpers) {
            const value = helpers.anchor.value;
            if (!value.includes(text)) {
                throw new Error(`${name} is "${value}", not "${text}"`);
            }
        },
    };
}

registry.category("web_tour.tours").add("library_complaints_staff_publish_one_dialog", {
    url: "/odoo/complaints",
    steps: () => [
        { content: "the complaints", trigger: ".o_kanban_view .o_kanban_record" },
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_to_triage_menu",
            "the complaints to triage"
        ),
        {
            content: "open the anonymous complaint",
            trigger: `.o_list_view .o_data_row td[name=name]:contains(${TITLE})`,
            run: "click",
        },
        { content: "it is anonymous", trigger: ".o_form_view .ribbon" },
        NO_ERROR,
        ...selectMany2one("track_id", "1. เร่ง", "1. เร่งด่วน"),
        ...save(),
        { content: "start work", trigger: "button[name=action_triage]", run: "click" },
        {
            content: "fixed on the spot",
            trigger: "button[name=action_fix_on_the_spot]",
            run: "click",
        },
        {
            content: "say what was done",
            trigger: ".modal .o_field_widget[name=resolution] textarea",
            run: `edit ${FIXED}`,
        },
        ...confirmDialog(),
        {
            content: "the next step: publish the outcome",
            trigger: "button.btn-primary[name=action_publish_outcome]",
            run: "click",
        },
        { content: "the one dialog", trigger: ".modal .o_library_complaint_outcome_wizard" },
        dialogText("done", FIXED),
        {
            content: "nobody to tell directly",
            trigger: ".modal .o_field_widget[name=send_direct] input:not(:checked):disabled",
        },
        {
            content: "on the website",
            trigger: ".modal .o_field_widget[name=send_website] input:checked",
        },
        {
            content: "by email, to the service's audience",
            trigger: ".modal .o_field_widget[name=send_email] input:checked",
        },
        {
            content: "the service's mailing list is preset",
            trigger: ".modal .o_field_widget[name=audience_ids] .o_tag:contains(รายชื่ออีเมลผู้ใช้บริการสารสนเทศ)",
        },
        {
            content: "on the noticeboard",
            trigger: ".modal .o_field_widget[name=send_noticeboard] input:checked",
        },
        {
            content: "the service's noticeboard is preset",
            trigger: ".modal .o_field_widget[name=location_ids] .o_tag:contains(หน้าทางเข้าห้องสมุด)",
        },
        ...selectMany2one("location_ids", "มุมกาแฟ", "บอร์ดมุมกาแฟ", ".modal", true),
        {
            content: "a summary without anyone's identity",
            trigger: ".modal .o_field_widget[name=outcome_title] input",
            run: `edit ${SUMMARY}`,
        },
        {
            content: "what was found",
            trigger: ".modal .o_field_widget[name=found] textarea",
            run: `edit ${FOUND}`,
        },
        {
            content: "what will prevent it",
            trigger: ".modal .o_field_widget[name=prevention] textarea",
            run: `edit ${PREVENTION}`,
        },
        // Publishing downloads the notice (wkhtmltopdf: slow on a busy machine).
        ...printReport(".modal button[name=action_publish]", "publish"),
        { content: "the dialog closed", trigger: "body:not(:has(.modal))" },
        NO_ERROR,
        {
            content: "published: it can be announced again",
            trigger: "button[name=action_publish_outcome]:not(.btn-primary)",
        },
        {
            content: "the outcome tab",
            trigger: ".o_notebook .nav-link[name=outcome]",
            run: "click",
        },
        dialogText("outcome_found", FOUND, ".o_form_view"),
        {
            content: "the one “What was done”",
            trigger: `.o_field_widget[name=resolution]:contains(${FIXED})`,
        },
        {
            content: "each noticeboard is logged",
            trigger: ".o_field_widget[name=notice_ids] .o_data_row:contains(บอร์ดมุมกาแฟ)",
        },
        NO_ERROR,
    ],
});

// The dialog as it opens on a complaint fixed on the spot (screenshots at 1366 and 390 px).
registry.category("web_tour.tours").add("library_complaints_staff_publish_dialog", {
    url: "/odoo",
    steps: () => [
        {
            content: "open the publication dialog of the fixed complaint",
            trigger: ".o_main_navbar",
            async run() {
                const env = odoo.__WOWL_DEBUG__.root.env;
                const [ticket] = await env.services.orm.searchRead(
                    "helpdesk.ticket",
                    [["name", "=", TITLE]],
                    ["id"]
                );
                await env.services.action.doAction("library_complaints.helpdesk_ticket_action_complaints", {
                    props: { resId: ticket.id },
                    viewType: "form",
                });
            },
        },
        {
            content: "the complaint; publish the outcome (its header button)",
            trigger: ".o_form_view .o_form_sheet .o_field_widget[name=name]",
            async run() {
                const env = odoo.__WOWL_DEBUG__.root.env;
                const [ticket] = await env.services.orm.searchRead(
                    "helpdesk.ticket",
                    [["name", "=", TITLE]],
                    ["id"]
                );
                const action = await env.services.orm.call(
                    "helpdesk.ticket",
                    "action_publish_outcome",
                    [[ticket.id]]
                );
                await env.services.action.doAction({ ...action, views: [[false, "form"]] });
            },
        },
        { content: "the one dialog", trigger: ".modal .o_library_complaint_outcome_wizard" },
        dialogText("done", FIXED),
        {
            content: "the service's noticeboard is preset",
            trigger: ".modal .o_field_widget[name=location_ids] .o_tag",
        },
        NO_ERROR,
    ],
});

/**
 * The staff journey (#11), as `lc_staff` in the backend: record a complaint from the
 * kanban, triage it onto each of the four tracks, fix a track 1 complaint on the spot,
 * write "What was done", press "Cannot fix", publish outcomes (direct, and anonymous
 * with the noticeboard notice).
 */
import { registry } from "@web/core/registry";
import {
    NO_ERROR,
    answerDialog,
    confirmDialog,
    currentStage,
    openHelpdesk,
    openMenu,
    openTab,
    printReport,
    save,
    selectMany2one,
} from "./tour_helpers";

/** From the complaints kanban: "New", fill the form, save; the complaint waits for triage. */
function recordComplaint({ title, description, service, partner }) {
    return [
        { content: "the complaints kanban", trigger: ".o_kanban_view .o_kanban_group" },
        NO_ERROR,
        { content: "new complaint", trigger: ".o-kanban-button-new", run: "click" },
        {
            content: "type the title",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: `edit ${title}`,
        },
        {
            content: "describe the problem",
            trigger: ".o_field_widget[name=description] .odoo-editor-editable",
            run: `editor ${description}`,
        },
        ...selectMany2one("service_id", service.slice(0, 8), service),
        ...selectMany2one("team_id", "Library Service", "Library Service Desk"),
        ...(partner ? selectMany2one("partner_id", partner.slice(0, 6), partner) : []),
        ...save(),
        currentStage("To Triage"),
        {
            content: "work cannot start before the track is chosen",
            trigger: ".o_form_view:not(:has(button[name=action_triage]))",
        },
    ];
}

/** Choose the track, save, "Start work": the complaint is in progress. */
function triage(track) {
    return [
        ...selectMany2one("track_id", track.slice(0, 5), track),
        ...save(),
        { content: "start work", trigger: "button[name=action_triage]", run: "click" },
        currentStage("In Progress"),
        NO_ERROR,
    ];
}

/** Track 1: "Fixed on the spot", say what was done; the complaint is closed. */
function fixOnTheSpot(resolution) {
    return [
        ...answerDialog("action_fix_on_the_spot", "resolution", resolution, "fixed on the spot"),
        currentStage("Done"),
    ];
}

function backToKanban() {
    return [
        {
            content: "back to the complaints",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Complaints)",
            run: "click",
        },
        { content: "the kanban again", trigger: ".o_kanban_view .o_kanban_record" },
    ];
}

/** "Publish the outcome": the one dialog, with what was found (and what was done, carried
 * over from the complaint, rewritten when `done` is given). */
function publishOutcome(found, done = null) {
    return [
        {
            content: "publish the outcome",
            trigger: "button[name=action_publish_outcome]:contains(Publish the outcome)",
            run: "click",
        },
        { content: "the publication dialog", trigger: ".modal .o_form_view" },
        {
            content: "what was found",
            trigger: ".modal .o_field_widget[name=found] textarea",
            run: `edit ${found}`,
        },
        ...(done
            ? [
                  {
                      content: "what was done about it",
                      trigger: ".modal .o_field_widget[name=done] textarea",
                      run: `edit ${done}`,
                  },
              ]
            : []),
    ];
}

/** The complaint's Outcome tab: what was found, the one "What was done", the notices. */
const OUTCOME_TAB = {
    content: "open the Outcome tab",
    trigger: ".o_notebook .nav-link[name=outcome]",
    run: "click",
};

// Track 1: a complaint from a known patron, fixed on the spot, its outcome told directly.
registry.category("web_tour.tours").add("library_complaints_staff_track_1", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_all_menu",
            "all complaints"
        ),
        ...recordComplaint({
            title: "Tour T1 printer prints blank pages",
            description: "The printer next to the entrance prints blank pages.",
            service: "Learning-media service",
            partner: "ณัฐพงศ์ แก้วมณี",
        }),
        ...triage("1. Urgent"),
        ...fixOnTheSpot("Replaced the empty toner cartridge."),
        {
            content: "no more 'fixed on the spot' once closed",
            trigger: ".o_form_view:not(:has(button[name=action_fix_on_the_spot]))",
        },
        OUTCOME_TAB,
        {
            content: "what was done is on the complaint",
            trigger: ".o_field_widget[name=resolution]:contains(Replaced the empty toner cartridge)",
        },
        ...publishOutcome("The toner cartridge was empty."),
        {
            content: "what was done, as written when it was fixed",
            trigger: ".modal .o_field_widget[name=done] textarea",
            run(helpers) {
                if (!helpers.anchor.value.includes("Replaced the empty toner cartridge")) {
                    throw new Error(`"What was done" is "${helpers.anchor.value}"`);
                }
            },
        },
        {
            content: "a known complainant is told directly",
            trigger: ".modal .o_field_widget[name=send_direct] input:checked",
        },
        {
            content: "not on the noticeboard",
            trigger: ".modal .o_field_widget[name=send_noticeboard] input:not(:checked)",
        },
        ...confirmDialog("action_publish", "publish"),
        {
            content: "the outcome is published: it can be announced again",
            trigger: "button[name=action_publish_outcome]:contains(Announce again)",
        },
        {
            content: "the direct notice is logged",
            trigger: ".o_field_widget[name=notice_ids] .o_data_row:contains(Directly to the complainant)",
        },
        {
            content: "the message to the complainant is in the chatter",
            trigger: ".o-mail-Message:contains(ณัฐพงศ์ แก้วมณี)",
        },
        {
            content: "write the lesson learned",
            trigger: "button[name=action_write_lesson]",
            run: "click",
        },
        {
            content: "the lesson's form, on this complaint, with what was done",
            trigger: ".o_form_view:has(.o_field_widget[name=ticket_id]):contains(Replaced the empty toner cartridge)",
        },
        NO_ERROR,
    ],
});

// Tracks 2, 3 and 4: approvals by the heads, "What was done", "Cannot fix".
registry.category("web_tour.tours").add("library_complaints_staff_tracks", {
    url: "/odoo/complaints",
    steps: () => [
        // Track 2: to both heads for approval.
        ...recordComplaint({
            title: "Tour T2 self-checkout machines are down",
            description: "None of the self-checkout machines accepts a card.",
            service: "Information service",
        }),
        ...triage("2. High impact"),
        {
            content: "track 2 waits for the heads' approval",
            trigger: ".o_field_widget[name=approval_state]:contains(To approve)",
        },
        {
            content: "the work-group head approves first",
            trigger: ".o_field_widget[name=approver_id]:contains(มาลี ศรีสุข)",
        },
        {
            content: "staff cannot approve",
            trigger: ".o_form_view:not(:has(button[name=action_approve]))",
        },
        ...backToKanban(),
        // Track 3: handled by staff; "What was done", then "Cannot fix".
        ...recordComplaint({
            title: "Tour T3 reading room chairs are uncomfortable",
            description: "The chairs in the reading room are broken and uncomfortable.",
            service: "Information service",
            partner: "ณัฐพงศ์ แก้วมณี",
        }),
        ...triage("3. Not urgent"),
        {
            content: "track 3 needs no approval",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=approval_state]))",
        },
        OUTCOME_TAB,
        {
            content: "write what was done",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Ordered ten new chairs from the supplier.",
        },
        ...save(),
        {
            content: "the chatter notes what was done",
            trigger: ".o-mail-Message:contains(What was done):contains(Ordered ten new chairs)",
        },
        ...answerDialog(
            "action_cannot_fix",
            "comment",
            "The supplier needs a purchase order from the division.",
            "cannot fix"
        ),
        {
            content: "escalated to the work-group head",
            trigger: ".o_field_widget[name=escalation_level]:contains(Work-group head)",
        },
        {
            content: "'Cannot fix' is gone",
            trigger: ".o_form_view:not(:has(button[name=action_cannot_fix]))",
        },
        openTab("Escalation"),
        {
            content: "the reason is on the complaint",
            trigger: ".o_field_widget[name=cannot_fix_reason]:contains(purchase order)",
        },
        {
            content: "open the escalations",
            trigger: "button[name=action_view_escalations]",
            run: "click",
        },
        {
            content: "the escalation to the work-group head is listed",
            trigger: ".o_list_view .o_data_row:contains(Work-group head)",
        },
        NO_ERROR,
        {
            content: "back to the complaint",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Tour T3)",
            run: "click",
        },
        { content: "the complaint again", trigger: ".o_form_view button[name=action_view_escalations]" },
        ...backToKanban(),
        // Track 4: to the division head for approval.
        ...recordComplaint({
            title: "Tour T4 the book scanner needs replacing",
            description: "The book scanner of the reference desk is 15 years old.",
            service: "Information service",
        }),
        ...triage("4. Needs budget"),
        {
            content: "track 4 waits for the division head",
            trigger: ".o_field_widget[name=approval_state]:contains(To approve)",
        },
        {
            content: "the division head approves",
            trigger: ".o_field_widget[name=approver_id]:contains(ประเสริฐ วงศ์สา)",
        },
        ...backToKanban(),
        {
            content: "the new complaints are on the kanban",
            trigger: ".o_kanban_record:contains(Tour T4 the book scanner)",
        },
        NO_ERROR,
    ],
});

// An anonymous complaint: fixed on the spot, its outcome announced on the website, by
// email and on the noticeboards, with the printed notice.
registry.category("web_tour.tours").add("library_complaints_staff_anonymous_outcome", {
    url: "/odoo/complaints",
    steps: () => [
        { content: "the complaints kanban", trigger: ".o_kanban_view .o_kanban_record" },
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_to_triage_menu",
            "the complaints to triage"
        ),
        {
            content: "open the anonymous complaint",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour anonymous noise)",
            run: "click",
        },
        { content: "it is anonymous", trigger: ".o_form_view .ribbon:contains(Anonymous)" },
        NO_ERROR,
        currentStage("To Triage"),
        ...triage("1. Urgent"),
        ...fixOnTheSpot("Asked the group to move to a discussion room."),
        ...publishOutcome(
            "A group talked loudly in the silent zone.",
            "Staff asked them to use a discussion room."
        ),
        {
            content: "an anonymous complainant cannot be told directly",
            trigger: ".modal .o_field_widget[name=send_direct] input:not(:checked):disabled",
        },
        {
            content: "on the website",
            trigger: ".modal .o_field_widget[name=send_website] input:checked",
        },
        { content: "by email", trigger: ".modal .o_field_widget[name=send_email] input:checked" },
        {
            content: "on the noticeboards",
            trigger: ".modal .o_field_widget[name=send_noticeboard] input:checked",
        },
        {
            content: "a summary without anyone's identity",
            trigger: ".modal .o_field_widget[name=outcome_title] input",
            run: "edit Noise in the silent zone",
        },
        {
            content: "the service's email audience is preset",
            trigger: ".modal .o_field_widget[name=audience_ids] .o_tag",
        },
        {
            content: "the service's noticeboard is preset",
            trigger: ".modal .o_field_widget[name=location_ids] .o_tag:contains(หน้าทางเข้าห้องสมุด)",
        },
        // Publishing downloads the notice (wkhtmltopdf: slow on a busy machine).
        ...printReport(".modal button[name=action_publish]", "publish"),
        { content: "the dialog closed", trigger: "body:not(:has(.modal))" },
        {
            content: "the outcome is published: it can be announced again",
            trigger: "button[name=action_publish_outcome]:contains(Announce again)",
        },
        OUTCOME_TAB,
        {
            content: "the noticeboard is logged",
            trigger: ".o_field_widget[name=notice_ids] .o_data_row:contains(หน้าทางเข้าห้องสมุด)",
        },
        {
            content: "the email broadcast is logged",
            trigger: ".o_field_widget[name=notice_ids] .o_data_row:contains(Email broadcast)",
        },
        {
            content: "the website is logged",
            trigger: ".o_field_widget[name=notice_ids] .o_data_row:contains(Website)",
        },
        ...printReport("button:contains(Print the notice)", "print the notice again"),
        {
            content: "still on the complaint, no error",
            trigger: ".o_form_view button:contains(Print the notice)",
        },
    ],
});

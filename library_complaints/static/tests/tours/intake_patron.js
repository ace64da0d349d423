import { registry } from "@web/core/registry";
import { NO_ERROR, readTrackingCode } from "./tour_helpers";

// A patron (lc_patron, whose portal is in Thai: the steps find the controls by their
// ids, not their words) complains three times from /my/tickets: in their own name,
// anonymously and confidentially. tests/test_tour_intake.py checks what was stored.
const TITLE = "Wi-Fi drops in the reading room every afternoon";
const ANONYMOUS_TITLE = "A staff member was rude at the loans counter";
const CONFIDENTIAL_TITLE = "Noise from the staff room during exams";
const FORM = "form[action$='/submitted/ticket']";

/** From /my/tickets: the "New complaint" button, then the complaint form filled in. */
function complain(title, description, extraSteps = []) {
    return [
        {
            content: "Open a new complaint",
            trigger: ".o_complaint_new a.btn[href$='/new/ticket']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the service (the first one)",
            trigger: `${FORM} select#service`,
            run: "selectByIndex 1",
        },
        {
            content: "The title box, under its own label",
            trigger: `${FORM} .form-group:has(label[for=subject]) input#subject`,
            run: `edit ${title}`,
        },
        {
            content: "Describe what happened, in the description box",
            trigger: `${FORM} .form-group:has(label[for=description]) textarea#description`,
            async run(helpers) {
                await helpers.edit(description);
            },
        },
        ...extraSteps,
        {
            content: "Send the complaint",
            trigger: `${FORM} button[type=submit]`,
            run: "click",
            expectUnloadPage: true,
        },
        NO_ERROR,
    ];
}

/** Tick the form's checkbox `id`. */
function tick(id, content) {
    return { content, trigger: `${FORM} input#${id}`, run: "check" };
}

/** The page of the complaint `title` is shown. */
function onItsPage(title, content = "The complaint's page") {
    return { content, trigger: `.o_portal_submenu .breadcrumb-item.active:contains(${title})` };
}

function backToMyTickets() {
    return {
        content: "Back to my complaints",
        trigger: ".o_portal_submenu a[href*='/my/tickets']",
        run: "click",
        expectUnloadPage: true,
    };
}

registry.category("web_tour.tours").add("library_complaints_intake_patron", {
    url: "/my/tickets",
    steps: () => [
        ...complain(TITLE, "The connection drops at 2 pm.\nIt comes back after ten minutes.", [
            {
                content: "Say where",
                trigger: `${FORM} input#location`,
                run: "edit Reading room, 2nd floor",
            },
        ]),
        onItsPage(TITLE),
        backToMyTickets(),
        {
            content: "It is in my list: open it",
            trigger: `.o_portal_my_doc_table a:contains(${TITLE})`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its page shows what I wrote",
            trigger: "#card_body:contains(It comes back after ten minutes.)",
        },
        backToMyTickets(),
        ...complain(ANONYMOUS_TITLE, "He shouted at me when I asked about a fine.", [
            tick("is_anonymous", "Submit anonymously"),
        ]),
        readTrackingCode("#tracking_code"),
        {
            content: "... and where to follow it",
            trigger: "a#status_url[href*='/complaint/status?code=']",
        },
        {
            content: "Back to my account",
            trigger: "a[href$='/my'].btn",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "My complaints",
            trigger: "a[href$='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The anonymous complaint is not in my list",
            trigger: `.o_portal_my_doc_table:contains(${TITLE}):not(:contains(${ANONYMOUS_TITLE}))`,
        },
        ...complain(CONFIDENTIAL_TITLE, "Staff chat loudly next to the silent room.", [
            tick("is_confidential", "Keep my name confidential"),
        ]),
        onItsPage(CONFIDENTIAL_TITLE, "The confidential complaint's page"),
        backToMyTickets(),
        {
            content: "I can follow it in my list",
            trigger: `.o_portal_my_doc_table a:contains(${CONFIDENTIAL_TITLE})`,
        },
    ],
});

// Later: the patron reads the outcome of a closed complaint on its page.
registry.category("web_tour.tours").add("library_complaints_patron_outcome", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the closed complaint",
            trigger: ".o_portal_my_doc_table a:contains(The book return machine rejects books)",
            run: "click",
            expectUnloadPage: true,
        },
        NO_ERROR,
        {
            content: "The outcome: what was found, done and what will prevent it",
            trigger:
                "#complaint_outcome .o_complaint_outcome:contains(Its scanner was dirty.):contains(We cleaned the scanner.):contains(Staff clean it weekly.)",
        },
        {
            content: "... and the invitation to the satisfaction survey",
            trigger: "#complaint_survey_link a.btn[href*='/survey/start/']",
        },
    ],
});

// The patron follows the survey invitation's link and answers.
registry.category("web_tour.tours").add("library_complaints_patron_survey", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: "button[value=start]:not(.disabled)",
            run: "click",
        },
        ...[0, 1, 2, 3].map((index) => ({
            content: `Rate question ${index + 1}: 4 out of 5`,
            trigger: `.js_question-wrapper:has([data-question-type=scale]):eq(${index}) label.o_survey_choice_btn:eq(3)`,
            run: "click",
        })),
        {
            content: "A comment",
            trigger: ".js_question-wrapper textarea",
            run: "edit Quick and polite, thank you.",
        },
        {
            content: "Submit",
            trigger: "button[value=finish]:not(.disabled)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        NO_ERROR,
        {
            content: "The survey thanks the patron",
            trigger: ".o_survey_finished",
        },
    ],
});

import { registry } from "@web/core/registry";
import { NO_ERROR } from "./tour_helpers";

// While typing a complaint's title, the visitor (/complaint) and the patron
// (/new/ticket) are shown the published outcome of a similar demo complaint (the
// printer in the computer zone jammed: demo/library_complaint_outcome_demo.xml), then
// send their complaint all the same. tests/test_tour_similar_outcomes.py checks what
// was stored. The steps find the controls by their ids (lc_patron's portal is in Thai).
const VISITOR_TITLE = "เครื่องพิมพ์ในโซนคอมพิวเตอร์กระดาษติดอีกแล้ว";
const PATRON_TITLE = "เครื่องพิมพ์โซนคอมพิวเตอร์กระดาษติดทุกวัน";
const OUTCOME_TITLE = "เครื่องพิมพ์ในโซนคอมพิวเตอร์กระดาษติด";
const BOX = ".o_complaint_similar_outcomes[aria-live=polite] .o_complaint_similar_outcomes_box";

/** The box, with its heading, lists the demo outcome, linked to its page in a new tab. */
function suggestionShown() {
    return [
        {
            content: "The similar outcome is suggested, under a heading",
            trigger: `${BOX}:not(.d-none):has(h2) a[href^='/complaints/outcomes/'][target=_blank]:contains(${OUTCOME_TITLE})`,
        },
        {
            content: "... with what was done about it",
            trigger: `${BOX} .o_complaint_similar_outcome:contains(นำกระดาษที่ติดออก)`,
        },
        {
            content: "The box meets WCAG 2.1 AA (axe-core, when the test loaded it)",
            trigger: `${BOX}:not(.d-none)`,
            async run() {
                if (!window.axe) {
                    return;
                }
                const results = await window.axe.run(".o_complaint_similar_outcomes", {
                    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                    resultTypes: ["violations"],
                });
                const problems = results.violations
                    .filter((violation) => ["serious", "critical"].includes(violation.impact))
                    .map((violation) => `${violation.id}: ${violation.help}`);
                if (problems.length) {
                    throw new Error(`axe-core: ${problems.join("; ")}`);
                }
            },
        },
        NO_ERROR,
    ];
}

/**
 * Type `title` in `titleInput`: the demo outcome is suggested; a title like no
 * published outcome hides the box; the title again shows it again.
 */
function typeTitle(titleInput, title) {
    return [
        {
            content: "Type a title like the demo's published outcome",
            trigger: titleInput,
            run: `edit ${title}`,
        },
        ...suggestionShown(),
        {
            content: "A title like no published outcome",
            trigger: titleInput,
            run: "edit The lift to the third floor is out of order",
        },
        {
            content: "... shows no suggestion (an empty box takes no room)",
            trigger: `.o_complaint_similar_outcomes:not(:has(.o_complaint_similar_outcomes_box:not(.d-none))):not(:visible)`,
        },
        { content: "The title again", trigger: titleInput, run: `edit ${title}` },
        ...suggestionShown(),
    ];
}

/** Describe in `descriptionInput`, then send `form` all the same. */
function describeAndSend(form, descriptionInput, description) {
    return [
        { content: "Describe what happened", trigger: descriptionInput, run: `edit ${description}` },
        {
            content: "Send the complaint all the same",
            trigger: `${form} button[type=submit]`,
            run: "click",
            expectUnloadPage: true,
        },
        NO_ERROR,
    ];
}

registry.category("web_tour.tours").add("library_complaints_similar_outcomes_visitor", {
    url: "/complaint",
    steps: () => [
        ...typeTitle("form[action='/complaint/submit'] input#complaint_name", VISITOR_TITLE),
        {
            content: "Pick the service",
            trigger: "select#complaint_service",
            run: "selectByLabel Learning-media service",
        },
        ...describeAndSend(
            "form[action='/complaint/submit']",
            "textarea#complaint_description",
            "The printer jammed again when I printed my thesis."
        ),
        {
            content: "The library received it",
            trigger: ".o_library_complaint_form_success .o_complaint_tracking_code",
        },
    ],
});

registry.category("web_tour.tours").add("library_complaints_similar_outcomes_patron", {
    url: "/new/ticket",
    steps: () => [
        {
            content: "Pick the service (the first one)",
            trigger: "select#service",
            run: "selectByIndex 1",
        },
        ...typeTitle("form[action$='/submitted/ticket'] input#subject", PATRON_TITLE),
        ...describeAndSend(
            "form[action$='/submitted/ticket']",
            "textarea#description",
            "The printer in the computer zone jams every day."
        ),
        {
            content: "The complaint's page",
            trigger: `.o_portal_submenu .breadcrumb-item.active:contains(${PATRON_TITLE})`,
        },
    ],
});

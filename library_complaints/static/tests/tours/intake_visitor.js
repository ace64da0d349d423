import { registry } from "@web/core/registry";
import { NO_ERROR, readTrackingCode } from "./tour_helpers";

// A visitor, not signed in, complains on /complaint with a photo of the error (a text
// file here), keeps the tracking code shown after sending, then follows the complaint
// on the status page with that code. tests/test_tour_intake.py checks what was stored.
const TITLE = "The scanner on floor 3 jams every page";
const DESCRIPTION = "Each page I scan gets stuck halfway.\nThe screen shows error E42.";
const CODE_KEY = "library_complaints_visitor_code";

registry.category("web_tour.tours").add("library_complaints_intake_visitor", {
    url: "/complaint",
    steps: () => [
        {
            content: "The form asks for a title",
            trigger: "form[action='/complaint/submit'] input#complaint_name",
            run: `edit ${TITLE}`,
        },
        {
            content: "Pick the service",
            trigger: "select#complaint_service",
            run: "selectByLabel Information service",
        },
        {
            content: "Describe what happened, in the description box",
            trigger: "textarea#complaint_description",
            async run(helpers) {
                await helpers.edit(DESCRIPTION);
            },
        },
        {
            content: "Say where",
            trigger: "input#complaint_location",
            run: "edit Floor 3, scanner corner",
        },
        {
            content: "Attach a file, as the file picker would",
            trigger: "input#complaint_attachments",
            run(helpers) {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["Scanner error E42 at 10:15.\n"], "scanner-error.txt", {
                        type: "text/plain",
                    })
                );
                helpers.anchor.files = transfer.files;
                helpers.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Send the complaint",
            trigger: "form[action='/complaint/submit'] button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The library received it",
            trigger: ".o_library_complaint_form_success .alert-success h1",
        },
        NO_ERROR,
        readTrackingCode(".o_complaint_tracking_code", CODE_KEY),
        {
            content: "Back to the website",
            trigger: ".o_library_complaint_form_success a[href='/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Later: the footer leads to the complaint form",
            trigger: "footer a[href='/complaint']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "... and from there to following a complaint",
            trigger: ".o_library_complaint_form a[href='/complaint/status']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the tracking code",
            trigger: ".o_library_complaint_status input#complaint_code",
            async run(helpers) {
                await helpers.edit(sessionStorage.getItem(CODE_KEY));
            },
        },
        {
            content: "Show its status",
            trigger: ".o_library_complaint_status form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        NO_ERROR,
        {
            content: "The complaint, with its status and service",
            trigger: `.o_complaint_public_status:contains(${TITLE}):contains(Information service) .badge:contains(To Triage)`,
        },
        {
            content: "... and no error",
            trigger: ".o_library_complaint_status:not(:has(.alert-danger))",
        },
    ],
});

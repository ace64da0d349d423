/**
 * The complaint manager answers a patron's PDPA request: finds what the office
 * holds about them by their email, exports it, then erases it and sees the log.
 * tests/test_tour_personal_data.py checks what was stored.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR, openHelpdesk, openMenu } from "./tour_helpers";

registry.category("web_tour.tours").add("library_complaints_manager_personal_data", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "helpdesk_mgmt.helpdesk_ticket_config_main_menu",
            "library_complaints.library_complaint_personal_data_wizard_menu",
            "Configuration > Personal data of a complainant"
        ),
        {
            content: "Type the patron's email",
            trigger: ".modal .o_field_widget[name=email] input",
            run: "edit lc_patron@example.com",
        },
        {
            content: "Leave the field: the complaints are counted",
            trigger: ".modal .o_field_widget[name=ticket_count]",
            run: "click",
        },
        {
            content: "Their complaints are listed",
            trigger: ".modal .o_field_widget[name=ticket_ids] .o_data_row",
        },
        {
            content: "The patron has an account: their contact will be kept",
            trigger: ".modal .alert-info:contains(user account)",
        },
        NO_ERROR,
        {
            content: "Export",
            trigger: ".modal button[name=action_export]",
            run: "click",
        },
        {
            content: "The file is ready to download",
            trigger: ".modal .o_field_widget[name=export_file]:contains(personal-data-)",
        },
        NO_ERROR,
        {
            content: "Erase",
            trigger: ".modal button[name=action_erase]",
            run: "click",
        },
        {
            content: "Confirm: this cannot be undone",
            trigger: ".modal:contains(cannot be undone) .modal-footer button.btn-primary",
            run: "click",
        },
        NO_ERROR,
        {
            content: "The erasure is in the personal data log",
            trigger: ".o_list_view .o_data_row:contains(Erasure on request)",
        },
        {
            content: "So is the export",
            trigger: ".o_list_view .o_data_row:contains(Export)",
        },
        NO_ERROR,
    ],
});

// After the erasure: the complaint says so at the top of its form.
registry.category("web_tour.tours").add("library_complaints_manager_erased_complaint", {
    steps: () => [
        {
            content: "The form says the complainant's data was erased, and when",
            trigger: ".o_form_view .alert-info:contains(personal data was erased on) .o_field_widget[name=personal_data_erased_date]:not(:empty)",
        },
        NO_ERROR,
    ],
});

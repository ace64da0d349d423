/**
 * The complaint manager's journeys: adds a public holiday, edits an escalation
 * rule, publishes a lesson learned. tests/test_tour_manager.py prepares the
 * lesson and checks what was stored.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR, currentStage, openHelpdesk, openMenu, save } from "./tour_helpers";

registry.category("web_tour.tours").add("library_complaints_manager_holiday", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "helpdesk_mgmt.helpdesk_ticket_config_main_menu",
            "library_complaints.library_complaint_public_holidays_menu",
            "Configuration > Public Holidays"
        ),
        {
            content: "The public holidays of the official calendar, named in Thai",
            trigger: ".o_list_view .o_data_row:contains(สงกรานต์)",
        },
        NO_ERROR,
        {
            content: "Add a line",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the holiday",
            trigger: ".o_selected_row .o_field_widget[name=name] input",
            run: "edit Office foundation day",
        },
        {
            content: "Open the from date",
            trigger: ".o_selected_row .o_field_widget[name=date_from] button",
            run: "click",
        },
        {
            content: "From",
            trigger: ".o_selected_row .o_field_widget[name=date_from] input",
            run: "edit 12/18/2026 12:00:00 AM",
        },
        {
            content: "Open the to date",
            trigger: ".o_selected_row .o_field_widget[name=date_to] button",
            run: "click",
        },
        {
            content: "To",
            trigger: ".o_selected_row .o_field_widget[name=date_to] input",
            run: "edit 12/18/2026 11:59:59 PM",
        },
        {
            content: "On the official working days' calendar",
            trigger: ".o_selected_row .o_field_widget[name=calendar_id] input:value(Official working days)",
        },
        {
            content: "Save",
            trigger: ".o_list_button_save",
            run: "click",
        },
        NO_ERROR,
        {
            content: "The holiday is listed",
            trigger: ".o_list_view:not(:has(.o_selected_row)) .o_data_row:contains(Office foundation day):contains(Dec 18)",
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_manager_escalation_rule", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "helpdesk_mgmt.helpdesk_ticket_config_main_menu",
            "library_complaints.library_complaint_escalation_rule_menu",
            "Configuration > Escalation Rules"
        ),
        {
            content: "Open the rule for overdue complaints",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Overdue: one level up)",
            run: "click",
        },
        NO_ERROR,
        {
            content: "Two working days after the deadline instead of one",
            trigger: ".o_form_view .o_field_widget[name=working_days] input",
            run: "edit 2",
        },
        {
            content: "The activity is due in three working days",
            trigger: ".o_form_view .o_field_widget[name=activity_working_days] input",
            run: "edit 3",
        },
        ...save(),
        {
            content: "Back to the rules",
            trigger: ".o_breadcrumb a:contains(Escalation Rules)",
            run: "click",
        },
        {
            content: "The list shows the new number of working days",
            trigger: ".o_list_view .o_data_row:has(td[name=name]:contains(Overdue: one level up)) td[name=working_days]:contains(2)",
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_manager_lesson", {
    url: "/odoo",
    steps: () => [
        ...openHelpdesk(),
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaint_lesson_menu",
            "Library Complaints > Lessons learned"
        ),
        {
            content: "The lessons open on the drafts to review, not on mine",
            trigger: ".o_searchview_facet:contains(Draft)",
        },
        {
            content: "Open the draft lesson a staff member wrote",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Paper jams in the computer zone)",
            run: "click",
        },
        NO_ERROR,
        {
            content: "Write how to prevent it",
            trigger: ".o_form_view .o_field_widget[name=prevention] .odoo-editor-editable",
            run: "editor Check the paper trays every morning and keep dry paper stocked.",
        },
        {
            content: "Publish to all staff",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_publish]",
            run: "click",
        },
        {
            content: "Confirm publishing",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        NO_ERROR,
        currentStage("Published"),
        { trigger: ".o_form_view button[name=action_open_blog_post]" },
        {
            content: "The chatter says it was e-mailed (in the office's language)",
            trigger: ".o-mail-Message:contains(ส่งบทเรียนทางอีเมลถึงบุคลากร)",
        },
        NO_ERROR,
    ],
});

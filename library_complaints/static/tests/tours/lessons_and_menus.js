/**
 * A Thai complaint manager's Lessons learned open on the work to do (the drafts,
 * not "my lessons"), as a list and as a kanban; a Thai staff member's new walk-in
 * complaint is called "New" in the breadcrumb. Prepared and checked by
 * tests/test_tour_lessons_menus.py.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR } from "./tour_helpers";

registry.category("web_tour.tours").add("library_complaints_manager_lessons", {
    steps: () => [
        {
            content: "the drafts are the default filter",
            trigger: ".o_searchview_facet:contains(ร่าง)",
        },
        {
            content: "the drafts are listed, no empty state",
            trigger: ".o_list_renderer .o_data_row:not(:has(.o_view_nocontent))",
        },
        {
            content: "to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "the drafts as cards",
            trigger: ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)",
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_manager_lessons_phone", {
    steps: () => [
        {
            content: "a phone opens the kanban: the drafts' cards",
            trigger: ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost) .badge:contains(ร่าง)",
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_staff_walk_in_breadcrumb", {
    steps: () => [
        {
            content: "the new complaint's form",
            trigger: ".o_form_view .o_field_widget[name=name] input",
        },
        {
            content: "the breadcrumb says New, in Thai",
            trigger: ".o_breadcrumb .active:contains(ใหม่):not(:contains(False))",
        },
        NO_ERROR,
    ],
});

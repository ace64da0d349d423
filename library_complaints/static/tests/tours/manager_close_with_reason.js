/**
 * The complaint manager closes a complaint that waits for a head's approval: the
 * form's "Close with a reason" asks why, the complaint closes, the chatter says
 * why. Prepared and checked by tests/test_tour_stage_gate.py.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR, answerDialog, currentStage } from "./tour_helpers";

registry.category("web_tour.tours").add("library_complaints_manager_close_with_reason", {
    steps: () => [
        {
            content: "the complaint waits for the work-group head",
            trigger: ".o_form_view .o_field_widget[name=approval_state]:contains(To approve)",
        },
        ...answerDialog(
            "action_close_with_reason",
            "comment",
            "The patron withdrew the complaint at the desk.",
            "close it with a reason"
        ),
        currentStage("Done"),
        {
            content: "the chatter says why",
            trigger: ".o-mail-Message:contains(The patron withdrew the complaint at the desk.)",
        },
        {
            content: "no button to close it again",
            trigger: ".o_form_view:not(:has(button[name=action_close_with_reason]))",
        },
        NO_ERROR,
    ],
});

/**
 * The heads' journeys: a work-group head and a division head approve, return
 * (with a comment) and refuse (with a comment) the complaints that wait for
 * them, from the cards of the Approvals kanban and from the complaint form.
 * The complaints are prepared by tests/test_tour_heads.py, which also checks
 * what was stored.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const NO_ERROR = { trigger: "body:not(:has(.o_error_dialog))" };

function card(name) {
    return `.o_kanban_record:has(span.fw-bold:contains("${name}"))`;
}

function column(title) {
    return `.o_kanban_group:has(.o_column_title:contains("${title}"))`;
}

/** From the home screen: Helpdesk > Library Complaints > Approvals. */
function openApprovals() {
    return [
        ...stepUtils.goToAppSteps("helpdesk_mgmt.helpdesk_ticket_main_menu", "Open Helpdesk"),
        {
            content: "Open the Library Complaints menu",
            trigger: ".o_menu_sections [data-menu-xmlid='library_complaints.library_complaints_main_menu']",
            run: "click",
        },
        {
            content: "Open the approvals",
            trigger: ".o-dropdown-item[data-menu-xmlid='library_complaints.library_complaints_approvals_menu']",
            run: "click",
        },
        {
            content: "The approvals kanban, by approval state",
            trigger: `.o_kanban_view ${column("To approve")}`,
        },
        {
            content: "Complaints are recorded elsewhere: no New button here",
            trigger: ".o_control_panel:not(:has(.o-kanban-button-new))",
        },
        NO_ERROR,
    ];
}

/** Write the comment in the dialog that "Return" and "Refuse" open, and confirm. */
function comment(text) {
    return [
        {
            content: "The comment dialog asks why",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: `edit ${text}`,
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        { trigger: "body:not(:has(.modal))" },
        NO_ERROR,
    ];
}

function approveCard(name) {
    return [
        {
            content: `Approve "${name}" from its card`,
            trigger: `${column("To approve")} ${card(name)} button[name=action_approve]`,
            run: "click",
        },
        NO_ERROR,
    ];
}

function returnCard(name, text) {
    return [
        {
            content: `Return "${name}" from its card`,
            trigger: `${card(name)} button[name=action_return]`,
            run: "click",
        },
        ...comment(text),
        {
            content: "The card is among the returned ones, with the comment",
            trigger: `${column("Returned")} ${card(name)}:contains("${text}")`,
        },
    ];
}

function refuseCard(name, text) {
    return [
        {
            content: `Refuse "${name}" from its card`,
            trigger: `${card(name)} button[name=action_refuse]`,
            run: "click",
        },
        ...comment(text),
        {
            content: "The card is among the refused ones, with the comment",
            trigger: `${column("Refused")} ${card(name)}:contains("${text}")`,
        },
    ];
}

/** Open the complaint's form from its card, press a header button. */
function openFromCard(name) {
    return [
        {
            content: `Open "${name}"`,
            trigger: `${card(name)} span.fw-bold:contains("${name}")`,
            run: "click",
        },
        {
            content: "The complaint's form",
            trigger: `.o_form_view .o_breadcrumb:contains("${name}")`,
        },
        NO_ERROR,
    ];
}

function backToApprovals() {
    return [
        {
            content: "Back to the approvals",
            trigger: ".o_breadcrumb a:contains(Approvals)",
            run: "click",
        },
        { trigger: `.o_kanban_view ${column("To approve")}` },
        NO_ERROR,
    ];
}

function formButton(name, button) {
    return [
        ...openFromCard(name),
        {
            content: `Press "${button}" in the header`,
            trigger: `.o_form_view .o_statusbar_buttons button[name=${button}]`,
            run: "click",
        },
    ];
}

/**
 * On the complaint's form: open the Approval tab and see the head's decision in
 * the history (every decision of every round stays there).
 */
function seeInHistory(head, decision, text) {
    const row =
        ".o_field_widget[name=approval_ids] .o_data_row" +
        `:has(td:contains("${head}")):has(td:contains("${decision}"))`;
    return [
        {
            content: "Open the approval tab",
            trigger: ".o_notebook .nav-link:contains(Approval)",
            run: "click",
        },
        {
            content: `The history shows ${head}: ${decision}${text ? `, "${text}"` : ""}`,
            trigger: text ? `${row}:has(td:contains("${text}"))` : row,
        },
        NO_ERROR,
    ];
}

/** The work-group head approves from the form; the division head is next. */
function approveForm(name) {
    return [
        ...formButton(name, "action_approve"),
        {
            content: `Now waiting for ${DIVISION_HEAD}`,
            trigger: `.o_form_view .o_field_widget[name=approver_id]:contains("${DIVISION_HEAD}")`,
        },
        {
            content: "The head's buttons are gone",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_approve]))",
        },
        NO_ERROR,
        ...seeInHistory(WG_HEAD, "Approved"),
        ...backToApprovals(),
    ];
}

/** Approve from the form with a comment (the dialog of "Approve with a comment"). */
function approveFormWithComment(name, text) {
    return [
        ...formButton(name, "action_approve_with_comment"),
        ...comment(text),
        {
            content: "Approved",
            trigger: ".o_form_view .o_field_widget[name=approval_state]:contains(Approved)",
        },
    ];
}

function returnForm(name, text, head) {
    return [
        ...formButton(name, "action_return"),
        ...comment(text),
        {
            content: "Returned, with the comment",
            trigger: ".o_form_view .o_field_widget[name=approval_state]:contains(Returned)",
        },
        {
            content: "The head's buttons are gone",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_return]))",
        },
        ...seeInHistory(head, "Returned", text),
        ...backToApprovals(),
    ];
}

function refuseForm(name, text, head) {
    return [
        ...formButton(name, "action_refuse"),
        ...comment(text),
        {
            content: "Refused",
            trigger: ".o_form_view .o_field_widget[name=approval_state]:contains(Refused)",
        },
        ...seeInHistory(head, "Refused", text),
        ...backToApprovals(),
    ];
}

const WG_HEAD = "มาลี ศรีสุข";
const DIVISION_HEAD = "ประเสริฐ วงศ์สา";

registry.category("web_tour.tours").add("library_complaints_heads_wg_kanban", {
    url: "/odoo",
    steps: () => [
        ...openApprovals(),
        ...approveCard("Scanner on floor 1 rejects USB drives"),
        {
            content: "Still to approve, now by the division head; no buttons for me",
            trigger: `${column("To approve")} ${card("Scanner on floor 1 rejects USB drives")}:contains("${DIVISION_HEAD}"):not(:has(button[name=action_approve]))`,
        },
        ...returnCard("Lockers in the foyer do not lock", "Ask the vendor for the spare keys first."),
        ...refuseCard("Reading lamps are too dim in zone B", "The lamps were replaced last month."),
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_heads_div_kanban", {
    url: "/odoo",
    steps: () => [
        ...openApprovals(),
        ...approveCard("Scanner on floor 1 rejects USB drives"),
        {
            content: "The card is among the approved ones",
            trigger: `${column("Approved")} ${card("Scanner on floor 1 rejects USB drives")}`,
        },
        ...returnCard("Catalogue search times out", "Check the proxy settings with IT."),
        ...refuseCard("Microfilm reader needs a new bulb", "The reader is retired next term."),
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_heads_wg_form", {
    url: "/odoo",
    steps: () => [
        ...openApprovals(),
        ...approveForm("Self-checkout kiosk freezes"),
        ...returnForm(
            "Printing quota is not reset",
            "Reset it by hand and tell the patron.",
            WG_HEAD,
        ),
        ...refuseForm("Study carrels need more sockets", "Not within this year's works.", WG_HEAD),
        {
            content: "Every decision shows on the board",
            trigger: `${column("Returned")} ${card("Printing quota is not reset")}`,
        },
        { trigger: `${column("Refused")} ${card("Study carrels need more sockets")}` },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_heads_div_form", {
    url: "/odoo",
    steps: () => [
        ...openApprovals(),
        ...returnForm(
            "Group study room booking double-books",
            "Fix the booking rules first.",
            DIVISION_HEAD,
        ),
        ...refuseForm("Audio guide app crashes", "The app is replaced in June.", DIVISION_HEAD),
        ...approveFormWithComment("Self-checkout kiosk freezes", "Go ahead; order two spares."),
        // The history shows both heads' approvals, mine with my comment.
        ...seeInHistory(WG_HEAD, "Approved"),
        ...seeInHistory(DIVISION_HEAD, "Approved", "Go ahead; order two spares."),
        {
            content: "Two decisions in the history",
            trigger: ".o_field_widget[name=approval_ids] .o_data_row:count(2)",
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_heads_div_committee", {
    url: "/odoo",
    steps: () => [
        ...openApprovals(),
        ...approveCard("The lift to the 4th floor is out of order"),
        {
            content: "Approved",
            trigger: `${column("Approved")} ${card("The lift to the 4th floor is out of order")}`,
        },
        NO_ERROR,
        ...openFromCard("The lift to the 4th floor is out of order"),
        {
            content: "Open the escalation tab",
            trigger: ".o_notebook .nav-link:contains(Escalation)",
            run: "click",
        },
        {
            content: "Proposed to the MT committee",
            trigger: ".o_field_widget[name=is_committee_proposed] input:checked",
        },
        {
            content: "At the committee's level",
            trigger: ".o_field_widget[name=escalation_level]:contains(MT committee)",
        },
        NO_ERROR,
    ],
});

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

/**
 * The approvals open on the head's own waiting complaints ("Waiting for my
 * approval"); take that default off and choose the work groups' and divisions'
 * filter to see every approval of the team, whoever it waits for.
 */
function showTeam(mine = ["Waiting for my approval"], team = ["My work groups and divisions"]) {
    const any = (labels, selector, tail = "") =>
        labels.map((label) => `${selector}:contains("${label}")${tail}`).join(", ");
    return [
        {
            content: "The approvals open on mine",
            trigger: any(mine, ".o_searchview_facet"),
        },
        {
            content: "Take the default off",
            trigger: any(mine, ".o_searchview_facet", " .o_facet_remove"),
            run: "click",
        },
        { trigger: ".o_searchview:not(:has(.o_searchview_facet))" },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The team's approvals: a filter of its own",
            trigger: any(team, ".o_filter_menu .o-dropdown-item"),
            run: "click",
        },
        { trigger: any(team, ".o_searchview_facet") },
        {
            content: "Close the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        { trigger: "body:not(:has(.o_filter_menu))" },
        NO_ERROR,
    ];
}

/** From the home screen: Helpdesk > Library Complaints > Approvals (the team's). */
function openApprovals() {
    return [...openMyApprovals(), ...showTeam()];
}

/** From the home screen: Helpdesk > Library Complaints > Approvals, as it opens. */
function openMyApprovals(toApprove = "To approve") {
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
            trigger: `.o_kanban_view ${column(toApprove)}`,
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

function approveCard(name, toApprove = "To approve") {
    return [
        {
            content: `Approve "${name}" from its card`,
            trigger: `${column(toApprove)} ${card(name)} button[name=action_approve]`,
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

function backToApprovals(approvals = "Approvals", toApprove = "To approve") {
    return [
        {
            content: "Back to the approvals",
            trigger: `.o_breadcrumb a:contains(${approvals})`,
            run: "click",
        },
        { trigger: `.o_kanban_view ${column(toApprove)}` },
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

/*
 * Issue #25, in Thai: the work-group head opens the approvals from the menu and
 * meets their own waiting complaints first (not the one waiting for the division
 * head), approves one and returns one from the cards; each leaves "waiting for
 * me". The team's filter then shows the returned one, whose form shows the
 * head's comment at the top.
 */
// The search view's labels read Thai once the .pot lists the view (the lead
// regenerates it after merging); until then Odoo loads them in English.
const TH = {
    mine: "รอการอนุมัติจากฉัน",
    mineUntilThePot: "Waiting for my approval",
    teamUntilThePot: "My work groups and divisions",
    team: "กลุ่มงานและฝ่ายของฉัน",
    approvals: "การอนุมัติ",
    toApprove: "รออนุมัติ",
};
const MINE_FIRST = "เครื่องสแกนชั้น 1 อ่านแฟลชไดรฟ์ไม่ได้";
const MINE_SECOND = "ตู้ล็อกเกอร์หน้าห้องสมุดล็อกไม่ได้";
const AT_DIVISION = "ระบบสืบค้นรายการหนังสือค้าง";
const RETURN_COMMENT = "ขอใบเสนอราคาจากผู้ขายก่อน";

registry.category("web_tour.tours").add("library_complaints_heads_waiting_for_me", {
    url: "/odoo",
    steps: () => [
        ...openMyApprovals(TH.toApprove),
        {
            content: "Opened on the head's own approvals",
            trigger: `.o_searchview_facet:contains("${TH.mine}"), .o_searchview_facet:contains("${TH.mineUntilThePot}")`,
        },
        {
            content: "My two waiting complaints, with my buttons",
            trigger: `${column(TH.toApprove)} ${card(MINE_FIRST)} button[name=action_approve]`,
        },
        { trigger: `${column(TH.toApprove)} ${card(MINE_SECOND)} button[name=action_return]` },
        {
            content: "Not the one that waits for the division head",
            trigger: `.o_kanban_view:not(:has(${card(AT_DIVISION)}))`,
        },
        ...approveCard(MINE_FIRST, TH.toApprove),
        {
            content: "Approved: it waits for the division head now, no longer for me",
            trigger: `.o_kanban_view:not(:has(${card(MINE_FIRST)}))`,
        },
        {
            content: `Return "${MINE_SECOND}" from its card`,
            trigger: `${card(MINE_SECOND)} button[name=action_return]`,
            run: "click",
        },
        ...comment(RETURN_COMMENT),
        {
            content: "Returned: nothing waits for me any more",
            trigger: `.o_kanban_view:not(:has(${card(MINE_SECOND)}))`,
        },
        ...showTeam([TH.mine, TH.mineUntilThePot], [TH.team, TH.teamUntilThePot]),
        {
            content: "The team's approvals: the returned one, with my comment",
            trigger: `${card(MINE_SECOND)}:contains("${RETURN_COMMENT}")`,
        },
        { trigger: `${card(AT_DIVISION)}` },
        ...openFromCard(MINE_SECOND),
        {
            content: "The head's comment at the top of the form, without opening a tab",
            trigger: `.o_form_view .o_lc_approval_alert_returned:contains("${RETURN_COMMENT}"):contains("ส่งคืนโดย")`,
        },
        NO_ERROR,
    ],
});

/* On a phone (390 px): the head's own approvals, then the staff's returned complaint. */
registry.category("web_tour.tours").add("library_complaints_heads_waiting_for_me_phone", {
    url: "/odoo/complaint-approvals",
    steps: () => [
        {
            content: "My waiting complaint, with my buttons",
            trigger: `${column(TH.toApprove)} ${card(MINE_FIRST)} button[name=action_approve]`,
        },
        {
            content: "Not the one that waits for the division head",
            trigger: `.o_kanban_view:not(:has(${card(AT_DIVISION)}))`,
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_returned_banner_phone", {
    url: "/odoo/complaints",
    steps: () => [
        {
            content: "Open the returned complaint",
            trigger: `.o_kanban_record:contains("${MINE_SECOND}")`,
            run: "click",
        },
        {
            content: "The head's comment at the top of the returned complaint",
            trigger: `.o_form_view .o_lc_approval_alert_returned:contains("${RETURN_COMMENT}")`,
        },
        NO_ERROR,
    ],
});

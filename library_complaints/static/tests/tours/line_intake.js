/**
 * Complaints on LINE (#16). `library_complaints_line_settings`: the administrator
 * switches LINE intake on in Settings and types the channel secret and access token.
 * `library_complaints_line_intake`: after a LINE conversation (signed webhook calls,
 * sent before the tour), `lc_staff` finds the complaint in "To Triage", from the
 * channel LINE, and opens it.
 */
import { registry } from "@web/core/registry";
import { NO_ERROR, openMenu } from "./tour_helpers";

const SETTING = "#library_complaints_line_intake";
const TITLE = "ไฟในห้องน้ำชั้น 4 ดับ";
const ROW = `.o_list_view .o_data_row:contains(${TITLE})`;

registry.category("web_tour.tours").add("library_complaints_line_settings", {
    url: "/odoo/settings",
    steps: () => [
        {
            content: "open the Helpdesk settings",
            trigger: ".settings_tab a.tab[data-key=helpdesk_mgmt]",
            run: "click",
        },
        {
            content: "LINE intake is off by default",
            trigger: `${SETTING} .o_field_widget[name=complaint_line_enabled] input:not(:checked)`,
            run: "click",
        },
        {
            content: "type the channel secret",
            trigger: `${SETTING} .o_field_widget[name=complaint_line_secret] input`,
            run: "edit 0123456789abcdef0123456789abcdef",
        },
        {
            content: "type the channel access token",
            trigger: `${SETTING} .o_field_widget[name=complaint_line_token] input`,
            run: "edit tour-line-channel-access-token",
        },
        {
            content: "save (the settings reload the page)",
            trigger: ".o_form_button_save:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back in the Helpdesk settings",
            trigger: ".settings_tab a.tab[data-key=helpdesk_mgmt]",
            run: "click",
        },
        NO_ERROR,
        {
            content: "saved: LINE intake is on",
            trigger: `${SETTING} .o_field_widget[name=complaint_line_enabled] input:checked`,
        },
        {
            content: "the secret is not shown in clear",
            trigger: `${SETTING} .o_field_widget[name=complaint_line_secret] input[type=password]`,
            run() {
                document.querySelector(SETTING).scrollIntoView({ block: "center" });
            },
        },
        NO_ERROR,
    ],
});

registry.category("web_tour.tours").add("library_complaints_line_intake", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_to_triage_menu",
            "open the complaints to triage"
        ),
        {
            content: "the LINE complaint waits for triage, under its Thai title",
            trigger: ROW,
        },
        NO_ERROR,
        {
            content: "it came on LINE",
            trigger: `${ROW} td[name=channel_id]:contains(LINE)`,
            run: "click",
        },
        {
            content: "its form: still to triage",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(To Triage)",
        },
        {
            content: "the channel",
            trigger: ".o_form_view .o_field_widget[name=channel_id]:contains(LINE), .o_form_view .o_field_widget[name=channel_id] input:value(LINE)",
        },
        {
            content: "the service the complainant chose on LINE",
            trigger: ".o_form_view .o_field_widget[name=service_id] input:value(Information)",
        },
        {
            content: "the LINE user to answer",
            trigger: ".o_form_view .o_field_widget[name=line_user_id]:contains(U0123), .o_form_view .o_field_widget[name=line_user_id] input:value(U0123456789abcdef0123456789abcdef)",
        },
        NO_ERROR,
    ],
});

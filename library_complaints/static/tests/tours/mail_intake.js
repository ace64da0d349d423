/**
 * A complaint sent by email (#16), as `lc_staff` in the backend: the email (processed
 * by the mail gateway before the tour) waits in "To Triage" with its Thai title and the
 * channel Email; its form shows who sent it and its tracking code.
 */
import { registry } from "@web/core/registry";
import {
    NO_ERROR,
    currentStage,
    openMenu,
    readTrackingCode,
} from "./tour_helpers";

const TITLE = "แอร์ห้องอ่านหนังสือชั้น 3 เสีย";
const SENDER_NAME = "สมศรี ใจดี";
const SENDER_EMAIL = "somsri@example.com";
const ROW = `.o_list_view .o_data_row:contains(${TITLE})`;
const FORM = ".o_form_view .o_field_widget";

registry.category("web_tour.tours").add("library_complaints_mail_intake", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "library_complaints.library_complaints_main_menu",
            "library_complaints.library_complaints_to_triage_menu",
            "open the complaints to triage"
        ),
        {
            content: "the emailed complaint waits for triage, under its Thai title",
            trigger: `${ROW} td[name=complainant_label]:contains(${SENDER_NAME})`,
        },
        NO_ERROR,
        {
            content: "it came by email: open it",
            trigger: `${ROW} td[name=channel_id]:contains(Email)`,
            run: "click",
        },
        currentStage("To Triage"),
        {
            content: "the Thai title, intact",
            trigger: `${FORM}[name=name]:has(input:value(${TITLE}))`,
        },
        {
            content: "the sender's name",
            trigger: `${FORM}[name=partner_name] input:value(${SENDER_NAME})`,
        },
        {
            content: "the sender's address",
            trigger: [
                `${FORM}[name=partner_email] input:value(${SENDER_EMAIL})`,
                `${FORM}[name=partner_email]:contains(${SENDER_EMAIL})`,
            ].join(", "),
        },
        {
            content: "the channel",
            trigger: [
                `${FORM}[name=channel_id] input:value(Email)`,
                `${FORM}[name=channel_id]:contains(Email)`,
            ].join(", "),
        },
        readTrackingCode(`${FORM}[name=tracking_code]`),
        {
            content: "its description is the email's text, in Thai",
            trigger: `${FORM}[name=description]:contains(ไม่เย็นมาสามวันแล้ว)`,
        },
        {
            content: "the email itself is in the chatter, from the sender",
            trigger: `.o-mail-Message .o-mail-Message-header:contains(${SENDER_EMAIL})`,
            run({ anchor }) {
                anchor.scrollIntoView({ block: "center" });
            },
        },
        NO_ERROR,
    ],
});

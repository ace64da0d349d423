/**
 * The steps the library_complaints tours share: the menus, the form's controls,
 * the checks after each action. Import them with
 *     import { NO_ERROR, save } from "./tour_helpers";
 */
import { stepUtils } from "@web_tour/tour_utils";

/** A request that failed shows an error dialog: a tour passes only without one. */
export const NO_ERROR = { content: "no error dialog", trigger: "body:not(:has(.o_error_dialog))" };

/** From the home menu: the Helpdesk app. */
export function openHelpdesk() {
    return stepUtils.goToAppSteps("helpdesk_mgmt.helpdesk_ticket_main_menu", "Open Helpdesk");
}

/** In the app's top bar: the menu `sectionXmlid`, then its item `itemXmlid`. */
export function openMenu(sectionXmlid, itemXmlid, content = `open ${itemXmlid}`) {
    return [
        {
            content: `open the menu ${sectionXmlid}`,
            trigger: `.o_menu_sections [data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content,
            trigger: `.o-dropdown-item[data-menu-xmlid='${itemXmlid}']`,
            run: "click",
        },
    ];
}

/** Type `search` in a many2one (or many2many tags) field and pick `label`. */
export function selectMany2one(fieldName, search, label, scope = "", tags = false) {
    return [
        {
            content: `type "${search}" in ${fieldName}`,
            trigger: `${scope} .o_field_widget[name=${fieldName}] input`,
            run: `edit ${search}`,
        },
        {
            content: `choose ${label}`,
            trigger: `.o-autocomplete--dropdown-menu .dropdown-item:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} chosen`,
            trigger: tags
                ? `${scope} .o_field_widget[name=${fieldName}] .o_tag:contains(${label})`
                : `${scope} .o_field_widget[name=${fieldName}] input:value(${label})`,
        },
    ];
}

/** Save the form and wait until it is saved, without an error. */
export function save() {
    return [
        { content: "save", trigger: ".o_form_button_save:enabled", run: "click" },
        { content: "saved", trigger: ".o_form_view .o_form_saved" },
        NO_ERROR,
    ];
}

/** The status bar shows `name` as the current stage or state. */
export function currentStage(name) {
    return {
        content: `the record is in "${name}"`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains(${name})`,
    };
}

export function openTab(name) {
    return {
        content: `open the "${name}" tab`,
        trigger: `.o_notebook .nav-link:contains(${name})`,
        run: "click",
    };
}

/** Press the dialog's button `name`: the dialog closes, without an error. */
export function confirmDialog(name = "action_confirm", content = "confirm") {
    return [
        { content, trigger: `.modal button[name=${name}]`, run: "click" },
        { content: "the dialog closed", trigger: "body:not(:has(.modal))" },
        NO_ERROR,
    ];
}

/** Press the form's button `name`, write `text` in the dialog's `field`, confirm. */
export function answerDialog(name, field, text, content = name) {
    return [
        { content, trigger: `button[name=${name}]`, run: "click" },
        {
            content: `write the ${field}`,
            trigger: `.modal .o_field_widget[name=${field}] textarea`,
            run: `edit ${text}`,
        },
        ...confirmDialog(),
    ];
}

/**
 * Click the button `buttonTrigger` that prints a report, then wait until the browser
 * received the PDF: the tour then ends on a page that really got its report.
 */
export function printReport(buttonTrigger, content = "print") {
    return [
        {
            content: "watch the downloads",
            trigger: "body",
            run() {
                const { download } = odoo.loader.modules.get("@web/core/network/download");
                const original = download._download;
                document.body.classList.remove("o_lc_downloaded");
                download._download = async (options) => {
                    const result = await original(options);
                    document.body.classList.add("o_lc_downloaded");
                    download._download = original;
                    return result;
                };
            },
        },
        { content, trigger: buttonTrigger, run: "click" },
        // wkhtmltopdf may take a while on a busy machine
        {
            content: "the report was downloaded",
            trigger: "body.o_lc_downloaded:not(:has(.o_blockUI))",
            timeout: 60000,
        },
        NO_ERROR,
    ];
}

/** The tracking code shown after a complaint is sent; kept under `storageKey`. */
export function readTrackingCode(trigger, storageKey = null) {
    return {
        content: "the tracking code",
        trigger,
        run(helpers) {
            const code = helpers.anchor.textContent.trim();
            if (!/^[A-Z2-9]{5}-[A-Z2-9]{5}$/.test(code)) {
                throw new Error(`not a tracking code: "${code}"`);
            }
            if (storageKey) {
                sessionStorage.setItem(storageKey, code);
            }
        },
    };
}

/** In a list view: tick the optional column `label` in the columns menu. */
export function showListColumn(label) {
    return [
        {
            content: "open the list's optional columns",
            trigger: ".o_list_view .o_optional_columns_dropdown_toggle",
            run: "click",
        },
        {
            content: `show the column ${label}`,
            trigger: `.o-dropdown-item:contains(${label}) input`,
            run: "click",
        },
    ];
}

/**
 * Buddhist-era years in the date inputs and pickers of Thai users.
 *
 * Odoo's lists and read-only dates are formatted by Intl (`toLocaleString`), whose
 * Thai locale counts in the Buddhist era (2569); its date inputs and picker format
 * with luxon's `toFormat` and the picker prints `date.year`, both Gregorian (2026).
 * For a user whose language is Thai, this makes the inputs and the picker show the
 * Buddhist-era year too, and reads a typed Buddhist-era year back:
 *
 * - formatting: a date formatted with the user's own date (or date and time) format
 *   is formatted with luxon's `outputCalendar: "buddhist"` (Intl's Thai calendar);
 * - parsing: a typed year from 2400 to 2999 is a Buddhist-era year (2569 is 2026;
 *   no complaint is dated after 2399), so 543 is taken off before luxon parses it;
 *   a Gregorian year typed as such is still understood;
 * - the picker's headers and its year and decade grids add 543.
 *
 * Why not luxon's `Settings.defaultOutputCalendar = "buddhist"`: every DateTime then
 * carries that calendar, also when web serializes it for the server
 * (`serializeDate` formats "yyyy-MM-dd" with `toFormat`), so 2026 would be stored
 * as 2569; and luxon parses "yyyy" as a Gregorian year whatever the calendar. The
 * server-side formats never change here: only the user's display formats do.
 */
import { DateTimePicker } from "@web/core/datetime/datetime_picker";
import { localization } from "@web/core/l10n/localization";
import { patch } from "@web/core/utils/patch";

const { DateTime } = luxon;

export const BE_OFFSET = 543;
const SERVER_FORMATS = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"];
// A year 2400-2999 standing alone among the typed digits: a Buddhist-era year.
const BE_YEAR = /(^|\D)(2[4-9]\d\d)(?!\d)/;

/** Whether the user reads Thai: dates in the Buddhist era. */
export function usesBuddhistEra() {
    return "code" in localization && localization.code.startsWith("th");
}

/** Whether `fmt` is one of the user's display formats (not a server format). */
function isDisplayFormat(fmt) {
    return (
        typeof fmt === "string" &&
        !SERVER_FORMATS.includes(fmt) &&
        "dateFormat" in localization &&
        fmt.startsWith(localization.dateFormat)
    );
}

/** "07/12/2569" -> "07/12/2026": the Gregorian year luxon parses. */
export function toGregorianText(text) {
    return text.replace(
        BE_YEAR,
        (match, before, year) => `${before}${Number(year) - BE_OFFSET}`
    );
}

/** Every 4-digit year in `text` shown in the Buddhist era. */
function toBuddhistYears(text) {
    return String(text).replace(/\d{4}/g, (year) => String(Number(year) + BE_OFFSET));
}

const toFormat = DateTime.prototype.toFormat;
DateTime.prototype.toFormat = function (fmt, opts) {
    if (usesBuddhistEra() && !this.outputCalendar && isDisplayFormat(fmt)) {
        return toFormat.call(this.reconfigure({ outputCalendar: "buddhist" }), fmt, opts);
    }
    return toFormat.call(this, fmt, opts);
};

const fromFormat = DateTime.fromFormat;
DateTime.fromFormat = function (text, fmt, opts) {
    if (usesBuddhistEra() && typeof text === "string") {
        text = toGregorianText(text);
    }
    return fromFormat.call(this, text, fmt, opts);
};

patch(DateTimePicker.prototype, {
    onWillRender() {
        super.onWillRender(...arguments);
        if (!usesBuddhistEra()) {
            return;
        }
        this.title = Array.isArray(this.title)
            ? this.title.map(toBuddhistYears)
            : toBuddhistYears(this.title);
        if (["years", "decades"].includes(this.state.precision)) {
            this.items = this.items.map((item) => ({
                ...item,
                label: toBuddhistYears(item.label),
            }));
        }
    },
});

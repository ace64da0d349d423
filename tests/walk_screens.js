// Walks every screen of one app in the web client (see test_screens_per_role.py).
(async () => {
    const env = odoo.__WOWL_DEBUG__.root.env;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const errorShown = () => document.querySelector(".o_error_dialog, .o_notification.border-danger");
    async function settle(what) {
        // wait for the action to render and the RPCs to finish (polled every 20 ms;
        // an error shown later still fails the test: the browser reports it)
        for (let i = 0; i < 750; i++) {
            await sleep(20);
            if (errorShown()) {
                throw new Error("error shown on " + what + ": " + errorShown().innerText);
            }
            if (document.querySelector(".o_action_manager > :not(.o_loading)")
                && !document.querySelector(".o_loading_indicator, .o_blockUI")) {
                await sleep(30);
                if (errorShown()) {
                    throw new Error("error shown on " + what + ": " + errorShown().innerText);
                }
                return;
            }
        }
        throw new Error("not rendered: " + what);
    }
    // English UI words on a Thai user's screens: what the person reads that the
    // product wrote (menus, buttons, labels, column headers, filters, placeholders,
    // empty states), not the records' own data (names, titles people typed).
    const ALLOWED = new Set(ALLOWED_WORDS);
    const UI_TEXT = [
        ".o_main_navbar .o_menu_sections",
        ".o_control_panel_main_buttons",
        ".o_control_panel .o_cp_switch_buttons",
        ".o_list_renderer thead th",
        ".o_kanban_group .o_column_title",
        ".o_form_view .o_form_label",
        ".o_form_view .o_horizontal_separator",
        ".o_form_view .o_notebook .nav-link",
        ".o_form_view .o_statusbar_buttons button",
        ".o_form_view .o_statusbar_status button",
        ".o_form_view .oe_button_box .o_stat_text",
        ".o_view_nocontent",
        ".o-mail-Chatter-topbar button",
        ".o_search_bar_menu",
        ".o_pivot thead .o_pivot_header_cell_closed, .o_pivot thead .o_pivot_measure_row",
        ".o_graph_renderer .o_graph_legend",
    ];
    const english = new Map(); // word -> first screen it was seen on
    function latinWords(text) {
        return (text || "").match(/[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*/g) || [];
    }
    function noteEnglish(what) {
        if (!CHECK_ENGLISH) {
            return;
        }
        const texts = [];  // [text, where]
        for (const selector of UI_TEXT) {
            for (const el of document.querySelectorAll(selector)) {
                // a <select>'s options are the model's fields ("Custom Group"'s list):
                // only its prompt is the product's word
                const copy = el.cloneNode(true);
                // a field's value inside a label (the team's alias) is data
                for (const value of copy.querySelectorAll(".o_field_widget")) {
                    value.remove();
                }
                for (const select of copy.querySelectorAll("select")) {
                    const prompt = select.querySelector("option[value='']");
                    select.replaceWith(prompt ? prompt.textContent : "");
                }
                document.body.appendChild(copy);  // innerText needs a rendered node
                texts.push([copy.innerText, selector]);
                copy.remove();
            }
        }
        for (const el of document.querySelectorAll(".o_action_manager [placeholder]")) {
            texts.push([el.getAttribute("placeholder"), "placeholder"]);
        }
        for (const [text, where] of texts) {
            // addresses, links and domain names (an example's) are data, not words
            const data = /\S+@\S+|https?:\/\/\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+){2,}\b/g;
            const words = latinWords((text || "").replace(data, " "));
            for (const word of words) {
                if (!ALLOWED.has(word) && !english.has(word)) {
                    english.set(word, `${what}, ${where}`);
                }
            }
        }
    }
    async function noteSearchMenu(what) {
        // the search panel's filters and groupings ("Custom Filter...", "Custom Group")
        const toggler = document.querySelector(".o_searchview_dropdown_toggler");
        if (!CHECK_ENGLISH || !toggler) {
            return;
        }
        toggler.click();
        await sleep(150);
        noteEnglish(what + " search");
        if (document.querySelector(".o_search_bar_menu")) {
            toggler.click();
            await sleep(50);
        }
    }
    const app = env.services.menu.getAll().find((m) => m.xmlid === APP_XMLID);
    const menus = env.services.menu.getAll().filter(
        (m) => m.appID === app.id && m.actionID
    );
    const seen = [];
    for (const menu of menus) {
        await env.services.menu.selectMenu(menu);
        await settle(menu.xmlid);
        const types = [...document.querySelectorAll("nav.o_cp_switch_buttons > button.o_switch_view")]
            .map((b) => [...b.classList].find((c) => c.startsWith("o_") && c !== "o_switch_view").slice(2))
            .filter((t) => t !== "map");
        // the first record's form once per menu: list and kanban open the same form
        let formOpened = false;
        for (const type of types) {
            const button = document.querySelector(`nav.o_cp_switch_buttons > button.o_${type}`);
            if (button && !button.classList.contains("active")) {
                button.click();
                await settle(menu.xmlid + " " + type);
            }
            seen.push(menu.xmlid + ":" + type);
            noteEnglish(menu.xmlid + ":" + type);
            if (type === types[0]) {
                await noteSearchMenu(menu.xmlid);
            }
            const row = document.querySelector(
                ".o_list_renderer .o_data_row .o_data_cell, .o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)"
            );
            if ((type === "list" || type === "kanban") && row && !formOpened) {
                formOpened = true;
                row.click();
                await settle(menu.xmlid + " " + type + " first record");
                if (document.querySelector(".o_form_view")) {
                    seen.push(menu.xmlid + ":form");
                    noteEnglish(menu.xmlid + ":form");
                }
                // back through the breadcrumb, as a person does: the same view again
                const back = document.querySelector(".o_breadcrumb .breadcrumb-item a");
                if (back) {
                    back.click();
                    await settle(menu.xmlid + " " + type + " back");
                } else {
                    await env.services.menu.selectMenu(menu);
                    await settle(menu.xmlid + " back");
                }
                const again = document.querySelector(`nav.o_cp_switch_buttons > button.o_${type}`);
                if (again && !again.classList.contains("active")) {
                    again.click();
                    await settle(menu.xmlid + " " + type + " again");
                }
            }
        }
    }
    await sleep(300);  // an error dialog that came late still fails the walk
    if (errorShown()) {
        throw new Error("error shown at the end of the walk: " + errorShown().innerText);
    }
    console.log("screens seen: " + JSON.stringify(seen));
    if (english.size) {
        const found = [...english].map(([word, where]) => `${word} (${where})`);
        throw new Error("English on Thai screens: " + found.join(", "));
    }
    if (!menus.length) {
        throw new Error("no menu to walk");
    }
    console.log("test successful");
})();

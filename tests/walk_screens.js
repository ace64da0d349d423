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
            const row = document.querySelector(
                ".o_list_renderer .o_data_row .o_data_cell, .o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)"
            );
            if ((type === "list" || type === "kanban") && row && !formOpened) {
                formOpened = true;
                row.click();
                await settle(menu.xmlid + " " + type + " first record");
                if (document.querySelector(".o_form_view")) {
                    seen.push(menu.xmlid + ":form");
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
    if (!menus.length) {
        throw new Error("no menu to walk");
    }
    console.log("test successful");
})();

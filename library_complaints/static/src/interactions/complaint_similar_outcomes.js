import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

// The title is compared once the person pauses typing, and when it says enough.
const DELAY = 400;
const MIN_LENGTH = 4;
const MAX_LENGTH = 200;

/**
 * On the complaint forms (/complaint, /new/ticket): while a person types the title,
 * the published outcomes of similar complaints (/complaints/similar) are listed under
 * it, each linking to its public page in a new tab. The problem may already be
 * answered; the form is sent as before. The box, its heading and its words are the
 * page's (library_complaints.complaint_similar_outcomes); nothing shows without a match.
 */
export class ComplaintSimilarOutcomes extends Interaction {
    static selector = ".o_complaint_similar_outcomes";

    dynamicSelectors = {
        ...this.dynamicSelectors,
        _title: () => this.findControl(this.el.dataset.titleInput),
        _service: () => this.findControl(this.el.dataset.serviceInput),
    };
    searchSoon = this.debounced(this.search, DELAY);
    dynamicContent = {
        _title: { "t-on-input": this.searchSoon },
        _service: { "t-on-change": this.searchSoon },
    };

    setup() {
        this.lastSearch = 0;
    }

    /** The form's control `selector` (beside the box), if any. */
    findControl(selector) {
        return selector ? this.el.closest("form")?.querySelector(selector) : null;
    }

    async search() {
        const searchId = ++this.lastSearch;
        const title = (this.findControl(this.el.dataset.titleInput)?.value || "").trim();
        let outcomes = [];
        if (title.length >= MIN_LENGTH) {
            const params = new URLSearchParams({ q: title.slice(0, MAX_LENGTH) });
            const service = this.findControl(this.el.dataset.serviceInput)?.value;
            if (service) {
                params.set("service", service);
            }
            try {
                const result = await this.waitFor(
                    this.services.http.get(`/complaints/similar?${params}`)
                );
                outcomes = result.outcomes || [];
            } catch {
                // a suggestion is a help: without it, the form works as before
                outcomes = [];
            }
        }
        if (searchId === this.lastSearch) {
            this.protectSyncAfterAsync(() => this.show(outcomes))();
        }
    }

    /** List `outcomes` in the box, shown only when there is one. */
    show(outcomes) {
        const newTab = this.el.querySelector(".o_complaint_similar_outcomes_new_tab").textContent;
        const items = outcomes
            .filter((outcome) => outcome.url?.startsWith("/"))
            .map((outcome) => {
                const link = document.createElement("a");
                link.href = outcome.url;
                link.target = "_blank";
                link.rel = "noopener";
                link.className = "fw-bold";
                link.textContent = outcome.title;
                const hint = document.createElement("span");
                hint.className = "visually-hidden";
                hint.textContent = ` (${newTab.trim()})`;
                link.append(hint);
                const meta = document.createElement("div");
                meta.className = "small text-muted";
                meta.textContent = [outcome.service, outcome.date].filter(Boolean).join(" · ");
                const summary = document.createElement("div");
                summary.className = "small";
                summary.textContent = outcome.summary;
                const item = document.createElement("li");
                item.className = "o_complaint_similar_outcome mb-2";
                item.append(link, meta, summary);
                return item;
            });
        this.el.querySelector(".o_complaint_similar_outcomes_list").replaceChildren(...items);
        this.el
            .querySelector(".o_complaint_similar_outcomes_box")
            .classList.toggle("d-none", !items.length);
    }
}

registry
    .category("public.interactions")
    .add("library_complaints.complaint_similar_outcomes", ComplaintSimilarOutcomes);

import { registry } from "@web/core/registry";
import { NO_ERROR } from "./tour_helpers";

// A visitor, not signed in, opens the complaint statistics from the website header,
// reads how many complaints the library received in a quarter, sees the trend chart
// and downloads the table as CSV. tests/test_tour_statistics.py checks the download.
registry.category("web_tour.tours").add("library_complaints_visitor_statistics", {
    url: "/",
    steps: () => [
        {
            content: "The header links to the statistics, next to the complaint form",
            trigger: "header a.nav-link[href$='/complaints/statistics']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page shows the published figures of a fiscal year",
            trigger: "h1:contains(Complaint statistics)",
        },
        {
            content: "Read the complaints received in the year's first published quarter",
            trigger: "#complaint_statistics_quarters tbody tr:first-child th + td",
            run(helpers) {
                const received = helpers.anchor.textContent.trim();
                if (!/^\d+$/.test(received)) {
                    throw new Error(`Received should be a number, not "${received}"`);
                }
            },
        },
        {
            content: "The trend chart is drawn (the table after it has the same figures)",
            trigger: ".o_complaint_statistics_chart_ready canvas",
        },
        {
            content: "The trend's table",
            trigger: "#complaint_statistics_trend tbody tr",
        },
        NO_ERROR,
        {
            content: "Download the table as CSV",
            trigger: "a.o_complaint_statistics_csv[href*='format=csv']",
            run: "click",
        },
        {
            content: "Still on the statistics page, without an error",
            trigger: "body:not(:has(.o_error_dialog)) #complaint_statistics_quarters",
        },
    ],
});

import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { loadBundle } from "@web/core/assets";

/**
 * The trend chart of the public statistics page (/complaints/statistics): the
 * complaints received and resolved in the last eight quarters (bars) and the share
 * resolved within the time frame (line). The figures and their translated labels come
 * from the page (data-chart); the table after the chart holds the same figures.
 * Chart.js is Odoo's own (web.chartjs_lib), loaded only on this page.
 */
export class ComplaintStatisticsChart extends Interaction {
    static selector = ".o_complaint_statistics_chart";

    async willStart() {
        await loadBundle("web.chartjs_lib");
    }

    start() {
        const data = JSON.parse(this.el.dataset.chart);
        const style = getComputedStyle(document.documentElement);
        const colors = [
            style.getPropertyValue("--o-color-1").trim() || "#35979c",
            style.getPropertyValue("--o-color-2").trim() || "#685563",
        ];
        const datasets = data.datasets.map((dataset, index) => ({
            ...dataset,
            type: "bar",
            backgroundColor: colors[index % colors.length],
            yAxisID: "y",
        }));
        datasets.push({
            ...data.rate,
            type: "line",
            borderColor: "#d9534f",
            backgroundColor: "#d9534f",
            yAxisID: "rate",
            spanGaps: true,
        });
        this.chart = new window.Chart(this.el.querySelector("canvas"), {
            data: { labels: data.labels, datasets },
            options: {
                animation: false,
                maintainAspectRatio: false,
                scales: {
                    y: { beginAtZero: true, ticks: { precision: 0 } },
                    rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
                },
            },
        });
        this.el.classList.add("o_complaint_statistics_chart_ready");
        this.registerCleanup(() => this.chart.destroy());
    }
}

registry
    .category("public.interactions")
    .add("library_complaints.complaint_statistics_chart", ComplaintStatisticsChart);

"""SQL queries of the hot paths, pinned as ``survey/tests/test_survey_performance.py``
does: a regression fails here; ``bench/`` keeps the ratios and times."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import warmup

from ..tools.quarters import quarter_bounds
from .common import LibraryComplaintsCase
from .test_escalation import EscalationCase

# The most SQL queries the daily escalation job may spend per complaint it escalates.
QUERIES_PER_ESCALATION = 15


@tagged("post_install", "-at_install")
class TestEscalationPerformance(EscalationCase):
    """The daily job: its scan does not grow with the open complaints, and each
    complaint it escalates costs a fixed number of queries (with the flush and the
    pre-commit hooks a commit runs: tracking, notifications)."""

    def run_at(self, moment):
        with freeze_time(moment):
            return self.Ticket._run_escalation_rules()

    def run_queries(self, moment, expected, queries):
        """Run the job at `moment`: it escalates `expected` complaints in `queries`
        SQL queries (the flush and pre-commit hooks of its commit included)."""
        self.flush_tracking()  # what creating the complaints left to write
        self.env.invalidate_all()
        with freeze_time(moment):
            clock = self.Ticket._get_escalation_clock()
            before = self.env.cr.sql_log_count
            with self.assertQueryCount(queries):
                self.assertEqual(self.Ticket._run_escalation_rules(clock), (expected, 0))
        return self.env.cr.sql_log_count - before

    @warmup
    def test_scan_queries_do_not_grow_with_the_open_complaints(self):
        # 20 March: nothing is due yet; the job refreshes the states and scans.
        self.run_at(datetime(2026, 3, 20, 0, 30))  # the demo's states brought up to date
        self.overdue_complaints(10)
        ten = self.run_queries(datetime(2026, 3, 20, 0, 30), 0, 14)
        self.overdue_complaints(20)  # 30 open
        thirty = self.run_queries(datetime(2026, 3, 20, 0, 30), 0, 14)
        self.assertEqual(ten, thirty)

    @warmup
    def test_escalation_queries_per_complaint(self):
        # 25 March: the overdue complaints go to the work-group head, in one batch.
        self.run_at(datetime(2026, 3, 25, 0, 0))  # the demo's states brought up to date
        tickets = self.overdue_complaints(10)
        ten = self.run_queries(datetime(2026, 3, 25, 0, 30), 10, 185)
        tickets |= self.overdue_complaints(20)
        twenty = self.run_queries(datetime(2026, 3, 25, 1, 30), 20, 325)
        if self.warm:
            # The run's own part (scan, lookups for the batch) is the same for
            # 10 and 20 complaints; each escalated complaint adds at most 15.
            self.assertLessEqual(twenty - ten, QUERIES_PER_ESCALATION * 10)
        # What the job did, for each complaint.
        self.assertEqual(set(tickets.mapped("escalation_level")), {"wg_head"})
        self.assertEqual(len(tickets.escalation_ids), 30)
        activity_type = self.env.ref("library_complaints.mail_activity_type_complaint_escalation")
        for ticket in tickets:
            self.assertEqual(
                ticket.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id,
                self.wg_head,
            )
            note = ticket.message_ids.filtered(lambda m: "Escalated from" in (m.body or ""))
            self.assertEqual(note.partner_ids, self.wg_head.partner_id)


@tagged("post_install", "-at_install")
class TestQuarterFiguresPerformance(LibraryComplaintsCase):
    """The quarterly summary's figures: the same queries for 10 and 30 complaints."""

    def complaints_of_the_quarter(self, count):
        # Fiscal 2021 Q2: January to March 2021; half of them closed two days later.
        for index in range(count):
            with freeze_time(datetime(2021, 1, 4 + index % 20, 3)):
                ticket = self.create_complaint(
                    track_id=(self.track_1 if index % 2 else self.track_3).id,
                    service_id=self.service.id,
                )
            if index % 2:
                ticket.sudo().write({"stage_id": self.done.id})
                ticket.sudo().closed_date = datetime(2021, 1, 6 + index % 20, 3)

    @warmup
    def test_figures_queries_do_not_grow_with_the_complaints(self):
        date_from, date_to = quarter_bounds(2021, 2, "fiscal")
        report = self.env["library.complaint.quarter.report"].create(
            {
                "company_id": self.env.company.id,
                "basis": "fiscal",
                "year": 2021,
                "quarter": 2,
                "date_from": date_from,
                "date_to": date_to,
            }
        )
        counts = []
        for count in (10, 20):  # 10 complaints, then 30
            self.complaints_of_the_quarter(count)
            self.flush_tracking()  # what recording and closing them left to write
            # One clock for both counts: whether the generated date (to the second)
            # changes between the two runs does not change the count.
            with freeze_time(datetime(2021, 4, 2, 3)):
                report._compute_figures()  # the lines to replace are there
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                # with the published figures' (median, open and satisfaction per track
                # and per service): three aggregations; the recurring groups and the
                # decisions per root cause: two more; the previous quarter's and last
                # year's figures read from their approved summaries: two more
                with self.assertQueryCount(30):
                    report._compute_figures()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(report.received_count, 30)
        self.assertEqual(report.resolved_count, 15)

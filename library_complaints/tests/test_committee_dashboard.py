from datetime import date

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_committee import CommitteeCase


@tagged("post_install", "-at_install")
class TestCommitteeDashboard(CommitteeCase):
    """The committee's dashboard (a `board`) shows what each title says. The board
    applies only the domain and context written on its `<action>` elements, never
    those of the actions they name (#11)."""

    def board_actions(self, user):
        """{title: <action> node} of the dashboard as `user` gets it."""
        view = self.env.ref("library_complaints.board_view_committee_dashboard")
        arch = self.env["board.board"].with_user(user).get_view(view.id, "form")["arch"]
        return {node.get("string"): node for node in etree.fromstring(arch).iter("action")}

    def loaded_action(self, node, user):
        """The window action that the board loads for `node`, read as `user`."""
        # /web/action/load reads it with sudo(); the records, as the user.
        action = self.env["ir.actions.act_window"].sudo().browse(int(node.get("name")))
        self.env[action.res_model].with_user(user).check_access("read")
        return action

    def test_waiting_list_shows_only_the_complaints_waiting(self):
        deferred = self.proposed_complaint(name="Deferred: the lift")
        decided = self.proposed_complaint(name="Decided: the roof")
        closed = self.proposed_complaint(name="Closed: the carpets")
        meeting = self.new_meeting()
        self.decide(meeting, deferred, decision="defer")
        self.decide(meeting, decided, decision="approve")
        self.decide(meeting, closed, decision="defer")
        # The demo's proposed complaints came on the agenda too.
        meeting.item_ids.filtered(lambda item: not item.decision).write({"decision": "defer"})
        meeting.with_user(self.committee).action_schedule()
        meeting.with_user(self.committee).action_mark_held()
        # waiting for the committee (deferred): only a complaint manager closes it
        closed.with_user(self.manager)._close_with_reason("The carpets went with the works.")
        waiting = self.proposed_complaint(name="Waiting: the toilets")
        other = self.complaint_on_track(self.track_3, name="Not proposed: the noise")
        self.flush_tracking()

        node = self.board_actions(self.committee)["Waiting for the committee"]
        self.assertEqual(node.get("view_mode"), "list")
        action = self.loaded_action(node, self.committee)
        self.assertEqual(action.res_model, "helpdesk.ticket")
        self.assertTrue(node.get("domain"), "the board's list has its own domain")
        Ticket = self.Ticket.with_user(self.committee)
        shown = Ticket.search(safe_eval(node.get("domain")))
        mine = deferred | decided | closed | waiting | other
        self.assertEqual(shown & mine, waiting | deferred)
        # The same complaints as the menu "Waiting for the committee" and the agenda.
        self.assertEqual(shown, Ticket.search(self.Ticket._get_committee_pool_domain()))
        self.assertEqual(shown, Ticket.search(safe_eval(action.domain)))

    def test_pivot_shows_services_by_division(self):
        node = self.board_actions(self.committee)["Complaints per service and division"]
        self.assertEqual(node.get("view_mode"), "pivot")
        self.assertEqual(self.loaded_action(node, self.committee).res_model, "helpdesk.ticket")
        context = safe_eval(node.get("context") or "{}")
        self.assertEqual(context.get("pivot_row_groupby"), ["service_id"])
        self.assertEqual(context.get("pivot_column_groupby"), ["division_id"])
        self.assertEqual(context.get("pivot_measures"), ["__count"])

    def test_graph_shows_tracks_by_quarter(self):
        node = self.board_actions(self.committee)["Complaints per quarter and track"]
        self.assertEqual(node.get("view_mode"), "graph")
        self.assertEqual(self.loaded_action(node, self.committee).res_model, "helpdesk.ticket")
        context = safe_eval(node.get("context") or "{}")
        self.assertEqual(context.get("graph_groupbys"), ["report_quarter", "track_id"])

    def test_key_figures_list_the_quarterly_summaries(self):
        node = self.board_actions(self.committee)["Key figures per quarter"]
        self.assertEqual(node.get("view_mode"), "list")
        action = self.loaded_action(node, self.committee)
        self.assertEqual(action.res_model, "library.complaint.quarter.report")
        self.assertEqual(
            set(self.board_actions(self.committee)),
            {
                "Key figures per quarter",
                "Complaints per quarter and track",
                "Complaints per service and division",
                "Waiting for the committee",
            },
        )


@tagged("post_install", "-at_install")
class TestQuarterReportForm(CommitteeCase):
    def test_form_shows_the_quarters_last_day(self):
        """The summary's form said "Date To: Oct 1" for July to September: the stored
        end is the day after the quarter; the committee sees the last day."""
        report = self.Report._generate_quarter_report(self.env.company, 2026, 4)
        self.flush_tracking()
        report = report.with_user(self.committee)
        self.assertEqual((report.date_from, report.date_to), (date(2026, 7, 1), date(2026, 10, 1)))
        self.assertEqual(report.date_last, date(2026, 9, 30))
        arch = etree.fromstring(report.get_view(view_type="form")["arch"])
        shown = {node.get("name") for node in arch.iter("field")}
        # shown with its year, in the reader's calendar (date_last as text)
        self.assertIn("date_last_text", shown)
        self.assertNotIn("date_to", shown)
        self.assertIn("2026", report.with_context(lang="en_US").date_last_text)

"""The quarterly summary's recurring complaints and its Pareto of root causes (#15):
counted once at generation from a few aggregations, kept once approved, printed; the
cause category the MT committee sets on an agenda item and no one else writes."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import Json2Mixin
from .test_committee import CommitteeCase
from .test_committee_pdf import closed_port_url

ROOT_A = "เครื่องยืมคืนด้วยตนเองอ่านบัตรไม่ได้"
ROOT_B = "ห้องค้นคว้ากลุ่มจองซ้อนกัน"


@tagged("post_install", "-at_install")
class TestQuarterRecurrence(CommitteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Cause = cls.env["library.complaint.cause"]
        cls.cause_facilities = Cause.create({"name": "T facilities", "sequence": 1})
        cls.cause_equipment = Cause.create({"name": "T equipment", "sequence": 2})
        # wkhtmltopdf must not call back the test's own server (test_committee_pdf.py).
        cls.env["ir.config_parameter"].sudo().set_param("report.url", closed_port_url())

    def received(self, when, name="A complaint", **vals):
        with freeze_time(when):
            return self.create_complaint(
                name=name, service_id=self.service.id, track_id=self.track_1.id, **vals
            )

    def decided(self, ticket, day, cause=None, decision="approve"):
        """The committee's decision as a held meeting writes it back."""
        ticket.sudo().write(
            {
                "is_committee_proposed": True,
                "committee_decision": decision,
                "committee_decision_date": day,
                "cause_id": cause.id if cause else False,
            }
        )
        return ticket

    def build_quarter(self):
        """Fiscal 2021 Q2 (January to March 2021): two recurring groups, decisions."""
        root_a = self.received(datetime(2020, 11, 10, 3), ROOT_A)
        self.decided(root_a, date(2020, 12, 20), self.cause_equipment)
        for when in (datetime(2021, 1, 10, 3), datetime(2021, 2, 10, 3), datetime(2021, 4, 10, 3)):
            self.received(when, recurrence_of_id=root_a.id)
        root_b = self.received(datetime(2021, 1, 5, 3), ROOT_B)
        self.received(datetime(2021, 3, 1, 3), recurrence_of_id=root_b.id)
        for day, cause in (
            (date(2021, 2, 15), self.cause_facilities),
            (date(2021, 3, 10), self.cause_facilities),
            (date(2021, 3, 20), self.cause_facilities),
            (date(2021, 1, 20), self.cause_equipment),
            (date(2021, 2, 1), None),
        ):
            self.decided(self.received(datetime(2021, 1, 4, 3)), day, cause)
        # not the quarter's decisions: deferred, or decided after the quarter
        self.decided(self.received(datetime(2021, 1, 4, 3)), date(2021, 2, 1), None, "defer")
        self.decided(self.received(datetime(2021, 1, 4, 3)), date(2021, 4, 2), self.cause_equipment)
        return root_a, root_b

    def render_html(self, report):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "library_complaints.action_report_quarter_report", report.ids
        )
        return " ".join(html.decode().split())

    def test_recurring_groups_and_pareto(self):
        root_a, root_b = self.build_quarter()
        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        self.assertEqual(report.recurring_group_count, 2)
        self.assertEqual(report.recurrence_count, 3)
        in_progress = root_a.stage_id
        self.assertRecordValues(
            report.recurrence_line_ids,
            [
                {
                    "res_id": root_a.id,
                    "reference": root_a.number,
                    "name": ROOT_A,
                    "service_id": self.service.id,
                    "count": 2,
                    "total_count": 3,
                    "stage_id": in_progress.id,
                    "decision": "approve",
                },
                {
                    "res_id": root_b.id,
                    "reference": root_b.number,
                    "name": ROOT_B,
                    "service_id": self.service.id,
                    "count": 1,
                    "total_count": 1,
                    "stage_id": root_b.stage_id.id,
                    "decision": False,
                },
            ],
        )
        # decisions of the quarter per category, plus each group under its root's
        # category; the unclassified last
        self.assertRecordValues(
            report.cause_line_ids,
            [
                {
                    "res_id": self.cause_facilities.id,
                    "decision_count": 3,
                    "group_count": 0,
                    "count": 3,
                    "rate": 42.9,
                    "cumulative_rate": 42.9,
                },
                {
                    "res_id": self.cause_equipment.id,
                    "decision_count": 1,
                    "group_count": 1,
                    "count": 2,
                    "rate": 28.6,
                    "cumulative_rate": 71.4,
                },
                {
                    "res_id": 0,
                    "decision_count": 1,
                    "group_count": 1,
                    "count": 2,
                    "rate": 28.6,
                    "cumulative_rate": 100.0,
                },
            ],
        )
        self.assertEqual(report.cause_line_ids[0]._get_label(), "T facilities")
        self.assertEqual(report.cause_line_ids[2]._get_label(), "Not classified")
        # printed: the groups with their references, the Pareto with its bars
        html = self.render_html(report)
        for expected in (root_a.number, ROOT_A, root_b.number, ROOT_B, "T facilities"):
            self.assertIn(expected, html)
        self.assertIn("width: 100%; height: 12px", html)  # the largest bar is full
        self.assertIn("width: 67%; height: 12px", html)
        self.assertNotIn('name="no_recurrence"', html)
        self.assertNotIn('name="no_causes"', html)

    def test_counted_in_a_few_queries_whatever_the_groups(self):
        self.build_quarter()
        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        bounds = report._get_period_bounds()
        self.env.invalidate_all()
        report.fetch(["company_id", "date_from", "date_to"])
        with self.assertQueryCount(5):
            groups, causes = report._get_recurrence_figures(bounds)
        self.assertEqual((len(groups), len(causes)), (2, 3))
        # more groups, more categories: the same queries
        cause = self.env["library.complaint.cause"].create({"name": "T rules"})
        for day in range(3):
            root = self.received(datetime(2021, 1, 11 + day, 3), f"Root {day}")
            self.decided(root, date(2021, 2, 11 + day), cause)
            self.received(datetime(2021, 2, 11 + day, 3), recurrence_of_id=root.id)
        self.env.invalidate_all()
        report.fetch(["company_id", "date_from", "date_to"])
        with self.assertQueryCount(5):
            groups, causes = report._get_recurrence_figures(bounds)
        self.assertEqual((len(groups), len(causes)), (5, 4))

    def test_quarter_without_complaints(self):
        report = self.Report._generate_quarter_report(self.env.company, 2020, 1)
        self.assertFalse(report.recurrence_line_ids)
        self.assertFalse(report.cause_line_ids)
        self.assertEqual((report.recurring_group_count, report.recurrence_count), (0, 0))
        html = self.render_html(report)
        self.assertIn('name="no_recurrence"', html)
        self.assertIn('name="no_causes"', html)
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, __ = reports._render_qweb_pdf(
            "library_complaints.action_report_quarter_report", report.ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_an_approved_summary_keeps_its_groups(self):
        root_a, __ = self.build_quarter()
        report = self.Report._generate_quarter_report(self.env.company, 2021, 2)
        report.with_user(self.committee).action_approve()
        self.received(datetime(2021, 3, 15, 3), recurrence_of_id=root_a.id)
        self.decided(self.received(datetime(2021, 1, 4, 3)), date(2021, 3, 2), None)
        self.env.invalidate_all()
        self.assertEqual(report.recurrence_line_ids[0].count, 2)
        self.assertEqual(sum(report.cause_line_ids.mapped("count")), 7)

    def test_the_demo_quarter_has_a_recurring_group(self):
        """The demo's summary of the quarter that ended lists its recurring group."""
        root = self.env.ref("library_complaints.ticket_demo_self_checkout")
        repeat = self.env.ref("library_complaints.ticket_demo_self_checkout_again")
        self.assertEqual(repeat.recurrence_root_id, root)
        company = self.env.company
        quarter_day = company._get_complaint_calendar()._get_local_date(repeat.received_date)
        report = self.Report.search(
            [("date_from", "<=", quarter_day), ("date_to", ">", quarter_day)]
        )
        self.assertEqual(len(report), 1, "the demo generated the quarter's summary")
        report._compute_figures()  # a database made before this demo data
        group = report.recurrence_line_ids.filtered(lambda line: line.res_id == root.id)
        self.assertEqual((group.count, group.reference), (2, root.number))
        first = report.cause_line_ids[0]
        self.assertEqual(first.res_id, self.env.ref("library_complaints.cause_equipment_it").id)
        self.assertEqual((first.decision_count, first.group_count), (1, 1))

    def test_the_committee_sets_the_cause_on_the_agenda_item(self):
        # a complaint recorded before this transaction: its changes are tracked
        ticket = self.env.ref("library_complaints.ticket_demo_aircon")
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        self.decide(
            meeting,
            ticket,
            decision="approve",
            root_cause="Old compressor",
            cause_id=self.cause_facilities.id,
        )
        for item in meeting.item_ids.filtered(lambda i: not i.decision):
            item.decision = "defer"
        meeting.with_user(self.committee).action_mark_held()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(ticket.cause_id, self.cause_facilities)
        tracked = ticket.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "cause_id"
        )
        self.assertEqual(tracked.new_value_char, "T facilities")

    def test_a_deferred_item_keeps_its_cause(self):
        ticket = self.proposed_complaint()
        meeting = self.new_meeting()
        meeting.with_user(self.committee).action_schedule()
        item = self.decide(meeting, ticket, decision="defer", cause_id=self.cause_equipment.id)
        self.assertEqual(item._get_carry_over_values()["cause_id"], self.cause_equipment.id)

    def test_only_the_committee_files_the_cause(self):
        ticket = self.proposed_complaint()
        for user in (self.staff, self.committee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user).write({"cause_id": self.cause_facilities.id})
        self.assertFalse(ticket.cause_id)
        # the categories: the managers configure them, everyone reads them
        with self.assertRaises(AccessError):
            self.env["library.complaint.cause"].with_user(self.committee).create({"name": "X"})
        self.cause_facilities.with_user(self.manager).name = "T facilities and building"
        self.assertTrue(self.cause_facilities.with_user(self.staff).name)


@tagged("post_install", "-at_install")
class TestCauseExternalApi(Json2Mixin, HttpCase):
    """Over JSON-2, the demo staff member neither writes a complaint's cause
    category, nor an agenda item's, nor the categories."""

    def test_staff_cannot_write_the_cause(self):
        staff = self.env.ref("library_complaints.user_staff")
        # a complaint the committee may take (not one waiting for a head)
        ticket = self.env.ref("library_complaints.ticket_demo_hours")
        cause = self.env.ref("library_complaints.cause_equipment_it")
        meeting = self.env["library.complaint.meeting"].create(
            {"name": "MT 9/2574", "date_start": datetime(2031, 9, 1, 2)}
        )
        item = self.env["library.complaint.meeting.item"].create(
            {"meeting_id": meeting.id, "ticket_id": ticket.id}
        )
        calls = [
            ("helpdesk.ticket", "write", {"ids": ticket.ids, "vals": {"cause_id": cause.id}}),
            (
                "library.complaint.meeting.item",
                "write",
                {"ids": item.ids, "vals": {"cause_id": cause.id}},
            ),
            ("library.complaint.cause", "write", {"ids": cause.ids, "vals": {"name": "Renamed"}}),
            ("library.complaint.cause", "create", {"vals_list": [{"name": "New"}]}),
        ]
        for model, method, params in calls:
            with self.subTest(model=model, method=method):
                self.assertApiRefused(staff, model, method, **params)
        self.env.invalidate_all()
        self.assertFalse(ticket.cause_id)
        self.assertFalse(item.cause_id)
        self.assertEqual(cause.name, "Equipment and IT systems")

from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LibraryComplaintsCase

# 2026 in Bangkok (UTC+7): Chakri Day Mon 6 April; Songkran Mon 13 - Wed 15 April.
FRIDAY_EVENING_BEFORE_SONGKRAN = datetime(2026, 4, 10, 11, 0)  # 18:00 local
TUESDAY_MORNING = datetime(2026, 3, 10, 2, 0)  # 09:00 local


class EscalationCase(LibraryComplaintsCase):
    """A work group with its head, inside a division with its head."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.division = cls.env.ref("library_complaints.division_library")
        cls.division.head_id = cls.division_head
        cls.team.write({"division_id": cls.division.id, "wg_head_id": cls.wg_head.id})
        cls.other_wg_head = cls.new_user("t_other_wg_head", "wg_head")
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Media Lab",
                "division_id": cls.env.ref("library_complaints.division_technology").id,
                "wg_head_id": cls.other_wg_head.id,
                "user_ids": [(6, 0, cls.other_wg_head.ids)],
            }
        )
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.calendar = cls.env.ref("library_complaints.resource_calendar_official")
        cls.Ticket = cls.env["helpdesk.ticket"]

    def complaint_on_track(self, track, **vals):
        """A complaint that the staff member owns and puts on `track`."""
        ticket = self.create_complaint(user_id=self.staff.id, **vals)
        ticket.with_user(self.staff).write({"track_id": track.id, "service_id": self.service.id})
        return ticket

    def overdue_complaints(self, count):
        """`count` track 3 complaints received on Monday 2 March 2026: due on the
        24th (15 working days, Makha Bucha on 3 March not counted), overdue on the 25th."""
        with freeze_time(datetime(2026, 3, 2, 2, 0)):
            return self.Ticket.create(
                [
                    {
                        "name": f"Overdue {index}",
                        "description": "<p>Still not handled.</p>",
                        "team_id": self.team.id,
                        "user_id": self.staff.id,
                        "track_id": self.track_3.id,
                    }
                    for index in range(count)
                ]
            )

    def activities_of(self, ticket, user, xmlid):
        return ticket.activity_ids.filtered(
            lambda a: a.user_id == user and a.activity_type_id == self.env.ref(xmlid)
        )


@tagged("post_install", "-at_install")
class TestSeedRules(EscalationCase):
    def test_track_2_goes_to_both_heads_for_approval(self):
        ticket = self.complaint_on_track(self.track_2)
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approver_id, self.wg_head)
        self.assertTrue(ticket.approval_needs_division)
        log = ticket.escalation_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(
            log.rule_id, self.env.ref("library_complaints.escalation_rule_track_2_heads")
        )
        self.assertEqual((log.from_level, log.to_level), ("staff", "wg_head"))
        self.assertEqual(log.to_user_ids, self.wg_head)
        self.assertEqual(log.user_id, self.staff)
        self.assertTrue(
            self.activities_of(
                ticket, self.wg_head, "library_complaints.mail_activity_type_complaint_approval"
            )
        )
        self.assertIn("Escalated from Staff to Work-group head", ticket.message_ids[0].body)
        self.assertIn(self.wg_head.partner_id, ticket.message_ids[0].partner_ids)

    def test_track_3_is_not_escalated(self):
        ticket = self.complaint_on_track(self.track_3)
        self.assertEqual(ticket.escalation_level, "staff")
        self.assertFalse(ticket.escalation_ids)
        self.assertFalse(ticket.approval_state)

    def test_track_4_division_head_then_committee(self):
        ticket = self.complaint_on_track(self.track_4)
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertFalse(ticket.is_committee_proposed)
        ticket.with_user(self.division_head).action_approve()
        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.escalation_level, "committee")
        self.assertTrue(ticket.is_committee_proposed)
        self.assertEqual(
            ticket.escalation_ids.sorted("id").mapped("to_level"), ["division_head", "committee"]
        )

    def test_changing_track_again_does_not_escalate_twice(self):
        ticket = self.complaint_on_track(self.track_2)
        ticket.with_user(self.staff).write({"track_id": self.track_3.id})
        ticket.with_user(self.staff).write({"track_id": self.track_2.id})
        self.assertEqual(len(ticket.escalation_ids), 1)

    def test_missing_work_group_head_goes_to_the_division_head(self):
        self.team.wg_head_id = False
        ticket = self.complaint_on_track(self.track_2)
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertFalse(ticket.approval_needs_division)

    def test_cannot_fix_moves_one_level_up_each_time(self):
        ticket = self.complaint_on_track(self.track_3)
        wizard_action = ticket.with_user(self.staff).action_cannot_fix()
        wizard = (
            self.env["library.complaint.comment.wizard"]
            .with_user(self.staff)
            .with_context(**wizard_action["context"])
            .create({"comment": "The scanner needs a part we do not stock."})
        )
        wizard.action_confirm()
        self.assertEqual(ticket.escalation_level, "wg_head")
        self.assertIn("The scanner needs a part", ticket.escalation_ids.reason)
        self.assertTrue(
            self.activities_of(
                ticket, self.wg_head, "library_complaints.mail_activity_type_complaint_escalation"
            )
        )
        ticket.with_user(self.wg_head)._mark_cannot_fix("Nor can the work group.")
        self.assertEqual(ticket.escalation_level, "division_head")
        ticket.with_user(self.division_head)._mark_cannot_fix("It needs the committee.")
        self.assertEqual(ticket.escalation_level, "committee")
        self.assertTrue(ticket.is_committee_proposed)
        ticket.with_user(self.division_head)._mark_cannot_fix("Still nothing.")
        self.assertEqual(len(ticket.escalation_ids), 3)
        self.assertIn("no rule moves it higher", ticket.message_ids[0].body)

    def test_cannot_fix_needs_a_reason(self):
        ticket = self.complaint_on_track(self.track_3)
        with self.assertRaises(UserError):
            ticket.with_user(self.staff)._mark_cannot_fix("   ")
        self.assertEqual(ticket.escalation_level, "staff")

    def test_first_response_is_a_message_to_the_complainant(self):
        ticket = self.complaint_on_track(self.track_3)
        ticket.with_user(self.staff).message_post(
            body="Looking into it", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(self.staff).message_post(
            body="We fixed it", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(ticket.first_response_date)


@tagged("post_install", "-at_install")
class TestApproval(EscalationCase):
    def test_work_group_head_then_division_head_approve(self):
        ticket = self.complaint_on_track(self.track_2)
        self.assertTrue(ticket.with_user(self.wg_head).can_approve)
        ticket.with_user(self.wg_head).action_approve()
        self.assertEqual(ticket.approval_step, "division_head")
        self.assertEqual(ticket.approver_id, self.division_head)
        self.assertEqual(ticket.escalation_level, "division_head")
        self.assertFalse(
            self.activities_of(
                ticket, self.wg_head, "library_complaints.mail_activity_type_complaint_approval"
            )
        )
        approval = "library_complaints.mail_activity_type_complaint_approval"
        self.assertTrue(self.activities_of(ticket, self.division_head, approval))
        ticket.with_user(self.division_head).action_approve()
        self.flush_tracking()
        self.assertEqual(ticket.approval_state, "approved")
        self.assertFalse(ticket.approver_id)
        last = ticket.message_ids[0]
        self.assertIn("Approved by", last.body)
        self.assertIn(self.staff.partner_id, last.partner_ids)
        self.assertFalse(ticket.activity_ids, "nobody has anything left to do")
        self.assertEqual(
            ticket.approval_ids.sorted("id").mapped(lambda a: (a.step, a.decision, a.user_id)),
            [
                ("wg_head", "approve", self.wg_head),
                ("division_head", "approve", self.division_head),
            ],
        )

    def test_the_wrong_head_is_refused(self):
        ticket = self.complaint_on_track(self.track_2)
        # The division head waits for the work-group head's approval first.
        with self.assertRaises(AccessError):
            ticket.with_user(self.division_head).action_approve()
        # A head of another work group cannot even open it.
        with self.assertRaises(AccessError):
            ticket.with_user(self.other_wg_head).action_approve()
        # Staff cannot approve their own complaint.
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff).action_approve()
        with self.assertRaises(AccessError):
            ticket.with_user(self.staff)._return_to_staff("No")
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approval_step, "wg_head")

    def test_returned_complaint_goes_back_to_staff_with_the_comment(self):
        ticket = self.complaint_on_track(self.track_2)
        with self.assertRaises(UserError):
            ticket.with_user(self.wg_head)._return_to_staff("")
        action = ticket.with_user(self.wg_head).action_return()
        wizard = (
            self.env["library.complaint.comment.wizard"]
            .with_user(self.wg_head)
            .with_context(**action["context"])
            .create({"comment": "Ask IT for a quote first."})
        )
        wizard.action_confirm()
        self.flush_tracking()
        self.assertEqual(ticket.approval_state, "returned")
        self.assertEqual(ticket.escalation_level, "staff")
        self.assertEqual(ticket.approval_comment, "Ask IT for a quote first.")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Ask IT for a quote first." in m.body
                and self.staff.partner_id in m.partner_ids
            )
        )
        approval = "library_complaints.mail_activity_type_complaint_approval"
        todo = self.activities_of(ticket, self.staff, approval)
        self.assertIn("Ask IT for a quote first.", str(todo.note))
        self.assertEqual(ticket.activity_ids, todo, "the staff owner alone has a to-do")
        # The staff member reworks it and submits it again: a second round.
        ticket.with_user(self.staff).action_submit_for_approval()
        self.flush_tracking()
        self.assertEqual(ticket.approval_state, "to_approve")
        self.assertEqual(ticket.approver_id, self.wg_head)
        self.assertEqual(ticket.activity_ids, self.activities_of(ticket, self.wg_head, approval))
        self.assertFalse(ticket.approval_comment, "the new round has no comment yet")
        self.assertEqual(
            ticket.approval_ids.mapped(lambda a: (a.round_number, a.decision, a.comment)),
            [(1, "return", "Ask IT for a quote first.")],
            "the returned round is kept",
        )

    def test_refuse_needs_a_comment_and_tells_staff(self):
        ticket = self.complaint_on_track(self.track_4)
        with self.assertRaises(UserError):
            ticket.with_user(self.division_head)._refuse(" ")
        ticket.with_user(self.division_head)._refuse("No budget this year.")
        self.flush_tracking()
        self.assertEqual(ticket.approval_state, "refused")
        self.assertFalse(ticket.activity_ids)
        self.assertEqual(ticket.approval_ids.comment, "No budget this year.")
        self.assertFalse(ticket.is_committee_proposed)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "No budget this year." in m.body
                and self.staff.partner_id in m.partner_ids
            )
        )

    def test_approvals_action_groups_by_state(self):
        action = self.env.ref("library_complaints.helpdesk_ticket_action_approvals")
        self.complaint_on_track(self.track_2)
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.wg_head)
            .with_context(read_group_expand=True)
            .web_read_group([("approval_state", "!=", False)], ["approval_state"], ["__count"])
        )
        self.assertEqual(
            [g["approval_state"] for g in result["groups"]],
            ["to_approve", "approved", "returned", "refused"],
        )
        self.assertEqual(result["groups"][0]["__count"], 1)
        self.assertIn("approval_state", action.domain)


@tagged("post_install", "-at_install")
class TestWorkingDays(EscalationCase):
    def test_friday_evening_before_a_holiday(self):
        with freeze_time(FRIDAY_EVENING_BEFORE_SONGKRAN):
            ticket = self.create_complaint(track_id=self.track_1.id)
        # Weekend, then Songkran Mon 13 - Wed 15: day 1 is Thursday 16 April, 16:30 local.
        self.assertEqual(ticket.date_deadline, datetime(2026, 4, 16, 9, 30))
        ticket.track_id = self.track_2  # 5 working days: Thu 16 ... Wed 22
        self.assertEqual(ticket.date_deadline, datetime(2026, 4, 22, 9, 30))

    def test_weekend_receipt_counts_from_monday(self):
        with freeze_time(datetime(2026, 3, 7, 3, 0)):  # Saturday 10:00 local
            ticket = self.create_complaint(track_id=self.track_1.id)
        self.assertEqual(ticket.date_deadline, datetime(2026, 3, 9, 9, 30))

    def test_remaining_working_days_and_overdue(self):
        with freeze_time(TUESDAY_MORNING):
            ticket = self.create_complaint(track_id=self.track_2.id)  # due Tue 17 March
            self.assertEqual(ticket.date_deadline, datetime(2026, 3, 17, 9, 30))
            self.assertEqual(ticket.remaining_working_days, 5)
            self.assertFalse(ticket.is_overdue)
        with freeze_time(datetime(2026, 3, 17, 10, 0)):  # 17:00 local, after office hours
            ticket.invalidate_recordset(["remaining_working_days", "is_overdue"])
            self.assertEqual(ticket.remaining_working_days, 0)
            self.assertTrue(ticket.is_overdue)
            self.assertIn(ticket, self.Ticket.search([("is_overdue", "=", True)]))
        with freeze_time(datetime(2026, 3, 20, 2, 0)):  # Friday
            ticket.invalidate_recordset(["remaining_working_days"])
            self.assertEqual(ticket.remaining_working_days, -3)

    def test_holiday_added_by_the_manager_moves_new_deadlines(self):
        self.env["resource.calendar.leaves"].with_user(self.manager).create(
            {
                "name": "Special holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 10, 17, 0),
                "date_to": datetime(2026, 3, 11, 16, 59, 59),
                "time_type": "leave",
            }
        )
        with freeze_time(TUESDAY_MORNING):
            ticket = self.create_complaint(track_id=self.track_1.id)
        self.assertEqual(ticket.date_deadline, datetime(2026, 3, 12, 9, 30))


@tagged("post_install", "-at_install")
class TestEscalationCron(EscalationCase):
    def run_cron_at(self, moment):
        with freeze_time(moment):
            return self.Ticket._run_escalation_rules()

    def test_overdue_goes_one_level_up_once_per_level_and_is_idempotent(self):
        tickets = self.overdue_complaints(3)
        self.assertEqual(tickets[0].date_deadline, datetime(2026, 3, 24, 9, 30))
        self.assertEqual(self.run_cron_at(datetime(2026, 3, 25, 0, 30)), (3, 0))
        self.assertEqual(set(tickets.mapped("escalation_level")), {"wg_head"})
        self.assertEqual(set(tickets.mapped("deadline_state")), {"overdue"})
        self.assertTrue(
            self.activities_of(
                tickets[0],
                self.wg_head,
                "library_complaints.mail_activity_type_complaint_escalation",
            )
        )
        messages = len(tickets[0].message_ids)
        # The same day again: nothing changes.
        self.assertEqual(self.run_cron_at(datetime(2026, 3, 25, 8, 0)), (0, 0))
        self.assertEqual(len(tickets[0].message_ids), messages)
        self.assertEqual(len(tickets.escalation_ids), 3)
        # The next working day: one more level, then the committee, then nothing.
        self.assertEqual(self.run_cron_at(datetime(2026, 3, 26, 0, 30)), (3, 0))
        self.assertEqual(set(tickets.mapped("escalation_level")), {"division_head"})
        self.run_cron_at(datetime(2026, 3, 27, 0, 30))
        self.assertEqual(set(tickets.mapped("escalation_level")), {"committee"})
        self.assertEqual(self.run_cron_at(datetime(2026, 3, 30, 0, 30)), (0, 0))
        self.assertEqual(len(tickets.escalation_ids), 9)

    def test_a_failing_complaint_is_skipped_and_left_untouched(self):
        tickets = self.overdue_complaints(3)
        bad = tickets[1]
        escalate = type(self.Ticket)._escalate

        def failing_escalate(batch, rule, target, reason):
            # The job escalates a batch together, then one by one when the batch fails.
            if bad in batch:
                bad.sudo().write({"escalation_level": target})  # half-applied...
                raise ValueError("mail server down")  # ...then it fails
            return escalate(batch, rule, target, reason)

        logger = "odoo.addons.library_complaints.models.helpdesk_ticket_escalation"
        with (
            patch.object(type(self.Ticket), "_escalate", failing_escalate),
            self.assertLogs(logger, level="ERROR") as logged,
        ):
            self.assertEqual(self.run_cron_at(datetime(2026, 3, 25, 0, 30)), (2, 1))
        self.assertIn(f"failed on complaint {bad.id}; skipped", logged.output[0])
        self.assertEqual((tickets - bad).mapped("escalation_level"), ["wg_head", "wg_head"])
        bad.invalidate_recordset()
        self.assertEqual(bad.escalation_level, "staff")
        self.assertFalse(bad.escalation_ids)
        # The next run picks it up.
        self.assertEqual(self.run_cron_at(datetime(2026, 3, 25, 3, 0)), (1, 0))
        self.assertEqual(bad.escalation_level, "wg_head")

    def test_cron_skips_weekends_and_holidays(self):
        self.overdue_complaints(1)
        for moment in (datetime(2026, 4, 11, 0, 30), datetime(2026, 4, 13, 0, 30)):
            with (
                freeze_time(moment),
                patch.object(type(self.Ticket), "_run_escalation_rules") as run,
            ):
                self.Ticket._cron_apply_escalation_rules()
            run.assert_not_called()
        with (
            freeze_time(datetime(2026, 4, 16, 0, 30)),
            patch.object(type(self.Ticket), "_run_escalation_rules") as run,
        ):
            self.Ticket._cron_apply_escalation_rules()
        run.assert_called_once()

    def test_scan_queries_do_not_grow_with_the_number_of_complaints(self):
        self.env["library.complaint.escalation.rule"].create(
            {"name": "Silent", "trigger": "no_first_response", "working_days": 3}
        )
        rules = self.env["library.complaint.escalation.rule"].search(
            [("trigger", "in", ("overdue", "received_days", "idle_days", "no_first_response"))]
        )

        def scan_queries(count):
            self.overdue_complaints(count)
            with freeze_time(datetime(2026, 3, 20, 0, 30)):  # nothing due yet
                clock = self.Ticket._get_escalation_clock()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                for rule in rules:
                    rule._find_tickets_to_escalate(rule._get_time_domain(clock))
                return self.env.cr.sql_log_count - before

        self.assertEqual(scan_queries(5), scan_queries(60))

"""Side effects after the commit, nothing lost under concurrency: with REAL
transactions (cursors of their own, committed), never the test's cursor.

What these tests commit is theirs only (their own LINE users, partner, complaint,
a date of 2090) and is deleted again when they end.
"""

import json
import threading
import time
from contextlib import contextmanager
from datetime import datetime

import requests

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .line_server import LineRecorder, start_line_server
from .test_line_intake import SECRET, TOKEN, WEBHOOK, sign

LINE_SETTINGS = (
    "complaint_line_enabled",
    "complaint_line_secret",
    "complaint_line_token",
    "complaint_line_endpoint",
)
# LINE users of these tests only (U + 32 hexadecimal digits)
ROLLED_BACK_USER = "U" + "c0ffee00" * 4
RACING_USER = "U" + "0badcafe" * 4
TEST_USERS = [ROLLED_BACK_USER, RACING_USER]
LINE_MODELS = (
    "library.complaint.line.message",
    "library.complaint.line.event",
    "library.complaint.line.conversation",
)
TIMEOUT = 30


class RealTransactionsMixin:
    """Cursors of their own on the test database, committed for real."""

    @contextmanager
    def real_env(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def wait_for_lock_waiters(self, count, relation=None):
        """Wait until `count` transactions wait for a lock (a table's, or any: a
        transaction waiting for a row waits for the transaction that holds it)."""
        query = "SELECT count(*) FROM pg_locks WHERE NOT granted"
        params = []
        if relation:
            query += " AND relation = %s::regclass"
            params.append(relation)
        deadline = time.monotonic() + TIMEOUT
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(query, params)
                if cr.fetchone()[0] >= count:
                    return
                cr.rollback()
                time.sleep(0.05)
        self.fail(f"{count} transactions never waited for a lock")


@tagged("post_install", "-at_install")
class TestLineWebhookRealTransactions(RealTransactionsMixin, HttpCase):
    # requests run in real transactions, committed (and their post-commit hooks run)
    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_url = start_line_server(cls)
        with cls.registry.cursor() as cr:
            company = api.Environment(cr, SUPERUSER_ID, {}).ref("base.main_company")
            cls.company_id = company.id
            saved = company.read(list(LINE_SETTINGS))[0]
            company.write(
                {
                    "complaint_line_enabled": True,
                    "complaint_line_secret": SECRET,
                    "complaint_line_token": TOKEN,
                    "complaint_line_endpoint": cls.line_url,
                }
            )
        cls.addClassCleanup(cls.restore_company, {f: saved[f] for f in LINE_SETTINGS})

    @classmethod
    def restore_company(cls, values):
        with cls.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.company"].browse(cls.company_id).write(
                values
            )

    def setUp(self):
        super().setUp()
        LineRecorder.requests.clear()
        self.addCleanup(self.forget_test_users)

    def forget_test_users(self):
        with self.real_env() as env:
            for model in LINE_MODELS:
                env[model].search([("line_user_id", "in", TEST_USERS)]).unlink()

    def body(self, user, text, number):
        event = {
            "type": "message",
            "webhookEventId": f"01CONCURRENCY{user[-6:]}{number:08d}",
            "timestamp": 1700000000000,
            "source": {"type": "user", "userId": user},
            "replyToken": f"concurrency-token-{user[-6:]}-{number}",
            "mode": "active",
            "message": {"type": "text", "id": str(770000 + number), "text": text},
        }
        return json.dumps({"destination": "Uoa", "events": [event]}).encode()

    def replies(self):
        return [
            json.loads(r["body"])["replyToken"]
            for r in LineRecorder.requests
            if r["path"] == "/v2/bot/message/reply"
        ]

    def test_a_rolled_back_webhook_sends_nothing_a_committed_one_sends_once(self):
        body = self.body(ROLLED_BACK_USER, "Hello", 1)
        with self.real_env() as env:
            Event = env["library.complaint.line.event"]
            self.assertEqual(Event._process_webhook(body, sign(body)), 200)
            # the request fails after handling the event (or is retried): rolled back
            env.cr.rollback()
        time.sleep(0.5)
        self.assertEqual(LineRecorder.requests, [], "nothing leaves a rolled-back transaction")
        with self.real_env() as env:
            self.assertFalse(
                env["library.complaint.line.message"].search_count(
                    [("line_user_id", "=", ROLLED_BACK_USER)]
                )
            )
            self.assertEqual(
                env["library.complaint.line.event"]._process_webhook(body, sign(body)), 200
            )
        # committed: the reply left once, right after the commit
        self.assertEqual(self.replies(), [f"concurrency-token-{ROLLED_BACK_USER[-6:]}-1"])
        with self.real_env() as env:
            Message = env["library.complaint.line.message"]
            message = Message.search([("line_user_id", "=", ROLLED_BACK_USER)])
            self.assertEqual((message.kind, message.state), ("reply", "sent"))
            # the scheduled action finds nothing more to send
            self.assertEqual(Message._send_queued_messages(), (0, 0))
        self.assertEqual(len(LineRecorder.requests), 1)

    def test_two_first_messages_of_a_new_user_at_once_are_both_answered(self):
        bodies = [self.body(RACING_USER, "Hello", 1), self.body(RACING_USER, "Hi", 2)]
        statuses = []

        def deliver(body):
            response = requests.post(
                self.base_url() + WEBHOOK,
                data=body,
                headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)},
                timeout=TIMEOUT,
            )
            statuses.append(response.status_code)

        # Both deliveries take their snapshot, then wait on the event table until both
        # are there: neither sees the other's new conversation.
        with self.registry.cursor() as gate:
            gate.execute("LOCK TABLE library_complaint_line_event IN EXCLUSIVE MODE")
            threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
            for thread in threads:
                thread.start()
            self.wait_for_lock_waiters(2, "library_complaint_line_event")
        with mute_logger("odoo.addons.library_complaints.tools.concurrency"):
            for thread in threads:
                thread.join(TIMEOUT)
        self.assertEqual(statuses, [200, 200])
        with self.real_env() as env:
            events = env["library.complaint.line.event"].search(
                [("line_user_id", "=", RACING_USER)]
            )
            self.assertEqual(events.mapped("state"), ["processed", "processed"])
            self.assertEqual(
                env["library.complaint.line.conversation"].search_count(
                    [("line_user_id", "=", RACING_USER)]
                ),
                1,
            )
        self.assertEqual(
            sorted(self.replies()),
            [f"concurrency-token-{RACING_USER[-6:]}-{n}" for n in (1, 2)],
            "both deliveries are answered, once each",
        )


@tagged("post_install", "-at_install")
class TestCronBatchRealTransactions(RealTransactionsMixin, TransactionCase):
    """A scheduled job whose batch meets another transaction's write is done again,
    whole: the survey job, as reported ("ended on a serialization failure when
    another transaction wrote at the same time")."""

    # far from every demo complaint: only this test's complaint is due for the survey
    NOW = datetime(2090, 1, 15, 12, 34, 56)
    CLOSED = datetime(2090, 1, 10, 9, 0, 0)

    def setUp(self):
        super().setUp()
        with self.real_env() as env:
            partner = env["res.partner"].create(
                {"name": "Concurrency complainant", "email": "concurrency.complainant@example.com"}
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "The lift on floor 5 is stuck",
                    "description": "<p>Since this morning.</p>",
                    "partner_id": partner.id,
                    "team_id": env.ref("library_complaints.team_library_service_desk").id,
                }
            )
            ticket.write({"stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
            ticket.write({"closed_date": self.CLOSED})
            self.ticket_id, self.partner_id = ticket.id, partner.id
        self.addCleanup(self.delete_committed)

    def delete_committed(self):
        with self.real_env() as env:
            answers = env["survey.user_input"].search([("ticket_id", "=", self.ticket_id)])
            env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "in", answers.ids)]
            ).unlink()
            answers.unlink()
            ticket = env["helpdesk.ticket"].browse(self.ticket_id)
            env["mail.mail"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ).unlink()
            ticket.unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            # the demo's surveys the run closed at NOW (unanswered past their deadline)
            env.cr.execute(
                "UPDATE survey_user_input SET collection_closed_date = NULL "
                "WHERE collection_closed_date = %s",
                [self.NOW],
            )

    def test_survey_job_done_again_after_a_serialization_failure(self):
        writer_done = threading.Event()

        def write_the_complaint_meanwhile():
            # another transaction writes the complaint and commits while the job
            # waits for it: the job's update then fails (REPEATABLE READ)
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE helpdesk_ticket SET write_date = now() at time zone 'UTC' "
                    "WHERE id = %s",
                    [self.ticket_id],
                )
                writer_done.set()
                self.wait_for_lock_waiters(1)

        writer = threading.Thread(target=write_the_complaint_meanwhile)
        writer.start()
        self.assertTrue(writer_done.wait(TIMEOUT))
        with (
            self.real_env() as env,
            mute_logger("odoo.addons.library_complaints.tools.concurrency"),
        ):
            Ticket = env["helpdesk.ticket"]
            invited, __, __ = Ticket._run_satisfaction_survey(
                now=self.NOW, commit=env["ir.cron"]._commit_progress
            )
            self.assertEqual(invited.ticket_id.ids, [self.ticket_id])
        writer.join(TIMEOUT)
        with self.real_env() as env:
            ticket = env["helpdesk.ticket"].browse(self.ticket_id)
            self.assertTrue(ticket.survey_invited_date)
            answers = env["survey.user_input"].search([("ticket_id", "=", self.ticket_id)])
            self.assertEqual(answers.partner_id.ids, [self.partner_id], "invited once")
            invitations = env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "in", answers.ids)]
            )
            self.assertEqual(len(invitations), 1, "one invitation mail")
            # a second run finds nothing to do
            invited, __, __ = env["helpdesk.ticket"]._run_satisfaction_survey(
                now=self.NOW, commit=env["ir.cron"]._commit_progress
            )
            self.assertFalse(invited)

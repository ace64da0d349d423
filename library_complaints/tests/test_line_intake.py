import base64
import hashlib
import hmac
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.library_complaint_line_message import SENT_AFTER_COMMIT
from .common import Json2Mixin, LibraryComplaintsCase
from .line_server import LineRecorder, start_line_server

SECRET = "test-line-channel-secret"
TOKEN = "test-line-access-token"
USER = "U" + "0123456789abcdef" * 2
OTHER_USER = "U" + "fedcba9876543210" * 2
WEBHOOK = "/complaint/line/webhook"
MESSAGE_LOGGER = "odoo.addons.library_complaints.models.library_complaint_line_message"
FOUND = "The Wi-Fi access point on floor 3 was failing"
DONE = "We replaced the access point"


def sign(body, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class LineIntakeCase(Json2Mixin, LibraryComplaintsCase, HttpCase):
    """What the tests of LINE intake share: the stand-in LINE API, signed webhook
    calls, the stored records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_url = start_line_server(cls)
        cls.channel_line = cls.env.ref("library_complaints.channel_line")
        cls.Event = cls.env["library.complaint.line.event"]
        cls.Conversation = cls.env["library.complaint.line.conversation"]
        cls.Message = cls.env["library.complaint.line.message"]
        cls.event_count = 0

    def setUp(self):
        super().setUp()
        LineRecorder.requests.clear()
        self.enable_intake()

    def enable_intake(self, enabled=True, endpoint=None):
        self.env.company.write(
            {
                "complaint_line_enabled": enabled,
                "complaint_line_secret": SECRET,
                "complaint_line_token": TOKEN,
                "complaint_line_endpoint": endpoint or self.line_url,
            }
        )

    def event(self, message=None, user=USER, event_type="message", **values):
        type(self).event_count += 1
        number = type(self).event_count
        event = {
            "type": event_type,
            "webhookEventId": f"01TESTEVENT{number:015d}",
            "timestamp": 1700000000000,
            "source": {"type": "user", "userId": user},
            "replyToken": f"reply-token-{number}",
            "mode": "active",
            "deliveryContext": {"isRedelivery": False},
            **values,
        }
        if message is not None:
            event["message"] = message
        return event

    def text(self, text, **values):
        type(self).event_count += 1
        return self.event({"type": "text", "id": str(self.event_count), "text": text}, **values)

    def image(self, **values):
        type(self).event_count += 1
        message_id = str(900000 + self.event_count)
        return self.event({"type": "image", "id": message_id}, **values)

    def post(self, *events, body=None, signature=None, headers=None):
        if body is None:
            body = json.dumps({"destination": "Uoa", "events": list(events)}).encode()
        if signature is None:
            signature = sign(body)
        sent_headers = {"Content-Type": "application/json", "X-Line-Signature": signature}
        sent_headers.update(headers or {})
        with mute_logger("odoo.http"):
            return self.url_open(WEBHOOK, data=body, headers=sent_headers)

    def say(self, *events):
        """Post events, expect 200, and return the texts LINE was asked to send."""
        LineRecorder.requests.clear()
        response = self.post(*events)
        self.assertEqual(response.status_code, 200, response.text)
        self.send_after_commit()
        return self.sent_texts()

    def send_after_commit(self):
        """What the request's commit sends (a test cursor never commits: its
        post-commit hooks are dropped): the replies and pushes queued."""
        self.Message.sudo().search(
            [("state", "=", "queued"), ("kind", "in", SENT_AFTER_COMMIT)]
        )._send_now()

    def sent_texts(self, path="/v2/bot/message/reply"):
        texts = []
        for request in LineRecorder.requests:
            if request["path"] == path:
                texts += [m["text"] for m in json.loads(request["body"])["messages"]]
        return texts

    def stored(self):
        """Counts of everything LINE intake stores, read afresh."""
        self.env.invalidate_all()
        return (
            self.Event.sudo().search_count([]),
            self.Conversation.sudo().search_count([]),
            self.Message.sudo().search_count([]),
            self.env["helpdesk.ticket"].sudo().search_count([]),
        )

    def complain(self, confidential="No", user=USER, with_image=False):
        """The whole conversation; returns the complaint made."""
        self.say(self.text("Hello", user=user))
        self.say(self.text(self.service.with_context(lang="th_TH").name, user=user))
        if with_image:
            self.say(self.image(user=user))
        self.say(self.text("The Wi-Fi on floor 3 drops every hour.", user=user))
        replies = self.say(self.text(confidential, user=user))
        self.flush_tracking()
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertIn(ticket.tracking_code, replies[0])
        return ticket


@tagged("post_install", "-at_install")
class TestLineWebhookRefusals(LineIntakeCase):
    def test_unsigned_or_wrongly_signed_calls_are_refused_and_store_nothing(self):
        before = self.stored()
        body = json.dumps({"events": [self.text("Hello")]}).encode()
        for signature in ("", "bm90IHRoZSBzaWduYXR1cmU=", sign(body, "another-secret"), "é"):
            response = self.post(body=body, signature=signature)
            self.assertEqual(response.status_code, 401, signature)
        # a body changed after signing
        response = self.post(body=body + b" ", signature=sign(body))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.stored(), before)
        self.assertFalse(LineRecorder.requests, "nothing was sent to LINE")

    def test_intake_off_stores_nothing(self):
        self.enable_intake(enabled=False)
        before = self.stored()
        response = self.post(self.text("Hello"))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.stored(), before)
        self.assertFalse(LineRecorder.requests)

    def test_malformed_bodies_are_refused(self):
        before = self.stored()
        for body in (
            b"{not json",
            b"\xff\xfe",
            b"[]",
            b'{"events": {}}',
            b'"text"',
            b" ",
            b"[" * 100_000,
        ):
            response = self.post(body=body)
            self.assertEqual(response.status_code, 400, body)
        # events LINE would not send are skipped; the call itself is fine
        odd_events = [
            "text",
            {"type": "message"},
            {"webhookEventId": "x" * 200, "type": "message"},
            {"webhookEventId": ["a"], "type": "message"},
        ]
        body = json.dumps({"events": odd_events}).encode()
        self.assertEqual(self.post(body=body).status_code, 200)
        self.assertEqual(self.stored(), before)
        # a message event from a group, or with a message that is not LINE's: kept
        # to be handled once, answered with nothing
        group = self.text("Hello")
        group["source"] = {"type": "group", "groupId": "C123"}
        broken = self.event({"type": "text", "text": 5})
        self.assertEqual(self.post(group, broken).status_code, 200)
        self.assertEqual(self.stored()[1:], before[1:], "no conversation, message, complaint")
        self.assertFalse(LineRecorder.requests)

    def test_oversized_body_and_other_methods_are_refused(self):
        before = self.stored()
        body = json.dumps({"events": [self.text("x" * 300_000)]}).encode()
        self.assertEqual(self.post(body=body).status_code, 413)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(WEBHOOK).status_code, 405)
        self.assertEqual(self.stored(), before)

    def test_a_redelivered_event_stores_and_answers_nothing_new(self):
        event = self.text("Hello")
        self.assertTrue(self.say(event))
        after_first = self.stored()
        conversation = self.Conversation.sudo().search([("line_user_id", "=", USER)])
        self.assertEqual(conversation.state, "service")
        redelivered = dict(event, deliveryContext={"isRedelivery": True})
        self.assertEqual(self.say(redelivered), [])
        self.assertEqual(self.stored(), after_first)
        self.assertEqual(conversation.state, "service")


@tagged("post_install", "-at_install")
class TestLineConversation(LineIntakeCase):
    def test_conversation_makes_a_complaint_and_replies_its_tracking_code(self):
        before_tickets = self.stored()[3]
        asked = self.say(self.text("สวัสดีครับ"))
        self.assertEqual(len(asked), 1)
        reply = json.loads(LineRecorder.requests[0]["body"])
        self.assertTrue(reply["replyToken"].startswith("reply-token-"))
        self.assertEqual(LineRecorder.requests[0]["headers"]["Authorization"], f"Bearer {TOKEN}")
        buttons = [item["action"] for item in reply["messages"][0]["quickReply"]["items"]]
        services = self.env["library.complaint.service"].with_context(lang="th_TH").search([])
        self.assertEqual([b["text"] for b in buttons], services[:13].mapped("name"))
        self.assertTrue(all(len(b["label"]) <= 20 for b in buttons))
        # an unknown service is asked again; the number of the list is understood
        self.assertIn("Sorry", self.say(self.text("The canteen", language="en"))[0])
        position = list(services.ids).index(self.service.id) + 1
        self.say(self.text(str(position)))
        self.assertIn("Photo received", self.say(self.image(language="en"))[0])
        self.say(self.text("The Wi-Fi on floor 3\ndrops every hour."))
        conversation = self.Conversation.sudo().search([("line_user_id", "=", USER)])
        self.assertEqual(conversation.state, "confidential")
        self.assertEqual(conversation.lang, "en_US")
        replies = self.say(self.text("No"))
        self.flush_tracking()
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(self.stored()[3], before_tickets + 1)
        self.assertEqual(ticket.channel_id, self.channel_line)
        self.assertEqual(ticket.service_id, self.service)
        self.assertEqual(ticket.line_user_id, USER)
        self.assertFalse(ticket.is_confidential)
        self.assertFalse(ticket.user_id, "staff take it in triage, not the system")
        self.assertIn("drops every hour", ticket.description)
        self.assertEqual(ticket.name, "The Wi-Fi on floor 3 drops every hour.")
        self.assertIn(ticket.tracking_code, replies[0])
        self.assertIn(ticket.number, replies[0])
        self.assertEqual(conversation.state, "idle")
        # staff see where it came from and who to answer
        self.assertEqual(ticket.with_user(self.staff).line_user_id, USER)
        # the photo is fetched by the scheduled action, not while LINE waits
        self.assertFalse(ticket.attachment_ids)
        LineRecorder.requests.clear()
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        self.assertTrue(LineRecorder.requests[0]["path"].endswith("/content"))
        self.assertEqual(len(ticket.attachment_ids), 1)
        self.assertEqual(ticket.attachment_ids.mimetype, "image/png")

    def test_line_history_is_forgotten_after_30_days(self):
        self.complain()
        later = fields.Datetime.now() + timedelta(days=31)
        self.Message._purge_line_history(now=fields.Datetime.now())
        self.assertTrue(self.Message.sudo().search([("line_user_id", "=", USER)]), "recent: kept")
        self.Message._purge_line_history(now=later)
        for model in (self.Event, self.Conversation, self.Message):
            self.assertFalse(model.sudo().search([("line_user_id", "=", USER)]), model._name)

    def test_cancel_resets_the_conversation(self):
        self.say(self.text("Hello"))
        self.say(self.text(self.service.name))
        conversation = self.Conversation.sudo().search([("line_user_id", "=", USER)])
        self.assertEqual(conversation.state, "description")
        sticker = self.event({"type": "sticker", "id": "77", "packageId": "1"}, language="en")
        replies = self.say(sticker)
        self.assertIn("only text and photos", replies[0])
        self.assertIn("describe the problem", replies[1])
        self.say(self.text("ยกเลิก"))
        self.assertEqual(conversation.state, "idle")
        self.assertFalse(conversation.service_id)

    def test_a_tracking_code_returns_the_status_only(self):
        ticket = self.create_complaint(
            name="Secret title of the complaint",
            description="<p>Private description</p>",
            service_id=self.service.id,
        )
        self.say(self.text("Hello"))
        replies = self.say(self.text(ticket.tracking_code.lower(), language="en"))
        self.assertIn(ticket.number, replies[0])
        self.assertIn(ticket.stage_id.name, replies[0])
        self.assertNotIn("Secret title", replies[0])
        self.assertNotIn("Private description", replies[0])
        # the conversation goes on where it was
        self.assertIn("Which service", replies[1])
        unknown = self.say(self.text("ABCDE-FGH23"))
        self.assertIn("No complaint", unknown[0])

    def test_a_failed_reply_is_pushed_by_the_queue(self):
        self.enable_intake(endpoint=self.line_url + "/fail")
        self.say(self.text("Hello"))
        message = self.Message.sudo().search([("line_user_id", "=", USER)])
        self.assertEqual((message.kind, message.state), ("push", "queued"))
        self.enable_intake()
        LineRecorder.requests.clear()
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        push = json.loads(LineRecorder.requests[0]["body"])
        self.assertEqual(LineRecorder.requests[0]["path"], "/v2/bot/message/push")
        self.assertEqual(push["to"], USER)
        self.assertEqual(message.state, "sent")
        # an image LINE no longer gives is noted on the complaint, not retried forever
        ticket = self.complain(with_image=True)
        self.enable_intake(endpoint=self.line_url + "/fail")
        image = self.Message.sudo().search([("kind", "=", "image")])
        for __ in range(5):
            with mute_logger(MESSAGE_LOGGER):
                self.Message._send_queued_messages()
        self.assertEqual(image.state, "failed")
        # in the office's language (the demo office's: Thai)
        body = ticket.message_ids[0].body
        self.assertTrue("could not be fetched" in body or "ไม่สามารถดึงรูปภาพ" in body, body)


@tagged("post_install", "-at_install")
class TestLineComplainant(LineIntakeCase):
    def close_and_publish(self, ticket):
        ticket.sudo().write(
            {"team_id": self.team.id, "user_id": self.staff.id, "track_id": self.track_3.id}
        )
        ticket.with_user(self.staff).write(
            {"stage_id": self.done.id, "outcome_found": FOUND, "outcome_done": DONE}
        )
        wizard = (
            self.env["library.complaint.outcome.wizard"]
            .with_user(self.staff)
            .with_context(default_ticket_id=ticket.id)
            .create({})
        )
        self.assertTrue(wizard.send_direct)
        self.assertFalse(wizard.send_website)
        wizard.action_publish()
        self.flush_tracking()

    def test_the_outcome_is_pushed_to_the_line_user(self):
        ticket = self.complain()
        self.assertTrue(ticket._has_known_complainant())
        self.close_and_publish(ticket)
        LineRecorder.requests.clear()
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        push = json.loads(LineRecorder.requests[0]["body"])
        self.assertEqual(push["to"], USER)
        self.assertIn(FOUND, push["messages"][0]["text"])
        self.assertIn(DONE, push["messages"][0]["text"])
        notice = ticket.notice_ids
        self.assertEqual(notice.channel, "direct")

    def test_confidential_complaint_hides_the_line_user_as_the_email(self):
        ticket = self.complain(confidential="ใช่")
        self.assertTrue(ticket.is_confidential)
        self.env.invalidate_all()
        self.assertFalse(ticket.sudo().line_user_id, "not on the complaint")
        identity = ticket.sudo().confidential_identity_ids
        self.assertEqual(identity.line_user_id, USER)
        self.assertFalse(ticket.with_user(self.staff).line_user_id)
        self.assertFalse(ticket.with_user(self.staff).partner_name)
        # told directly all the same, in a notice naming no one
        self.close_and_publish(ticket)
        self.assertEqual(self.Message._send_queued_messages(), (1, 0))
        self.assertEqual(json.loads(LineRecorder.requests[-1]["body"])["to"], USER)
        self.assertNotIn(USER, ticket.sudo().notice_ids.audience)
        # a complaint manager who makes it not confidential brings the LINE user back
        ticket.with_user(self.manager).write({"is_confidential": False})
        self.assertEqual(ticket.sudo().line_user_id, USER)

    def test_patron_and_staff_cannot_read_line_data_over_the_api(self):
        ticket = self.complain()
        self.env["helpdesk.ticket"].sudo().browse(ticket.id).partner_id = self.patron.partner_id
        self.flush_tracking()
        patron, staff = self.patron, self.staff
        for model in (
            "library.complaint.line.event",
            "library.complaint.line.conversation",
            "library.complaint.line.message",
        ):
            for user in (patron, staff):
                with self.subTest(model=model, login=user.login):
                    self.assertApiRefused(user, model, "search_read", domain=[])
        self.assertApiRefused(
            patron, "helpdesk.ticket", "read", ticket.ids, fields=["line_user_id"]
        )
        # the patron cannot write one either, nor can staff
        for user in (patron, staff):
            with self.subTest(login=user.login):
                self.assertApiRefused(
                    user, "helpdesk.ticket", "write", ticket.ids, vals={"line_user_id": OTHER_USER}
                )
        # nor set one on a new complaint, confidential or not
        for confidential in (False, True):
            with self.subTest(confidential=confidential):
                self.assertApiRefused(
                    staff,
                    "helpdesk.ticket",
                    "create",
                    vals_list=[
                        {
                            "name": "Pushed to someone else",
                            "description": "<p>x</p>",
                            "team_id": self.team.id,
                            "is_confidential": confidential,
                            "line_user_id": OTHER_USER,
                        }
                    ],
                )
        self.env.invalidate_all()
        self.assertEqual(ticket.sudo().line_user_id, USER)
        self.assertFalse(
            self.env["library.complaint.identity"]
            .sudo()
            .search([("line_user_id", "=", OTHER_USER)])
        )

    def test_erasing_personal_data_erases_the_line_user_and_conversation(self):
        ticket = self.complain()
        self.assertIn("line_user_id", ticket._get_personal_data_fields())
        ticket._erase_personal_data()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertFalse(ticket.sudo().line_user_id)
        for model in (self.Event, self.Conversation, self.Message):
            self.assertFalse(model.sudo().search([("line_user_id", "=", USER)]), model._name)

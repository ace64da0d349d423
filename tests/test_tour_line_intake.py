"""Complaints on LINE (#16), in Chromium: the administrator switches LINE intake on
in Settings (typing the channel secret and token); a LINE user then complains in a
conversation with the office's account (signed webhook calls; the replies to LINE
are recorded); the demo user ``lc_staff`` finds the complaint in the triage queue, from
the channel LINE. What was stored is read back."""

import base64
import hashlib
import hmac
import json
from unittest.mock import MagicMock, patch

from odoo.tests import HttpCase, tagged

from odoo.addons.library_complaints.models.library_complaint_line_message import (
    SENT_AFTER_COMMIT,
)

from .tours import final_screenshot

# The LINE API of the test: the outbox's HTTP calls, recorded (the addon's tests
# run a stand-in LINE server, tests/line_server.py)
LINE_POST = "odoo.addons.library_complaints.models.library_complaint_line_message.requests.post"

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "tour-line-channel-access-token"
USER = "U0123456789abcdef0123456789abcdef"
TITLE = "ไฟในห้องน้ำชั้น 4 ดับ"


@tagged("post_install", "-at_install")
class TestLineIntakeTour(HttpCase):
    def post_text(self, number, text):
        body = json.dumps(
            {
                "destination": "Uoa",
                "events": [
                    {
                        "type": "message",
                        "webhookEventId": f"01TOUREVENT{number:015d}",
                        "timestamp": 1700000000000,
                        "source": {"type": "user", "userId": USER},
                        "replyToken": f"tour-reply-{number}",
                        "mode": "active",
                        "message": {"type": "text", "id": str(number), "text": text},
                    }
                ],
            }
        ).encode()
        signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
        response = self.url_open(
            "/complaint/line/webhook",
            data=body,
            headers={"Content-Type": "application/json", "X-Line-Signature": signature},
        )
        self.assertEqual(response.status_code, 200)

    def test_admin_connects_line_and_staff_triage_a_line_complaint(self):
        company = self.env.ref("base.main_company")
        self.assertFalse(company.complaint_line_enabled, "off by default")
        with final_screenshot("final_line_settings_"):
            self.start_tour("/odoo/settings", "library_complaints_line_settings", login="admin")
        self.env.invalidate_all()
        self.assertTrue(company.complaint_line_enabled)
        self.assertEqual(company.complaint_line_secret, SECRET)
        self.assertEqual(company.complaint_line_token, TOKEN)

        service = self.env.ref("library_complaints.service_information")
        with patch(LINE_POST, return_value=MagicMock(status_code=200)) as line_post:
            for number, text in enumerate(
                ("สวัสดีครับ", service.with_context(lang="th_TH").name, TITLE, "ไม่"), 1
            ):
                self.post_text(number, text)
                # what the request's commit sends (a test cursor drops post-commit hooks)
                Message = self.env["library.complaint.line.message"].sudo()
                Message.search(
                    [("state", "=", "queued"), ("kind", "in", SENT_AFTER_COMMIT)]
                )._send_now()
        self.env.flush_all()
        self.env.cr.precommit.run()
        complaint = self.env["helpdesk.ticket"].search([("name", "=", TITLE)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel_id, self.env.ref("library_complaints.channel_line"))
        self.assertEqual(line_post.call_count, 4, "one reply per message")
        last_reply = line_post.call_args.kwargs["json"]
        self.assertEqual(last_reply["replyToken"], "tour-reply-4")
        self.assertIn(complaint.tracking_code, last_reply["messages"][0]["text"])

        with final_screenshot("final_line_intake_"):
            self.start_tour("/odoo", "library_complaints_line_intake", login="lc_staff")
        self.env.invalidate_all()
        self.assertEqual(complaint.stage_id, self.env.ref("library_complaints.stage_triage"))
        self.assertEqual(complaint.line_user_id, USER)
        self.assertFalse(complaint.user_id, "waits for staff, not assigned to the system")

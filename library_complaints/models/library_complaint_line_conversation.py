import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.exceptions import ValidationError
from odoo.tools import SQL, plaintext2html

from ..tools.numbers import parse_ascii_int
from .library_complaint_form import MAX_DESCRIPTION, MAX_FILES, MAX_TITLE

CANCEL_WORDS = {"cancel", "ยกเลิก"}
YES_WORDS = {"yes", "y", "ใช่", "ใช่ครับ", "ใช่ค่ะ"}
NO_WORDS = {"no", "n", "ไม่", "ไม่ใช่", "ไม่ครับ", "ไม่ค่ะ"}
# A conversation left this long starts over.
CONVERSATION_TIMEOUT = timedelta(days=1)
# LINE gives no language in its events: a conversation is in Thai unless an event says.
DEFAULT_LANG = "th_TH"
# The services listed (LINE shows the first 13 as buttons, all of them numbered).
MAX_SERVICES = 50


class LibraryComplaintLineConversation(models.Model):
    """A complaint being made on LINE by one LINE user: the bot asks the service,
    the description (text, photos) and whether to keep the name confidential,
    then records the complaint and replies its tracking code."""

    _name = "library.complaint.line.conversation"
    _description = "Complaint conversation on LINE"
    _order = "write_date desc, id desc"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="cascade"
    )
    line_user_id = fields.Char(string="LINE user", required=True, readonly=True)
    state = fields.Selection(
        selection=[
            ("idle", "Waiting for a complaint"),
            ("service", "Asked the service"),
            ("description", "Asked the description"),
            ("confidential", "Asked about confidentiality"),
        ],
        default="idle",
        required=True,
        readonly=True,
    )
    lang = fields.Char(readonly=True)
    service_id = fields.Many2one(
        comodel_name="library.complaint.service", readonly=True, ondelete="set null"
    )
    description = fields.Text(readonly=True)
    image_message_ids = fields.Char(
        readonly=True, help="The LINE ids of the photos sent, fetched once the complaint exists."
    )
    last_event_date = fields.Datetime(readonly=True)

    _line_user_unique = models.UniqueIndex("(company_id, line_user_id)")

    # ------------------------------------------------------------------
    # Entry point

    @api.model
    def _get_conversation(self, company, line_user_id):
        """The user's conversation, created if new, locked until the transaction ends:
        one user's events are answered one after the other. Two first messages at
        once: the second waits for the first to commit, then fails with a
        serialization failure (the row is not in its snapshot) and is done again in
        a new transaction (the webhook's run_retrying)."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO %(table)s (company_id, line_user_id, state, create_uid, "
                "write_uid, create_date, write_date) "
                "VALUES (%(company)s, %(user)s, 'idle', %(uid)s, %(uid)s, %(now)s, %(now)s) "
                "ON CONFLICT (company_id, line_user_id) DO NOTHING",
                table=SQL.identifier(self._table),
                company=company.id,
                user=line_user_id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE company_id = %s AND line_user_id = %s FOR UPDATE",
                SQL.identifier(self._table),
                company.id,
                line_user_id,
            )
        )
        return self.sudo().browse(self.env.cr.fetchone()[0])

    @api.model
    def _pick_lang(self, event, current=None):
        """The language to answer in: the event's if it gives one, else the one
        already used, else Thai (when installed)."""
        source = event.get("source") or {}
        wanted = event.get("language") or source.get("language") or ""
        installed = dict(self.env["res.lang"].get_installed())
        if isinstance(wanted, str) and wanted:
            prefix = wanted.replace("-", "_").split("_")[0].lower()
            for code in (wanted.replace("-", "_"), *sorted(installed)):
                if code in installed and code.split("_")[0].lower() == prefix:
                    return code
        if current in installed:
            return current
        return DEFAULT_LANG if DEFAULT_LANG in installed else "en_US"

    def _handle_event(self, event):
        """Answer one LINE event of this user; returns the messages to reply."""
        self.ensure_one()
        lang = self._pick_lang(event, self.lang)
        conversation = self.with_context(lang=lang)
        now = fields.Datetime.now()
        if self.last_event_date and now - self.last_event_date > CONVERSATION_TIMEOUT:
            conversation._reset()
        self.write({"lang": lang, "last_event_date": now})
        if event.get("type") == "follow":
            return [conversation._say(conversation._get_welcome_text())]
        message = event.get("message")
        if event.get("type") != "message" or not isinstance(message, dict):
            return []
        if message.get("type") == "text" and isinstance(message.get("text"), str):
            return conversation._handle_text(message["text"])
        if message.get("type") == "image" and isinstance(message.get("id"), str):
            return conversation._handle_image(message["id"])
        return [
            conversation._say(conversation.env._("I can read only text and photos.")),
            *conversation._ask(),
        ]

    # ------------------------------------------------------------------
    # The conversation

    def _say(self, text, choices=None):
        return self.env["library.complaint.line.message"]._text(text, choices)

    def _reset(self):
        self.write(
            {"state": "idle", "service_id": False, "description": False, "image_message_ids": False}
        )

    def _ask(self):
        """The question of the current step, again."""
        if self.state == "service":
            services = self._get_services()
            listing = "\n".join(f"{i}. {s.name}" for i, s in enumerate(services, 1))
            return [
                self._say(
                    self.env._(
                        "Which service is your complaint about? Choose one below, or send "
                        "its number:\n%(services)s\n\nSend “cancel” to stop.",
                        services=listing,
                    ),
                    services.mapped("name"),
                )
            ]
        if self.state == "description":
            return [
                self._say(
                    self.env._(
                        "Please describe the problem: what happened, where and when. "
                        "You may also send photos."
                    )
                )
            ]
        if self.state == "confidential":
            return [
                self._say(
                    self.env._(
                        "Should only the complaint managers know who you are "
                        "(keep your name confidential)?"
                    ),
                    [self.env._("Yes"), self.env._("No")],
                )
            ]
        return []

    def _get_services(self):
        """The services offered (active ones), in the order of the forms."""
        return self.env["library.complaint.service"].sudo().search([], limit=MAX_SERVICES)

    def _handle_text(self, text):
        words = " ".join(text.split())
        folded = words.casefold()
        if folded in CANCEL_WORDS or folded == self.env._("cancel").casefold():
            was_open = self.state != "idle"
            self._reset()
            if not was_open:
                return [self._say(self._get_welcome_text())]
            return [
                self._say(self.env._("Cancelled. Send a message whenever you want to complain."))
            ]
        Ticket = self.env["helpdesk.ticket"]
        try:
            code = Ticket._normalize_tracking_code(words)
        except ValidationError:
            code = None
        if code:
            return [self._say(self._get_status_text(code)), *self._ask()]
        if self.state == "idle":
            self.state = "service"
            return self._ask()
        if self.state == "service":
            return self._answer_service(folded)
        if self.state == "description":
            return self._answer_description(text)
        return self._answer_confidential(folded)

    def _get_welcome_text(self):
        return self.env._(
            "Hello! This is the library's complaint service. Send a message to make a "
            "complaint, or send its tracking code to see how it is going."
        )

    def _handle_image(self, line_message_id):
        images = json.loads(self.image_message_ids or "[]")
        if len(images) >= MAX_FILES:
            return [
                self._say(self.env._("At most %(count)s photos, please.", count=MAX_FILES)),
                *self._ask(),
            ]
        images.append(line_message_id[:64])
        self.image_message_ids = json.dumps(images)
        if self.state == "idle":
            self.state = "service"
        return [self._say(self.env._("Photo received.")), *self._ask()]

    def _answer_service(self, folded):
        services = self._get_services()
        chosen = services.browse()
        number = parse_ascii_int(folded, minimum=1, maximum=len(services))
        if number:
            chosen = services[number - 1]
        else:
            for lang in {self.env.lang, "en_US", DEFAULT_LANG}:
                chosen = services.with_context(lang=lang).filtered(
                    lambda s: (s.name or "").casefold() == folded
                )
                if chosen:
                    break
        if not chosen:
            return [self._say(self.env._("Sorry, I do not know this service.")), *self._ask()]
        self.write({"service_id": chosen[0].id, "state": "description"})
        return self._ask()

    def _answer_description(self, text):
        value, error = self.env["library.complaint.form"]._check_text(
            text, self.env._("Description"), MAX_DESCRIPTION, multiline=True
        )
        if error:
            return [self._say(error), *self._ask()]
        self.write({"description": value, "state": "confidential"})
        return self._ask()

    def _answer_confidential(self, folded):
        if folded in YES_WORDS or folded == self.env._("Yes").casefold():
            confidential = True
        elif folded in NO_WORDS or folded == self.env._("No").casefold():
            confidential = False
        else:
            return self._ask()
        ticket = self._create_complaint(confidential)
        self._reset()
        return [
            self._say(
                self.env._(
                    "Thank you, your complaint %(number)s was received. Its tracking code is "
                    "%(code)s: send it here at any time to see how your complaint is going.",
                    number=ticket.number,
                    code=ticket.tracking_code,
                )
            )
        ]

    def _create_complaint(self, confidential):
        """The complaint this conversation gathered, recorded by the system."""
        service = self.service_id
        description = self.description or ""
        title = " ".join(description.split())
        if len(title) > 80:
            title = title[:79] + "…"
        team = service.team_id or self.env.ref("library_complaints.team_library_service_desk")
        Ticket = self.env["helpdesk.ticket"].with_user(SUPERUSER_ID)
        ticket = Ticket.create(
            {
                "name": title[:MAX_TITLE] or service.name,
                "description": plaintext2html(description),
                "service_id": service.id,
                "team_id": team.id,
                # recorded by the system, handled by staff: not assigned to the system
                "user_id": False,
                "channel_id": self.env.ref("library_complaints.channel_line").id,
                "company_id": self.company_id.id,
                "partner_name": self.env._("LINE user"),
                "line_user_id": self.line_user_id,
                "is_confidential": confidential,
            }
        )
        Message = self.env["library.complaint.line.message"]
        for line_message_id in json.loads(self.image_message_ids or "[]"):
            Message._queue_image(self.company_id, ticket, line_message_id)
        return ticket.with_env(self.env)

    def _get_status_text(self, code):
        """The status of the complaint with this tracking code, as the public status
        page shows it, in a few words; unknown codes are throttled like the page."""
        rate_limit = self.env["library.complaint.rate.limit"].sudo()
        sender = f"line:{self.line_user_id}"
        if rate_limit._is_rate_limited(sender, kind="failed_lookup"):
            return self.env._("Too many tracking codes were tried. Please try again later.")
        status = self.env["helpdesk.ticket"]._get_public_status(code)
        if not status:
            rate_limit._record_submission(sender, kind="failed_lookup")
            return self.env._("No complaint has the tracking code %(code)s.", code=code)
        company = self.company_id
        lines = [
            self.env._("Complaint %(number)s", number=status["number"]),
            self.env._("Status: %(stage)s", stage=status["stage"]),
        ]
        if status["service"]:
            lines.append(self.env._("Service: %(service)s", service=status["service"]))
        lines.append(
            self.env._(
                "Received on %(date)s",
                date=company._format_long_date(status["received_date"], lang=self.env.lang),
            )
        )
        if status["closed"]:
            lines.append(self.env._("The complaint has been dealt with."))
        elif status["deadline"]:
            lines.append(
                self.env._(
                    "To be dealt with by %(date)s",
                    date=company._format_long_date(status["deadline"], lang=self.env.lang),
                )
            )
        return "\n".join(lines)

import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import html2plaintext, is_html_empty

from ..tools.workflow import check_workflow_write

_logger = logging.getLogger(__name__)

# Seconds to wait for the LINE server; the cron, not the user, waits.
LINE_TIMEOUT = 10
# A failed message is tried this many times in all, then left for a manager to retry.
LINE_MAX_ATTEMPTS = 5
# The LINE Messaging API refuses text messages longer than this.
LINE_MAX_TEXT = 5000
LESSON_SECTIONS = ("what_happened", "cause", "fix", "prevention")


class LibraryComplaintLesson(models.Model):
    """What staff learned from a complaint, shared with all staff once published."""

    _name = "library.complaint.lesson"
    _description = "Lesson learned from a complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "published_date desc, id desc"

    name = fields.Char(string="Title", required=True, tracking=True)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    track_id = fields.Many2one(related="ticket_id.track_id")
    service_id = fields.Many2one(related="ticket_id.service_id")
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="ticket_id.company_id",
        store=True,
        index=True,
    )
    what_happened = fields.Html(sanitize_style=True)
    cause = fields.Html(sanitize_style=True)
    fix = fields.Html(string="How it was fixed", sanitize_style=True)
    prevention = fields.Html(string="How to prevent it", sanitize_style=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    author_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    published_date = fields.Datetime(readonly=True, copy=False)
    blog_post_id = fields.Many2one(
        comodel_name="blog.post",
        string="KM blog post",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    # ---- LINE: through the LINE outbox, sent by its scheduled action, never while
    # the user waits; the lesson shows how its latest message went
    line_message_ids = fields.One2many(
        comodel_name="library.complaint.line.message",
        inverse_name="lesson_id",
        string="LINE messages",
        readonly=True,
        copy=False,
        groups="library_complaints.group_complaint_manager",
    )
    line_state = fields.Selection(
        selection=[
            ("not_sent", "To send"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("disabled", "LINE disabled"),
        ],
        string="LINE",
        compute="_compute_line_state",
        store=True,
        readonly=True,
        copy=False,
        index=True,
    )
    line_attempts = fields.Integer(
        string="LINE attempts", compute="_compute_line_state", store=True, copy=False
    )
    line_last_error = fields.Text(
        string="Last LINE error", compute="_compute_line_state", store=True, copy=False
    )
    line_sent_date = fields.Datetime(
        string="Sent on LINE on", compute="_compute_line_state", store=True, copy=False
    )
    # ---- staff meeting
    meeting_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Staff meeting",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The staff meeting whose agenda presents this lesson.",
    )
    is_presented = fields.Boolean(string="Presented", readonly=True, copy=False, tracking=True)
    presented_date = fields.Date(string="Presented on", readonly=True, copy=False)

    @api.depends(
        "line_message_ids.state",
        "line_message_ids.attempts",
        "line_message_ids.last_error",
        "line_message_ids.sent_date",
    )
    def _compute_line_state(self):
        states = {"queued": "not_sent", "sent": "sent", "failed": "failed"}
        for lesson in self:
            message = lesson.sudo().line_message_ids.sorted("id")[-1:]
            lesson.line_state = message and states.get(message.state, "disabled")
            lesson.line_attempts = message.attempts
            lesson.line_last_error = message.last_error
            lesson.line_sent_date = message.sent_date

    # ------------------------------------------------------------------
    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals)
        lessons = super().create(vals_list)
        lessons._check_ticket_readable()
        lessons.filtered("meeting_id")._add_to_meeting_agenda()
        return lessons

    def write(self, vals):
        check_workflow_write(self, vals)
        if vals.get("meeting_id") and any(lesson.is_presented for lesson in self):
            raise UserError(self.env._("A lesson already presented stays on its meeting."))
        result = super().write(vals)
        if {"ticket_id", "author_id"} & vals.keys():
            self._check_ticket_readable()
        if vals.get("meeting_id"):
            self._add_to_meeting_agenda()
        return result

    def _check_ticket_readable(self):
        """A lesson shows its complaint's title and service: it goes only on a complaint
        that the user writing it and its author may read. The system's draft lessons
        (on closing a complaint) are not checked."""
        if self.env.su:
            return
        for lesson in self.sudo():
            for user in self.env.user | lesson.author_id:
                if not lesson.ticket_id.with_user(user).has_access("read"):
                    raise AccessError(
                        self.env._(
                            "A lesson learned can only be written on a complaint that "
                            "%(user)s may read.",
                            user=user.name,
                        )
                    )

    @api.model
    def _prepare_draft_values(self, ticket, author):
        """A draft lesson on `ticket`, prefilled with what the complaint records."""
        return {
            "name": ticket.name,
            "ticket_id": ticket.id,
            "author_id": author.id,
            "what_happened": ticket.description,
            "cause": ticket.root_cause and Markup("<p>%s</p>") % ticket.root_cause,
            "fix": ticket.resolution,
            "prevention": ticket.prevention and Markup("<p>%s</p>") % ticket.prevention,
        }

    # ------------------------------------------------------------------
    # Publishing

    def action_publish(self):
        """Post the lesson on the KM blog, mail it to the staff and queue it for LINE."""
        self._check_publishable()
        now = fields.Datetime.now()
        for lesson in self:
            post = lesson._create_blog_post()
            lesson.sudo().write(
                {"state": "published", "published_date": now, "blog_post_id": post.id}
            )
            lesson._queue_line_message()
            lesson._send_staff_email()
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def _check_publishable(self):
        self.check_access("write")
        for lesson in self:
            if lesson.state != "draft":
                raise UserError(
                    self.env._("%(lesson)s is already published.", lesson=lesson.display_name)
                )
            missing = [
                lesson._fields[fname].get_description(self.env)["string"]
                for fname in LESSON_SECTIONS
                if is_html_empty(lesson[fname])
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Write every part of the lesson before publishing it; missing: "
                        "%(parts)s.",
                        parts=", ".join(missing),
                    )
                )

    def _get_sections(self):
        """[(title, html)] of the lesson, in the current language."""
        self.ensure_one()
        return [
            (self._fields[fname].get_description(self.env)["string"], self[fname])
            for fname in LESSON_SECTIONS
        ]

    def _get_blog_content(self):
        self.ensure_one()
        return Markup("").join(
            Markup("<h3>%s</h3>%s") % (title, body or "") for title, body in self._get_sections()
        )

    def _create_blog_post(self):
        """The lesson as a post of the KM blog, which only internal users can read."""
        self.ensure_one()
        blog = self.env.ref("library_complaints.blog_blog_km")
        return (
            self.env["blog.post"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "blog_id": blog.id,
                    "author_id": self.author_id.partner_id.id,
                    "content": self._get_blog_content(),
                    "is_published": True,
                }
            )
        )

    def _get_blog_post_url(self):
        self.ensure_one()
        if not self.blog_post_id:
            return False
        return self.get_base_url() + self.blog_post_id.sudo().website_url

    def action_open_blog_post(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.blog_post_id.website_url,
            "target": "self",
        }

    # ------------------------------------------------------------------
    # E-mail to the staff

    def _get_staff_audience(self):
        """The internal users who receive lessons: the company's audience group, or
        every internal user of the company."""
        self.ensure_one()
        company = self.company_id or self.env.company
        domain = Domain("share", "=", False) & Domain("company_ids", "in", company.ids)
        if company.lesson_audience_group_id:
            domain &= Domain("all_group_ids", "in", company.lesson_audience_group_id.ids)
        return self.env["res.users"].sudo().search(domain)

    def _send_staff_email(self):
        """One e-mail per language of the audience, each staff member in their own."""
        self.ensure_one()
        partners = self._get_staff_audience().partner_id.filtered("email")
        if not partners:
            _logger.info("Lesson %s: no staff member to e-mail.", self.id)
            return
        template = self.env.ref("library_complaints.mail_template_lesson_to_staff").sudo()
        for lang in set(partners.mapped("lang")):
            recipients = partners.filtered(lambda p, lang=lang: p.lang == lang)
            template.with_context(lesson_recipient_lang=lang).send_mail(
                self.id,
                email_values={"recipient_ids": [Command.set(recipients.ids)]},
            )
        office = self.with_context(lang=self.company_id._get_report_lang()).env
        self.message_post(
            body=office._("Lesson e-mailed to %(count)s staff members.", count=len(partners)),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # LINE

    def _queue_line_message(self):
        """The lesson in the LINE outbox, to the staff's group (cancelled at once
        when lessons do not go to LINE)."""
        self.ensure_one()
        self.env["library.complaint.line.message"]._queue_lesson(self, self._get_line_text())

    def _get_line_text(self):
        """The lesson as plain text, within LINE's limit, with the blog post's link."""
        self.ensure_one()
        parts = [self.env._("Lesson learned: %(title)s", title=self.name)]
        parts += [
            f"{title}:\n{html2plaintext(body or '').strip()}"
            for title, body in self._get_sections()
        ]
        url = self._get_blog_post_url()
        link = f"\n\n{url}" if url else ""
        text = "\n\n".join(parts)
        if len(text) + len(link) > LINE_MAX_TEXT:
            text = text[: LINE_MAX_TEXT - len(link) - 1] + "…"
        return text + link

    def action_retry_line(self):
        """Queue the lesson for LINE again, with a fresh count of attempts."""
        self.check_access("write")
        for lesson in self.filtered(lambda lesson: lesson.state == "published").sudo():
            lesson.line_message_ids.filtered(lambda m: m.state in ("queued", "failed")).write(
                {"state": "cancelled"}
            )
            lesson._queue_line_message()
        return True

    # ------------------------------------------------------------------
    # Staff meeting

    def _add_to_meeting_agenda(self):
        """Add the lesson as an item of its staff meeting's description (the agenda)."""
        for lesson in self:
            meeting = lesson.meeting_id
            item = Markup("<p>%s</p>") % self.env._("Lesson learned: %(title)s", title=lesson.name)
            if item not in (meeting.description or ""):
                meeting.description = Markup("%s%s") % (meeting.description or "", item)

    def action_mark_presented(self):
        """Record that the lesson was presented at its staff meeting."""
        for lesson in self:
            if not lesson.meeting_id:
                raise UserError(
                    self.env._(
                        "Put %(lesson)s on a staff meeting's agenda first.",
                        lesson=lesson.display_name,
                    )
                )
            lesson.check_access("write")
            lesson.sudo().write(
                {
                    "is_presented": True,
                    "presented_date": fields.Date.context_today(
                        lesson, lesson.meeting_id.start or None
                    ),
                }
            )
            office = lesson.with_context(lang=lesson.company_id._get_report_lang()).env
            lesson.message_post(
                body=office._(
                    "Presented at the staff meeting %(meeting)s.",
                    meeting=lesson.meeting_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

from odoo import fields, models
from odoo.exceptions import UserError

# The lesson's to-do is due this many official working days after the complaint
# closed: time to write it while the case is fresh, not a pile due the same day.
LESSON_DUE_WORKING_DAYS = 10


class HelpdeskTicket(models.Model):
    """Lessons learned from closed complaints."""

    _inherit = "helpdesk.ticket"

    lesson_ids = fields.One2many(
        comodel_name="library.complaint.lesson",
        inverse_name="ticket_id",
        string="Lessons learned",
        readonly=True,
    )
    lesson_count = fields.Integer(compute="_compute_lesson_count")

    def _compute_lesson_count(self):
        counts = dict(
            self.env["library.complaint.lesson"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.lesson_count = counts.get(ticket, 0)

    def _needs_lesson(self):
        """Complaints beyond what staff fix on the spot (tracks 2 to 4) teach a lesson."""
        self.ensure_one()
        return bool(self.track_id and not self.track_id.can_close_on_spot)

    def _create_draft_lessons(self):
        """On closing: a draft lesson and a to-do for the owner of each closed complaint
        of tracks 2 to 4 that has none yet.

        :return: the lessons created
        """
        tickets = self.filtered(
            lambda t: t.stage_id.closed and t._needs_lesson() and not t.lesson_ids
        )
        return tickets._start_lessons()

    def _start_lessons(self, author=None):
        """Draft lessons on the complaints, for `author` or each complaint's owner, each
        with a to-do activity for its author."""
        if not self:
            return self.env["library.complaint.lesson"]
        Lesson = self.env["library.complaint.lesson"].sudo()
        lessons = Lesson.create(
            [
                Lesson._prepare_draft_values(ticket, author or ticket._get_lesson_author())
                for ticket in self
            ]
        )
        due_dates = self._get_working_day_due_dates(LESSON_DUE_WORKING_DAYS)
        for lesson in lessons:
            # the to-do is the author's: in the author's language, whoever closed it
            author = lesson.author_id
            lang = author.lang or lesson.company_id._get_report_lang()
            lesson.with_context(lang=lang).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=due_dates.get(lesson.ticket_id) or fields.Date.context_today(self),
                user_id=author.id,
                summary=lesson.with_context(lang=lang).env._("Write the lesson learned"),
                note=lesson.with_context(lang=lang).env._(
                    "Write what happened, its cause, the fix and its prevention, "
                    "then publish the lesson to all staff."
                ),
            )
        return lessons.with_env(self.env)

    def _get_lesson_author(self):
        self.ensure_one()
        owner = self.user_id
        return owner if owner and not owner.share else self.env.user

    def action_write_lesson(self):
        """Open the complaint's lesson, starting one for the current user if needed
        (a track-1 complaint gets a lesson only this way)."""
        self.ensure_one()
        if not self.stage_id.closed:
            raise UserError(self.env._("Close the complaint before writing its lesson."))
        lesson = self.lesson_ids[:1] or self._start_lessons(author=self.env.user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lesson learned"),
            "res_model": "library.complaint.lesson",
            "view_mode": "form",
            "res_id": lesson.id,
        }

    def action_view_lessons(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lessons learned"),
            "res_model": "library.complaint.lesson",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id},
        }

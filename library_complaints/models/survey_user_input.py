from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import email_normalize

from ..tools.quarters import quarter_code, quarter_of

# Days before the survey's deadline when the one reminder goes out.
REMINDER_DAYS = 5


class SurveyUserInput(models.Model):
    """An answer to the satisfaction survey, linked to the complaint it is about."""

    _inherit = "survey.user_input"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    # Stored so that the answers aggregate per service / track / quarter.
    complaint_service_id = fields.Many2one(
        related="ticket_id.service_id", string="Service", store=True, index=True
    )
    complaint_track_id = fields.Many2one(
        related="ticket_id.track_id", string="Severity track", store=True
    )
    complaint_division_id = fields.Many2one(
        related="ticket_id.division_id", string="Division", store=True
    )
    complaint_quarter = fields.Char(
        related="ticket_id.report_quarter", string="Quarter (B.E.)", store=True
    )
    # The quarter whose summary (and public statistics) counts the answer: the one it
    # was completed in, on the office's calendar and quarter basis.
    answer_quarter = fields.Char(
        string="Quarter answered (B.E.)",
        compute="_compute_answer_quarter",
        store=True,
        index="btree_not_null",
    )
    # found by the normalized address, compared with "=" (see the personal data dialog)
    email_normalized = fields.Char(
        string="Normalized email",
        compute="_compute_email_normalized",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_satisfaction_score",
        store=True,
        compute_sudo=True,
        aggregator="avg",
        digits=(3, 2),
        help="Average of the answers to the survey's scale questions (1 to 5); "
        "0 while none is answered.",
    )
    is_confidential_complainant = fields.Boolean(
        string="Confidential complainant",
        readonly=True,
        copy=False,
        help="The answer of a complainant who asked that only complaint managers know "
        "who they are: only complaint managers read it.",
    )
    reminder_sent_date = fields.Datetime(string="Reminder sent on", readonly=True, copy=False)
    collection_closed_date = fields.Datetime(
        string="Collection closed on",
        readonly=True,
        copy=False,
        help="The deadline passed before the survey was completed: no answer is accepted.",
    )

    @api.depends("survey_id", "ticket_id")
    def _compute_display_name(self):
        """A complaint's answer is named after its survey, as Odoo names answers, read
        as the system: complaint staff read the answers but may not read the survey."""
        complaint_answers = self.filtered("ticket_id")
        result = super(SurveyUserInput, self - complaint_answers)._compute_display_name()
        for answer in complaint_answers:
            answer.display_name = answer.survey_id.sudo().display_name
        return result

    @api.depends("end_datetime", "ticket_id.company_id")
    def _compute_answer_quarter(self):
        for answer in self:
            company = answer.ticket_id.company_id
            if not (company and answer.end_datetime):
                answer.answer_quarter = False
                continue
            basis = company.complaint_quarter_basis
            day = company._get_complaint_calendar()._get_local_date(answer.end_datetime)
            answer.answer_quarter = quarter_code(*quarter_of(day, basis), basis)

    @api.depends("email")
    def _compute_email_normalized(self):
        for answer in self:
            answer.email_normalized = email_normalize(answer.email or "")

    @api.depends(
        "user_input_line_ids.answer_type",
        "user_input_line_ids.value_scale",
        "user_input_line_ids.skipped",
    )
    def _compute_satisfaction_score(self):
        for user_input in self:
            values = [
                line.value_scale
                for line in user_input.user_input_line_ids
                if line.answer_type == "scale" and not line.skipped
            ]
            user_input.satisfaction_score = sum(values) / len(values) if values else 0.0

    def _is_complaint_collection_closed(self):
        self.ensure_one()
        if not self.ticket_id:
            return False
        expired = self.deadline and self.deadline < fields.Datetime.now()
        return bool(self.collection_closed_date or expired)

    def _save_lines(self, question, answer, comment=None, overwrite_existing=True):
        if self._is_complaint_collection_closed():
            raise UserError(
                self.env._(
                    "This satisfaction survey closed on %(date)s: answers are no longer "
                    "accepted.",
                    date=self.ticket_id.company_id._format_long_date(
                        self.collection_closed_date or self.deadline
                    ),
                )
            )
        return super()._save_lines(
            question, answer, comment=comment, overwrite_existing=overwrite_existing
        )

    def _send_complaint_survey_mail(self, template):
        """Mail the survey template to each answer's person who has an email."""
        reachable = self.filtered(lambda i: i.partner_id.email)
        if reachable:
            template.sudo().send_mail_batch(
                reachable.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        return reachable

    def _get_complaint_respondent_names(self):
        """The names of these answers' people, a confidential complainant unnamed."""
        neutral = self.env.ref("library_complaints.partner_confidential_complainant")
        return [
            neutral.name if answer.is_confidential_complainant else answer.partner_id.name
            for answer in self
        ]

    @api.model
    def _get_satisfaction_answer_domain(self):
        """Completed complaint survey answers that give a score."""
        return (
            Domain("ticket_id", "!=", False)
            & Domain("state", "=", "done")
            & Domain("satisfaction_score", ">", 0)
        )

    @api.model
    def _get_satisfaction_figures(self, domain, groupby=()):
        """[(*groups, answers, average score)] of the complaint survey answers that
        count (_get_satisfaction_answer_domain) within `domain`: the one computation
        of the satisfaction figures, the quarterly summary's (and so the public
        statistics') and the outcomes page's; the back office's analysis shows the
        same answers (its default filter) with the same average. One aggregation."""
        return self.sudo()._read_group(
            self._get_satisfaction_answer_domain() & Domain(domain),
            list(groupby),
            ["__count", "satisfaction_score:avg"],
        )

    @api.model
    def _get_public_satisfaction_by_service(self):
        """[(service name, answers, average score)] of the current company's complaint
        survey answers (the website's, for a visitor), for the public outcomes page:
        one aggregation, no one's identity."""
        rows = self._get_satisfaction_figures(
            Domain("ticket_id.company_id", "=", self.env.company.id), ["complaint_service_id"]
        )
        return [(service.name, count, score) for service, count, score in rows if service]

    @api.model
    def _send_complaint_survey_reminders(self, now):
        """One reminder, a few days before the deadline, to whoever has not answered."""
        domain = (
            Domain("ticket_id", "!=", False)
            & Domain("state", "!=", "done")
            & Domain("reminder_sent_date", "=", False)
            & Domain("collection_closed_date", "=", False)
            & Domain("deadline", ">", now)
            & Domain("deadline", "<=", fields.Datetime.add(now, days=REMINDER_DAYS))
        )
        answers = self.sudo().search(domain)
        if answers:
            answers.write({"reminder_sent_date": now})
            template = self.env.ref("library_complaints.mail_template_complaint_survey_reminder")
            answers._send_complaint_survey_mail(template)
        return answers

    @api.model
    def _close_complaint_survey_collection(self, now):
        """At the deadline, close the complaint surveys still unanswered."""
        answers = self.sudo().search(
            Domain("ticket_id", "!=", False)
            & Domain("state", "!=", "done")
            & Domain("collection_closed_date", "=", False)
            & Domain("deadline", "<=", now)
        )
        answers.write({"collection_closed_date": now})
        return answers

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.concurrency import run_cron_batch
from ..tools.numbers import parse_record_id


class HelpdeskTicket(models.Model):
    """Satisfaction survey: invitations after the resolution, the public link of
    anonymous complaints, the results.
    """

    _inherit = "helpdesk.ticket"

    survey_deadline = fields.Datetime(
        string="Survey closes on",
        compute="_compute_survey_deadline",
        store=True,
        help="Satisfaction is surveyed for one month after the complaint is resolved.",
    )
    survey_invited_date = fields.Datetime(
        string="Survey sent on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the satisfaction survey went out (to no one for an anonymous "
        "complaint: it gets a public link).",
    )
    survey_user_input_ids = fields.One2many(
        comodel_name="survey.user_input",
        inverse_name="ticket_id",
        string="Survey answers",
        readonly=True,
    )
    satisfaction_count = fields.Integer(
        string="Survey answers received", compute="_compute_satisfaction"
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_satisfaction",
        digits=(3, 2),
        help="Average score of the completed satisfaction surveys (1 to 5).",
    )
    satisfaction_shared_date = fields.Datetime(
        string="Survey results shared on", readonly=True, copy=False
    )

    @api.depends("closed_date")
    def _compute_survey_deadline(self):
        for ticket in self:
            # surveyed within one month of the resolution
            ticket.survey_deadline = ticket.closed_date and fields.Datetime.add(
                ticket.closed_date, months=1
            )

    @api.depends("survey_user_input_ids.state", "survey_user_input_ids.satisfaction_score")
    def _compute_satisfaction(self):
        """Count and average of the completed answers, one aggregation for the batch."""
        results = {}
        if self.ids:
            domain = self.env["survey.user_input"]._get_satisfaction_answer_domain() & Domain(
                "ticket_id", "in", self.ids
            )
            results = {
                ticket.id: (count, score)
                for ticket, count, score in self.env["survey.user_input"]
                .sudo()
                ._read_group(domain, ["ticket_id"], ["__count", "satisfaction_score:avg"])
            }
        for ticket in self:
            count, score = results.get(ticket.id, (0, 0.0))
            ticket.satisfaction_count = count
            ticket.satisfaction_score = score or 0.0

    def _get_public_survey_url(self):
        """The satisfaction survey's public link for this complaint, or False.

        Only anonymous complaints have one (their complainant cannot be invited);
        it opens a new answer linked to the complaint until the survey closes.
        """
        self.ensure_one()
        survey = self.env["survey.survey"]._get_complaint_survey()
        if not (survey and self.is_anonymous and self.survey_deadline):
            return False
        token = survey._get_complaint_public_token(self)
        return f"{self.get_base_url()}/complaint/survey/{self.id}/{token}"

    @api.model
    def _get_public_survey_link(self, ticket_id, token):
        """(survey, complaint as the system) of an anonymous complaint's public survey
        link, or two empty recordsets when the link is wrong."""
        survey = self.env["survey.survey"]._get_complaint_survey()
        ticket = self.sudo().browse(parse_record_id(ticket_id) or []).exists()
        if not (
            survey
            and ticket.is_anonymous
            and survey._check_complaint_public_token(ticket, token)
            and ticket.survey_deadline
        ):
            return survey.browse(), self.sudo().browse()
        return survey, ticket

    def _is_public_survey_open(self):
        """Whether this complaint's public survey takes answers: resolved, within a month."""
        self.ensure_one()
        return bool(
            self.stage_id.closed
            and self.survey_deadline
            and self.survey_deadline > fields.Datetime.now()
        )

    def _get_started_public_survey_answer(self, resume_tokens):
        """The open answer to this complaint's survey that the visitor started
        (``resume_tokens``: the access tokens their browser keeps), or nothing."""
        self.ensure_one()
        tokens = [token for token in resume_tokens if token and isinstance(token, str)]
        if not tokens:
            return self.env["survey.user_input"].sudo()
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("access_token", "in", tokens),
                    ("ticket_id", "=", self.id),
                    ("state", "!=", "done"),
                ],
                limit=1,
            )
        )

    @api.model
    def _start_public_survey_answer(self, ticket_id, token, user, resume_token=None):
        """(survey, answer) for a visitor who starts the survey of an anonymous
        complaint's public link (a POST: following the link only shows a page).

        `resume_token` is the access token of the answer this visitor started before
        (or a list of them): that answer is continued rather than a new one started.

        :return: (empty, empty) when the link is wrong; (survey, empty) when the
            survey of this complaint is closed
        """
        survey, ticket = self._get_public_survey_link(ticket_id, token)
        answers = self.env["survey.user_input"].sudo()
        if not survey:
            return survey, answers
        if not ticket._is_public_survey_open():
            return survey, answers
        resume_tokens = resume_token if isinstance(resume_token, list | tuple) else [resume_token]
        started = ticket._get_started_public_survey_answer(resume_tokens)
        if started:
            return survey, started
        answer = survey._create_answer(
            user=user,
            check_attempts=False,
            ticket_id=ticket.id,
            deadline=ticket.survey_deadline,
        )
        return survey, answer

    def _get_open_survey_answer(self):
        """The current user's satisfaction survey on this complaint that is still open."""
        self.ensure_one()
        partner = self.env.user.partner_id
        now = fields.Datetime.now()
        return self.sudo().survey_user_input_ids.filtered(
            lambda i: i.partner_id == partner
            and i.state != "done"
            and not i.collection_closed_date
            and (not i.deadline or i.deadline > now)
        )[:1]

    def _get_survey_recipients(self):
        """Whom the satisfaction survey goes to: the known (or confidential)
        complainant and the affected users; no one for an anonymous complaint."""
        self.ensure_one()
        if self.is_anonymous:
            return self.env["res.partner"]
        return self.partner_id | self._get_confidential_partner() | self.affected_partner_ids

    @api.model
    def _get_survey_invitation_domain(self, now):
        return (
            Domain("stage_id.closed", "=", True)
            & Domain("closed_date", "!=", False)
            & Domain("survey_invited_date", "=", False)
            & Domain("survey_deadline", ">", now)
        )

    def _invite_to_satisfaction_survey(self):
        """One survey answer per person, linked to the complaint, due one month after
        its resolution, and the invitation mail; nobody is invited twice.

        :return: the answers created
        """
        survey = self.env["survey.survey"]._get_complaint_survey()
        answers = self.env["survey.user_input"].sudo()
        if not (self and survey):
            return answers
        existing = set(
            answers._read_group(
                Domain("ticket_id", "in", self.ids) & Domain("survey_id", "=", survey.id),
                ["ticket_id", "partner_id"],
            )
        )
        vals_list = [
            {
                "survey_id": survey.id,
                "ticket_id": ticket.id,
                "partner_id": partner.id,
                "email": partner.email,
                "nickname": partner.name,
                "deadline": ticket.survey_deadline,
                # only complaint managers read a confidential complainant's answer
                "is_confidential_complainant": partner == ticket._get_confidential_partner(),
            }
            for ticket in self
            for partner in ticket._get_survey_recipients()
            if (ticket, partner) not in existing
        ]
        answers = answers.create(vals_list)
        self.sudo().write({"survey_invited_date": fields.Datetime.now()})
        template = self.env.ref("library_complaints.mail_template_complaint_survey_invitation")
        answers._send_complaint_survey_mail(template)
        for ticket, invited in answers.grouped("ticket_id").items():
            # a line for the office, in its language, whoever (or whichever job) sent it
            office = ticket.with_context(lang=ticket.company_id._get_report_lang())
            ticket.message_post(
                body=office.env._(
                    "Satisfaction survey sent to %(people)s, to answer by %(deadline)s.",
                    people=", ".join(invited._get_complaint_respondent_names()),
                    deadline=ticket.company_id._format_long_date(ticket.survey_deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return answers

    @api.model
    def _cron_run_satisfaction_survey(self):
        """Every day: invite for the complaints resolved, remind once, close at one month."""
        self._run_satisfaction_survey(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _run_satisfaction_survey(self, now=None, commit=None):
        """:return: (answers created, reminded, closed)"""
        now = now or fields.Datetime.now()
        tickets = self.sudo()
        answers = self.env["survey.user_input"].sudo()

        def invite():
            found = tickets.search(self._get_survey_invitation_domain(now))
            return found, found._invite_to_satisfaction_survey()

        def remind_and_close():
            reminded = answers._send_complaint_survey_reminders(now)
            return reminded, answers._close_complaint_survey_collection(now)

        tickets, invited = run_cron_batch(self.env, commit, invite)
        if commit:
            commit(len(tickets))
        reminded, closed = run_cron_batch(self.env, commit, remind_and_close)
        if commit:
            commit(len(reminded) + len(closed))
        return invited, reminded, closed

    def action_share_satisfaction_results(self):
        """Tell the complaint's followers (staff, complainant) and the surveyed
        people the survey's results, once."""
        for ticket in self:
            if not ticket.satisfaction_count:
                raise UserError(
                    self.env._(
                        "%(complaint)s has no completed satisfaction survey to share yet.",
                        complaint=ticket.display_name,
                    )
                )
            if ticket.satisfaction_shared_date:
                raise UserError(
                    self.env._(
                        "The survey results of %(complaint)s were already shared.",
                        complaint=ticket.display_name,
                    )
                )
            ticket.message_post(
                body=self.env._(
                    "Results of the satisfaction survey on this complaint: %(count)s answers, "
                    "average satisfaction %(score)s out of 5.",
                    count=ticket.satisfaction_count,
                    score=f"{ticket.satisfaction_score:.2f}",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.sudo()
                .survey_user_input_ids.filtered(lambda a: not a.is_confidential_complainant)
                .partner_id.ids,
            )
        self.sudo().write({"satisfaction_shared_date": fields.Datetime.now()})
        return True

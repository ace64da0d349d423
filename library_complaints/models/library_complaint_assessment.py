from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.workflow import check_workflow_write

ASSESSMENT_STATES = [
    ("draft", "Draft"),
    ("open", "Collecting answers"),
    ("closed", "Closed"),
]
# The three things the Customer Teams measure, each a share of favourable answers.
DIMENSIONS = ("satisfaction", "dissatisfaction", "engagement")
# The questions of the shipped template survey, per dimension (xmlids in this addon).
TEMPLATE_QUESTIONS = {
    "satisfaction": (
        "assessment_question_overall",
        "assessment_question_staff",
        "assessment_question_resources",
    ),
    "dissatisfaction": ("assessment_question_waiting", "assessment_question_unsolved"),
    "engagement": ("assessment_question_return", "assessment_question_recommend"),
}
# How a rated answer's score is read, per survey answer type.
SCORE_FIELDS = {
    "scale": "value_scale",
    "numerical_box": "value_numerical_box",
    "suggestion": "answer_score",
}


class LibraryComplaintAssessment(models.Model):
    """One round of a service's satisfaction, dissatisfaction and engagement assessment,
    run by the Customer Team of the service's division.

    Each round has its own survey (a copy of the previous round's, or of the shipped
    template) and knows which of its questions measure each dimension. A dimension's rate
    is the share of its rated answers (1 to 5) at or above the favourable score: for the
    dissatisfaction questions ("how dissatisfied are you...") a high rate is bad news.
    """

    _name = "library.complaint.assessment"
    _description = "Service assessment round"
    _inherit = ["mail.thread"]
    _order = "date_from desc, service_id, id desc"

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    service_id = fields.Many2one(
        comodel_name="library.complaint.service",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    division_id = fields.Many2one(related="service_id.division_id", store=True, index=True)
    date_from = fields.Date(
        string="Round from", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(string="Round to", required=True, tracking=True)
    state = fields.Selection(
        selection=ASSESSMENT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        copy=False,
        ondelete="restrict",
        help="The survey of this round; answers to it are this round's answers.",
    )
    survey_url = fields.Char(string="Survey link", compute="_compute_survey_url", compute_sudo=True)
    favourable_score = fields.Integer(
        default=4,
        help="Answers scoring at least this (on the 1 to 5 scale) count as favourable.",
    )
    satisfaction_question_ids = fields.Many2many(
        comodel_name="survey.question",
        relation="library_complaint_assessment_satisfaction_rel",
        string="Satisfaction questions",
        domain="[('survey_id', '=', survey_id), ('is_page', '=', False)]",
        copy=False,
    )
    dissatisfaction_question_ids = fields.Many2many(
        comodel_name="survey.question",
        relation="library_complaint_assessment_dissatisfaction_rel",
        string="Dissatisfaction questions",
        domain="[('survey_id', '=', survey_id), ('is_page', '=', False)]",
        copy=False,
    )
    engagement_question_ids = fields.Many2many(
        comodel_name="survey.question",
        relation="library_complaint_assessment_engagement_rel",
        string="Engagement questions",
        domain="[('survey_id', '=', survey_id), ('is_page', '=', False)]",
        copy=False,
    )
    # ---- the round's results, stored by _refresh_results()
    respondent_count = fields.Integer(string="Respondents", readonly=True, copy=False)
    satisfaction_rate = fields.Float(
        string="Satisfaction (%)", readonly=True, copy=False, digits=(5, 1), aggregator="avg"
    )
    dissatisfaction_rate = fields.Float(
        string="Dissatisfaction (%)", readonly=True, copy=False, digits=(5, 1), aggregator="avg"
    )
    engagement_rate = fields.Float(
        string="Engagement (%)", readonly=True, copy=False, digits=(5, 1), aggregator="avg"
    )
    results_date = fields.Datetime(string="Results counted on", readonly=True, copy=False)
    # ---- this round against the last
    previous_id = fields.Many2one(
        comodel_name="library.complaint.assessment",
        string="Previous round",
        compute="_compute_previous_id",
        store=True,
        index=True,
        ondelete="set null",
    )
    satisfaction_delta = fields.Float(
        string="Satisfaction vs last round",
        compute="_compute_deltas",
        store=True,
        digits=(5, 1),
        aggregator="avg",
        help="Change in percentage points since the service's previous round.",
    )
    dissatisfaction_delta = fields.Float(
        string="Dissatisfaction vs last round",
        compute="_compute_deltas",
        store=True,
        digits=(5, 1),
        aggregator="avg",
        help="Change in percentage points since the service's previous round.",
    )
    engagement_delta = fields.Float(
        string="Engagement vs last round",
        compute="_compute_deltas",
        store=True,
        digits=(5, 1),
        aggregator="avg",
        help="Change in percentage points since the service's previous round.",
    )
    notes = fields.Html(
        string="Findings and suggestions",
        help="What this round found, and what the next round's design should take in.",
    )

    _survey_once = models.UniqueIndex(
        "(survey_id) WHERE survey_id IS NOT NULL",
        "A survey belongs to one assessment round only.",
    )
    _period_order = models.Constraint(
        "CHECK (date_from <= date_to)",
        "A round ends on or after the day it starts.",
    )

    @api.depends("service_id", "date_from")
    def _compute_name(self):
        for assessment in self:
            if not (assessment.service_id and assessment.date_from):
                assessment.name = assessment.name or False
                continue
            assessment.name = self.env._(
                "%(service)s, round of %(date)s",
                service=assessment.service_id.name,
                date=fields.Date.to_string(assessment.date_from),
            )

    @api.depends("survey_id")
    def _compute_survey_url(self):
        for assessment in self:
            survey = assessment.survey_id
            assessment.survey_url = (
                f"{survey.get_base_url()}{survey.get_start_url()}" if survey else False
            )

    @api.depends("service_id", "date_from", "company_id")
    def _compute_previous_id(self):
        """The same service's round that started last before this one."""
        services = self.service_id
        earlier = self.search([("service_id", "in", services.ids)], order="date_from desc, id desc")
        for assessment in self:
            assessment.previous_id = next(
                (
                    other
                    for other in earlier
                    if other.service_id == assessment.service_id
                    and other.company_id == assessment.company_id
                    and assessment.date_from
                    and other.date_from < assessment.date_from
                ),
                False,
            )

    @api.depends(
        "satisfaction_rate",
        "dissatisfaction_rate",
        "engagement_rate",
        "previous_id.satisfaction_rate",
        "previous_id.dissatisfaction_rate",
        "previous_id.engagement_rate",
    )
    def _compute_deltas(self):
        for assessment in self:
            previous = assessment.previous_id
            for dimension in DIMENSIONS:
                rate = f"{dimension}_rate"
                assessment[f"{dimension}_delta"] = (
                    assessment[rate] - previous[rate] if previous else 0.0
                )

    # ------------------------------------------------------------------
    # Keeping "the previous round" right when rounds come, move or go

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_workflow_write(self, vals)
        assessments = super().create(vals_list)
        assessments._recompute_service_rounds(assessments.service_id)
        return assessments

    def write(self, vals):
        check_workflow_write(self, vals)
        services = self.service_id
        result = super().write(vals)
        if {"service_id", "date_from", "company_id"} & vals.keys():
            self._recompute_service_rounds(services | self.service_id)
        return result

    def unlink(self):
        services = self.service_id
        result = super().unlink()
        self._recompute_service_rounds(services)
        return result

    def _recompute_service_rounds(self, services):
        rounds = self.sudo().search([("service_id", "in", services.ids)])
        self.env.add_to_compute(self._fields["previous_id"], rounds)

    # ------------------------------------------------------------------
    # The round's survey

    def action_prepare_survey(self):
        """Give each round without a survey a copy of its service's previous round survey
        (or of the shipped template), with the dimensions' questions carried over."""
        self.check_access("write")
        for assessment in self.filtered(lambda a: not a.survey_id):
            assessment._prepare_survey()
        return True

    def _prepare_survey(self):
        self.ensure_one()
        source, links = self._get_survey_source()
        if not source:
            raise UserError(
                self.env._("There is no survey to start the round %(name)s from.", name=self.name)
            )
        # The survey's responsible must be a survey user: the round's owner when they are.
        user = self.env.user
        survey = source.copy(
            {"user_id": user.id} if user.has_group("survey.group_survey_user") else None
        )
        survey.title = self.env._("%(survey)s: %(round)s", survey=source.title, round=self.name)
        copied = dict(zip(source.question_ids, survey.question_ids.sorted(), strict=True))
        self.sudo().write(
            dict(
                {
                    f"{dimension}_question_ids": [
                        fields.Command.set([copied[question].id for question in questions])
                    ]
                    for dimension, questions in links.items()
                },
                survey_id=survey.id,
            )
        )

    def _get_survey_source(self):
        """(survey, {dimension: questions}) this round's survey is copied from."""
        self.ensure_one()
        previous = self.sudo().previous_id
        if previous.survey_id:
            return previous.survey_id, {
                dimension: previous[f"{dimension}_question_ids"] for dimension in DIMENSIONS
            }
        template = self.env.ref(
            "library_complaints.survey_service_assessment", raise_if_not_found=False
        )
        links = {}
        for dimension, xmlids in TEMPLATE_QUESTIONS.items():
            questions = self.env["survey.question"].sudo()
            for xmlid in xmlids:
                questions |= (
                    self.env.ref(f"library_complaints.{xmlid}", raise_if_not_found=False)
                    or self.env["survey.question"]
                )
            links[dimension] = questions
        return template and template.sudo(), links

    # ------------------------------------------------------------------
    # Round life

    def action_open(self):
        """Start collecting answers (preparing the survey when there is none)."""
        self.check_access("write")
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(self.env._("Only a draft round can be opened."))
        self.action_prepare_survey()
        self.sudo().write({"state": "open"})
        return True

    def action_close(self):
        """Stop collecting and keep the round's results."""
        self.check_access("write")
        if any(assessment.state != "open" for assessment in self):
            raise UserError(self.env._("Only an open round can be closed."))
        self._refresh_results()
        self.sudo().write({"state": "closed"})
        return True

    def action_reopen(self):
        self.check_access("write")
        self.filtered(lambda a: a.state == "closed").sudo().write({"state": "open"})
        return True

    def action_refresh_results(self):
        self.check_access("write")
        self._refresh_results()
        return True

    def action_open_survey(self):
        self.ensure_one()
        return self.survey_id.action_result_survey()

    # ------------------------------------------------------------------
    # Results: one aggregation over the answers of all the rounds in self

    def _refresh_results(self):
        results = self._collect_results()
        now = fields.Datetime.now()
        for assessment in self:
            assessment.sudo().write(dict(results[assessment], results_date=now))

    def _collect_results(self):
        """{assessment: {respondent_count, <dimension>_rate}} from the completed answers
        of the rounds' surveys (test entries left out)."""
        rounds = self.sudo().filtered("survey_id")
        dimensions_of = defaultdict(list)  # (survey id, question id) -> dimensions
        for assessment in rounds:
            for dimension in DIMENSIONS:
                for question in assessment[f"{dimension}_question_ids"]:
                    dimensions_of[assessment.survey_id.id, question.id].append(dimension)
        answers = Domain("user_input_id.state", "=", "done") & Domain(
            "user_input_id.test_entry", "=", False
        )
        surveys = Domain("survey_id", "in", rounds.survey_id.ids)
        rows = (
            self.env["survey.user_input.line"]
            .sudo()
            ._read_group(
                surveys
                & answers
                & Domain("skipped", "=", False)
                & Domain("question_id", "in", [key[1] for key in dimensions_of])
                & Domain("answer_type", "in", list(SCORE_FIELDS)),
                ["survey_id", "question_id", *SCORE_FIELDS.values(), "answer_type"],
                ["__count"],
            )
        )
        respondents = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                Domain("survey_id", "in", rounds.survey_id.ids)
                & Domain("state", "=", "done")
                & Domain("test_entry", "=", False),
                ["survey_id"],
                ["__count"],
            )
        )
        favourable_score = {a.survey_id: a.favourable_score for a in rounds}
        tally = defaultdict(lambda: [0, 0])  # (survey, dimension) -> [favourable, all]
        score_index = {ftype: i for i, ftype in enumerate(SCORE_FIELDS)}
        for survey, question, *scores, answer_type, count in rows:
            score = scores[score_index[answer_type]]
            for dimension in dimensions_of[survey.id, question.id]:
                tally[survey, dimension][1] += count
                if score >= favourable_score[survey]:
                    tally[survey, dimension][0] += count
        results = {}
        for assessment in self:
            survey = assessment.sudo().survey_id
            values = {"respondent_count": respondents.get(survey, 0)}
            for dimension in DIMENSIONS:
                favourable, total = tally[survey, dimension]
                values[f"{dimension}_rate"] = 100.0 * favourable / total if total else 0.0
            results[assessment] = values
        return results

    # ------------------------------------------------------------------
    # For the quarterly report

    @api.model
    def _get_quarter_figures(self, company, date_from, date_to):
        """Per service, the results of its latest closed round that ended in the period
        [date_from, date_to) (date_to exclusive, as the quarterly report's), with the change
        since the round before; ordered as the services are."""
        rounds = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "closed"),
                ("date_to", ">=", date_from),
                ("date_to", "<", date_to),
            ],
            order="date_to desc, date_from desc, id desc",
        )
        latest = {}
        for assessment in rounds:
            latest.setdefault(assessment.service_id, assessment)
        services = sorted(latest, key=lambda service: (service.sequence, service.id))
        return [latest[service]._get_figures() for service in services]

    def _get_figures(self):
        self.ensure_one()
        figures = {
            "assessment_id": self.id,
            "name": self.name,
            "service_id": self.service_id.id,
            "service": self.service_id.name,
            "division": self.division_id.name,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "respondent_count": self.respondent_count,
            "previous_id": self.previous_id.id,
        }
        for dimension in DIMENSIONS:
            figures[f"{dimension}_rate"] = self[f"{dimension}_rate"]
            figures[f"{dimension}_delta"] = self[f"{dimension}_delta"]
        return figures

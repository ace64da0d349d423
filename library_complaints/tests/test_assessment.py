from datetime import date

from odoo.exceptions import AccessError
from odoo.fields import Command

from .common import LibraryComplaintsCase


class TestAssessment(LibraryComplaintsCase):
    """Per-service satisfaction, dissatisfaction and engagement, round over round."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.information = cls.env.ref("library_complaints.service_information")
        cls.media = cls.env.ref("library_complaints.service_learning_media")
        cls.information.division_id.head_id = cls.division_head
        cls.media.division_id.head_id = cls.manager
        Assessment = cls.env["library.complaint.assessment"]
        # The division head runs the information service's rounds; the manager the other.
        head_env = Assessment.with_user(cls.division_head)
        cls.info_1 = head_env.create(
            {
                "service_id": cls.information.id,
                "date_from": date(2025, 1, 6),
                "date_to": date(2025, 1, 31),
            }
        )
        cls.info_2 = head_env.create(
            {
                "service_id": cls.information.id,
                "date_from": date(2025, 4, 1),
                "date_to": date(2025, 4, 30),
            }
        )
        cls.media_1 = Assessment.with_user(cls.manager).create(
            {
                "service_id": cls.media.id,
                "date_from": date(2025, 4, 1),
                "date_to": date(2025, 4, 25),
            }
        )
        (cls.info_1 | cls.info_2).action_open()
        cls.media_1.action_open()
        # The tests read the rounds' survey questions as the administrator.
        cls.info_1, cls.info_2, cls.media_1 = (
            assessment.with_env(cls.env) for assessment in (cls.info_1, cls.info_2, cls.media_1)
        )

    def answer(self, assessment, sat, dissat, engage, state="done", **extra):
        """One respondent's rated answers, question by question in survey order."""
        lines = []
        for dimension, scores in (
            ("satisfaction", sat),
            ("dissatisfaction", dissat),
            ("engagement", engage),
        ):
            questions = assessment[f"{dimension}_question_ids"].sorted()
            for question, score in zip(questions, scores, strict=False):
                if score is None:
                    lines.append(Command.create({"question_id": question.id, "skipped": True}))
                    continue
                lines.append(
                    Command.create(
                        {"question_id": question.id, "answer_type": "scale", "value_scale": score}
                    )
                )
        return self.env["survey.user_input"].create(
            dict(
                {
                    "survey_id": assessment.survey_id.id,
                    "state": state,
                    "user_input_line_ids": lines,
                },
                **extra,
            )
        )

    def test_survey_prepared_from_template_then_previous_round(self):
        template = self.env.ref("library_complaints.survey_service_assessment")
        surveys = (self.info_1 | self.info_2 | self.media_1).survey_id
        self.assertEqual(len(surveys), 3, "each round has its own survey")
        self.assertNotIn(template, surveys)
        for assessment in self.info_1 | self.info_2 | self.media_1:
            self.assertEqual(assessment.state, "open")
            self.assertEqual(len(assessment.satisfaction_question_ids), 3)
            self.assertEqual(len(assessment.dissatisfaction_question_ids), 2)
            self.assertEqual(len(assessment.engagement_question_ids), 2)
            self.assertEqual(assessment.satisfaction_question_ids.survey_id, assessment.survey_id)
            self.assertIn(assessment.survey_id.access_token, assessment.survey_url)
        self.assertEqual(self.info_2.previous_id, self.info_1)
        self.assertFalse(self.info_1.previous_id)
        self.assertFalse(self.media_1.previous_id, "rounds are compared within a service")

    def test_results_round_over_round(self):
        # Round 1 of the information service: two respondents.
        self.answer(self.info_1, (5, 4, 3), (1, 2), (5, 4))
        self.answer(self.info_1, (2, 3, 4), (4, 5), (3, 2))
        # Round 2: three respondents (one skipped a question), plus a test entry and an
        # unfinished answer that do not count.
        self.answer(self.info_2, (5, 5, 4), (1, 1), (5, 5))
        self.answer(self.info_2, (4, 4, 3), (2, 4), (4, 3))
        self.answer(self.info_2, (5, 4, None), (1, 2), (5, 4))
        self.answer(self.info_2, (1, 1, 1), (5, 5), (1, 1), test_entry=True)
        self.answer(self.info_2, (1, 1, 1), (5, 5), (1, 1), state="in_progress")

        (self.info_1 | self.info_2).with_user(self.division_head).action_close()

        self.assertEqual(self.info_1.state, "closed")
        self.assertEqual(self.info_1.respondent_count, 2)
        self.assertAlmostEqual(self.info_1.satisfaction_rate, 50.0)  # 3 of 6 at 4 or 5
        self.assertAlmostEqual(self.info_1.dissatisfaction_rate, 50.0)  # 2 of 4
        self.assertAlmostEqual(self.info_1.engagement_rate, 50.0)  # 2 of 4

        self.assertEqual(self.info_2.respondent_count, 3)
        self.assertAlmostEqual(self.info_2.satisfaction_rate, 87.5)  # 7 of 8
        self.assertAlmostEqual(self.info_2.dissatisfaction_rate, 16.7)  # 1 of 6, to 0.1
        self.assertAlmostEqual(self.info_2.engagement_rate, 83.3)  # 5 of 6

        self.assertEqual(self.info_2.previous_id, self.info_1)
        self.assertAlmostEqual(self.info_2.satisfaction_delta, 37.5)
        self.assertAlmostEqual(self.info_2.dissatisfaction_delta, -33.3)
        self.assertAlmostEqual(self.info_2.engagement_delta, 33.3)
        self.assertAlmostEqual(self.info_1.satisfaction_delta, 0.0)

    def test_suggested_and_numerical_answers(self):
        """Questions the team adds may be choices (scored answers) or numbers."""
        survey = self.media_1.survey_id
        number = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Rate the study rooms from 1 to 5",
                "question_type": "numerical_box",
                "sequence": 50,
            }
        )
        choice = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "I feel part of the library's community",
                "question_type": "simple_choice",
                "sequence": 51,
                "suggested_answer_ids": [
                    Command.create({"value": "Agree", "answer_score": 4}),
                    Command.create({"value": "Disagree", "answer_score": 2}),
                ],
            }
        )
        agree, disagree = choice.suggested_answer_ids
        self.media_1.write(
            {
                "satisfaction_question_ids": [Command.link(number.id)],
                "engagement_question_ids": [Command.link(choice.id)],
            }
        )
        for sat, dissat, engage, value, suggestion in (
            ((4, 4, 4), (3, 3), (4, 4), 5.0, agree),
            ((1, 2, 3), (5, 1), (2, 1), 2.0, disagree),
        ):
            user_input = self.answer(self.media_1, sat, dissat, engage)
            user_input.user_input_line_ids = [
                Command.create(
                    {
                        "question_id": number.id,
                        "answer_type": "numerical_box",
                        "value_numerical_box": value,
                    }
                ),
                Command.create(
                    {
                        "question_id": choice.id,
                        "answer_type": "suggestion",
                        "suggested_answer_id": suggestion.id,
                    }
                ),
            ]
        self.media_1.with_user(self.manager).action_close()
        self.assertEqual(self.media_1.respondent_count, 2)
        self.assertAlmostEqual(self.media_1.satisfaction_rate, 50.0)  # 4 of 8
        self.assertAlmostEqual(self.media_1.dissatisfaction_rate, 25.0)  # 1 of 4
        self.assertAlmostEqual(self.media_1.engagement_rate, 50.0)  # 3 of 6

    def test_one_aggregation_for_many_rounds(self):
        rounds = self.info_1 | self.info_2 | self.media_1
        self.answer(self.info_1, (5, 4, 3), (1, 2), (5, 4))
        self.answer(self.media_1, (5, 4, 3), (1, 2), (5, 4))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=6):
            results = rounds._collect_results()
        self.assertEqual(results[self.info_1]["respondent_count"], 1)
        self.assertEqual(results[self.info_2]["respondent_count"], 0)
        self.assertAlmostEqual(results[self.media_1]["satisfaction_rate"], 200.0 / 3)

    def test_per_service_aggregation_and_quarter_figures(self):
        self.answer(self.info_1, (5, 4, 3), (1, 2), (5, 4))
        self.answer(self.info_1, (2, 3, 4), (4, 5), (3, 2))
        self.answer(self.info_2, (5, 5, 4), (1, 1), (5, 5))
        self.answer(self.info_2, (4, 4, 3), (2, 4), (4, 3))
        self.answer(self.media_1, (4, 4, 4), (3, 3), (4, 4))
        (self.info_1 | self.info_2).with_user(self.division_head).action_close()
        self.media_1.with_user(self.manager).action_close()

        # As the graph and pivot views group them: per service, over the rounds.
        rows = (
            self.env["library.complaint.assessment"]
            .with_user(self.staff)
            ._read_group(
                [],
                ["service_id"],
                ["__count", "respondent_count:sum", "satisfaction_rate:avg"],
            )
        )
        by_service = {service: values for service, *values in rows}
        self.assertEqual(by_service[self.information][:2], [2, 4])
        # round 1: 3 of 6; round 2: 5 of 6
        self.assertAlmostEqual(by_service[self.information][2], (50.0 + 83.3) / 2)
        self.assertEqual(by_service[self.media][:2], [1, 1])
        self.assertAlmostEqual(by_service[self.media][2], 100.0)

        company = self.env.company
        figures = self.env["library.complaint.assessment"]._get_quarter_figures(
            company, date(2025, 4, 1), date(2025, 7, 1)
        )
        self.assertEqual([f["service_id"] for f in figures], [self.information.id, self.media.id])
        info, media = figures
        self.assertEqual(info["assessment_id"], self.info_2.id)
        self.assertEqual(info["previous_id"], self.info_1.id)
        self.assertEqual(info["respondent_count"], 2)
        self.assertAlmostEqual(info["satisfaction_rate"], 83.3)
        self.assertAlmostEqual(info["satisfaction_delta"], 33.3)
        self.assertAlmostEqual(info["dissatisfaction_rate"], 25.0)
        self.assertAlmostEqual(info["dissatisfaction_delta"], -25.0)
        self.assertAlmostEqual(info["engagement_rate"], 75.0)
        self.assertAlmostEqual(info["engagement_delta"], 25.0)
        # The quarterly summary of April-June 2025 (fiscal 2025 Q3) carries them (made
        # anew: the demo office has published that quarter's summary already).
        Report = self.env["library.complaint.quarter.report"]
        Report.search([("date_from", "=", date(2025, 4, 1))]).unlink()
        report = self.env["library.complaint.quarter.report"]._generate_quarter_report(
            company, 2025, 3
        )
        lines = {line.res_id: line for line in report._get_lines("assessment")}
        self.assertEqual(lines[self.information.id].count, 2)
        self.assertAlmostEqual(lines[self.information.id].satisfaction_rate, 83.3)
        self.assertAlmostEqual(lines[self.information.id].satisfaction_delta, 33.3)
        self.assertAlmostEqual(lines[self.information.id].dissatisfaction_rate, 25.0)
        self.assertIn(self.media.id, lines)
        self.assertEqual(media["assessment_id"], self.media_1.id)
        self.assertAlmostEqual(media["dissatisfaction_rate"], 0.0)
        self.assertFalse(media["previous_id"])

        first_quarter = self.env["library.complaint.assessment"]._get_quarter_figures(
            company, date(2025, 1, 1), date(2025, 4, 1)
        )
        self.assertEqual([f["assessment_id"] for f in first_quarter], [self.info_1.id])
        # An open round does not report yet.
        self.info_2.with_user(self.division_head).action_reopen()
        figures = self.env["library.complaint.assessment"]._get_quarter_figures(
            company, date(2025, 4, 1), date(2025, 7, 1)
        )
        self.assertEqual([f["assessment_id"] for f in figures], [self.media_1.id])

    def test_later_round_inserted_before(self):
        """A round entered late for an earlier period takes its place in the chain."""
        info_0 = (
            self.env["library.complaint.assessment"]
            .with_user(self.division_head)
            .create(
                {
                    "service_id": self.information.id,
                    "date_from": date(2024, 10, 1),
                    "date_to": date(2024, 10, 31),
                }
            )
        )
        self.assertEqual(self.info_1.previous_id, info_0)
        self.assertEqual(self.info_2.previous_id, self.info_1)
        self.info_1.with_user(self.manager).unlink()
        self.assertEqual(self.info_2.previous_id, info_0)

    def test_who_runs_a_round(self):
        Assessment = self.env["library.complaint.assessment"]
        values = {
            "service_id": self.information.id,
            "date_from": date(2025, 7, 1),
            "date_to": date(2025, 7, 31),
        }
        for user in (self.patron, self.staff):
            with self.assertRaises(AccessError):
                Assessment.with_user(user).create(dict(values))
        with self.assertRaises(AccessError):
            self.info_2.with_user(self.staff).write({"date_to": date(2025, 5, 15)})
        with self.assertRaises(AccessError):
            self.info_2.with_user(self.staff).action_close()
        with self.assertRaises(AccessError):
            self.info_2.with_user(self.patron).read(["satisfaction_rate"])
        # Staff read every round.
        self.assertEqual(self.info_2.with_user(self.staff).respondent_count, 0)
        # The division head runs the rounds of their own division, not of another one.
        new_round = Assessment.with_user(self.division_head).create(dict(values))
        new_round.write({"date_to": date(2025, 8, 15)})
        self.assertEqual(new_round.date_to, date(2025, 8, 15))
        with self.assertRaises(AccessError):
            self.media_1.with_user(self.division_head).write({"date_to": date(2025, 5, 1)})
        with self.assertRaises(AccessError):
            Assessment.with_user(self.division_head).create(dict(values, service_id=self.media.id))
        # A Customer Team member with the head's rights runs the division's rounds too.
        self.media.division_id.customer_team_ids = [Command.link(self.division_head.id)]
        self.media_1.with_user(self.division_head).write({"date_to": date(2025, 5, 1)})
        self.assertEqual(self.media_1.date_to, date(2025, 5, 1))

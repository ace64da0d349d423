from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.quarters import quarter_of
from .common import LibraryComplaintsCase

# Far in the future, after any demo complaint was resolved.
RESOLVED = datetime(2030, 2, 4, 3, 0)  # Monday 10:00 in Bangkok
DEADLINE = datetime(2030, 3, 4, 3, 0)  # one month later


@tagged("post_install", "-at_install")
class TestSatisfactionSurvey(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("library_complaints.survey_complaint_satisfaction")
        cls.scale_questions = cls.survey.question_ids.filtered(lambda q: q.question_type == "scale")
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.patron.partner_id.write({"email": "patron@example.com", "lang": "en_US"})
        cls.affected = cls.env["res.partner"].create(
            {"name": "Affected Reader", "email": "reader@example.com", "lang": "en_US"}
        )
        cls.Ticket = cls.env["helpdesk.ticket"]

    def resolved_complaint(self, **vals):
        """A known complaint with an affected user, resolved by staff at RESOLVED."""
        vals = dict(
            {
                "partner_id": self.patron.partner_id.id,
                "affected_partner_ids": [(6, 0, self.affected.ids)],
                "service_id": self.env.ref("library_complaints.service_information").id,
                "track_id": self.track_3.id,
            },
            **vals,
        )
        with freeze_time(RESOLVED - timedelta(days=3)):
            ticket = self.create_complaint(**vals)
        with freeze_time(RESOLVED):
            ticket.with_user(self.staff).write({"stage_id": self.done_stage.id})
        return ticket

    def run_survey_cron(self, when):
        with freeze_time(when):
            return self.Ticket._run_satisfaction_survey()

    def survey_mails(self, ticket):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "survey.user_input"),
                ("res_id", "in", ticket.survey_user_input_ids.ids),
            ]
        )

    def answer_survey(self, answer, scores):
        for question, score in zip(self.scale_questions, scores, strict=True):
            answer._save_lines(question, str(score))
        answer._mark_done()

    # ------------------------------------------------------------------
    # Invitation

    def test_invitation_once_with_deadline_one_month_after_resolution(self):
        ticket = self.resolved_complaint()
        self.assertEqual(ticket.closed_date, RESOLVED)
        self.assertEqual(ticket.survey_deadline, DEADLINE)

        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        answers = ticket.survey_user_input_ids
        self.assertEqual(answers.partner_id, self.patron.partner_id | self.affected)
        self.assertEqual(set(answers.mapped("deadline")), {DEADLINE})
        self.assertEqual(answers.survey_id, self.survey)
        self.assertEqual(ticket.survey_invited_date, RESOLVED + timedelta(hours=20))
        mails = self.survey_mails(ticket)
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, self.patron.partner_id | self.affected)
        self.assertIn(ticket.number, mails[0].subject)
        # the job's line in the office's language (the demo office's: Thai)
        sent = ("Satisfaction survey sent", "ส่งแบบสำรวจความพึงพอใจถึง")
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: any(s in (m.body or "") for s in sent))
        )

        # The cron again, and the invitation forced again: nobody is invited twice.
        self.run_survey_cron(RESOLVED + timedelta(days=1, hours=20))
        ticket.sudo().survey_invited_date = False
        with freeze_time(RESOLVED + timedelta(days=2)):
            ticket._invite_to_satisfaction_survey()
        self.assertEqual(ticket.survey_user_input_ids, answers)
        self.assertEqual(self.survey_mails(ticket), mails)

    def test_no_invitation_for_a_complaint_resolved_over_a_month_ago(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(DEADLINE + timedelta(hours=1))
        self.assertFalse(ticket.survey_user_input_ids)
        self.assertFalse(ticket.survey_invited_date)

    def test_open_complaints_are_not_surveyed(self):
        with freeze_time(RESOLVED):
            ticket = self.create_complaint(partner_id=self.patron.partner_id.id)
        self.run_survey_cron(RESOLVED + timedelta(days=1))
        self.assertFalse(ticket.survey_user_input_ids)
        self.assertFalse(ticket.survey_deadline)

    # ------------------------------------------------------------------
    # Reminder and closing

    def test_one_reminder_then_collection_closes_at_one_month(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        patron_answer, reader_answer = (
            ticket.survey_user_input_ids.filtered(lambda a, p=partner: a.partner_id == p)
            for partner in (self.patron.partner_id, self.affected)
        )
        with freeze_time(RESOLVED + timedelta(days=10)):
            self.answer_survey(patron_answer, [4, 4, 4, 4])

        # Not yet: more than the reminder's days before the deadline.
        __, reminded, closed = self.run_survey_cron(DEADLINE - timedelta(days=10))
        self.assertFalse(reminded & ticket.survey_user_input_ids)
        self.assertFalse(reader_answer.reminder_sent_date)

        mails_before = self.survey_mails(ticket)
        __, reminded, closed = self.run_survey_cron(DEADLINE - timedelta(days=3))
        self.assertEqual(reminded & ticket.survey_user_input_ids, reader_answer)
        self.assertEqual(reader_answer.reminder_sent_date, DEADLINE - timedelta(days=3))
        self.assertFalse(patron_answer.reminder_sent_date, "who answered is not reminded")
        reminder_mails = self.survey_mails(ticket) - mails_before
        self.assertEqual(reminder_mails.recipient_ids, self.affected)
        self.assertIn("Reminder", reminder_mails.subject)

        # Once only.
        __, reminded, closed = self.run_survey_cron(DEADLINE - timedelta(days=1))
        self.assertFalse(reminded & ticket.survey_user_input_ids)
        self.assertFalse(closed & ticket.survey_user_input_ids)
        with freeze_time(DEADLINE - timedelta(hours=2)):
            reader_answer._save_lines(self.scale_questions[0], "3")  # still open

        # At one month: closed, and answers are refused.
        __, reminded, closed = self.run_survey_cron(DEADLINE + timedelta(hours=1))
        self.assertEqual(closed & ticket.survey_user_input_ids, reader_answer)
        self.assertEqual(reader_answer.collection_closed_date, DEADLINE + timedelta(hours=1))
        self.assertFalse(patron_answer.collection_closed_date)
        with freeze_time(DEADLINE + timedelta(hours=2)), self.assertRaises(UserError):
            reader_answer._save_lines(self.scale_questions[1], "5")
        self.assertEqual(ticket.satisfaction_count, 1)

    # ------------------------------------------------------------------
    # Anonymous complaints: a public link, no invitation

    def test_anonymous_complaint_gets_a_public_link_and_no_invitation(self):
        ticket = self.resolved_complaint(is_anonymous=True)
        self.assertFalse(ticket.partner_id)
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        self.assertFalse(ticket.survey_user_input_ids)
        self.assertFalse(self.survey_mails(ticket))
        self.assertTrue(ticket.survey_invited_date)

        url = ticket._get_public_survey_url()
        self.assertIn(f"/complaint/survey/{ticket.id}/", url)
        token = url.rsplit("/", 1)[1]
        public = self.env.ref("base.public_user")
        with freeze_time(RESOLVED + timedelta(days=5)):
            survey, answer = self.Ticket.with_user(public)._start_public_survey_answer(
                ticket.id, token, public
            )
        self.assertEqual(survey, self.survey)
        self.assertEqual(answer.ticket_id, ticket)
        self.assertEqual(answer.deadline, DEADLINE)
        self.assertFalse(answer.partner_id)

        # A forged token, or another complaint's, opens nothing.
        other = self.resolved_complaint(is_anonymous=True)
        for ticket_id, forged in ((ticket.id, "x" * len(token)), (other.id, token)):
            survey, answer = self.Ticket.with_user(public)._start_public_survey_answer(
                ticket_id, forged, public
            )
            self.assertFalse(survey)
            self.assertFalse(answer)
        # After one month, the link says the survey is closed.
        with freeze_time(DEADLINE + timedelta(hours=1)):
            survey, answer = self.Ticket.with_user(public)._start_public_survey_answer(
                ticket.id, token, public
            )
        self.assertEqual(survey, self.survey)
        self.assertFalse(answer)

    def test_known_complaint_has_no_public_link(self):
        ticket = self.resolved_complaint()
        self.assertFalse(ticket._get_public_survey_url())

    # ------------------------------------------------------------------
    # Results

    def test_score_shows_on_the_complaint_and_in_the_quarterly_report(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        answer = ticket.survey_user_input_ids.filtered(
            lambda a: a.partner_id == self.patron.partner_id
        )
        with freeze_time(RESOLVED + timedelta(days=6)):
            self.answer_survey(answer, [5, 4, 3, 4])
        self.assertEqual(answer.satisfaction_score, 4.0)
        self.assertEqual(answer.complaint_service_id, ticket.service_id)
        self.assertEqual(answer.complaint_track_id, self.track_3)
        self.assertEqual(answer.complaint_quarter, ticket.report_quarter)
        # Staff see it on the complaint.
        as_staff = ticket.with_user(self.staff)
        self.assertEqual(as_staff.satisfaction_count, 1)
        self.assertEqual(as_staff.satisfaction_score, 4.0)
        self.assertEqual(len(as_staff.survey_user_input_ids.read(["satisfaction_score"])), 2)

        company = ticket.company_id
        year, quarter = quarter_of(RESOLVED.date(), company.complaint_quarter_basis)
        with freeze_time(DEADLINE + timedelta(days=40)):
            report = self.env["library.complaint.quarter.report"]._generate_quarter_report(
                company, year, quarter
            )
        self.assertEqual(report.satisfaction_count, 1)
        self.assertEqual(report.satisfaction_score, 4.0)

    def test_staff_share_the_results_once(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        as_staff = ticket.with_user(self.staff)
        with self.assertRaises(UserError):
            as_staff.action_share_satisfaction_results()  # nothing answered yet
        with freeze_time(RESOLVED + timedelta(days=6)):
            self.answer_survey(ticket.survey_user_input_ids[0], [5, 5, 4, 4])
        as_staff.action_share_satisfaction_results()
        message = ticket.message_ids[0]
        self.assertIn("4.50", message.body)
        self.assertEqual(message.partner_ids, self.patron.partner_id | self.affected)
        self.assertTrue(ticket.satisfaction_shared_date)
        with self.assertRaises(UserError):
            as_staff.action_share_satisfaction_results()

    def test_staff_read_but_do_not_change_the_answers(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        answers = ticket.survey_user_input_ids.with_user(self.staff)
        self.assertEqual(len(answers.read(["partner_id", "state"])), 2)
        # the answer's form, as the Satisfaction menu opens it: its name (the survey's
        # title) is read without the survey rights staff and managers do not have
        for user in (self.staff, self.manager):
            for answer in answers.with_user(user):
                form = answer.web_read({"display_name": {}, "ticket_id": {"fields": {}}})
                self.assertEqual(form[0]["display_name"], answer.sudo().survey_id.title)
        with self.assertRaises(AccessError):
            answers.write({"reminder_sent_date": RESOLVED})
        with self.assertRaises(AccessError):
            answers.unlink()
        # A patron reads none of them, yet finds their own open link on their complaint.
        with self.assertRaises(AccessError):
            answers.with_user(self.patron).read(["state"])
        with freeze_time(RESOLVED + timedelta(days=2)):
            own = ticket.with_user(self.patron)._get_open_survey_answer()
        self.assertEqual(own.partner_id, self.patron.partner_id)
        with freeze_time(DEADLINE + timedelta(hours=1)):
            self.assertFalse(ticket.with_user(self.patron)._get_open_survey_answer())

    # ------------------------------------------------------------------
    # Mail templates

    def test_invitation_and_reminder_templates_render_in_english_and_thai(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        answer = ticket.survey_user_input_ids.filtered(
            lambda a: a.partner_id == self.patron.partner_id
        )
        self.env["res.lang"]._activate_lang("th_TH")
        for xmlid in (
            "mail_template_complaint_survey_invitation",
            "mail_template_complaint_survey_reminder",
        ):
            template = self.env.ref(f"library_complaints.{xmlid}")
            body = template._render_field("body_html", answer.ids)[answer.id]
            self.assertIn(answer.get_start_url(), body)
            self.assertIn(ticket.number, body)
            self.assertIn("March 4, 2030", body)
            subject = template._render_field("subject", answer.ids)[answer.id]
            self.assertIn(ticket.number, subject)

            self.patron.partner_id.lang = "th_TH"
            body = template._render_field("body_html", answer.ids, compute_lang=True)[answer.id]
            self.assertIn("2573", body)  # the Buddhist-era year of the deadline
            self.patron.partner_id.lang = "en_US"

    # ------------------------------------------------------------------
    # Portal

    def test_portal_shows_the_patrons_open_survey_link(self):
        ticket = self.resolved_complaint()
        self.run_survey_cron(RESOLVED + timedelta(hours=20))
        answer = ticket.survey_user_input_ids.filtered(
            lambda a: a.partner_id == self.patron.partner_id
        )
        qweb = self.env["ir.qweb"].with_user(self.patron)
        template = "library_complaints.portal_ticket_survey_link"
        with freeze_time(RESOLVED + timedelta(days=2)):
            html = str(qweb._render(template, {"ticket": ticket.with_user(self.patron)}))
        self.assertIn("Tell us how we handled your complaint", html)
        self.assertIn(answer.get_start_url(), html)
        with freeze_time(RESOLVED + timedelta(days=3)):
            self.answer_survey(answer, [4, 4, 4, 4])
            html = str(qweb._render(template, {"ticket": ticket.with_user(self.patron)}))
        self.assertNotIn("Tell us how we handled your complaint", html)

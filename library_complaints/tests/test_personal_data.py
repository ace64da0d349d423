"""Personal data (PDPA): anonymised after the retention period, exported and erased
on request by a complaint manager, each logged."""

import base64
import json
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models import helpdesk_ticket_personal_data, library_complaint_rate_limit
from .common import PNG, Json2Mixin, LibraryComplaintsCase

NAME = "Somsri Jaidee"
EMAIL = "somsri.jaidee@example.org"
CONFIDENTIAL_NAME = "Kanya Srisuk"
CONFIDENTIAL_EMAIL = "kanya.srisuk@example.org"
LINE_USER = "U4af4980629a1b2c3d4e5f6a7b8c9d0e1"
RECENT_NAME = "Prasert Wongdee"
RECENT_EMAIL = "prasert.wongdee@example.org"
# Fiscal 2022 Q2: January to March 2022, long past a 2-year retention period
RECEIVED = datetime(2022, 1, 12, 3)
CLOSED = datetime(2022, 1, 20, 3)
# Two people whose addresses differ by a character that LIKE takes for a wildcard
JOHN = "john_doe@example.org"
JOHNX = "johnXdoe@example.org"
# Tables where the person may remain, each for a documented reason (readme/USAGE.md,
# "Personal data (PDPA)"): none. The log holds a salted hash, never the address.
SWEEP_EXCEPTIONS = frozenset()


class PersonalDataCase(LibraryComplaintsCase):
    """A complainant without an account, with a complaint closed in 2022: files, own
    messages, a staff reply naming her, a survey answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Log = cls.env["library.complaint.personal.data.log"]
        cls.person = cls.env["res.partner"].create({"name": NAME, "email": EMAIL})
        cls.old = cls.closed_complaint(
            partner_id=cls.person.id,
            partner_name=NAME,
            partner_email=EMAIL,
            description=f"<p>I am {NAME}, the lift on floor 3 is broken again.</p>",
        )
        cls.old.message_post(
            body="Here is a photo of the lift.",
            author_id=cls.person.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("lift.png", PNG)],
        )
        cls.old.with_user(cls.staff).message_post(
            body=f"Dear {NAME}, the lift is repaired.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=cls.person.ids,
        )
        cls.env["ir.attachment"].create(
            {"name": "form.png", "raw": PNG, "res_model": "helpdesk.ticket", "res_id": cls.old.id}
        )
        cls.needles = [NAME, EMAIL, CONFIDENTIAL_NAME, CONFIDENTIAL_EMAIL]
        if "line_user_id" in cls.Ticket._fields:  # with LINE intake: the LINE user too
            cls.old.sudo().line_user_id = LINE_USER
            cls.needles.append(LINE_USER)
        cls.answer = cls.old._invite_to_satisfaction_survey()
        cls.answer_the_survey(cls.answer, f"Thank you, {NAME} is happy")
        cls.confidential = cls.closed_complaint(
            is_confidential=True,
            partner_name=CONFIDENTIAL_NAME,
            partner_email=CONFIDENTIAL_EMAIL,
        )
        cls.recent = cls.closed_complaint(
            when=datetime.now(), partner_name=RECENT_NAME, partner_email=RECENT_EMAIL
        )
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    @classmethod
    def closed_complaint(cls, when=RECEIVED, **vals):
        with freeze_time(when):
            ticket = cls.create_complaint(
                track_id=cls.track_3.id, service_id=cls.service.id, **vals
            )
        ticket.sudo().write({"stage_id": cls.done.id})
        ticket.sudo().closed_date = CLOSED if when == RECEIVED else when
        return ticket

    @classmethod
    def answer_the_survey(cls, answer, comment):
        lines = []
        for question in answer.survey_id.question_ids:
            if question.question_type == "scale":
                lines.append({"question_id": question.id, "answer_type": "scale", "value_scale": 4})
            elif question.question_type == "text_box":
                lines.append(
                    {
                        "question_id": question.id,
                        "answer_type": "text_box",
                        "value_text_box": comment,
                    }
                )
        answer.write({"state": "done", "user_input_line_ids": [(0, 0, vals) for vals in lines]})

    def figures(self):
        report = self.env["library.complaint.quarter.report"]._generate_quarter_report(
            self.env.company, 2022, 2
        )
        self.env.invalidate_all()
        return report._collect_figures()

    def assertNowhere(self, needles):
        """No stored text a complaint manager can read holds any of `needles`: one
        search per model, an OR over its text fields."""
        manager_env = self.env(user=self.manager)
        text_fields = {}
        for field in (
            self.env["ir.model.fields"]
            .sudo()
            .search_fetch(
                [("ttype", "in", ("char", "text", "html")), ("store", "=", True)], ["model", "name"]
            )
        ):
            text_fields.setdefault(field.model, []).append(field.name)
        found = {}
        for model, fnames in text_fields.items():
            Model = manager_env.get(model)
            if (
                Model is None
                or Model._abstract
                or Model._transient
                or not Model._auto
                or Model._table_query
                or not Model.has_access("read")
            ):
                continue
            readable = Model.fields_get(attributes=["type"])
            fnames = [f for f in fnames if f in readable and Model._fields[f].store]
            if not fnames:
                continue
            domain = ["|"] * (len(fnames) * len(needles) - 1) + [
                (fname, "ilike", needle) for fname in fnames for needle in needles
            ]
            records = Model.with_context(active_test=False).search(domain)
            for record in records.sudo():
                found.setdefault(model, []).append(
                    {
                        fname: record[fname]
                        for fname in fnames
                        if any(n.lower() in str(record[fname] or "").lower() for n in needles)
                    }
                    | {"id": record.id}
                )
        self.assertFalse(found, f"still found: {found}")

    def assertNowhereInDatabase(self, needles):
        """No stored text of any table of the database (every char, text, json
        column, read with SQL as the database owner: no access rule, no field
        list) holds any of `needles`, case aside."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT c.table_name, c.column_name
                 FROM information_schema.columns c
                 JOIN information_schema.tables t
                   ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                  AND c.data_type IN ('character varying', 'character', 'text', 'json', 'jsonb')
             ORDER BY 1, 2"""
        )
        columns = {}
        for table, column in cr.fetchall():
            columns.setdefault(table, []).append(column)
        lowered = [needle.lower() for needle in needles]
        found = {}
        for table, names in columns.items():
            if table in SWEEP_EXCEPTIONS:
                continue
            texts = [SQL("%s::text", SQL.identifier(name)) for name in names]
            cr.execute(
                SQL(
                    "SELECT %s FROM %s WHERE %s LIMIT 5",
                    SQL(", ").join(texts),
                    SQL.identifier(table),
                    SQL(" OR ").join(
                        SQL("strpos(lower(%s), %s) > 0", text, needle)
                        for text in texts
                        for needle in lowered
                    ),
                )
            )
            for row in cr.fetchall():
                found.setdefault(table, []).append(
                    {
                        name: value[:300]
                        for name, value in zip(names, row, strict=True)
                        if value and any(needle in value.lower() for needle in lowered)
                    }
                )
        self.assertFalse(found, f"still in the database: {found}")


class EverywhereCase(PersonalDataCase):
    """The complainant of the old complaint named in every place readme/USAGE.md promises
    to clean: title, location, description, her messages and their subjects, staff
    replies, tracked values, an activity, the outcome, a notice, an escalation, an
    approval, a committee item, the lesson, its KM blog post and staff meeting, the
    survey answer, the affected users (hers and another complaint's), queued mails,
    the LINE user; the confidential complainant on her identity record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        ticket = cls.old
        cls.other = cls.create_complaint(
            partner_name="Other Person", partner_email="other.person@example.org"
        )
        cls.other.affected_partner_ids = cls.person
        ticket.sudo().write(
            {
                "name": f"The lift, again ({NAME})",
                "location": f"Floor 3, the carrel of {NAME}",
                "affected_partner_ids": [Command.link(cls.person.id)],
            }
        )
        # tracked values (the pre-commit hooks write them)
        ticket.sudo().write(
            {"root_cause": f"{NAME} pressed the alarm", "prevention": f"Write to {EMAIL}"}
        )
        ticket.message_post(
            subject=f"The lift again, from {NAME}",
            body="It is broken again.",
            author_id=cls.person.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.message_post(
            subject=f"Mail from {EMAIL}",
            body="Sent by email.",
            author_id=cls.person.id,
            email_from=f'"{NAME}" <{EMAIL}>',
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.with_user(cls.staff).message_post(
            subject=f"Re: your complaint, {NAME}",
            body=f"We will write to {EMAIL}.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        ticket.activity_schedule(
            "mail.mail_activity_data_todo", summary=f"Call {NAME}", user_id=cls.staff.id
        )
        Outcome = env["library.complaint.outcome"]
        outcome = Outcome.search([("ticket_id", "=", ticket.id)]) or Outcome.create(
            {"ticket_id": ticket.id}
        )
        outcome.write(
            {
                "name": f"The lift {NAME} reported",
                "found": f"{NAME} was right",
                "prevention": f"Checked weekly, as {NAME} asked",
            }
        )
        # what was done is the complaint's own; the outcome keeps its text
        ticket.write({"resolution": f"<p>Repaired; {EMAIL} told</p>"})
        env["library.complaint.notice"].create(
            {"outcome_id": outcome.id, "channel": "direct", "audience": f"{NAME} <{EMAIL}>"}
        )
        env["library.complaint.escalation"].create(
            {
                "ticket_id": ticket.id,
                "from_level": "staff",
                "to_level": "wg_head",
                "reason": f"{NAME} asked for the head",
            }
        )
        env["library.complaint.approval"].create(
            {
                "ticket_id": ticket.id,
                "step": "wg_head",
                "decision": "approve",
                "user_id": cls.wg_head.id,
                "comment": f"Tell {NAME} at {EMAIL}",
            }
        )
        meeting = env["library.complaint.meeting"].create(
            {"date_start": fields.Datetime.now() + timedelta(days=7)}
        )
        env["library.complaint.meeting.item"].create(
            {
                "meeting_id": meeting.id,
                "ticket_id": ticket.id,
                "root_cause": f"{NAME}'s floor has an old lift",
                "note": f"{NAME} came to the meeting",
            }
        )
        Lesson = env["library.complaint.lesson"]
        lesson = ticket.lesson_ids[:1] or Lesson.create(
            Lesson._prepare_draft_values(ticket, cls.staff)
        )
        lesson.write(
            {
                "name": ticket.name,
                "what_happened": f"<p>{NAME} was stuck in the lift.</p>",
                "cause": f"<p>An old lift; {NAME} had warned us.</p>",
                "fix": f"<p>Repaired; {EMAIL} thanked.</p>",
                "prevention": "<p>Checked weekly.</p>",
            }
        )
        lesson.action_publish()
        cls.blog_post = lesson.blog_post_id
        staff_meeting = env["calendar.event"].create(
            {
                "name": "Staff meeting",
                "start": fields.Datetime.now() + timedelta(days=3),
                "stop": fields.Datetime.now() + timedelta(days=3, hours=1),
            }
        )
        lesson.meeting_id = staff_meeting
        cls.queued = env["mail.mail"].create(
            {
                "email_to": f'"{NAME}" <{EMAIL.upper()}>',
                "subject": f"Your complaint, {NAME}",
                "body_html": f"<p>Dear {NAME}</p>",
                "state": "outgoing",
            }
        )
        env.flush_all()
        env.cr.precommit.run()


@tagged("post_install", "-at_install")
class TestRetention(PersonalDataCase):
    def test_retention_job_anonymises_expired_complaints_and_keeps_the_figures(self):
        figures_before = self.figures()
        queued = [("email_to", "ilike", CONFIDENTIAL_EMAIL), ("state", "=", "outgoing")]
        self.assertTrue(self.env["mail.mail"].search(queued), "acknowledged privately")
        done = self.Ticket._anonymise_expired_complaints()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertIn(self.old, done)
        self.assertIn(self.confidential, done)
        self.assertNotIn(self.recent, done)
        self.assertNowhere(self.needles)
        self.assertEqual(self.figures(), figures_before, "figures unchanged")
        # the complaint and what makes its figures stay
        self.assertTrue(self.old.exists())
        self.assertTrue(self.old.personal_data_erased)
        self.assertTrue(self.old.personal_data_erased_date)
        self.assertEqual(self.old.track_id, self.track_3)
        self.assertEqual(self.old.service_id, self.service)
        self.assertEqual(self.old.closed_date, CLOSED)
        self.assertFalse(self.old.partner_id)
        self.assertIn("[removed: personal data]", self.old.description)
        self.assertFalse(self.old.sudo().confidential_identity_ids)
        self.assertFalse(self.confidential.sudo().confidential_identity_ids)
        self.assertFalse(self.env["mail.mail"].search(queued), "the private mail is gone")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.old.id)]
            )
        )
        self.assertEqual(self.answer.state, "done")
        self.assertEqual(self.answer.satisfaction_score, 4)
        self.assertFalse(self.answer.partner_id or self.answer.email)
        # the contact made for her complaint only is anonymised and archived
        self.assertFalse(self.person.active)
        self.assertNotIn(NAME, self.person.name)
        # the complaint closed recently is untouched
        self.assertEqual(self.recent.partner_name, RECENT_NAME)
        self.assertEqual(self.recent.partner_email, RECENT_EMAIL)
        self.assertFalse(self.recent.personal_data_erased)
        log = self.Log.search([("action", "=", "retention")], limit=1)
        self.assertIn(self.old.number, log.ticket_refs)
        self.assertGreaterEqual(log.attachment_count, 2)
        self.assertGreaterEqual(log.partner_count, 1)
        # idempotent: a second run finds nothing, logs nothing
        logs = self.Log.search_count([])
        self.assertFalse(self.Ticket._anonymise_expired_complaints())
        self.assertEqual(self.Log.search_count([]), logs)

    def test_a_partner_with_an_account_is_left_alone(self):
        patron = self.patron.partner_id
        ticket = self.closed_complaint(partner_id=patron.id)
        name, email = patron.name, patron.email
        self.Ticket._anonymise_expired_complaints()
        self.flush_tracking()
        self.assertTrue(ticket.personal_data_erased)
        self.assertFalse(ticket.partner_id)
        self.assertEqual((patron.name, patron.email, patron.active), (name, email, True))

    def test_retention_period_in_settings_0_keeps_everything(self):
        self.assertEqual(self.env.company.complaint_personal_data_years, 2, "the default")
        self.env["res.config.settings"].create({"complaint_personal_data_years": 0}).execute()
        self.assertEqual(self.env.company.complaint_personal_data_years, 0)
        self.assertFalse(self.Ticket._anonymise_expired_complaints())
        self.assertEqual(self.old.partner_name, NAME)


@tagged("post_install", "-at_install")
class TestExportAndErasure(PersonalDataCase):
    def wizard(self, user=None, **vals):
        return (
            self.env["library.complaint.personal.data.wizard"]
            .with_user(user or self.manager)
            .create(vals)
        )

    def test_export_holds_complaints_messages_and_answers(self):
        wizard = self.wizard(email=EMAIL.upper())
        self.assertEqual(wizard.ticket_ids, self.old)
        self.assertEqual(wizard.survey_answer_count, 1)
        self.assertGreaterEqual(wizard.message_count, 2)
        self.assertEqual(wizard.attachment_count, 2)
        wizard.action_export()
        self.flush_tracking()
        data = json.loads(base64.b64decode(wizard.export_file))
        self.assertEqual(data["person"]["email"], EMAIL.upper())
        (complaint,) = data["complaints"]
        self.assertEqual(complaint["number"], self.old.number)
        self.assertEqual(complaint["email"], EMAIL)
        self.assertIn("lift on floor 3", complaint["description"])
        bodies = " ".join(message["body"] for message in data["messages"])
        self.assertIn("Here is a photo of the lift.", bodies)
        self.assertIn("the lift is repaired", bodies)
        (answer,) = data["survey_answers"]
        self.assertEqual(answer["satisfaction"], 4)
        self.assertIn(f"Thank you, {NAME} is happy", str(answer["answers"]))
        self.assertEqual(sorted(f["name"] for f in data["files"]), ["form.png", "lift.png"])
        log = self.Log.search([("action", "=", "export")], limit=1)
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.ticket_refs, self.old.number)
        self.assertEqual(log.email_hash, self.Log._hash_email(EMAIL))
        self.assertNotIn(EMAIL, str(log.read()))
        # the export changed nothing
        self.assertEqual(self.old.partner_name, NAME)

    def test_confidential_complainant_found_by_email(self):
        wizard = self.wizard(email=CONFIDENTIAL_EMAIL)
        self.assertEqual(wizard.ticket_ids, self.confidential)

    def test_erasure_on_request_also_of_an_open_complaint(self):
        open_one = self.create_complaint(
            partner_id=self.person.id, partner_name=NAME, partner_email=EMAIL
        )
        wizard = self.wizard(partner_id=self.person.id)
        self.assertEqual(wizard.email, EMAIL)
        self.assertEqual(wizard.ticket_ids, self.old | open_one)
        self.assertEqual(wizard.open_ticket_count, 1)
        action = wizard.action_erase()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(action["res_model"], "library.complaint.personal.data.log")
        self.assertNowhere([NAME, EMAIL])
        self.assertTrue(open_one.personal_data_erased)
        self.assertFalse(open_one.stage_id.closed, "still open")
        self.assertFalse(self.recent.personal_data_erased)
        log = self.Log.search([("action", "=", "erase")], limit=1)
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.ticket_count, 2)
        self.assertEqual(log.survey_answer_count, 1)
        self.assertEqual(log.email_hash, self.Log._hash_email(EMAIL))

    def test_only_complaint_managers_export_erase_or_read_the_log(self):
        self.wizard(email=EMAIL).action_export()
        for user in (self.staff, self.wg_head, self.division_head, self.committee, self.patron):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.wizard(user=user, email=EMAIL)
                with self.assertRaises(AccessError):
                    self.Log.with_user(user).search([])
        log = self.Log.with_user(self.manager).search([], limit=1)
        with self.assertRaises(AccessError):
            log.write({"ticket_count": 0})
        with self.assertRaises(AccessError):
            log.unlink()
        self.assertEqual(self.old.partner_name, NAME)


@tagged("post_install", "-at_install")
class TestPersonalDataApi(Json2Mixin, LibraryComplaintsCase, HttpCase):
    """Over the external API, as the demo's staff member and patron."""

    def test_staff_and_patron_cannot_use_the_wizard_or_read_the_log(self):
        ticket = self.create_complaint(
            partner_name=NAME, partner_email=EMAIL, description=Markup("<p>Hello</p>")
        )
        logs = self.env["library.complaint.personal.data.log"].search_count([])
        for xmlid in ("library_complaints.user_staff", "library_complaints.user_patron"):
            user = self.env.ref(xmlid)
            with self.subTest(user=user.login):
                self.assertApiRefused(
                    user,
                    "library.complaint.personal.data.wizard",
                    "create",
                    vals_list=[{"email": EMAIL}],
                )
                self.assertApiRefused(
                    user, "library.complaint.personal.data.log", "search_read", domain=[]
                )
                # a private method is not part of the API
                message = self.assertApiRefused(
                    user, "helpdesk.ticket", "_erase_personal_data", ticket.ids
                )
                self.assertIn("Private methods", message)
        self.env.invalidate_all()
        self.assertEqual(ticket.partner_name, NAME)
        self.assertFalse(ticket.personal_data_erased)
        self.assertEqual(self.env["library.complaint.personal.data.log"].search_count([]), logs)


@tagged("post_install", "-at_install")
class TestPersonalDataEverywhere(EverywhereCase):
    """Searched afterwards in every column of every table, as the superuser."""

    def assertSweepFindsHerEverywhere(self):
        """The sweep sees her in every place the erasure must clean (else the
        sweep afterwards proves nothing)."""
        with self.assertRaises(AssertionError) as caught:
            self.assertNowhereInDatabase(self.needles)
        for table in (
            "helpdesk_ticket",
            "library_complaint_identity",
            "mail_message",
            "mail_tracking_value",
            "mail_mail",
            "mail_activity",
            "library_complaint_outcome",
            "library_complaint_notice",
            "library_complaint_escalation",
            "library_complaint_approval",
            "library_complaint_meeting_item",
            "library_complaint_lesson",
            "blog_post",
            "calendar_event",
            "survey_user_input",
            "survey_user_input_line",
            "res_partner",
        ):
            self.assertIn(f"'{table}'", str(caught.exception))

    def test_erasure_on_request_leaves_her_nowhere_in_the_database(self):
        wizard = (
            self.env["library.complaint.personal.data.wizard"]
            .with_user(self.manager)
            .create({"email": EMAIL})
        )
        self.assertEqual(wizard.ticket_ids, self.old)
        self.assertSweepFindsHerEverywhere()
        wizard.action_erase()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertNowhereInDatabase([NAME, EMAIL, *self.needles[4:]])
        self.assertFalse(self.queued.exists())
        self.assertFalse(self.other.affected_partner_ids)
        self.assertEqual(self.other.partner_name, "Other Person", "the other complaint stays")
        self.assertIn("The lift, again", self.old.name)
        self.assertTrue(self.blog_post.exists(), "the KM post stays, without her name")

    def test_retention_job_through_its_cron_in_committed_batches(self):
        """The daily job, run as ir.cron runs it (its own cursor, committing after
        each batch, here of one complaint), leaves no trace of either complainant."""
        cron = self.env.ref("library_complaints.ir_cron_anonymise_expired_complaints")
        expired = self.Ticket.search(self.Ticket._get_expired_complaints_domain(self.env.company))
        self.assertLessEqual(self.old | self.confidential, expired)
        logs = self.Log.search_count([("action", "=", "retention")])
        self.assertSweepFindsHerEverywhere()
        with (
            patch.object(helpdesk_ticket_personal_data, "ANONYMISE_BATCH", 1),
            self.enter_registry_test_mode(),
        ):
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (len(expired), 0))
        self.assertEqual(
            self.Log.search_count([("action", "=", "retention")]) - logs,
            len(expired),
            "one committed batch, one log line, per complaint",
        )
        self.assertTrue(self.old.personal_data_erased)
        self.assertTrue(self.confidential.personal_data_erased)
        self.assertFalse(self.recent.personal_data_erased)
        self.assertNowhereInDatabase(self.needles)


@tagged("post_install", "-at_install")
class TestExactEmail(LibraryComplaintsCase):
    """A person is their exact address: "_" and "%" are characters, not wildcards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.john = cls.create_complaint(
            partner_name="John Doe", partner_email=JOHN, description="<p>John's words</p>"
        )
        cls.johnx = cls.create_complaint(
            partner_name="Johan Xu", partner_email=JOHNX, description="<p>Johan's words</p>"
        )
        cls.johnx_confidential = cls.create_complaint(
            is_confidential=True, partner_name="Johan Xu", partner_email=JOHNX
        )
        cls.johnx_mail = cls.env["mail.mail"].create(
            {"email_to": JOHNX, "subject": "For Johan", "body_html": "<p>Hi</p>"}
        )

    def wizard(self, email):
        return (
            self.env["library.complaint.personal.data.wizard"]
            .with_user(self.manager)
            .create({"email": email})
        )

    def test_export_finds_only_the_person(self):
        wizard = self.wizard(f"John Doe <{JOHN.upper()}>")
        self.assertEqual(wizard.ticket_ids, self.john)
        wizard.action_export()
        data = json.loads(base64.b64decode(wizard.export_file))
        self.assertEqual([c["number"] for c in data["complaints"]], [self.john.number])
        self.assertNotIn("Johan", json.dumps(data))

    def test_erasure_leaves_the_other_person_untouched(self):
        self.wizard(JOHN).action_erase()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertTrue(self.john.personal_data_erased)
        self.assertFalse(self.johnx.personal_data_erased)
        self.assertEqual((self.johnx.partner_name, self.johnx.partner_email), ("Johan Xu", JOHNX))
        self.assertIn("Johan's words", self.johnx.description)
        self.assertFalse(self.johnx_confidential.personal_data_erased)
        self.assertEqual(
            self.johnx_confidential.sudo().confidential_identity_ids.partner_email, JOHNX
        )
        self.assertTrue(self.johnx_mail.exists(), "the mail queued to the other person stays")

    def test_a_percent_sign_is_a_character(self):
        for email in ("%@example.org", "%doe@example.org"):
            with self.subTest(email=email):
                self.assertFalse(self.wizard(email).ticket_ids)

    def test_not_an_address_is_refused(self):
        wizard = self.wizard("john_doe")
        self.assertFalse(wizard.ticket_ids)
        with self.assertRaises(UserError):
            wizard.action_erase()
        self.assertFalse(self.john.personal_data_erased)

    def test_mail_intake_counts_the_sender_exactly(self):
        found = self.env["helpdesk.ticket"].search(
            self.env["helpdesk.ticket"]._detect_loop_sender_domain(JOHN)
        )
        self.assertEqual(found, self.john)


@tagged("post_install", "-at_install")
class TestRateLimitCounters(LibraryComplaintsCase):
    def test_counters_of_a_past_hour_are_gone_after_the_hourly_cron(self):
        cron = self.env.ref("library_complaints.ir_cron_purge_rate_limits")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        Counter = self.env["library.complaint.rate.limit"].sudo()
        Counter.search([]).unlink()
        past = Counter.create(
            [
                {
                    "ip_hash": f"{i}" * 64,
                    "submitted_at": fields.Datetime.now() - timedelta(hours=1, minutes=i),
                }
                for i in range(1, 6)
            ]
        )
        current = Counter.create({"ip_hash": "f" * 64})
        with (
            patch.object(library_complaint_rate_limit, "PURGE_BATCH", 2),
            self.enter_registry_test_mode(),
        ):
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertFalse(past.exists())
        self.assertTrue(current.exists())
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (5, 0), "in committed batches")

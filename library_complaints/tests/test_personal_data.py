"""Personal data (PDPA): anonymised after the retention period, exported and erased
on request by a complaint manager, each logged."""

import base64
import json
import xmlrpc.client
from datetime import datetime

from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PNG, LibraryComplaintsCase

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
class TestPersonalDataApi(LibraryComplaintsCase, HttpCase):
    """Over the external API, as the demo's staff member and patron."""

    def call(self, user, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args)
        )

    @mute_logger("odoo.http")
    def test_staff_and_patron_cannot_use_the_wizard_or_read_the_log(self):
        ticket = self.create_complaint(
            partner_name=NAME, partner_email=EMAIL, description=Markup("<p>Hello</p>")
        )
        logs = self.env["library.complaint.personal.data.log"].search_count([])
        for xmlid in ("library_complaints.user_staff", "library_complaints.user_patron"):
            user = self.env.ref(xmlid)
            with self.subTest(user=user.login):
                with self.assertRaises(xmlrpc.client.Fault):
                    self.call(
                        user, "library.complaint.personal.data.wizard", "create", {"email": EMAIL}
                    )
                with self.assertRaises(xmlrpc.client.Fault):
                    self.call(user, "library.complaint.personal.data.log", "search_read", [])
                with self.assertRaises(xmlrpc.client.Fault):
                    self.call(user, "helpdesk.ticket", "_erase_personal_data", [ticket.id])
        self.env.invalidate_all()
        self.assertEqual(ticket.partner_name, NAME)
        self.assertFalse(ticket.personal_data_erased)
        self.assertEqual(self.env["library.complaint.personal.data.log"].search_count([]), logs)

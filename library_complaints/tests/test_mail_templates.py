import re

from odoo.tests import tagged

from .common import LibraryComplaintsCase

THAI = re.compile(r"[\u0e00-\u0e7f]")
# The templates the office sends, by the record they are rendered on.
TICKET_TEMPLATES = (
    "mail_template_complaint_acknowledgement",
    "mail_template_complaint_acknowledgement_email",
    "mail_template_complaint_escalation",
    "mail_template_complaint_approval_result",
    "mail_template_committee_decision",
    "mail_template_outcome_direct",
    "mail_template_outcome_broadcast",
)
SURVEY_TEMPLATES = (
    "mail_template_complaint_survey_invitation",
    "mail_template_complaint_survey_reminder",
)
LESSON_TEMPLATES = ("mail_template_lesson_to_staff",)


@tagged("post_install", "-at_install")
class TestMailTemplates(LibraryComplaintsCase):
    """Every notice the office sends renders in English and in Thai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("th_TH")
        cls.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        cls.ticket = cls.create_complaint(
            name="Broken chair",
            partner_id=cls.patron.partner_id.id,
            user_id=cls.staff.id,
            track_id=cls.track_3.id,
            service_id=cls.env.ref("library_complaints.service_information").id,
        )
        cls.ticket.write(
            {
                "outcome_found": "A loose screw",
                "outcome_done": "Fixed",
                "approval_state": "approved",
            }
        )
        survey = cls.env["survey.survey"]._get_complaint_survey()
        cls.answer = cls.env["survey.user_input"].create(
            {
                "survey_id": survey.id,
                "partner_id": cls.patron.partner_id.id,
                "ticket_id": cls.ticket.id,
            }
        )
        Lesson = cls.env["library.complaint.lesson"]
        cls.lesson = Lesson.create(Lesson._prepare_draft_values(cls.ticket, cls.staff))

    def render(self, xmlid, record, lang):
        template = self.env.ref(f"library_complaints.{xmlid}")
        body = template._render_field("body_html", record.ids, set_lang=lang)[record.id]
        subject = template._render_field("subject", record.ids, set_lang=lang)[record.id]
        return str(subject), str(body)

    def test_every_template_renders_in_english_and_thai(self):
        cases = (
            [(xmlid, self.ticket) for xmlid in TICKET_TEMPLATES]
            + [(xmlid, self.answer) for xmlid in SURVEY_TEMPLATES]
            + [(xmlid, self.lesson) for xmlid in LESSON_TEMPLATES]
        )
        self.assertEqual(len(cases), 10)
        for xmlid, record in cases:
            with self.subTest(template=xmlid):
                subject_en, body_en = self.render(xmlid, record, "en_US")
                __, body_th = self.render(xmlid, record, "th_TH")
                self.assertTrue(subject_en and body_en)
                self.assertFalse(THAI.search(body_en), "the English text has no Thai")
                self.assertTrue(THAI.search(body_th), "the Thai text is in Thai")
                self.assertNotEqual(body_en, body_th)
                if xmlid == "mail_template_outcome_broadcast":  # public: no identity
                    self.assertNotIn(self.patron.partner_id.name, subject_en + body_en)
                elif record == self.ticket:
                    self.assertIn(self.ticket.number, subject_en + body_en)

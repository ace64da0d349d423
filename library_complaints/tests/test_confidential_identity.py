from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import LibraryComplaintsCase

NAME = "Kanokwan Secretsource"
EMAIL = "kanokwan.secret@example.com"
FOUND = "The staff room door was left open"
DONE = "We fitted a door closer"


@tagged("post_install", "-at_install")
class TestConfidentialIdentity(LibraryComplaintsCase):
    """A confidential complainant is named nowhere complaint staff can reach:
    the complaint stores no partner, name or email of theirs, no creator or
    editor, author, follower or recipient; complaint managers read who they
    are in the identity record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.patron.partner_id
        cls.partner.write({"name": NAME, "email": EMAIL, "lang": "en_US"})
        cls.affected = cls.env["res.partner"].create(
            {"name": "Affected Reader", "email": "reader@example.com", "lang": "en_US"}
        )
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.root = cls.env.ref("base.user_root")
        cls.neutral = cls.env.ref(
            "library_complaints.partner_confidential_complainant", raise_if_not_found=False
        )
        cls.Ticket = cls.env["helpdesk.ticket"]

    def submit(self, **vals):
        """What the portal submits for the patron, created the way the portal did
        (sudo() keeps the patron as the environment's user), then the end of the
        request: its last flush in the patron's environment, and the commit."""
        values = {
            "name": "Noise from the staff room",
            "description": "<p>Staff talk loudly all afternoon.</p>",
            "team_id": self.team.id,
            "service_id": self.service.id,
            "track_id": self.track_3.id,
            "partner_id": self.partner.id,
            "partner_name": NAME,
            "partner_email": EMAIL,
            "is_confidential": True,
        }
        values.update(vals)
        patron_env = self.env(user=self.patron, su=True)
        ticket = patron_env["helpdesk.ticket"].create(values)
        patron_env.flush_all()
        self.flush_tracking()
        return ticket.with_env(self.env)

    def as_staff(self, ticket):
        return ticket.with_user(self.staff)

    def assert_names_nobody(self, ticket, user=None):
        """Nothing of the complaint that `user` (staff) can read names the patron."""
        user = user or self.staff
        self.env.invalidate_all()
        messages = (
            self.env["mail.message"]
            .with_user(user)
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertTrue(messages, "staff read the complaint's chatter")
        for message in messages.sudo():
            self.assertNotEqual(message.author_id, self.partner)
            self.assertNotIn(self.partner, message.partner_ids)
            self.assertNotIn(self.partner, message.notification_ids.res_partner_id)
            self.assertNotEqual(message.create_uid, self.patron)
            for text in (NAME, EMAIL):
                self.assertNotIn(text, str(message.body or ""))
                self.assertNotIn(text, message.email_from or "")
                self.assertNotIn(text, message.subject or "")
            for tracking in message.tracking_value_ids:
                self.assertNotIn(
                    tracking.field_id.name, ("partner_id", "partner_name", "partner_email")
                )
                for value in (tracking.old_value_char, tracking.new_value_char):
                    self.assertNotIn(NAME, value or "")
        self.assertNotIn(self.partner, ticket.sudo().message_partner_ids)
        values = ticket.with_user(user).read(["create_uid", "write_uid"])[0]
        self.assertNotEqual(values["create_uid"][0], self.patron.id)
        self.assertNotEqual(values["write_uid"][0], self.patron.id)

    # ------------------------------------------------------------------
    # Staff find nothing

    def test_staff_cannot_search_group_or_export_the_complainant(self):
        ticket = self.submit()
        Ticket = self.Ticket.with_user(self.staff)
        self.assertEqual(Ticket.search([("id", "=", ticket.id)]), ticket, "staff see the complaint")
        self.assertTrue(ticket.is_confidential)
        for domain in (
            [("partner_id", "=", self.partner.id)],
            [("partner_id", "child_of", self.partner.id)],
            [("commercial_partner_id", "=", self.partner.id)],
            [("partner_name", "ilike", "Kanokwan")],
            [("partner_email", "ilike", "kanokwan.secret")],
            [("message_partner_ids", "in", self.partner.ids)],
            [("message_ids.author_id", "=", self.partner.id)],
            [("create_uid", "=", self.patron.id)],
            [("write_uid", "=", self.patron.id)],
        ):
            self.assertNotIn(ticket, Ticket.search(domain), domain)
        groups = Ticket.formatted_read_group([("id", "=", ticket.id)], ["partner_id"], ["__count"])
        self.assertEqual([group["partner_id"] for group in groups], [False])
        groups = Ticket.formatted_read_group(
            [("id", "=", ticket.id)], ["partner_email"], ["__count"]
        )
        self.assertEqual([group["partner_email"] for group in groups], [False])
        self.staff.group_ids += self.env.ref("base.group_allow_export")
        exported = Ticket.browse(ticket.id).export_data(
            ["partner_id", "partner_name", "partner_email", "commercial_partner_id"]
        )["datas"]
        self.assertEqual(exported, [["", "", "", ""]])
        partner = self.partner.with_user(self.staff)
        self.assertNotIn(ticket, partner.helpdesk_ticket_ids)
        self.assertEqual(partner.helpdesk_ticket_count, 0)

    def test_chatter_acknowledgement_and_editors_name_nobody(self):
        ticket = self.submit()
        self.assert_names_nobody(ticket)
        # the system created and last changed it
        values = self.as_staff(ticket).read(["create_uid", "write_uid"])[0]
        self.assertEqual(values["create_uid"][0], self.root.id)
        self.assertEqual(values["write_uid"][0], self.root.id)
        # the patron still got the acknowledgement, privately
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.partner.ids)])
        self.assertEqual(len(mails), 1)
        self.assertFalse(mails.model)
        self.assertFalse(mails.res_id)
        self.assertEqual(mails.author_id, self.root.partner_id)
        self.assertIn(ticket.number, mails.subject)
        self.assertIn(NAME, str(mails.body_html), "the mail is addressed to them by name")
        self.assertIn(ticket.tracking_code, str(mails.body_html))
        # staff see that it went, not to whom
        # (written in the office's language: the company's)
        notes = self.as_staff(ticket).message_ids.filtered(
            lambda m: "confidential complainant" in str(m.body)
            or "ผู้ร้องเรียนที่ขอปกปิดตัวตน" in str(m.body)
        )
        self.assertEqual(len(notes), 1)

    def test_anonymous_complaint_has_no_identity_nor_submitter(self):
        ticket = self.submit(is_anonymous=True, name="Rude staff at the counter")
        self.assertEqual(ticket.create_uid, self.root)
        self.assertEqual(ticket.write_uid, self.root)
        self.assertFalse(ticket.is_confidential)
        self.assertFalse(ticket.partner_id or ticket.partner_name or ticket.partner_email)
        self.assertFalse(ticket.sudo().confidential_identity_ids)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.partner.ids)]))

    # ------------------------------------------------------------------
    # The patron writes on the complaint

    def test_patron_posts_signed_confidential_complainant(self):
        ticket = self.submit()
        upload = (
            self.env["ir.attachment"]
            .with_user(self.patron)
            .sudo()
            .create(
                {
                    "name": "noise.txt",
                    "raw": b"at 14:00 again",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        self.assertEqual(upload.create_uid, self.patron)
        # as the portal's /mail/message/post does: sudo(), the patron's uid
        message = (
            ticket.with_user(self.patron)
            .sudo()
            .message_post(
                body="They were loud again today.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=upload.ids,
            )
        )
        self.flush_tracking()
        self.assertEqual(message.author_id, self.neutral)
        self.assertEqual(message.create_uid, self.root)
        self.assertIn("They were loud again today.", str(message.body))
        self.assertEqual(message.attachment_ids, upload)
        self.assertEqual(upload.create_uid, self.root)
        self.assert_names_nobody(ticket)
        # a staff member's reply is theirs, as usual
        reply = self.as_staff(ticket).message_post(
            body="We are looking into it.", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(reply.author_id, self.staff.partner_id)

    # ------------------------------------------------------------------
    # Who knows

    def test_only_complaint_managers_read_the_identity(self):
        ticket = self.submit()
        identity = ticket.with_user(self.manager).confidential_identity_ids
        self.assertEqual(identity.partner_id, self.partner)
        self.assertEqual(identity.partner_email, EMAIL)
        self.assertEqual(identity.partner_name, NAME)
        Identity = self.env["library.complaint.identity"]
        for user in (self.staff, self.wg_head, self.division_head, self.committee, self.patron):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Identity.with_user(user).search([("ticket_id", "=", ticket.id)])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user).read(["confidential_identity_ids"])
        with self.assertRaises(AccessError):
            Identity.with_user(self.manager).create({"ticket_id": ticket.id})

    def test_staff_cannot_lift_confidentiality_managers_can(self):
        ticket = self.submit()
        with self.assertRaises(AccessError):
            self.as_staff(ticket).write({"is_confidential": False})
        self.assertTrue(ticket.is_confidential)
        self.assertFalse(ticket.partner_id)
        # identity values staff write go to the identity record
        self.as_staff(ticket).write({"partner_email": "kanokwan.new@example.com"})
        self.assertFalse(ticket.partner_email)
        self.assertEqual(
            ticket.sudo().confidential_identity_ids.partner_email, "kanokwan.new@example.com"
        )
        ticket.with_user(self.manager).write({"is_confidential": False})
        self.assertEqual(ticket.partner_id, self.partner)
        self.assertEqual(ticket.partner_email, "kanokwan.new@example.com")
        self.assertFalse(ticket.sudo().confidential_identity_ids)

    def test_existing_complaints_are_brought_to_the_identity_model(self):
        """A known complaint made confidential later, and one stored confidential
        before identities had their own record (older databases)."""
        known = self.submit(is_confidential=False, name="Lights flicker")
        known.message_subscribe(self.partner.ids)
        known.with_user(self.patron).sudo().message_post(
            body="Still flickering.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.flush_tracking()
        self.assertTrue(known.message_ids.filtered(lambda m: m.author_id == self.partner))
        known.with_user(self.manager).write({"is_confidential": True})
        self.flush_tracking()
        self.assertEqual(known.sudo().confidential_identity_ids.partner_id, self.partner)
        self.assert_names_nobody(known)

        old = self.submit(is_confidential=False, name="Old confidential complaint")
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET is_confidential = TRUE, create_uid = %s, write_uid = %s "
            "WHERE id = %s",
            (self.patron.id, self.patron.id, old.id),
        )
        self.env.invalidate_all()
        self.Ticket._migrate_confidential_identities()
        self.flush_tracking()
        self.assertEqual(old.sudo().confidential_identity_ids.partner_id, self.partner)
        self.assert_names_nobody(old)

    # ------------------------------------------------------------------
    # Outcome and satisfaction survey

    def resolve(self, ticket):
        self.as_staff(ticket).write(
            {
                "stage_id": self.done.id,
                "outcome_found": FOUND,
                "outcome_done": DONE,
                "user_id": self.staff.id,
            }
        )
        self.flush_tracking()

    def test_outcome_is_told_directly_in_private(self):
        ticket = self.submit()
        self.resolve(ticket)
        self.assertEqual(self.as_staff(ticket)._get_default_outcome_channels(), ["direct"])
        wizard = (
            self.env["library.complaint.outcome.wizard"]
            .with_user(self.staff)
            .with_context(default_ticket_id=ticket.id)
            .create({})
        )
        self.assertTrue(wizard.is_known)
        self.assertTrue(wizard.send_direct)
        wizard.action_publish()
        self.flush_tracking()
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.partner.ids), ("subject", "ilike", "outcome")]
        )
        self.assertEqual(len(mails), 1)
        self.assertFalse(mails.model)
        self.assertIn(DONE, str(mails.body_html))
        self.assertEqual(ticket.notice_ids.audience, self.neutral.name)
        self.assert_names_nobody(ticket)
        # publishing again does not mail them twice
        ticket.with_user(self.staff).outcome_id._publish(["direct"])
        self.assertEqual(
            len(self.env["mail.mail"].search([("recipient_ids", "in", self.partner.ids)])), 2
        )

    def test_survey_answer_of_the_complainant_is_for_managers_only(self):
        ticket = self.submit(affected_partner_ids=[Command.set(self.affected.ids)])
        self.resolve(ticket)
        answers = ticket.sudo()._invite_to_satisfaction_survey()
        self.flush_tracking()
        self.assertEqual(answers.partner_id, self.partner | self.affected)
        invitation = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("recipient_ids", "in", self.partner.ids)]
        )
        self.assertEqual(len(invitation), 1, "the complainant is invited")
        mine = ticket.with_user(self.patron)._get_open_survey_answer()
        self.assertEqual(mine.partner_id, self.partner, "and finds their answer")
        Answer = self.env["survey.user_input"].with_user(self.staff)
        self.assertEqual(Answer.search([("ticket_id", "=", ticket.id)]).partner_id, self.affected)
        self.assertFalse(Answer.search([("partner_id", "=", self.partner.id)]))
        self.assertFalse(Answer.search([("email", "=", EMAIL)]))
        self.assertFalse(Answer.search([("nickname", "ilike", "Kanokwan")]))
        self.env.invalidate_all()
        [values] = self.as_staff(ticket).read(["survey_user_input_ids"])
        self.assertEqual(
            Answer.browse(values["survey_user_input_ids"]).partner_id,
            self.affected,
            "the complaint's answers, as staff read them",
        )
        self.assertEqual(
            self.env["survey.user_input"]
            .with_user(self.manager)
            .search([("ticket_id", "=", ticket.id)])
            .partner_id,
            self.partner | self.affected,
        )
        self.assert_names_nobody(ticket)

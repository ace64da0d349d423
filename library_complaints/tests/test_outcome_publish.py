"""Publishing an outcome in one dialog (#25): as lc_staff, fix an anonymous complaint
on the spot, then publish its outcome from the dialog alone: what was done carried
over from the fix, what was found and what will prevent it typed in the dialog and
written back, the channels preset from the service (its email audience, its default
noticeboard), and every refusal in Thai naming what is missing."""

import importlib
import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import LibraryComplaintsCase

FIXED = "ขอให้กลุ่มนักศึกษาย้ายไปใช้ห้องประชุมกลุ่ม"
FOUND = "นักศึกษากลุ่มหนึ่งคุยเสียงดังในโซนเงียบ"
PREVENTION = "เจ้าหน้าที่เดินตรวจโซนเงียบทุกชั่วโมง"


@tagged("post_install", "-at_install")
class TestOutcomePublishDialog(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lc_staff = cls.env.ref("library_complaints.user_staff")
        cls.information = cls.env.ref("library_complaints.service_information")
        cls.mailing_list = cls.env["res.partner"].create(
            {"name": "ผู้ใช้บริการสารสนเทศ", "email": "info-list@example.com"}
        )
        Location = cls.env["library.complaint.notice.location"]
        cls.entrance = Location.create({"name": "บอร์ดหน้าทางเข้า ชั้น 1"})
        cls.cafe = Location.create({"name": "บอร์ดมุมกาแฟ"})
        cls.information.write(
            {
                "outcome_audience_ids": [Command.set(cls.mailing_list.ids)],
                "notice_location_id": cls.entrance.id,
            }
        )
        # a service with neither an email audience nor a noticeboard
        cls.bare_service = cls.env["library.complaint.service"].create(
            {
                "name": "บริการที่ยังไม่ตั้งค่า",
                "division_id": cls.env.ref("library_complaints.division_library").id,
                "team_id": cls.desk.id,
            }
        )

    def anonymous_fixed(self, service=None):
        """An anonymous complaint lc_staff fixed on the spot (the fix dialog)."""
        service = service or self.information
        ticket = self.env["helpdesk.ticket"]._create_anonymous_complaint(
            {
                "name": "เสียงดังในโซนเงียบ",
                "description": "<p>มีกลุ่มนักศึกษาคุยเสียงดังในโซนเงียบ ชั้น 3</p>",
                "service_id": service.id,
                "team_id": self.desk.id,
            },
            [],
        )
        as_staff = ticket.with_user(self.lc_staff)
        as_staff.write({"track_id": self.track_1.id})
        as_staff.action_triage()
        action = as_staff.action_fix_on_the_spot()
        self.env[action["res_model"]].with_user(self.lc_staff).with_context(
            **action["context"]
        ).create({"resolution": FIXED}).action_confirm()
        self.flush_tracking()
        self.assertTrue(ticket.stage_id.closed)
        return ticket

    def open_dialog(self, ticket, lang=None):
        action = ticket.with_user(self.lc_staff).action_publish_outcome()
        context = dict(action["context"], lang=lang) if lang else action["context"]
        return (
            self.env[action["res_model"]]
            .with_user(self.lc_staff)
            .with_context(**context)
            .create({})
        )

    def test_fix_on_the_spot_then_publish_in_one_dialog(self):
        ticket = self.anonymous_fixed()
        dialog = self.open_dialog(ticket)
        # What staff typed when fixing is there: one "What was done".
        self.assertEqual(dialog.done, FIXED)
        self.assertEqual(dialog.outcome_title, ticket.name)
        self.assertFalse(dialog.found)
        # Every channel an anonymous complaint calls for can be sent: all ticked, preset.
        self.assertFalse(dialog.send_direct)
        self.assertTrue(dialog.send_website and dialog.send_email and dialog.send_noticeboard)
        self.assertEqual(dialog.audience_ids, self.mailing_list)
        self.assertEqual(dialog.service_audience_ids, self.mailing_list, "what the picker offers")
        self.assertEqual(dialog.location_ids, self.entrance)
        # Staff write the rest in the dialog and publish.
        dialog.write(
            {
                "outcome_title": "เสียงดังในโซนอ่านหนังสือเงียบ",
                "found": FOUND,
                "prevention": PREVENTION,
                "location_ids": [Command.set((self.entrance | self.cafe).ids)],
            }
        )
        action = dialog.action_publish()
        self.flush_tracking()

        self.assertEqual(action["report_name"], "library_complaints.report_outcome_notice")
        outcome = ticket.outcome_id
        self.assertEqual(outcome.state, "published")
        self.assertTrue(outcome.is_published)
        self.assertEqual(
            (outcome.name, outcome.found, outcome.done, outcome.prevention),
            ("เสียงดังในโซนอ่านหนังสือเงียบ", FOUND, FIXED, PREVENTION),
        )
        self.assertEqual((ticket.outcome_found, ticket.outcome_prevention), (FOUND, PREVENTION))
        self.assertIn(FIXED, ticket.resolution, "what was done is the complaint's own")
        notices = {(n.channel, n.audience) for n in ticket.notice_ids}
        self.assertEqual(
            notices,
            {
                ("website", "Public outcome page"),
                ("email", "info-list@example.com"),
                ("noticeboard", self.entrance.name),
                ("noticeboard", self.cafe.name),
            },
        )
        self.assertEqual(ticket.notice_ids.user_id, self.lc_staff)
        # Fixed once, noted once: the unchanged "What was done" is not written again.
        note = self.env.ref("mail.mt_note")
        notes = ticket.message_ids.filtered(
            lambda m: m.subtype_id == note and FIXED in (m.body or "")
        )
        self.assertEqual(len(notes), 1)

    def test_what_was_done_edited_in_the_dialog_is_the_complaints(self):
        ticket = self.anonymous_fixed()
        dialog = self.open_dialog(ticket)
        dialog.write({"found": FOUND, "done": f"{FIXED} และติดป้ายโซนเงียบเพิ่ม"})
        dialog.action_publish()
        self.flush_tracking()
        self.assertIn("ติดป้ายโซนเงียบเพิ่ม", ticket.resolution)
        self.assertEqual(ticket.outcome_id.done, f"{FIXED} และติดป้ายโซนเงียบเพิ่ม")
        self.assertTrue(
            any("ติดป้ายโซนเงียบเพิ่ม" in (m.body or "") for m in ticket.message_ids),
            "the change of “What was done” is noted in the chatter",
        )
        # Later corrections on the complaint's form reach the public outcome.
        ticket.with_user(self.lc_staff).resolution = "<p>แก้ไขแล้ว</p>"
        self.assertEqual(ticket.outcome_id.done, "แก้ไขแล้ว")

    def test_channels_ticked_only_when_they_can_be_sent(self):
        ticket = self.anonymous_fixed(service=self.bare_service)
        dialog = self.open_dialog(ticket)
        self.assertTrue(dialog.send_website)
        self.assertFalse(dialog.send_email, "the service has no email audience")
        self.assertFalse(dialog.send_noticeboard, "the service has no default noticeboard")
        self.assertFalse(dialog.audience_ids or dialog.location_ids)
        dialog.found = FOUND
        dialog.action_publish()
        self.flush_tracking()
        self.assertEqual(ticket.notice_ids.mapped("channel"), ["website"])

    def test_refusals_name_what_is_missing(self):
        ticket = self.anonymous_fixed(service=self.bare_service)
        dialog = self.open_dialog(ticket, lang="th_TH")
        dialog.write({"send_email": True, "send_noticeboard": True, "done": " "})
        with self.assertRaises(UserError) as refusal:
            dialog.action_publish()
        message = str(refusal.exception)
        # each missing piece named as the dialog labels it, in the user's language
        for fname in ("found", "done", "audience_ids", "location_ids"):
            self.assertIn(dialog._label(fname), message)
        self.assertNotIn(dialog._label("outcome_title"), message, "the summary is there")
        self.assertNotIn("required", message)
        # Nothing was written, nothing sent.
        self.assertEqual(ticket.outcome_state, "draft")
        self.assertFalse(ticket.notice_ids)
        self.assertEqual(ticket.outcome_done, FIXED)
        self.assertFalse(ticket.outcome_found)

        dialog.write({"found": FOUND, "done": FIXED, "send_website": False, "send_email": False})
        dialog.send_noticeboard = False
        with self.assertRaises(UserError) as refusal:
            dialog.action_publish()
        self.assertEqual(len(dialog._get_missing()), 1, "only the channel is missing")
        self.assertIn(dialog._get_missing()[0], str(refusal.exception))
        dialog.send_direct = True
        with self.assertRaises(UserError) as refusal:
            dialog.action_publish()
        self.assertIn(dialog._label("send_direct"), str(refusal.exception))
        self.assertFalse(ticket.notice_ids)

        # The fix dialog: an empty "What was done" is named, in Thai; nothing closes.
        other = self.env["helpdesk.ticket"]._create_anonymous_complaint(
            {
                "name": "แอร์ไม่เย็น",
                "description": "<p>แอร์ห้องอ่านไม่เย็น</p>",
                "service_id": self.information.id,
                "team_id": self.desk.id,
            },
            [],
        )
        other.with_user(self.lc_staff).write({"track_id": self.track_1.id})
        other.with_user(self.lc_staff).action_triage()
        fix = (
            self.env["library.complaint.fix.wizard"]
            .with_user(self.lc_staff)
            .with_context(lang="th_TH")
            .create({"ticket_id": other.id})
        )
        with self.assertRaises(UserError) as refusal:
            fix.action_confirm()
        label = fix._fields["resolution"]._description_string(fix.env)
        self.assertIn(f"“{label}”", str(refusal.exception))
        self.assertFalse(other.stage_id.closed)

    def test_one_what_was_done_in_the_forms_and_no_client_required_field(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.lc_staff)
        arch = Ticket.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertEqual(arch.count('name="resolution"'), 1, "one “What was done”")
        self.assertNotIn('name="outcome_done"', arch)
        for model in ("library.complaint.outcome.wizard", "library.complaint.fix.wizard"):
            Model = self.env[model].with_user(self.lc_staff)
            arch = Model.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn("required", arch, f"{model}: the server names what is missing")
            required = [f for f, field in Model._fields.items() if field.required]
            self.assertEqual(required, ["ticket_id"], model)

    def test_noticeboards_are_a_list_managers_keep(self):
        Location = self.env["library.complaint.notice.location"]
        self.assertTrue(Location.with_user(self.lc_staff).search([]), "staff pick from it")
        with self.assertRaises(AccessError):
            Location.with_user(self.lc_staff).create({"name": "ที่ใหม่"})
        manager = self.env.ref("library_complaints.user_manager")
        board = Location.with_user(manager).create({"name": "บอร์ดชั้น 4"})
        board.with_user(manager).write({"name": "บอร์ดประชาสัมพันธ์ ชั้น 4"})
        self.assertTrue(
            self.env.ref("library_complaints.service_learning_media").notice_location_id,
            "each shipped service has its default noticeboard",
        )

    def test_migration_keeps_what_the_outcome_said(self):
        """An outcome's own "What was done about it", from before, is added to the
        complaint's "What was done" where that did not say it."""
        ticket = self.anonymous_fixed()
        self.open_dialog(ticket).write({"found": FOUND})
        ticket.with_user(self.lc_staff).outcome_found = FOUND
        outcome = ticket.outcome_id
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE library_complaint_outcome SET done = %s WHERE id = %s",
            ("เปลี่ยนหลอดไฟในโซนเงียบ", outcome.id),
        )
        self.env.invalidate_all()
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("lc_post_migrate_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertIn(FIXED, ticket.resolution)
        self.assertIn("เปลี่ยนหลอดไฟในโซนเงียบ", ticket.resolution)
        self.assertIn("เปลี่ยนหลอดไฟในโซนเงียบ", outcome.done)
        self.assertIn(FIXED, outcome.done)

    def test_every_refusal_has_its_thai_translation(self):
        """The refusals are translatable and th.po says them in Thai (read from the
        file: Odoo loads a term once the lead's regenerated .pot lists it)."""
        polib = importlib.import_module("polib")
        po = polib.pofile(str(Path(__file__).parents[1] / "i18n" / "th.po"))
        thai = {entry.msgid: entry.msgstr for entry in po}
        for msgid in (
            "The outcome cannot be published yet. Missing: %(missing)s.",
            "The outcome cannot be published yet: write %(fields)s.",
            "a channel (tick at least one)",
            "The complainant is not known: untick %(channel)s and publish on the "
            "website, by email or on the noticeboards.",
            "Write %(field)s before closing the complaint as fixed.",
            "Email recipients",
            "Noticeboards",
            "What was found",
            "What was done",
        ):
            with self.subTest(msgid=msgid):
                self.assertRegex(thai.get(msgid, ""), "[\u0e00-\u0e7f]")

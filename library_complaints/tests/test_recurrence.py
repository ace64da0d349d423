from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.helpdesk_ticket_recurrence import NAME_TRGM_INDEX
from .common import Json2Mixin, LibraryComplaintsCase


class RecurrenceCase(LibraryComplaintsCase):
    """Earlier complaints on two teams and a repeat of one of them, in Thai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_service = cls.env.ref("library_complaints.service_learning_media")
        cls.other_team = cls.env["helpdesk.ticket.team"].create({"name": "Other desk"})
        last_month = fields.Datetime.now() - timedelta(days=30)

        def earlier(name, description, **vals):
            return cls.create_complaint(
                name=name,
                description=f"<p>{description}</p>",
                received_date=last_month,
                **vals,
            )

        cls.photocopier = earlier(
            "เครื่องถ่ายเอกสารชั้น 2 กระดาษติด",
            "เครื่องถ่ายเอกสารหน้าห้องอ่านหนังสือชั้น 2 กระดาษติด ใช้งานไม่ได้",
            service_id=cls.service.id,
            location="ชั้น 2",
        )
        cls.photocopier_other_service = earlier(
            "เครื่องถ่ายเอกสารชั้น 2 กระดาษติดบ่อย",
            "เครื่องถ่ายเอกสารกระดาษติด",
            service_id=cls.other_service.id,
        )
        cls.unrelated = earlier(
            "ขอให้ขยายเวลาเปิดห้องสมุดช่วงสอบ",
            "นักศึกษาต้องการอ่านหนังสือถึงเที่ยงคืน",
            service_id=cls.service.id,
        )
        cls.other_team_photocopier = earlier(
            "เครื่องถ่ายเอกสารชั้น 2 กระดาษติด",
            "เครื่องถ่ายเอกสารชั้น 2 กระดาษติด",
            service_id=cls.service.id,
            team_id=cls.other_team.id,
        )
        # This month's repeat, in other words, recorded by staff.
        cls.repeat = cls.create_complaint(
            user=cls.staff,
            name="เครื่องถ่ายเอกสารที่ชั้น 2 กระดาษติดอีกแล้ว",
            description="<p>เครื่องถ่ายเอกสารชั้นสองกระดาษติดอีกครั้ง</p>",
            service_id=cls.service.id,
        )

    def suggestions(self, complaint, user=None):
        complaint = complaint.with_user(user or self.staff)
        complaint.invalidate_recordset(["similar_complaint_ids"])
        return complaint.similar_complaint_ids


class TestRecurrence(RecurrenceCase):
    """Similar earlier complaints suggested at triage (pg_trgm on Thai text), linked
    as recurrences or dismissed, as the staff role."""

    def test_similar_earlier_complaints_suggested_same_service_first(self):
        suggested = self.suggestions(self.repeat)
        self.assertEqual(suggested[:1], self.photocopier)
        self.assertIn(self.photocopier_other_service, suggested)
        self.assertLess(
            list(suggested).index(self.photocopier),
            list(suggested).index(self.photocopier_other_service),
        )
        self.assertNotIn(self.unrelated, suggested)
        self.assertNotIn(self.repeat, suggested)
        # only earlier complaints: the earlier one is not told about the repeat
        self.assertNotIn(self.repeat, self.suggestions(self.photocopier))

    def test_same_service_ranks_first_even_when_less_similar(self):
        self.repeat.sudo().service_id = self.other_service
        suggested = self.suggestions(self.repeat)
        self.assertEqual(suggested[:1], self.photocopier_other_service)

    def test_no_suggestion_the_user_cannot_read(self):
        self.assertIn(self.other_team_photocopier, self.suggestions(self.repeat, self.manager))
        self.assertNotIn(self.other_team_photocopier, self.suggestions(self.repeat))

    def test_suggestions_while_typing_a_new_complaint(self):
        new = (
            self.env["helpdesk.ticket"]
            .with_user(self.staff)
            .new({"name": "เครื่องถ่ายเอกสารชั้น 2 กระดาษติดอีก", "service_id": self.service.id})
        )
        self.assertEqual(new.similar_complaint_ids[:1]._origin, self.photocopier)

    def test_link_as_recurrence(self):
        self.flush_tracking()  # the request that recorded the complaints ends
        self.photocopier.with_user(self.staff).with_context(
            recurrence_ticket_id=self.repeat.id
        ).action_link_recurrence()
        self.flush_tracking()
        self.assertEqual(self.repeat.recurrence_of_id, self.photocopier)
        self.assertEqual(self.repeat.recurrence_root_id, self.photocopier)
        self.assertEqual(self.photocopier.recurrence_root_id, self.photocopier)
        self.assertEqual(self.repeat.recurrence_count, 1)
        self.assertEqual(self.photocopier.recurrence_count, 1)
        self.assertEqual(self.unrelated.recurrence_count, 0)
        self.assertFalse(self.unrelated.recurrence_root_id)
        # the linked complaint is no longer suggested
        self.assertNotIn(self.photocopier, self.suggestions(self.repeat))
        self.env.invalidate_all()
        tracked = self.repeat.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "recurrence_of_id"
        )
        self.assertEqual(tracked.new_value_char, self.photocopier.display_name)
        self.assertEqual(tracked.mail_message_id.author_id, self.staff.partner_id)

        # a third time: it joins the group of the first
        third = self.create_complaint(
            user=self.staff, name="เครื่องถ่ายเอกสารชั้น 2 กระดาษติดอีกเป็นครั้งที่สาม"
        )
        self.flush_tracking()
        self.repeat.with_user(self.staff).with_context(
            recurrence_ticket_id=third.id
        ).action_link_recurrence()
        self.flush_tracking()
        self.assertEqual(third.recurrence_root_id, self.photocopier)
        self.assertEqual(self.photocopier.recurrence_count, 2)
        self.assertEqual(third.recurrence_count, 2)
        # (among this test's complaints: the demo has a recurring group of its own)
        mine = self.photocopier | self.repeat | self.unrelated | third
        groups = self.env["helpdesk.ticket"].formatted_read_group(
            [("recurrence_root_id", "!=", False), ("id", "in", mine.ids)],
            ["recurrence_root_id"],
            ["__count"],
        )
        self.assertEqual(
            [(group["recurrence_root_id"][0], group["__count"]) for group in groups],
            [(self.photocopier.id, 3)],
        )

        # undone: the group shrinks back
        third.with_user(self.staff).action_unlink_recurrence()
        self.flush_tracking()
        self.env.invalidate_all()  # the count is read afresh, in the next request
        self.assertFalse(third.recurrence_root_id)
        self.assertEqual(self.photocopier.recurrence_count, 1)

    def test_no_circle(self):
        self.repeat.recurrence_of_id = self.photocopier
        with self.assertRaises(ValidationError):
            self.photocopier.recurrence_of_id = self.repeat
        with self.assertRaises(ValidationError):
            self.photocopier.recurrence_of_id = self.photocopier

    def test_dismiss(self):
        self.photocopier.with_user(self.staff).with_context(
            recurrence_ticket_id=self.repeat.id
        ).action_dismiss_recurrence()
        self.flush_tracking()
        self.assertEqual(self.repeat.recurrence_dismissed_ids, self.photocopier)
        suggested = self.suggestions(self.repeat)
        self.assertNotIn(self.photocopier, suggested)
        self.assertIn(self.photocopier_other_service, suggested)
        self.assertFalse(self.repeat.recurrence_of_id)

    def test_restore_a_dismissed_suggestion(self):
        self.flush_tracking()  # the request that recorded the complaints ends
        suggestion = self.photocopier.with_user(self.staff).with_context(
            recurrence_ticket_id=self.repeat.id
        )
        suggestion.action_dismiss_recurrence()
        self.flush_tracking()
        # a patron may not undo it
        with self.assertRaises(AccessError):
            self.photocopier.with_user(self.patron).with_context(
                recurrence_ticket_id=self.repeat.id
            ).action_restore_recurrence()
        self.assertEqual(self.repeat.recurrence_dismissed_ids, self.photocopier)
        suggestion.action_restore_recurrence()
        self.flush_tracking()
        self.assertFalse(self.repeat.recurrence_dismissed_ids)
        self.assertIn(self.photocopier, self.suggestions(self.repeat))
        # both told in the chatter, by the staff member
        self.env.invalidate_all()
        tracked = self.repeat.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "recurrence_dismissed_ids"
        )
        self.assertEqual(
            [(value.old_value_char, value.new_value_char) for value in tracked],
            [(self.photocopier.display_name, ""), ("", self.photocopier.display_name)],
        )
        self.assertEqual(tracked.mail_message_id.author_id, self.staff.partner_id)

    def test_refused_to_those_who_cannot_edit_the_complaint(self):
        other_staff = self.new_user("t_staff_other", "staff")
        self.other_team.user_ids = [(4, other_staff.id)]
        for user in (self.patron, other_staff):
            for action in ("action_link_recurrence", "action_dismiss_recurrence"):
                with self.subTest(user=user.login, action=action):
                    suggestion = self.other_team_photocopier.with_user(user).with_context(
                        recurrence_ticket_id=self.repeat.id
                    )
                    with self.assertRaises(AccessError):
                        getattr(suggestion, action)()
        # nor linked to a complaint the staff member may not read (over RPC)
        with self.assertRaises(AccessError):
            self.other_team_photocopier.with_user(self.staff).with_context(
                recurrence_ticket_id=self.repeat.id
            ).action_link_recurrence()
        self.flush_tracking()
        self.assertFalse(self.repeat.recurrence_of_id)
        self.assertFalse(self.repeat.recurrence_dismissed_ids)

    def test_lookup_uses_the_trigram_indexes(self):
        # as at intake: every complaint is earlier than the one being typed
        new = self.env["helpdesk.ticket"].with_user(self.staff).new({"name": self.repeat.name})
        query = new._similar_complaints_query()
        cr = self.env.cr
        self.env.flush_all()
        # few rows here: without this, a sequential scan is cheaper
        cr.execute("SET LOCAL enable_seqscan = off")
        try:
            cr.execute(SQL("EXPLAIN %s", query.select()))
            plan = "\n".join(row[0] for row in cr.fetchall())
        finally:
            cr.execute("RESET enable_seqscan")
        self.assertIn(NAME_TRGM_INDEX, plan)


@tagged("post_install", "-at_install")
class TestRecurrenceExternalApi(Json2Mixin, RecurrenceCase, HttpCase):
    """What a client may do over JSON-2: staff link a recurrence; a patron neither
    links, dismisses nor writes the link on their own complaint."""

    def test_external_api(self):
        own = self.create_complaint(
            name="เครื่องถ่ายเอกสารชั้น 2 กระดาษติดอีก",
            partner_id=self.patron.partner_id.id,
            service_id=self.service.id,
        )
        context = {"recurrence_ticket_id": own.id}
        for method in ("action_link_recurrence", "action_dismiss_recurrence"):
            with self.subTest(method=method):
                self.assertApiRefused(
                    self.patron, "helpdesk.ticket", method, self.photocopier.ids, context=context
                )
        self.assertApiRefused(
            self.patron,
            "helpdesk.ticket",
            "write",
            own.ids,
            vals={"recurrence_of_id": self.photocopier.id},
        )
        self.env.invalidate_all()
        self.assertFalse(own.recurrence_of_id)
        self.assertFalse(own.recurrence_dismissed_ids)
        # staff link it, as the form's button does
        context = {"recurrence_ticket_id": self.repeat.id}
        self.press_as(
            self.staff,
            "helpdesk.ticket",
            "action_link_recurrence",
            self.photocopier.ids,
            context=context,
        )
        self.env.invalidate_all()
        self.assertEqual(self.repeat.recurrence_of_id, self.photocopier)

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LibraryComplaintsCase


@tagged("post_install", "-at_install")
class TestSeverityTrack(LibraryComplaintsCase):
    def test_four_tracks_seeded_in_process_order(self):
        tracks = self.env["library.complaint.track"].search([])
        self.assertEqual(tracks[:4], self.track_1 | self.track_2 | self.track_3 | self.track_4)
        self.assertTrue(self.track_1.can_close_on_spot)
        others = self.track_2 | self.track_3 | self.track_4
        self.assertFalse(any(others.mapped("can_close_on_spot")))

    def test_tracks_are_routed_by_the_seeded_escalation_rules(self):
        """What a track sets in motion (heads, committee) is the escalation rules' job."""
        rules = self.env["library.complaint.escalation.rule"].search([("trigger", "!=", False)])

        def routes(track, trigger):
            return rules.filtered(lambda r: r.trigger == trigger and track in r.track_ids)

        self.assertEqual(routes(self.track_2, "triage").mapped("approval"), ["both"])
        self.assertEqual(routes(self.track_4, "triage").mapped("approval"), ["division_head"])
        self.assertEqual(routes(self.track_4, "approved").mapped("target_level"), ["committee"])
        self.assertFalse(routes(self.track_1, "triage") | routes(self.track_3, "triage"))

    def test_staff_sets_track_and_chatter_tracks_it(self):
        complaint = self.create_complaint(user=self.staff)
        self.flush_tracking()
        complaint.with_user(self.staff).track_id = self.track_2
        self.flush_tracking()
        complaint.with_user(self.staff).track_id = self.track_4
        self.flush_tracking()
        tracked = complaint.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "track_id"
        )
        self.assertEqual(len(tracked), 2)
        self.assertIn(self.track_4.name, tracked.mapped("new_value_char"))

    def test_only_the_manager_configures_tracks(self):
        with self.assertRaises(AccessError):
            self.track_3.with_user(self.staff).target_working_days = 2
        with self.assertRaises(AccessError):
            self.track_3.with_user(self.division_head).target_working_days = 2
        with self.assertRaises(AccessError):
            self.env["library.complaint.track"].with_user(self.patron).create(
                {"name": "Sneaky track"}
            )
        self.track_3.with_user(self.manager).target_working_days = 20
        self.assertEqual(self.track_3.target_working_days, 20)

    def test_portal_patron_reads_track_names_only(self):
        self.assertEqual(self.track_1.with_user(self.patron).name, self.track_1.name)
        with self.assertRaises(AccessError):
            self.track_1.with_user(self.patron).unlink()

    @mute_logger("odoo.sql_db")
    def test_target_must_be_positive(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["library.complaint.track"].create(
                {"name": "Broken track", "target_working_days": 0}
            )

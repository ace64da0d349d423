from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LibraryComplaintsCase


@tagged("post_install", "-at_install")
class TestComplaintSecurity(LibraryComplaintsCase):
    """Who sees and does what, tried as each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.division = cls.env.ref("library_complaints.division_technology")
        cls.division.head_id = cls.division_head
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Media Lab", "division_id": cls.division.id, "wg_head_id": cls.wg_head.id}
        )
        cls.team.division_id = cls.env.ref("library_complaints.division_library")
        cls.outsider = cls.new_user("t_outsider", "staff")  # in no work group
        cls.mine = cls.create_complaint(partner_id=cls.patron.partner_id.id)
        cls.media = cls.create_complaint(
            team_id=cls.other_team.id,
            service_id=cls.env.ref("library_complaints.service_learning_media").id,
        )
        cls.confidential = cls.create_complaint(
            partner_id=cls.patron.partner_id.id, is_confidential=True
        )

    def _visible(self, user):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user)
            .search([("id", "in", (self.mine | self.media | self.confidential).ids)])
        )

    def test_portal_patron_sees_only_own_complaints(self):
        self.assertEqual(self._visible(self.patron), self.mine | self.confidential)
        self.assertFalse(self._visible(self.other_patron))
        with self.assertRaises(AccessError):
            self.media.with_user(self.patron).read(["name"])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.patron).write({"name": "Changed by the patron"})

    def test_public_user_reads_no_complaint(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(public).search([])

    def test_staff_see_the_complaints_of_their_work_group(self):
        self.assertEqual(self._visible(self.staff), self.mine | self.confidential)
        self.assertFalse(self._visible(self.outsider) & self.media)
        with self.assertRaises(AccessError):
            self.media.with_user(self.staff).read(["name"])

    def test_work_group_head_sees_their_work_group(self):
        self.assertIn(self.media, self._visible(self.wg_head))

    def test_division_head_sees_their_division(self):
        head = self.new_user("t_tech_head", "division_head")
        self.division.head_id = head
        self.assertEqual(self._visible(head), self.media)

    def test_committee_and_manager_see_all(self):
        expected = self.mine | self.media | self.confidential
        self.assertEqual(self._visible(self.committee), expected)
        self.assertEqual(self._visible(self.manager), expected)

    def test_only_the_manager_sees_a_confidential_submitter(self):
        for user in (self.staff, self.wg_head, self.committee):
            values = self.confidential.with_user(user).read(
                ["partner_id", "partner_name", "partner_email"]
            )[0]
            self.assertFalse(values["partner_id"], user.login)
            self.assertFalse(values["partner_email"], user.login)
            web = self.confidential.with_user(user).web_read({"partner_id": {}})[0]
            self.assertFalse(web["partner_id"], user.login)
        # the complaint stores no identity; its identity record, managers only, does
        self.assertFalse(self.confidential.partner_id)
        values = self.confidential.with_user(self.manager).read(["confidential_identity_ids"])[0]
        identity = self.env["library.complaint.identity"].browse(
            values["confidential_identity_ids"]
        )
        self.assertEqual(identity.with_user(self.manager).partner_id, self.patron.partner_id)
        # not confidential: staff see who complained
        values = self.mine.with_user(self.staff).read(["partner_id"])[0]
        self.assertEqual(values["partner_id"][0], self.patron.partner_id.id)

    def test_configuration_is_for_the_manager(self):
        service = self.env.ref("library_complaints.service_information")
        for user in (self.staff, self.wg_head, self.division_head, self.committee):
            with self.assertRaises(AccessError):
                service.with_user(user).name = "Renamed"
            with self.assertRaises(AccessError):
                self.division.with_user(user).head_id = user
        service.with_user(self.manager).name = "Information service (renamed)"
        self.assertEqual(service.name, "Information service (renamed)")

"""What a patron reaches of their own complaint, as the patron: every field that
links to another record links only to a record they may read themselves (Odoo reads
a many2one's display name as the superuser), and closing it from the portal is a
POST with the session's CSRF token."""

from lxml import html

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LibraryComplaintsCase

RELATIONAL = ("many2one", "many2many", "one2many")
LINKED_TITLE = "Someone else's complaint about the lockers"


@tagged("post_install", "-at_install")
class TestPortalAccess(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lc_patron = cls.env.ref("library_complaints.user_patron")
        cls.other = cls.create_complaint(
            name=LINKED_TITLE,
            partner_id=cls.other_patron.partner_id.id,
            service_id=cls.service.id,
        )
        cls.complaint = cls.create_complaint(
            user=cls.staff,
            name="The reading room is too cold",
            partner_id=cls.lc_patron.partner_id.id,
            service_id=cls.service.id,
            user_id=cls.staff.id,
            channel_id=cls.env.ref("library_complaints.channel_walk_in").id,
            affected_partner_ids=[(4, cls.other_patron.partner_id.id)],
        )
        # Staff link it to the other patron's complaint, as a recurrence and a duplicate
        # (written by the system: the workflow fields move only through their actions).
        cls.complaint.sudo().write(
            {
                "recurrence_of_id": cls.other.id,
                "duplicate_id": cls.other.id,
                "cause_id": cls.env["library.complaint.cause"].search([], limit=1).id,
                "tag_ids": [(0, 0, {"name": "Internal tag"})],
            }
        )
        # ... and a head of the work group writes it last.
        cls.complaint.with_user(cls.wg_head).write({"location": "Reading room, floor 3"})
        cls.env.flush_all()

    def test_patron_reads_only_links_to_what_they_may_read(self):
        complaint = self.complaint.with_user(self.lc_patron)
        self.assertEqual(self.complaint.write_uid, self.wg_head)
        self.assertEqual(self.complaint.recurrence_of_id, self.other)
        fields = complaint.fields_get(attributes=["type", "relation"])
        relational = {name: f for name, f in fields.items() if f["type"] in RELATIONAL}
        self.assertIn("stage_id", relational, "the patron reads the complaint's stage")
        leaks, unreadable = [], []
        for name, field in relational.items():
            try:
                value = complaint.read([name])[0][name]
            except AccessError:
                unreadable.append(name)  # refused: nothing is read
                continue
            if field["type"] == "many2one":
                ids = [value[0]] if value else []
            else:
                ids = value
            for record in self.env[field["relation"]].with_user(self.lc_patron).browse(ids):
                try:
                    record.check_access("read")
                except AccessError:
                    leaks.append((name, record.sudo().display_name))
        self.assertEqual(leaks, [])
        self.assertEqual(unreadable, [], "a field the patron may not read is not offered")
        for name in ("write_uid", "create_uid", "user_id", "recurrence_of_id", "channel_id"):
            self.assertNotIn(name, fields)

    def test_portal_page_names_no_staff_and_no_linked_complaint(self):
        self.authenticate("lc_patron", "lc_patron")
        page = self.url_open(f"/my/ticket/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("The reading room is too cold", page.text)
        for text in (
            self.wg_head.name,
            self.staff.name,
            LINKED_TITLE,
            self.other.number,
            self.other_patron.name,
        ):
            self.assertNotIn(text, page.text)

    def test_closing_is_a_post_with_the_csrf_token(self):
        self.authenticate("lc_patron", "lc_patron")
        stage = self.complaint.stage_id
        self.assertTrue(self.done.close_from_portal)
        values = {"ticket_id": self.complaint.id, "stage_id": self.done.id}

        # The page's close buttons post the session's token (helpdesk_mgmt's sidebar,
        # where they are, is not rendered on Odoo 19: its t-set in a t-call body are
        # not passed on; the template is checked as it would render).
        view = self.env.ref("helpdesk_mgmt.portal_helpdesk_ticket_page")
        arch = html.fromstring(view.get_combined_arch())
        forms = arch.xpath("//form[@t-attf-action='/ticket/close']")
        self.assertTrue(forms)
        for form in forms:
            self.assertEqual(form.get("method"), "post")
            self.assertTrue(form.xpath(".//input[@name='csrf_token']/@t-att-value"))
        self.assertFalse(arch.xpath("//*[contains(@t-if, 'ticket.user_id')]"))

        with mute_logger("odoo.http"):
            response = self.url_open("/ticket/close", params=values, allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        with mute_logger("odoo.http"):
            for token in (None, "0" * 40 + "o9999999999"):
                data = dict(values, csrf_token=token) if token else values
                response = self.url_open("/ticket/close", data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.complaint.stage_id, stage)

        response = self.url_open(
            "/ticket/close",
            data=dict(values, csrf_token=http.Request.csrf_token(self)),
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(self.complaint.stage_id, self.done)

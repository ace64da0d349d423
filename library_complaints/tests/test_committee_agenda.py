"""The committee's agenda as #25 has it: "Add proposed complaints" says what it did
and where the others are; the agenda item has its own form (the complaint, why staff
could not fix it, the heads' approvals, the committee's analysis) with a complaint
picker that creates nothing; the committee's pool has its figures."""

from lxml import etree

from odoo.tests import tagged

from .test_committee import SECOND_MEETING, CommitteeCase

ITEM_FORM = "library_complaints.library_complaint_meeting_item_view_form"


@tagged("post_install", "-at_install")
class TestAddProposedComplaints(CommitteeCase):
    def test_it_says_what_it_added_and_where_the_others_are(self):
        shelving = self.proposed_complaint(name="Shelving on floor 3 wobbles")
        lift = self.proposed_complaint(name="The book lift is stuck")
        first = self.new_meeting()
        self.assertLessEqual(shelving | lift, first.item_ids.ticket_id)
        second = self.new_meeting(SECOND_MEETING, name="MT 2/2574")
        self.assertFalse(second.item_ids, "the proposals sit on the first meeting")
        # The secretary takes the lift off the first agenda...
        first.item_ids.filtered(lambda i: i.ticket_id == lift).with_user(self.committee).unlink()
        # ... and "Add proposed complaints" on the second brings it, and says so.
        action = second.with_user(self.committee).action_load_proposals()
        self.flush_tracking()
        self.assertEqual(second.item_ids.ticket_id, lift)
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        message = params["message"]
        self.assertIn(f"Added to the agenda: 1 complaint(s): {lift.display_name}.", message)
        on_first = len(first.item_ids)
        self.assertIn(f"{on_first} already on the agenda of %s (Draft, ", message)
        self.assertIn(shelving.display_name, message)
        self.assertNotIn(lift.display_name, message.split("already on the agenda")[1])
        self.assertEqual([link["label"] for link in params["links"]], [first.name])
        self.assertTrue(params["links"][0]["url"].endswith(f"/{first.id}"))
        self.assertTrue(params["sticky"])

        # Again: nothing to add, and it says where the shelving is.
        action = second.with_user(self.committee).action_load_proposals()
        params = action["params"]
        self.assertEqual(second.item_ids.ticket_id, lift)
        self.assertTrue(params["message"].startswith("No complaint was added."))
        self.assertIn(shelving.display_name, params["message"])
        self.assertIn("Remove them from that agenda to bring them here.", params["message"])
        self.assertEqual(params["type"], "warning")

    def test_nothing_waiting_says_so(self):
        meeting = self.new_meeting()
        waiting = self.Ticket.search(self.Ticket._get_committee_pool_domain())
        waiting.sudo().write({"is_committee_proposed": False})
        action = meeting.with_user(self.committee).action_load_proposals()
        params = action["params"]
        self.assertFalse(params["links"])
        self.assertFalse(params["sticky"])
        self.assertEqual(params["title"], "Proposed complaints")
        self.assertEqual(
            params["message"],
            "No complaint was added. No other complaint waits for the committee.",
        )

    def test_a_title_with_percent_signs_stays_as_typed(self):
        """The notification's message is a format for its links: a "%" of a title
        is escaped there, and only there."""
        odd = self.proposed_complaint(name="Wi-Fi 100% down %s")
        first = self.new_meeting()
        second = self.new_meeting(SECOND_MEETING)
        message = second.with_user(self.committee).action_load_proposals()["params"]["message"]
        self.assertIn("Wi-Fi 100%% down %%s", message)  # a link follows: escaped
        first.item_ids.with_user(self.committee).unlink()
        params = second.with_user(self.committee).action_load_proposals()["params"]
        self.assertIn(odd, second.item_ids.ticket_id)
        self.assertFalse(params["links"])
        self.assertIn("Wi-Fi 100% down %s", params["message"])  # no link: as typed


@tagged("post_install", "-at_install")
class TestAgendaItemForm(CommitteeCase):
    def arch(self, model, view_xmlid=None, view_type="form"):
        view_id = self.env.ref(view_xmlid).id if view_xmlid else None
        view = self.env[model].with_user(self.committee).get_view(view_id, view_type)
        return etree.fromstring(view["arch"])

    def test_the_agenda_lists_few_columns_and_opens_the_item_form(self):
        agenda = self.arch("library.complaint.meeting").xpath("//field[@name='item_ids']/list")[0]
        self.assertIsNone(agenda.get("editable"), "a row opens the item's form")
        columns = [
            f.get("name")
            for f in agenda.xpath("./field")
            if f.get("column_invisible") != "True" and f.get("optional") != "hide"
        ]
        self.assertEqual(columns, ["sequence", "ticket_id", "track_id", "service_id", "decision"])
        self.assertFalse(
            self.arch("library.complaint.meeting").xpath("//field[@name='item_ids']/form"),
            "the item's own form view is used",
        )

    def test_the_complaint_picker_creates_nothing(self):
        arch = self.arch("library.complaint.meeting.item", ITEM_FORM)
        for name in ("ticket_id", "cause_id", "responsible_id"):
            with self.subTest(field=name):
                options = arch.xpath(f"//field[@name='{name}']")[0].get("options")
                self.assertIn("'no_create': True", options)
                self.assertIn("'no_create_edit': True", options)
        # and it is the form the agenda opens (the model's default form)
        default = self.env["library.complaint.meeting.item"].get_view(None, "form")
        self.assertEqual(default["id"], self.env.ref(ITEM_FORM).id)

    def test_the_item_form_shows_what_the_committee_needs(self):
        arch = self.arch("library.complaint.meeting.item", ITEM_FORM)
        shown = set(arch.xpath("//field/@name"))
        for name in (
            "ticket_id",
            "ticket_description",
            "cannot_fix_reason",
            "approval_ids",
            "cause_id",
            "root_cause",
            "solution",
            "prevention",
            "decision",
        ):
            self.assertIn(name, shown)
        # as the committee member reads it: the reason staff gave, the heads' history
        ticket = self.complaint_on_track(self.track_4, name="Replace the reading lamps")
        ticket.with_user(self.division_head).action_approve()
        ticket.with_user(self.staff)._mark_cannot_fix("The lamps need an electrician.")
        meeting = self.new_meeting()
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket).with_user(self.committee)
        self.assertEqual(item.cannot_fix_reason, "The lamps need an electrician.")
        self.assertEqual(item.approval_ids.mapped("decision"), ["approve"])
        self.assertEqual(item.approval_ids.user_id, self.division_head)
        self.assertIn("Replace the reading lamps", item.display_name)
        item.write({"root_cause": "Old wiring", "solution": "Rewire", "prevention": "Checks"})
        self.flush_tracking()
        self.assertEqual(item.prevention, "Checks")


@tagged("post_install", "-at_install")
class TestCommitteePoolFigures(CommitteeCase):
    def test_the_pool_has_a_pivot_and_a_graph_after_its_list(self):
        action = self.env.ref("library_complaints.helpdesk_ticket_action_committee_pool")
        modes = [mode for __, mode in action.views]
        self.assertEqual(modes[0], "list")
        self.assertIn("pivot", modes)
        self.assertIn("graph", modes)
        ticket = self.proposed_complaint()
        Ticket = self.env["helpdesk.ticket"].with_user(self.committee)
        for view_id, mode in action.views:
            if mode in ("pivot", "graph"):
                self.assertTrue(view_id, f"the pool's own {mode} view")
                Ticket.get_view(view_id, mode)
        groups = Ticket.formatted_read_group(
            Ticket._get_committee_pool_domain(), ["track_id"], ["__count"]
        )
        self.assertIn(ticket.track_id.id, [g["track_id"][0] for g in groups if g["track_id"]])

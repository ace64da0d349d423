from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class LibraryComplaintsCase(TransactionCase):
    """Users of every role and a team, built once per test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.staff = new_test_user(
            cls.env, "t_staff", groups="library_complaints.group_complaint_staff"
        )
        cls.wg_head = new_test_user(
            cls.env, "t_wg_head", groups="library_complaints.group_complaint_wg_head"
        )
        cls.division_head = new_test_user(
            cls.env,
            "t_div_head",
            groups="library_complaints.group_complaint_division_head",
        )
        cls.committee = new_test_user(
            cls.env, "t_committee", groups="library_complaints.group_complaint_committee"
        )
        cls.manager = new_test_user(
            cls.env, "t_manager", groups="library_complaints.group_complaint_manager"
        )
        cls.patron = new_test_user(cls.env, "t_patron", groups="base.group_portal")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Test Service Desk",
                "user_ids": [(6, 0, (cls.staff | cls.wg_head | cls.division_head).ids)],
            }
        )
        cls.track_1 = cls.env.ref("library_complaints.track_1_on_the_spot")
        cls.track_2 = cls.env.ref("library_complaints.track_2_escalate_heads")
        cls.track_3 = cls.env.ref("library_complaints.track_3_satisfaction")
        cls.track_4 = cls.env.ref("library_complaints.track_4_budget")

    def setUp(self):
        super().setUp()
        # Every test ends the way a request ends: flush and pre-commit hooks (tracking
        # values, notifications), so that what breaks at the commit breaks the test.
        self.addCleanup(self.flush_tracking)

    @classmethod
    def clear_open_meetings(cls):
        """Drop the demo's planned committee meetings: the tests plan their own."""
        meetings = cls.env["library.complaint.meeting"].search(
            [("state", "in", ("draft", "scheduled"))]
        )
        meetings.write({"state": "draft"})
        meetings.unlink()

    def flush_tracking(self):
        """Do what the end of a request does before its commit: flush, then run the
        pre-commit hooks that write tracking values and send notifications. Call it
        before asserting on the chatter; every test also ends with it."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def create_complaint(cls, user=None, **vals):
        values = {
            "name": "The photocopier on floor 2 is jammed",
            "description": "<p>It has been jammed since this morning.</p>",
            "team_id": cls.team.id,
        }
        values.update(vals)
        env = cls.env(user=user) if user else cls.env
        return env["helpdesk.ticket"].create(values)

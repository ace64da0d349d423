"""The one fixture of the addon's tests, as ``survey/tests/common.py`` is for survey.

``LibraryComplaintsCase`` builds, once per test class, a user of every role
(password = login), a second patron, a team and the tracks. ORM suites inherit it
alone; suites that go through HTTP add ``HttpCase``, as
``survey/tests/test_survey_controller.py`` does::

    class TestSecurity(LibraryComplaintsCase): ...
    class TestPortal(LibraryComplaintsCase, HttpCase): ...

The helpers of the last section call ``url_open``: they are for the HttpCase suites.
``Json2Mixin`` speaks Odoo 19's external API (JSON-2) as a role, for the HttpCase
suites that test what an API client may do::

    class TestApi(Json2Mixin, LibraryComplaintsCase, HttpCase): ...
"""

import base64
import re
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

ROLE_GROUPS = {
    "staff": "library_complaints.group_complaint_staff",
    "wg_head": "library_complaints.group_complaint_wg_head",
    "division_head": "library_complaints.group_complaint_division_head",
    "committee": "library_complaints.group_complaint_committee",
    "manager": "library_complaints.group_complaint_manager",
    "patron": "base.group_portal",
}
# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]{40}o[0-9]+)"')


class LibraryComplaintsCase(TransactionCase):
    """Users of every role, a team and the tracks, built once per test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        (
            cls.staff,
            cls.wg_head,
            cls.division_head,
            cls.committee,
            cls.manager,
            cls.patron,
            cls.other_patron,
        ) = cls.new_users(
            ("t_staff", "staff"),
            ("t_wg_head", "wg_head"),
            ("t_div_head", "division_head"),
            ("t_committee", "committee"),
            ("t_manager", "manager"),
            # The patron dates what they saw in the office's time zone.
            ("t_patron", "patron", {"tz": "Asia/Bangkok"}),
            ("t_patron2", "patron"),
        )
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
        # The office's first service, a service no longer offered, the default desk.
        cls.service = cls.env.ref("library_complaints.service_information")
        cls.closed_service = cls.env["library.complaint.service"].create(
            {
                "name": "Closed service",
                "division_id": cls.env.ref("library_complaints.division_library").id,
                "active": False,
            }
        )
        cls.desk = cls.env.ref("library_complaints.team_library_service_desk")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.root = cls.env.ref("base.user_root")

    def setUp(self):
        super().setUp()
        # Every test ends the way a request ends: flush and pre-commit hooks (tracking
        # values, notifications), so that what breaks at the commit breaks the test.
        self.addCleanup(self.flush_tracking)

    @classmethod
    def new_user(cls, login, role, **values):
        """A user in the group of ``role`` (a key of ROLE_GROUPS); password = login."""
        return cls.new_users((login, role, values))

    @classmethod
    def new_users(cls, *specs):
        """Users made in one ``create``, each spec ``(login, role[, values])``, as
        ``new_test_user`` makes them (password = login, an example.com email) but
        without the invitation to sign up: its mail, rendered for every user, was a
        third of the suite's setUpClass time."""
        vals_list = []
        for login, role, *values in specs:
            groups = [cls.env.ref(xmlid).id for xmlid in ROLE_GROUPS[role].split(",")]
            vals_list.append(
                {
                    "login": login,
                    "password": login,
                    "name": f"{login} ({role})",
                    "email": f"{login}@example.com",
                    "group_ids": [Command.set(groups)],
                    **(values[0] if values else {}),
                }
            )
        users = (
            cls.env["res.users"]
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        return users.with_env(cls.env)

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

    def count_stored(self):
        """(complaints, their attachments) in the database, read afresh."""
        self.env.invalidate_all()
        return (
            self.env["helpdesk.ticket"].sudo().search_count([]),
            self.env["ir.attachment"].sudo().search_count([("res_model", "=", "helpdesk.ticket")]),
        )

    # ------------------------------------------------------------------
    # Over HTTP (with HttpCase)

    def authenticate_as(self, user):
        """Sign in as ``user`` (a fixture or demo user: password = login)."""
        self.authenticate(user.login, user.login)

    def csrf_token_of(self, url):
        """The CSRF token of the form on the page ``url``, as a browser gets it."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def public_form_values(self, **values):
        """What a visitor types in the public form /complaint, with its CSRF token."""
        return {
            "name": "The printer on floor 2 is out of paper",
            "description": "Nobody refilled it since Monday.\nPlease check it daily.",
            "service_id": str(self.service.id),
            "location": "Floor 2, near the lifts",
            "date_observed": "",
            "website_url": "",
            "csrf_token": self.csrf_token_of("/complaint"),
            **values,
        }

    def submit_public_form(self, files=None, **values):
        """Open /complaint and send it; ``files``: (name, content, mimetype) tuples."""
        upload = [("attachments", file) for file in files or []]
        return self.url_open(
            "/complaint/submit",
            data=self.public_form_values(**values),
            files=upload or None,
            timeout=60,
        )

    def submit_portal_form(self, files=None, allow_redirects=True, **values):
        """Send the portal's complaint form (/new/ticket) as the signed-in patron."""
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "Lights flicker in the reading room",
            "description": "The lights flicker all day.\nIt gives me a headache.",
            "service": str(self.service.id),
            **values,
        }
        upload = [("attachment", file) for file in files or []]
        return self.url_open(
            "/submitted/ticket", data=data, files=upload or None, allow_redirects=allow_redirects
        )

    def assertRefused(self, response, before, message=None, status=400):
        """The form was answered with ``status`` (and ``message``), nothing stored."""
        self.assertEqual(response.status_code, status, response.text[:3000])
        if message:
            self.assertIn(message, response.text)
        self.assertEqual(self.count_stored(), before, "nothing was stored")


class Json2Mixin:
    """Odoo 19's external API as a role: ``POST /json/2/<model>/<method>`` with the
    named arguments (``ids``, ``context`` and the method's own) as a JSON object and
    the role's API key as a bearer token (XML-RPC and JSON-RPC are deprecated in 19).

    Each user gets an API key the first time the test calls as them, made through
    ``res.users.apikeys`` as ``test_http/tests/test_webjson2.py`` makes its key (it
    goes with the test's transaction). For HttpCase suites."""

    def api_key(self, user, key=None):
        """The API key of ``user`` (made once per test), or ``key`` from now on."""
        keys = vars(self).setdefault("_api_keys", {})
        if key:
            keys[user.id] = key
        if user.id not in keys:
            keys[user.id] = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate(
                    "rpc", "library_complaints tests", fields.Datetime.now() + timedelta(hours=12)
                )
            )
        return keys[user.id]

    def json2(self, user, model, method, ids=None, **params):
        """The HTTP response of ``model.method`` called over JSON-2 as ``user``."""
        body = dict(params, **({"ids": list(ids)} if ids is not None else {}))
        # The key alone says who calls: the test's browser session (if it signed
        # in) stays out, as the session of another user is refused with the key.
        cookies = self.opener.cookies
        session_id = cookies.pop("session_id", None)
        try:
            return self.url_open(
                f"/json/2/{model}/{method}",
                json=body,
                headers={"Authorization": f"bearer {self.api_key(user)}"},
                timeout=60,
            )
        finally:
            if session_id is not None:
                cookies.set("session_id", session_id)

    def call_as(self, user, model, method, ids=None, **params):
        """What ``model.method`` answers ``user`` over JSON-2 (it must succeed)."""
        response = self.json2(user, model, method, ids, **params)
        self.assertEqual(
            response.status_code,
            200,
            f"{user.login}: {model}.{method} answered {response.status_code}: "
            f"{response.text[-1500:]}",
        )
        return response.json()

    def press_as(self, user, model, method, ids, **params):
        """Press a button over JSON-2 as ``user``: it must answer a value (an action,
        True, ...), never an error nor ``null``."""
        result = self.call_as(user, model, method, ids, **params)
        self.assertIsNotNone(result, f"{user.login}: {model}.{method} answered null")
        return result

    def assertApiRefused(self, user, model, method, ids=None, error=AccessError, **params):
        """``model.method`` is refused to ``user`` over JSON-2 with ``error``: the HTTP
        status of that exception and a JSON body naming it. Returns its message."""
        with mute_logger("odoo.http"):
            response = self.json2(user, model, method, ids, **params)
        try:
            body = response.json()
        except ValueError:
            self.fail(f"{model}.{method}: not a JSON error: {response.text[:1500]}")
        status = getattr(error, "http_status", None) or error.code
        self.assertEqual(
            (response.status_code, body.get("name")),
            (status, f"{error.__module__}.{error.__name__}"),
            f"{user.login}: {model}.{method}: {body.get('message') or response.text[-1500:]}",
        )
        return body["message"]

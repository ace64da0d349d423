from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import warmup

from .common import LibraryComplaintsCase

URL = "/complaints/similar"
PUBLIC_TITLE = "The photocopier on floor 2 jams"
DONE = "We replaced the photocopier's paper feed"
# What no suggestion may show: a complaint's own words, its complainant
PRIVATE_TITLE = "Somchai Secret lost his locker key at the cloakroom"
PATRON_NAME = "Somchai Secret"
# The SQL queries of one lookup: the outcomes' ids, their fields, their services
LOOKUP_QUERIES = 3
# ... and of the route as the server answers it (with the request's own lookups)
ROUTE_QUERIES = 4


@tagged("post_install", "-at_install")
class TestSimilarOutcomes(LibraryComplaintsCase, HttpCase):
    """While a person types a complaint's title, the forms suggest the outcomes of
    similar complaints that the office published on the website: only what the public
    outcomes page shows, never a complaint's own title or complainant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public_user = cls.env.ref("base.public_user")
        cls.other_service = cls.env.ref("library_complaints.service_learning_media")
        cls.patron.partner_id.name = PATRON_NAME
        cls.published = cls.outcome(PUBLIC_TITLE, channels=["website"])
        cls.published_other_service = cls.outcome(
            "The photocopier on floor 2 jams paper", channels=["website"]
        )
        cls.published_other_service.ticket_id.service_id = cls.other_service
        cls.unrelated = cls.outcome("Longer opening hours during exams", channels=["website"])
        # Told to the complainant only, and not yet published: not on the website
        cls.told = cls.outcome("The photocopier on floor 2 jams often", channels=["direct"])
        cls.draft = cls.outcome("The photocopier on floor 2 jams daily", channels=[])
        # A complaint without outcome, worded like the one typed
        cls.private = cls.create_complaint(
            name=PRIVATE_TITLE, partner_id=cls.patron.partner_id.id, service_id=cls.service.id
        )

    @classmethod
    def outcome(cls, title, channels):
        """A resolved complaint, whose outcome is `title`, published on `channels`."""
        ticket = cls.create_complaint(
            name=PRIVATE_TITLE,
            partner_id=cls.patron.partner_id.id,
            service_id=cls.service.id,
            user_id=cls.staff.id,
        )
        ticket.with_user(cls.staff).write(
            {
                "stage_id": cls.done.id,
                "outcome_title": title,
                "outcome_found": "The paper feed was worn",
                "outcome_done": DONE,
            }
        )
        if channels:
            ticket.with_user(cls.staff).outcome_id._publish(channels)
        return ticket.outcome_id

    def similar(self, text, service=None, user=None):
        Outcome = self.env["library.complaint.outcome"].with_user(user or self.public_user)
        return Outcome._find_similar_published(text, service and service.id)

    def get(self, **params):
        response = self.url_open(URL, params=params or None)
        self.assertEqual(response.status_code, 200, params)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        return response.json()["outcomes"]

    def test_only_published_outcomes_suggested_same_service_first(self):
        typed = "photocopier on floor 2 jams"
        suggested = self.similar(typed, self.service)
        self.assertEqual(
            [s["url"] for s in suggested],
            [self.published.website_url, self.published_other_service.website_url],
        )
        first = suggested[0]
        self.assertEqual(first["title"], PUBLIC_TITLE)
        self.assertEqual(first["service"], self.service.name)
        self.assertEqual(first["summary"], DONE)
        self.assertTrue(first["date"])
        self.assertEqual(set(first), {"title", "service", "date", "summary", "url"})
        # the other service's first when it is the one chosen
        suggested = self.similar(typed, self.other_service)
        self.assertEqual(suggested[0]["url"], self.published_other_service.website_url)
        # as every role: the same published outcomes, never more
        for user in (self.patron, self.staff, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(len(self.similar(typed, self.service, user)), 2)

    def test_never_a_private_title_or_identity(self):
        # The complaints' own title matches the typed one word for word: it is never
        # compared nor shown, only the outcomes' public summaries are.
        self.assertEqual(self.similar(PRIVATE_TITLE), [])
        response = self.url_open(URL, params={"q": "The photocopier on floor 2 jams"})
        self.assertIn(self.published.website_url, response.text)
        for private in (PRIVATE_TITLE, PATRON_NAME, "jams often", "jams daily"):
            self.assertNotIn(private, response.text)
        for hidden in (self.told, self.draft):
            self.assertNotIn(hidden.website_url, response.text)

    def test_bad_input_answers_an_empty_list(self):
        self.assertEqual(self.get(), [])
        for params in (
            {"q": ""},
            {"q": "   "},
            {"q": "jam"},  # too short to compare
            {"q": "'; DROP TABLE library_complaint_outcome; --"},
            {"q": "%_%\\"},
            {"q": "photocopier\x00 on floor 2 jams", "service": "x"},
        ):
            with self.subTest(params=params):
                self.get(**params)  # 200, JSON
        for service in ("abc", "-1", "1.5", "99999999999999999999", "0"):
            with self.subTest(service=service):
                found = self.get(q=PUBLIC_TITLE, service=service)
                self.assertEqual(found[0]["url"], self.published.website_url)
        # A title pasted a thousand times over: cut to a title's length, still found
        self.assertTrue(self.get(q=PUBLIC_TITLE * 1000))
        self.assertEqual(self.url_open(f"{URL}?q=a&q=b").status_code, 200)
        self.assertEqual(self.get(q="\x00" * 10), [])

    @warmup
    def test_lookup_query_count(self):
        public = self.env["library.complaint.outcome"].with_user(self.public_user)
        self.env.invalidate_all()  # as a request starts...
        public.env.company._format_long_date(fields.Datetime.now())  # its company
        with self.assertQueryCount(LOOKUP_QUERIES):
            found = public._find_similar_published(PUBLIC_TITLE, self.service.id)
        self.assertEqual(len(found), 2)

    @warmup
    def test_route_query_count(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        self.get(q=PUBLIC_TITLE)  # the website's caches
        with self.assertQueryCount(ROUTE_QUERIES):
            self.assertEqual(len(self.get(q=PUBLIC_TITLE, service=self.service.id)), 2)

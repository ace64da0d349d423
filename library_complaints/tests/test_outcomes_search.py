from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

URL = "/complaints/outcomes"


@tagged("post_install", "-at_install")
class TestOutcomesSearch(HttpCase):
    """The public outcomes page searches the published outcomes by words (in the
    visitor's own wording) and by service, with a GET form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.chairs = ref("library_complaints.outcome_demo_chairs")
        cls.wifi = ref("library_complaints.outcome_demo_wifi")
        cls.water = ref("library_complaints.outcome_demo_water")
        cls.information = ref("library_complaints.service_information")
        cls.media = ref("library_complaints.service_learning_media")

    def listed(self, **params):
        """The outcome pages linked from the list, in order."""
        response = self.url_open(URL, params=params)
        self.assertEqual(response.status_code, 200, params)
        page = html.fromstring(response.text)
        return [
            link.get("href") for link in page.xpath("//div[hasclass('o_complaint_outcome')]//h2/a")
        ]

    def test_search_finds_the_matching_outcomes(self):
        everything = self.listed()
        self.assertIn(self.water.website_url, everything)
        # natural wording, no spaces: the chairs first, not the water
        found = self.listed(search="เก้าอี้ห้องศึกษาหัก")
        self.assertEqual(found[0], self.chairs.website_url)
        self.assertNotIn(self.water.website_url, found)
        # a keyword as staff wrote it, and as a patron spells it
        for keyword in ("Wi-Fi", "ไวไฟ", "wifi"):
            with self.subTest(keyword=keyword):
                self.assertEqual(self.listed(search=keyword)[0], self.wifi.website_url)
        # the service narrows the search: the chairs are the information service's
        self.assertEqual(self.chairs.service_id, self.information)
        self.assertNotIn(self.chairs.website_url, self.listed(search="เก้าอี้", service=self.media.id))
        self.assertIn(
            self.chairs.website_url, self.listed(search="เก้าอี้", service=self.information.id)
        )
        # the service alone lists that service's outcomes
        media_only = self.listed(service=self.media.id)
        self.assertIn(self.wifi.website_url, media_only)
        self.assertNotIn(self.chairs.website_url, media_only)

    def test_search_form_keeps_what_was_searched(self):
        response = self.url_open(URL, params={"search": "แอร์ไม่เย็น", "service": self.information.id})
        page = html.fromstring(response.text)
        form = page.xpath("//form[@role='search']")[0]
        self.assertEqual(form.get("method"), "get")
        self.assertEqual(form.xpath(".//input[@name='search']")[0].get("value"), "แอร์ไม่เย็น")
        selected = form.xpath(".//select[@name='service']/option[@selected]")
        self.assertEqual([option.get("value") for option in selected], [str(self.information.id)])
        # nothing matches: said, with a way on
        response = self.url_open(URL, params={"search": "zzzzqqqq"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_complaint_outcomes_none", response.text)

    def test_bad_input_is_never_a_server_error(self):
        ok = [
            {"search": ""},
            {"search": "   "},
            {"search": "\x00"},
            {"search": "เก้าอี้\x00หัก\x1b"},
            {"search": "%_%\\"},
            {"search": "'; DROP TABLE library_complaint_outcome; --"},
            {"search": "ก" * 2000},  # cut to a title's length
            {"search": "😀🪑" * 50},
            {"search": ["a", "b"]},
        ]
        for params in ok:
            with self.subTest(params=str(params)[:60]):
                self.assertEqual(self.url_open(URL, params=params).status_code, 200)
        for service in ("abc", "-1", "1.5", "99999999999999999999", "%00", "١"):
            with self.subTest(service=service), mute_logger("odoo.http"):
                response = self.url_open(URL, params={"search": "เก้าอี้", "service": service})
                self.assertEqual(response.status_code, 400)
        # a search is a GET: a POST changes nothing and is refused, never a 500
        with mute_logger("odoo.http"):
            response = self.url_open(URL, data={"search": "เก้าอี้"})
        self.assertIn(response.status_code, (400, 403, 405))

"""Dates on the pages patrons and visitors read: Buddhist era for Thai users, the
Gregorian calendar for English ones (the portal list and page, the status page, the
outcome pages). Every such date is a span.o_complaint_date."""

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import LibraryComplaintsCase


@tagged("post_install", "-at_install")
class TestPublicDates(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        thai = cls.env["res.lang"]._activate_lang("th_TH")
        cls.env["website"].search([]).language_ids |= thai
        cls.patron.lang = "th_TH"
        cls.other_patron.lang = "en_US"
        cls.complaints = {
            patron: cls.create_complaint(
                partner_id=patron.partner_id.id,
                service_id=cls.service.id,
                track_id=cls.track_3.id,
                date_observed="2026-01-15 03:00:00",
            )
            for patron in (cls.patron, cls.other_patron)
        }
        # published on the website, closed (its status shows the outcome card)
        cls.outcome = cls.env.ref("library_complaints.outcome_demo_printer")

    def dates_on(self, url):
        """The texts of the dates on the page ``url``: in Thai under /th/, else in the
        visitor's or patron's language (English unless Thai is chosen)."""
        self.opener.cookies.set("frontend_lang", None)
        if not url.startswith("/th/") and not url.startswith("/my/"):
            self.opener.cookies.set("frontend_lang", "en_US")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        spans = html.fromstring(response.text).xpath(
            "//span[contains(concat(' ', @class, ' '), ' o_complaint_date ')]"
        )
        dates = [" ".join(span.text_content().split()) for span in spans]
        self.assertTrue(dates, f"{url} shows dates")
        return dates

    def assertEra(self, url, lang):
        """Each date on ``url`` is in ``lang``'s era: year + 543 in Thai."""
        for text in self.dates_on(url):
            years = {int(word) for word in text.split() if word.isdigit() and len(word) == 4}
            self.assertEqual(len(years), 1, f"{url}: one year in {text!r}")
            year = years.pop()
            if lang == "th_TH":
                self.assertGreater(year, 2500, f"{url}: Buddhist era in {text!r}")
            else:
                self.assertLess(year, 2500, f"{url}: Gregorian calendar in {text!r}")

    def test_portal_pages(self):
        complaint = self.complaints[self.patron]
        year = complaint.received_date.year
        self.authenticate_as(self.patron)
        list_dates = self.dates_on("/my/tickets")
        # in the table, the month abbreviated: "30 พ.ย. 2569"
        short = complaint.company_id._format_long_date(complaint.create_date, "th_TH", short=True)
        self.assertIn(short, list_dates)
        self.assertRegex(short, r"^\d{1,2} \S+\. \d{4}$")
        self.assertTrue(any(str(year + 543) in text for text in list_dates))
        self.assertFalse([text for text in list_dates if str(year) in text])
        self.assertEra("/my/tickets", "th_TH")
        page_dates = self.dates_on(f"/my/ticket/{complaint.id}")
        self.assertIn("15 มกราคม 2569 10:00", page_dates, "observed, on Bangkok's clock")
        self.assertEra(f"/my/ticket/{complaint.id}", "th_TH")

        complaint = self.complaints[self.other_patron]
        self.authenticate_as(self.other_patron)
        list_dates = self.dates_on("/my/tickets")
        self.assertTrue(any(str(year) in text for text in list_dates))
        self.assertFalse([text for text in list_dates if str(year + 543) in text])
        self.assertEra("/my/tickets", "en_US")
        self.assertIn("January 15, 2026 10:00 AM", self.dates_on(f"/my/ticket/{complaint.id}"))
        self.assertEra(f"/my/ticket/{complaint.id}", "en_US")

    def test_status_page(self):
        complaint = self.complaints[self.patron]
        year = complaint.received_date.year
        url = f"/complaint/status?code={complaint.tracking_code}"
        thai = self.dates_on(f"/th{url}")
        self.assertEqual(len(thai), 2, "received on, deadline")
        self.assertIn(str(year + 543), thai[0])
        self.assertNotIn(str(year), thai[0])
        self.assertEqual(
            thai[1], complaint.company_id._format_long_date(complaint.date_deadline, "th_TH")
        )
        self.assertEra(f"/th{url}", "th_TH")
        english = self.dates_on(url)
        self.assertIn(str(year), english[0])
        self.assertNotIn(str(year + 543), english[0])
        self.assertEra(url, "en_US")
        # a closed complaint: the date its outcome was announced
        printer = self.outcome.ticket_id
        self.assertEra(f"/th/complaint/status?code={printer.tracking_code}", "th_TH")
        self.assertEra(f"/complaint/status?code={printer.tracking_code}", "en_US")

    def test_outcome_pages(self):
        published = self.outcome.published_date
        for url in ("/complaints/outcomes", f"/complaints/outcomes/{self.outcome.id}"):
            with self.subTest(url=url):
                self.assertIn(
                    self.env.company._format_long_date(published, "th_TH"),
                    self.dates_on(f"/th{url}"),
                )
                self.assertEra(f"/th{url}", "th_TH")
                self.assertIn(
                    self.env.company._format_long_date(published, "en_US"), self.dates_on(url)
                )
                self.assertEra(url, "en_US")

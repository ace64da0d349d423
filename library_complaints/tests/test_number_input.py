"""Numbers read from requests and messages: ASCII digits only (tools/numbers.py).

``str.isdigit()`` is true of superscripts, circled and Arabic-Indic digits, and
``int()`` fails on some of them (a 500) and reads others: every such number is now
a 400 on the public pages, and in the LINE conversation the question is asked again.
"""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools.numbers import parse_ascii_int, parse_record_id
from .common import LibraryComplaintsCase
from .test_line_intake import LineIntakeCase

NOT_ASCII_NUMBERS = ("²", "①", "١٢", "๑๒", "２０２６", "²⁰²⁶", "12abc", "-5", "1.5", "1e3", "")
HUGE = "9" * 5000  # int() refuses more than 4300 digits: a ValueError, once a 500


@tagged("post_install", "-at_install")
class TestNumberParsing(LibraryComplaintsCase):
    def test_only_ascii_digits_are_numbers(self):
        for text in (*NOT_ASCII_NUMBERS, HUGE, "9" * 19, None, True, [], "1 2"):
            with self.subTest(text=str(text)[:20]):
                self.assertIsNone(parse_ascii_int(text))
        self.assertEqual(parse_ascii_int(" 42 "), 42)
        self.assertEqual(parse_ascii_int(7), 7)
        self.assertEqual(parse_ascii_int("0"), 0)
        self.assertIsNone(parse_ascii_int("11", maximum=10))
        self.assertIsNone(parse_record_id("0"))
        self.assertIsNone(parse_record_id(str(2**31)))
        self.assertEqual(parse_record_id(str(2**31 - 1)), 2**31 - 1)


@tagged("post_install", "-at_install")
class TestNumbersOnPublicPages(LibraryComplaintsCase, HttpCase):
    def test_numbers_that_are_not_ascii_digits_are_a_400(self):
        failed = []
        urls = [
            f"/complaints/{page}?{param}={value}"
            for page, param in (("statistics", "year"), ("outcomes", "service"))
            for value in (*NOT_ASCII_NUMBERS[:-1], "2026abc", HUGE, "9" * 30, "0")
        ]
        for url in urls:
            with mute_logger("odoo.http"):
                response = self.url_open(url, allow_redirects=False)
            if response.status_code != 400:
                failed.append((url[:60], response.status_code))
        self.assertEqual(failed, [])
        # ASCII numbers still work
        self.assertEqual(
            self.url_open(f"/complaints/outcomes?service={self.service.id}").status_code, 200
        )

    def test_record_numbers_in_addresses_are_ascii_digits(self):
        outcome = self.env["library.complaint.outcome"].search(
            [("is_published", "=", True)], limit=1
        )
        self.assertTrue(outcome, "the demo publishes outcomes")
        self.assertEqual(self.url_open(f"/complaints/outcomes/{outcome.id}").status_code, 200)
        arabic_indic = str(outcome.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        response = self.url_open(f"/complaints/outcomes/{arabic_indic}")
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestNumbersInTheLineConversation(LineIntakeCase):
    def test_a_number_that_is_not_ascii_asks_the_service_again(self):
        self.say(self.text("Hello", language="en"))
        conversation = self.Conversation.sudo().search(
            [("line_user_id", "=", "U" + "0123456789abcdef" * 2)]
        )
        self.assertEqual(conversation.state, "service")
        for text in ("①", "١", "²"):
            with self.subTest(text=text):
                replies = self.say(self.text(text, language="en"))
                self.assertIn("Sorry, I do not know this service.", replies[0])
                self.assertIn("Which service", replies[1])
                self.assertEqual(conversation.state, "service")
                self.assertFalse(conversation.service_id)
        self.say(self.text("1", language="en"))
        self.assertEqual(conversation.state, "description")

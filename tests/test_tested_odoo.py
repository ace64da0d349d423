"""./dev knows which Odoo the suite last passed with (tools/odoo_tested.json) and
says so when the set-up fetched another one."""

import contextlib
import io
import json
import tempfile
from pathlib import Path
from unittest import TestCase, mock

from .tools_modules import load_tool

dev = load_tool("dev")
tested_odoo = load_tool("tested_odoo")

TESTED = "odoo-19 19.0.0+dfsg-1"
NEWER = "odoo-19 19.0.20270115+dfsg-1"


class TestTestedOdoo(TestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = Path(folder.name) / "odoo_tested.json"
        tested_odoo.record(TESTED, self.path)

    def output(self, func, *args, **kwargs):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            func(*args, **kwargs)
        return out.getvalue()

    def test_the_committed_file_names_a_debian_odoo_19(self):
        recorded = tested_odoo.tested()
        self.assertTrue(tested_odoo.is_debian(recorded), recorded)

    def test_same_version_says_nothing(self):
        self.assertEqual(self.output(tested_odoo.at_setup, self.path, TESTED), "")
        self.assertEqual(self.output(tested_odoo.at_end, False, self.path, TESTED), "")

    def test_another_version_is_named_at_setup_and_at_the_end(self):
        for text in (
            self.output(tested_odoo.at_setup, self.path, NEWER),
            self.output(tested_odoo.at_end, False, self.path, NEWER),
        ):
            self.assertIn("not the one the suite last passed with", text)
            self.assertIn(f"in use: {NEWER}", text)
            self.assertIn(f"tested: {TESTED}", text)
        self.assertEqual(tested_odoo.tested(self.path), TESTED, "a failed run records nothing")

    def test_a_passed_full_run_records_the_new_version(self):
        text = self.output(tested_odoo.at_end, True, self.path, NEWER)
        self.assertIn(f"the suite passed with {NEWER}", text)
        self.assertEqual(
            json.loads(self.path.read_text()),
            {"package": "odoo-19", "version": "19.0.20270115+dfsg-1"},
        )
        self.assertEqual(self.output(tested_odoo.at_end, True, self.path, NEWER), "")

    def test_odoo_src_is_named_and_never_recorded(self):
        with mock.patch.dict("os.environ", {"ODOO_SRC": "/srv/odoo19"}):
            current = tested_odoo.in_use()
        self.assertEqual(current, "the ODOO_SRC tree /srv/odoo19")
        text = self.output(tested_odoo.at_end, True, self.path, current)
        self.assertIn("in use: the ODOO_SRC tree /srv/odoo19", text)
        self.assertEqual(tested_odoo.tested(self.path), TESTED)

    def test_no_recorded_version(self):
        self.path.unlink()
        text = self.output(tested_odoo.at_setup, self.path, NEWER)
        self.assertIn("tested: none recorded", text)

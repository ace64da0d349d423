import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N = Path(__file__).resolve().parent.parent / "i18n"


def _msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


@tagged("post_install", "-at_install")
class TestThaiTranslation(TransactionCase):
    """The shipped template is current and Thai translates every term of it."""

    def test_pot_lists_every_term_of_the_addon(self):
        buffer = io.BytesIO()
        trans_export(None, ["library_complaints"], buffer, "po", self.env)
        current = _msgids(polib.pofile(buffer.getvalue().decode()))
        shipped = _msgids(polib.pofile(str(I18N / "library_complaints.pot")))
        missing = sorted(msgid for _ctx, msgid in current - shipped)
        self.assertEqual(len(missing), 0, f"run ./dev i18n: not in the .pot: {missing[:10]}")

    def test_thai_translates_every_term(self):
        pot = polib.pofile(str(I18N / "library_complaints.pot"))
        thai = polib.pofile(str(I18N / "th.po"))
        untranslated = sorted(
            entry.msgid for entry in thai if not entry.obsolete and not entry.msgstr.strip()
        )
        self.assertEqual(len(untranslated), 0, f"untranslated in th.po: {untranslated[:10]}")
        self.assertEqual(_msgids(thai), _msgids(pot), "th.po and the .pot list the same terms")

    def test_thai_is_used_for_a_thai_user(self):
        track = self.env.ref("library_complaints.track_2_escalate_heads")
        self.env["res.lang"]._activate_lang("th_TH")
        self.env["ir.module.module"]._load_module_terms(["library_complaints"], ["th_TH"])
        self.assertNotEqual(track.with_context(lang="th_TH").name, track.name)

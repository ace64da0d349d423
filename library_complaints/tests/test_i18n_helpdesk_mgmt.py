"""helpdesk_mgmt speaks Thai to a Thai patron and Thai staff, in this addon's words.

helpdesk_mgmt ships no Thai; this addon ships it in ``i18n_extra/th.po`` (its
records' terms by xmlid) and relabels helpdesk_mgmt's Python labels itself."""

import re
from pathlib import Path

import polib
from lxml import html

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged

from .common import LibraryComplaintsCase

THAI_PO = Path(__file__).resolve().parent.parent / "i18n_extra" / "th.po"
HELPDESK_POT = Path(get_module_path("helpdesk_mgmt")) / "i18n" / "helpdesk_mgmt.pot"
# What helpdesk_mgmt shows on the portal: its portal templates, the labels of its
# portal controller and the names of its stages.
PORTAL_SOURCES = re.compile(
    r"model_terms:ir\.ui\.view,arch_db:helpdesk_mgmt\.portal_"
    r"|code:addons/helpdesk_mgmt/controllers/myaccount\.py"
    r"|model:helpdesk\.ticket\.stage,name:"
)
# Read as the person reads them: text, tooltips, placeholders, labels for screen readers.
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
OCCURRENCE = re.compile(r"(model|model_terms):([\w.]+),(\w+):(\w+\.\w+)")


def _english_portal_words():
    """helpdesk_mgmt's visible portal texts in English, markup and colons removed."""
    words = set()
    for entry in polib.pofile(str(HELPDESK_POT)):
        if any(PORTAL_SOURCES.match(place) for place, _line in entry.occurrences):
            text = " ".join(html.fragment_fromstring(entry.msgid, create_parent=True).itertext())
            text = " ".join(text.split()).strip(" :")
            if re.search("[A-Za-z]{2}", text):
                words.add(text)
    return words


def _visible_text(page):
    """The text a person sees or hears on ``page`` (HTML), on one line."""
    tree = html.fromstring(page)
    for hidden in tree.xpath("//script | //style | //noscript | //template"):
        hidden.drop_tree()
    texts = list(tree.xpath("//body")[0].itertext())
    for attribute in VISIBLE_ATTRIBUTES:
        texts += tree.xpath(f"//body//@{attribute}")
    return " ".join(" ".join(texts).split())


@tagged("post_install", "-at_install")
class TestHelpdeskMgmtInThai(LibraryComplaintsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        thai = cls.env["res.lang"]._activate_lang("th_TH")
        # Thai as an office installs it (Settings > Languages): every module's terms,
        # Odoo's portal and website included, not only this addon's.
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(["th_TH"])
        cls.env["website"].search([]).language_ids |= thai
        (cls.patron | cls.staff).lang = "th_TH"
        cls.complaint = cls.create_complaint(
            name="เครื่องถ่ายเอกสารชั้น 2 กระดาษติด",
            description="<p>กระดาษติดตั้งแต่เช้า</p>",
            partner_id=cls.patron.partner_id.id,
            team_id=cls.desk.id,
        )

    def assertNoEnglish(self, url, words):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        text = _visible_text(response.text)
        self.assertIn("เรื่องร้องเรียน", text, f"{url} is shown in Thai")
        english = []
        for word in sorted(words):
            for found in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                english.append(f"{word}: ...{text[found.start() - 30 : found.end() + 30]}...")
        self.assertEqual(english, [], f"English from helpdesk_mgmt left on {url}")

    def test_portal_pages_have_no_english_left(self):
        words = _english_portal_words()
        self.assertTrue({"Tickets", "Create Date", "Search in All", "Done"} <= words)
        self.authenticate_as(self.patron)
        for url in ("/my/tickets", f"/my/ticket/{self.complaint.id}", "/new/ticket"):
            with self.subTest(url=url):
                self.assertNoEnglish(url, words)

    def test_backend_menus_fields_stages_and_channels_are_thai(self):
        env = self.env(user=self.staff, context=dict(self.env.context, lang="th_TH"))
        main_menu = env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        self.assertEqual(main_menu.name, "ระบบรับเรื่องร้องเรียน")
        menus = env["ir.ui.menu"].search([("id", "child_of", main_menu.id)])
        self.assertIn(env.ref("helpdesk_mgmt.helpdesk_ticket_dashboard_menu"), menus)
        english = [menu.name for menu in menus if re.search("[a-z]{2}", menu.name)]
        self.assertEqual(english, [], "the helpdesk menus a staff member sees are Thai")

        labels = env["helpdesk.ticket"].fields_get(
            [
                "team_id",
                "user_id",
                "priority",
                "channel_id",
                "partner_id",
                "category_id",
                "description",
                "stage_id",
            ],
            ["string", "selection"],
        )
        self.assertEqual(
            {name: field["string"] for name, field in labels.items()},
            {
                "team_id": "กลุ่มงาน",
                "user_id": "ผู้รับผิดชอบ",
                "priority": "ความสำคัญ",
                "channel_id": "ช่องทาง",
                "partner_id": "ผู้ติดต่อ",
                "category_id": "หมวดหมู่",
                "description": "รายละเอียด",
                "stage_id": "สถานะ",
            },
        )
        self.assertEqual(
            [label for _key, label in labels["priority"]["selection"]],
            ["ต่ำ", "ปานกลาง", "สูง", "สูงมาก"],
        )
        form = env["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        for thai, english in (("รายละเอียด", "Description"), ("ข้อมูลอื่น ๆ", "Other Information")):
            self.assertIn(thai, form)
            self.assertNotIn(f'string="{english}"', form)

        stages = ("new", "in_progress", "awaiting", "done")
        self.assertEqual(
            [env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{stage}").name for stage in stages],
            ["ใหม่", "กำลังดำเนินการ", "รอดำเนินการ", "เสร็จสิ้น"],
        )
        channels = ("web", "email", "phone", "other")
        self.assertEqual(
            [env.ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{name}").name for name in channels],
            ["เว็บไซต์", "อีเมล", "โทรศัพท์", "อื่น ๆ"],
        )
        dashboard = env["helpdesk.ticket.team"].retrieve_dashboard()
        self.assertIn("เรื่องที่ยังเปิดอยู่", [section["name"] for section in dashboard])

    def test_every_shipped_term_still_names_helpdesk_mgmt_english(self):
        """A term whose record or English changed would translate nothing, or the
        wrong text (a field relabelled by another module): each must still match."""
        stale = []
        for entry in polib.pofile(str(THAI_PO)):
            for place, _line in entry.occurrences:
                match = OCCURRENCE.match(place)
                if not match:
                    continue
                kind, _model, field_name, xmlid = match.groups()
                record = self.env.ref(xmlid, raise_if_not_found=False)
                if record is None:
                    stale.append(f"{place} (no such record)")
                    continue
                value = record.with_context(lang="en_US")[field_name]
                if kind == "model_terms":
                    found = entry.msgid in record._fields[field_name].get_trans_terms(value)
                else:
                    found = entry.msgid == value
                if not found:
                    stale.append(f"{place}: {entry.msgid!r}")
        self.assertEqual(stale, [], "entries of i18n_extra/th.po to update")

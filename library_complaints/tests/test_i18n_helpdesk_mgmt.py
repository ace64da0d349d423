"""helpdesk_mgmt speaks Thai to a Thai patron and Thai staff, in this addon's words.

helpdesk_mgmt ships no Thai; this addon ships it in ``i18n_extra/th.po`` (its
records' terms by xmlid) and relabels helpdesk_mgmt's Python labels itself."""

import re
from pathlib import Path

import polib
from lxml import html

from odoo.tests import HttpCase, tagged

from .common import LibraryComplaintsCase

THAI_PO = Path(__file__).resolve().parent.parent / "i18n_extra" / "th.po"
# Read as the person reads them: text, tooltips, placeholders, labels for screen readers.
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
OCCURRENCE = re.compile(r"(model|model_terms):([\w.]+),(\w+):(\w+\.\w+)")


# English that a Thai page may show, and why
PROPER_NOUNS = {
    "LINE": "the messaging service, a complaint channel",
    "Odoo": "the software's name in the footer's credit (and its link's title, odoo)",
    "odoo": "the software's name in the footer's credit (and its link's title, odoo)",
    "English": "the language switcher names each language in that language: English (US)",
    "US": "the language switcher names each language in that language: English (US)",
    "MT": "the office's name for its management team: คณะกรรมการ MT",
    "Wi": "Wi-Fi, a service the office names as everyone does",
    "Fi": "Wi-Fi, a service the office names as everyone does",
    "HDMI": "equipment Thai names as everyone does, in the demo's published outcomes",
    "LED": "equipment Thai names as everyone does, in the demo's published outcomes",
    "PNG": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "JPEG": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "GIF": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "WebP": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "PDF": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "MB": "the file types and size unit the form accepts: PNG, JPEG, GIF, WebP, PDF, MB",
    "CSV": "the statistics table's download formats: CSV, Excel",
    "Excel": "the statistics table's download formats: CSV, Excel",
    "CTRL": "the keys the survey names as the keyboard shows them: CTRL+Enter",
    "Enter": "the keys the survey names as the keyboard shows them: CTRL+Enter",
}
# helpdesk_mgmt's mail templates (data/helpdesk_data.xml)
HELPDESK_MAILS = ("assignment_email_template", "closed_ticket_template", "changed_stage_template")
ENGLISH_WORD = re.compile(r"[A-Za-z]+")
# Taken out before looking: addresses, links, tracking codes (and the sample one)
NOT_WORDS = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\b[A-Z0-9]{5}-[A-Z0-9]{5}\b")


def _patron_data(users, tickets):
    """What a page shows of people and their complaints: names, emails, the
    complaint's own words, its number and tracking code."""
    data = users.mapped("name") + users.mapped("email")
    for ticket in tickets.sudo():
        data += [ticket.name, ticket.number, ticket.tracking_code, ticket.location]
        data += [ticket.partner_id.name, ticket.partner_name, ticket.user_id.name]
        for fname in ("description", "resolution"):
            if ticket[fname]:
                data.append(html.fromstring(ticket[fname]).text_content())
    return [" ".join(str(value).split()) for value in data if value]


def _english_words(text, known=()):
    """The English words of ``text`` (one line) with their context, once ``known``
    (people's data), addresses and PROPER_NOUNS are taken out."""
    for value in sorted(known, key=len, reverse=True):
        text = text.replace(value, " ")
    text = NOT_WORDS.sub(" ", text)
    english = {}
    for found in ENGLISH_WORD.finditer(text):
        if found.group() not in PROPER_NOUNS:
            context = text[max(found.start() - 30, 0) : found.end() + 30]
            english.setdefault(found.group(), f"{found.group()}: ...{context}...")
    return sorted(english.values())


def _visible_text(page):
    """The text a person sees or hears on ``page`` (HTML), on one line: the body,
    and the page's title as the browser's tab, a bookmark or a shared link shows it."""
    tree = html.fromstring(page)
    for hidden in tree.xpath("//script | //style | //noscript | //template"):
        hidden.drop_tree()
    texts = list(tree.xpath("//body")[0].itertext())
    for attribute in VISIBLE_ATTRIBUTES:
        texts += tree.xpath(f"//body//@{attribute}")
    texts += tree.xpath("//head/title/text()")
    texts += tree.xpath("//head/meta[contains(@property, 'title')]/@content")
    return " ".join(" ".join(texts).split())


@tagged("post_install", "-at_install")
class TestHelpdeskMgmtInThai(LibraryComplaintsCase, HttpCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        thai = cls.env["res.lang"]._activate_lang("th_TH")
        # Thai as an office installs it (Settings > Languages): every module's terms,
        # Odoo's portal and website included, not only this addon's.
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(["th_TH"])
        cls.env["website"].search([]).language_ids |= thai
        cls.staff.lang = "th_TH"

    def english_left(self, url, known=()):
        """The English words on ``url`` once the data shown there is taken out."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        text = _visible_text(response.text)
        self.assertIn('lang="th-TH"', response.text, f"{url} is shown in Thai")
        return _english_words(text, known)

    def test_portal_pages_have_no_english_left(self):
        """A Thai patron's list, complaint pages and form: no English word but the
        patron's own data and the proper nouns of PROPER_NOUNS."""
        patron = self.env.ref("library_complaints.user_patron")
        self.assertEqual(patron.lang, "th_TH")
        tickets = self.env["helpdesk.ticket"].with_user(patron).search([]).sudo()
        self.assertTrue(tickets.filtered("stage_id.closed") and tickets.filtered("date_deadline"))
        known = _patron_data(patron, tickets)
        self.authenticate(patron.login, patron.login)
        urls = [
            "/my/home",
            "/my/tickets",
            "/new/ticket",
            *(f"/my/ticket/{ticket.id}" for ticket in tickets),
        ]
        # The satisfaction survey the patron is invited to: its start and first page.
        survey = self.env["survey.survey"]._get_complaint_survey()
        answer = survey._create_answer(
            partner=patron.partner_id,
            check_attempts=False,
            ticket_id=tickets.filtered("stage_id.closed")[:1].id,
        )
        urls.append(answer.get_start_url())
        answer._mark_in_progress()
        urls.append(f"/survey/{survey.access_token}/{answer.access_token}")
        english = {url: self.english_left(url, known) for url in urls}
        self.assertEqual({url: words for url, words in english.items() if words}, {})

    def test_public_pages_have_no_english_left(self):
        """A Thai visitor's form, status (with a code) and outcome pages."""
        outcome = self.env.ref("library_complaints.outcome_demo_printer")
        ticket = outcome.ticket_id
        known = _patron_data(self.env["res.users"], ticket) + [
            outcome[fname] or "" for fname in ("name", "number")
        ]
        known += [outcome[fname] or "" for fname in ("found", "done", "prevention")]
        urls = [
            "/th",
            "/th/complaint",
            "/th/complaint/status",
            f"/th/complaint/status?code={ticket.tracking_code}",
            "/th/complaints/outcomes",
            f"/th/complaints/outcomes/{outcome.id}",
            "/th/complaints/statistics",
        ]
        english = {url: self.english_left(url, known) for url in urls}
        self.assertEqual({url: words for url, words in english.items() if words}, {})

    def test_helpdesk_mgmt_mails_reach_no_one_and_speak_thai(self):
        """helpdesk_mgmt's stages mailed "The ticket ... has been closed" to the
        complainant: the library's stages do not (the person responsible tells a
        known complainant the outcome, mail_template_outcome_direct). Its mails, sent
        if an office sets one on a stage again, and Odoo's assignment notice to
        the staff member, are Thai for a Thai recipient."""
        self.patron.lang = "th_TH"
        templates = self.env["mail.template"]
        for xmlid in HELPDESK_MAILS:
            templates |= self.env.ref(f"helpdesk_mgmt.{xmlid}")
        stages = self.env["helpdesk.ticket.stage"].with_context(active_test=False).search([])
        self.assertFalse(stages.mail_template_id & templates, "no stage sends them")

        ticket = self.create_complaint(partner_id=self.patron.partner_id.id, team_id=self.desk.id)
        self.flush_tracking()
        Mail = self.env["mail.mail"]
        before = Mail.search([("model", "=", ticket._name), ("res_id", "=", ticket.id)])
        ticket.user_id = self.staff
        ticket.stage_id = self.done
        self.flush_tracking()
        mails = Mail.search([("model", "=", ticket._name), ("res_id", "=", ticket.id)]) - before
        self.assertFalse(mails.filtered(lambda mail: self.patron.partner_id in mail.recipient_ids))
        assigned = mails.filtered(lambda mail: self.staff.partner_id in mail.recipient_ids)
        self.assertEqual(len(assigned), 1, "Odoo tells the staff member of the assignment")

        # who assigned it signs the notice: a person (here the test's user)
        known = _patron_data(self.patron | self.staff | self.env.user, ticket)
        known += [self.env.company.name, self.env.user.partner_id.name]
        if self.env.user.signature:
            known.append(html.fromstring(self.env.user.signature).text_content().strip(" -"))
        texts = {"assigned to staff": html.fromstring(assigned.body_html).text_content()}
        for template in templates:
            for fname in ("subject", "body_html"):
                value = template._render_field(fname, ticket.ids, set_lang="th_TH")[ticket.id]
                if fname == "body_html":
                    value = html.fromstring(value).text_content()
                texts[f"{template.name} ({fname})"] = value
        english = {
            name: words
            for name, text in texts.items()
            if (words := _english_words(" ".join(text.split()), known))
        }
        self.assertEqual(english, {}, "English left in the mails")

    def test_quarterly_summary_mail_reaches_the_demo_committee_in_thai(self):
        """The quarter job mails the summary to the demo MT committee, who read Thai:
        its subject, text, the notification around it (button, record name) and the
        PDF's name are Thai, whoever (or whichever job) sends it."""
        self.committee.active = False  # the demo's committee only
        members = self.env["library.complaint.meeting"]._get_committee_members()
        self.assertIn(self.env.ref("library_complaints.user_committee"), members)
        self.assertEqual(set(members.mapped("lang")), {"th_TH"}, "the demo committee reads Thai")

        Report = self.env["library.complaint.quarter.report"]
        report = Report._generate_quarter_report(self.env.company, 2020, 1)
        self.flush_tracking()
        mails = self.env["mail.mail"].search(
            [("model", "=", report._name), ("res_id", "=", report.id)]
        )
        self.assertEqual(mails.recipient_ids, members.partner_id)
        known = members.mapped("name") + [self.env.company.name]
        texts = {}
        for mail in mails:
            texts[f"subject to {mail.recipient_ids.name}"] = mail.subject
            body = html.fromstring(mail.body_html)
            texts[f"mail to {mail.recipient_ids.name}"] = body.text_content()
            # the files' names without their extension (.pdf; .html in tests)
            texts[f"files to {mail.recipient_ids.name}"] = " ".join(
                name.rsplit(".", 1)[0] for name in mail.attachment_ids.mapped("name")
            )
        english = {
            name: words
            for name, text in texts.items()
            if (words := _english_words(" ".join(text.split()), known))
        }
        self.assertEqual(english, {}, "English left in the mail to the committee")

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

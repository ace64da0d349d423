"""Personal data of complainants (Thailand's PDPA): kept as long as needed, then
anonymised; erased on request.

What identifies a complainant is removed from their complaints; the complaint
itself stays, with its figures: track, service, division, channel, dates, stages,
escalations, approvals, committee decisions, outcome, lesson, survey scores.
"""

import json
import logging
import re

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.api import SUPERUSER_ID
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize, email_normalize_all

from ..tools.concurrency import run_cron_batch

_logger = logging.getLogger(__name__)

# Complaints anonymised per step of the daily job (each step is committed).
ANONYMISE_BATCH = 50
# Queued mails read per query when looking for those addressed to a person.
MAIL_SCAN_BATCH = 1000
# Shorter strings are not looked for in texts: they would redact ordinary words.
MIN_NEEDLE_LENGTH = 3
# Tables whose rows pointing to a complainant's partner the erasure itself removes
# or empties; any other row keeps the partner (it is used elsewhere).
CLEANED_PARTNER_REFERENCES = {
    ("res_partner", "commercial_partner_id"),
    ("helpdesk_ticket", "commercial_partner_id"),
    ("mail_followers", "partner_id"),
    ("mail_notification", "res_partner_id"),
    ("mail_message_res_partner_rel", "res_partner_id"),
    ("mail_mail_res_partner_rel", "res_partner_id"),
    ("website_visitor", "partner_id"),
    ("helpdesk_ticket_affected_partner_rel", "res_partner_id"),
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    personal_data_erased = fields.Boolean(
        string="Personal data erased",
        readonly=True,
        copy=False,
        index=True,
        help="What identified the complainant was removed (retention period over, or "
        "erased on request); the complaint's figures are kept.",
    )
    personal_data_erased_date = fields.Datetime(
        string="Personal data erased on", readonly=True, copy=False
    )
    # A person is found by their normalized address, compared with "=": never a
    # pattern, where "_" and "%" would match other people's addresses.
    partner_email_normalized = fields.Char(
        string="Normalized email",
        compute="_compute_partner_email_normalized",
        store=True,
        precompute=True,
        index="btree_not_null",
        copy=False,
    )

    @api.depends("partner_email")
    def _compute_partner_email_normalized(self):
        for ticket in self:
            ticket.partner_email_normalized = email_normalize(ticket.partner_email or "")

    # ------------------------------------------------------------------
    # The contract (extended by the intake channels, e.g. LINE)

    def _get_personal_data_fields(self):
        """Names of the complaint's fields that identify the complainant; all
        emptied by the erasure. Channels that store more (a LINE user id) add theirs."""
        return ["partner_id", "partner_name", "partner_email", "affected_partner_ids"]

    def _erase_personal_data(self):
        """Anonymise these complaints: whatever identifies their complainants goes,
        the complaints and their figures stay. Done once per complaint; as the
        system. Channels that store more (LINE conversations) extend it: read
        what they need first, call super(), then erase their own rows.

        :return: dict of counts: tickets, messages, attachments, survey_answers,
            partners (partners anonymised), mails (queued mails removed)
        """
        tickets = (
            self.with_user(SUPERUSER_ID)
            .with_context(
                mail_notrack=True,
                tracking_disable=True,
                library_complaints_identity_moved=True,
                active_test=False,
            )
            .filtered(lambda t: not t.personal_data_erased)
        )
        counts = dict.fromkeys(
            ("tickets", "messages", "attachments", "survey_answers", "partners", "mails"), 0
        )
        if not tickets:
            return counts
        identities = tickets.confidential_identity_ids
        partners = (tickets.partner_id | identities.partner_id).filtered(
            lambda p: p != self._get_neutral_complainant()
        )
        needles = tickets._get_personal_data_needles(identities, partners)
        emails = tickets._get_personal_data_emails(identities, partners)
        counts["messages"], counts["attachments"], counts["mails"] = tickets._erase_in_messages(
            partners, needles, emails
        )
        counts["survey_answers"] = tickets._erase_in_survey_answers(needles)
        tickets._redact_related_records(needles)
        tickets._redact_chatter(tickets, needles, messages=False)
        redacted = Markup("<p>%s</p>") % self._get_redacted_marker()
        # every text of the complaint (title, location, what was done, reasons,
        # comments...) loses their name; the description, their own words, goes
        text_fields = self._get_own_text_fields(tickets)
        for ticket in tickets:
            vals = dict.fromkeys(ticket._get_personal_data_fields(), False)
            vals.update(
                description=redacted,
                personal_data_erased=True,
                personal_data_erased_date=fields.Datetime.now(),
            )
            for fname in text_fields:
                if fname in vals or ticket._fields[fname].translate:
                    continue
                value = self._redact_text(ticket[fname], needles)
                if value != ticket[fname]:
                    vals[fname] = value
            ticket.write(vals)
        identities.unlink()
        tickets.flush_model()
        counts["partners"] = len(tickets._anonymise_complaint_partners(partners))
        counts["tickets"] = len(tickets)
        return counts

    # ------------------------------------------------------------------
    # The retention job

    @api.model
    def _cron_anonymise_expired_complaints(self):
        self._anonymise_expired_complaints(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _get_expired_complaints_domain(self, company, now=None):
        """Closed complaints of `company` past its retention period, not yet anonymised;
        None when the company keeps personal data without limit (0 years)."""
        years = company.complaint_personal_data_years
        if years <= 0:
            return None
        limit = (now or fields.Datetime.now()) - relativedelta(years=years)
        return (
            Domain("company_id", "=", company.id)
            & Domain("stage_id.closed", "=", True)
            & Domain("closed_date", "!=", False)
            & Domain("closed_date", "<=", limit)
            & Domain("personal_data_erased", "=", False)
        )

    @api.model
    def _anonymise_expired_complaints(self, now=None, commit=None):
        """Anonymise the complaints closed longer ago than their company's retention
        period, in batches; one log line per batch.

        :param commit: ir.cron's _commit_progress, to commit after each batch
        :return: the complaints anonymised
        """
        Ticket = self.sudo().with_context(active_test=False)
        done = Ticket.browse()
        companies = self.env["res.company"].sudo().search([("active", "in", (True, False))])
        for company in companies:
            domain = self._get_expired_complaints_domain(company, now)
            if domain is None:
                continue
            expired = Ticket.search(domain, order="closed_date, id")
            if commit:
                commit(remaining=len(expired))
            for start in range(0, len(expired), ANONYMISE_BATCH):
                batch = expired[start : start + ANONYMISE_BATCH]
                run_cron_batch(self.env, commit, batch._anonymise_expired_batch, company)
                done |= batch
                if commit and not commit(len(batch)):
                    return done
        return done

    def _anonymise_expired_batch(self, company):
        counts = self._erase_personal_data()
        self.env["library.complaint.personal.data.log"]._log(
            "retention", self, counts, company=company
        )

    # ------------------------------------------------------------------
    # Helpers

    @api.model
    def _get_redacted_marker(self):
        return self.env._("[removed: personal data]")

    @api.model
    def _get_neutral_complainant(self):
        return (
            self.env.ref(
                "library_complaints.partner_confidential_complainant", raise_if_not_found=False
            )
            or self.env["res.partner"]
        )

    def _get_personal_data_needles(self, identities, partners):
        """The strings that name the complainants of these complaints (names, emails,
        channel ids), longest first."""
        values = set()
        for ticket in self:
            for fname in ticket._get_personal_data_fields():
                field = ticket._fields[fname]
                if field.type in ("char", "text"):
                    values.add(ticket[fname])
        for record in identities:
            values.update((record.partner_name, record.partner_email))
        for partner in partners:
            values.update((partner.name, partner.email))
        values.update(self._get_personal_data_emails(identities, partners))
        needles = {
            value.strip() for value in values if value and len(value.strip()) >= MIN_NEEDLE_LENGTH
        }
        return sorted(needles, key=len, reverse=True)

    def _get_personal_data_emails(self, identities, partners):
        """The normalized email addresses of the complainants of these complaints."""
        texts = [*self.mapped("partner_email"), *identities.mapped("partner_email")]
        texts += partners.mapped("email")
        emails = set(partners.mapped("email_normalized"))
        for text in texts:
            emails.update(email_normalize_all(text or ""))
        emails.discard(False)
        return emails

    @api.model
    def _find_mails_to(self, emails, domain):
        """The mails matching `domain` addressed (To or Cc) to one of the normalized
        `emails`: every address of a mail is normalized and compared exactly, never
        as a pattern (read in batches of MAIL_SCAN_BATCH)."""
        Mail = self.env["mail.mail"].sudo()
        found = Mail.browse()
        if not emails:
            return found
        last_id = 0
        while True:
            mails = Mail.search_fetch(
                Domain(domain) & Domain("id", ">", last_id),
                ["email_to", "email_cc"],
                order="id",
                limit=MAIL_SCAN_BATCH,
            )
            for mail in mails:
                addresses = email_normalize_all(f"{mail.email_to or ''},{mail.email_cc or ''}")
                if emails.intersection(addresses):
                    found |= mail
            if len(mails) < MAIL_SCAN_BATCH:
                return found
            last_id = mails[-1].id

    @api.model
    def _redact_text(self, value, needles):
        """`value` with every needle (case-insensitive) replaced by the marker."""
        if not value or not needles:
            return value
        is_html = isinstance(value, Markup)
        variants = {str(escape(needle)) for needle in needles} if is_html else set()
        pattern = "|".join(re.escape(n) for n in sorted(variants | set(needles), key=len)[::-1])
        marker = self._get_redacted_marker()
        result = re.sub(pattern, marker, str(value), flags=re.IGNORECASE)
        if result == str(value):
            return value
        return Markup(result) if is_html else result

    @api.model
    def _get_own_text_fields(self, records):
        """Names of the stored text fields of `records` that are not computed."""
        return [
            fname
            for fname, field in records._fields.items()
            if field.store
            and field.type in ("char", "text", "html")
            and not field.compute
            and not field.related
        ]

    def _redact_records(self, records, needles, fnames=None):
        """Redact the needles out of the stored text fields of `records` (sudo),
        translated ones in every language."""
        if not records or not needles:
            return
        fnames = fnames or self._get_own_text_fields(records)
        translated = [fname for fname in fnames if records._fields[fname].translate]
        fnames = [fname for fname in fnames if fname not in translated]
        for record in records:
            vals = {}
            for fname in fnames:
                value = record[fname]
                redacted = self._redact_text(value, needles)
                if redacted != value:
                    vals[fname] = redacted
            if vals:
                record.write(vals)
        if translated:
            self._redact_translations(records, translated, needles)

    def _redact_translations(self, records, fnames, needles):
        """Redact the needles out of translated fields, in every language stored (the
        ORM writes one language at a time)."""
        records.flush_recordset(fnames)
        for fname in fnames:
            is_html = records._fields[fname].type == "html"
            self.env.cr.execute(
                SQL(
                    "SELECT id, %s FROM %s WHERE id = ANY(%s) AND %s IS NOT NULL",
                    SQL.identifier(fname),
                    SQL.identifier(records._table),
                    records.ids,
                    SQL.identifier(fname),
                )
            )
            for record_id, value in self.env.cr.fetchall():
                redacted = {
                    lang: text
                    and str(self._redact_text(Markup(text) if is_html else text, needles))
                    for lang, text in value.items()
                }
                if redacted != value:
                    self.env.cr.execute(
                        SQL(
                            "UPDATE %s SET %s = %s::jsonb WHERE id = %s",
                            SQL.identifier(records._table),
                            SQL.identifier(fname),
                            json.dumps(redacted),
                            record_id,
                        )
                    )
        records.invalidate_recordset(fnames)

    def _redact_messages(self, messages, needles):
        """Redact the needles out of `messages`, their tracked values and the mails
        made of them."""
        if not messages or not needles:
            return
        self._redact_records(messages, needles)
        self._redact_records(
            self.env["mail.tracking.value"].search([("mail_message_id", "in", messages.ids)]),
            needles,
            ["old_value_char", "new_value_char", "old_value_text", "new_value_text"],
        )
        self._redact_records(
            self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)]), needles
        )

    def _redact_chatter(self, records, needles, messages=True):
        """Redact the needles out of the chatter of `records` (any model): messages,
        tracked values, mails, and activities (whose stored document name repeats the
        record's name)."""
        if not records or not needles:
            return
        if messages:
            self._redact_messages(
                self.env["mail.message"].search(
                    [("model", "=", records._name), ("res_id", "in", records.ids)]
                ),
                needles,
            )
        self._redact_records(
            self.env["mail.activity"].search(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            ),
            needles,
            ["res_name", "summary", "note", "feedback"],
        )

    def _erase_in_messages(self, partners, needles, emails):
        """The complaints' chatter: the complainants' own messages emptied, their
        names redacted from the others, files deleted, tracked identity values and
        queued mails to them removed.

        :return: (messages changed, attachments deleted, mails removed)
        """
        Message = self.env["mail.message"]
        messages = Message.search([("model", "=", self._name), ("res_id", "in", self.ids)])
        neutral = self._get_neutral_complainant()
        own = messages.filtered(
            lambda m: m.author_id in partners
            or (neutral and m.author_id == neutral)
            or (not m.author_id and m.email_from)
        )
        marker = Markup("<p>%s</p>") % self._get_redacted_marker()
        own.write({"author_id": False, "email_from": False, "reply_to": False, "body": marker})
        # their subjects, and whatever else the messages say, lose their name
        self._redact_messages(messages, needles)
        others = messages - own
        if partners:
            for message in messages.filtered(lambda m: m.partner_ids & partners):
                message.partner_ids -= partners
            self.env["mail.notification"].search(
                [("mail_message_id", "in", messages.ids), ("res_partner_id", "in", partners.ids)]
            ).unlink()
            # the notifications of their messages to others name them as author
            self.env["mail.notification"].search(
                [("mail_message_id", "in", messages.ids), ("author_id", "in", partners.ids)]
            ).write({"author_id": False})
            self.message_unsubscribe(partners.ids)
        # tracked values of the identity fields go; names elsewhere are redacted
        identity_fields = self._get_personal_data_fields()
        trackings = self.env["mail.tracking.value"].search(
            [("mail_message_id", "in", messages.ids)]
        )
        trackings.filtered(lambda t: t.field_id.name in identity_fields).unlink()
        # queued mails about the complaints, and the private ones to their
        # complainants (a confidential complaint's, linked to no record): found by
        # their exact, normalized address or their contact
        queued = Domain("state", "in", ("outgoing", "exception", "cancel"))
        about = (Domain("model", "=", self._name) & Domain("res_id", "in", self.ids)) | Domain(
            "mail_message_id", "in", messages.ids
        )
        if partners:
            about |= Domain("model", "=", False) & Domain("recipient_ids", "in", partners.ids)
        mails = self.env["mail.mail"].search(queued & about)
        mails |= self._find_mails_to(emails, queued & Domain("model", "=", False))
        mails.unlink()
        attachments = self.env["ir.attachment"].search(
            Domain("res_model", "=", self._name) & Domain("res_id", "in", self.ids)
            | Domain("id", "in", messages.exists().attachment_ids.ids)
        )
        attachment_count = len(attachments)
        attachments.unlink()
        return len(own) + len(others), attachment_count, len(mails)

    def _erase_in_survey_answers(self, needles):
        """Survey answers of these complaints no longer name anyone; their scores stay.

        :return: the number of answers
        """
        answers = self.env["survey.user_input"].search([("ticket_id", "in", self.ids)])
        self._erase_survey_answers(answers, needles)
        return len(answers)

    @api.model
    def _erase_survey_answers(self, answers, needles):
        """Unlink `answers` from their person: partner, email, nickname, their names
        in the text answers and in the invitations mailed to them (sudo)."""
        answers = answers.sudo()
        answers.write({"partner_id": False, "email": False, "nickname": False})
        self._redact_records(
            answers.user_input_line_ids, needles, ["value_char_box", "value_text_box"]
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", answers._name), ("res_id", "in", answers.ids)])
        )
        self.env["mail.mail"].sudo().search(
            [("mail_message_id", "in", messages.ids), ("state", "!=", "sent")]
        ).unlink()
        self._redact_messages(messages.exists(), needles)

    def _redact_related_records(self, needles):
        """Lessons, outcomes, notices, escalations, committee items... of these
        complaints, and the KM blog posts and staff meetings of their lessons: the
        complainants' names redacted from their texts and their chatter."""
        skipped = {"library.complaint.identity", "survey.user_input", self._name}
        relations = self.env["ir.model.fields"].search(
            [
                ("relation", "=", self._name),
                ("ttype", "=", "many2one"),
                ("store", "=", True),
                ("model", "not in", sorted(skipped)),
            ]
        )
        for relation in relations:
            Model = self.env.get(relation.model)
            if Model is None or Model._abstract or Model._transient or not Model._auto:
                continue
            field = Model._fields.get(relation.name)
            if not field or not field.store:
                continue
            records = Model.search([(relation.name, "in", self.ids)])
            self._redact_records(records, needles)
            self._redact_chatter(records, needles)
        # the KM blog post of their lessons, the blog's "new post" message naming it,
        # the staff meeting presenting them
        lessons = self.env["library.complaint.lesson"].search([("ticket_id", "in", self.ids)])
        posts = lessons.blog_post_id
        for records in (posts, lessons.meeting_id):
            self._redact_records(records, needles)
            self._redact_chatter(records, needles)
        self._redact_chatter(posts.blog_id, needles)

    def _anonymise_complaint_partners(self, partners):
        """Anonymise and archive the partners that only these complaints used
        (created for a complainant without an account); partners of users, of
        companies, or used by any other record stay as they are.

        :return: the partners anonymised
        """
        candidates = partners.with_context(active_test=False).filtered(
            lambda p: not (p.user_ids or p.is_company or p.child_ids)
        )
        candidates -= (
            self.env["res.company"].sudo().search([("active", "in", (True, False))]).partner_id
        )
        if not candidates:
            return candidates
        self.env.flush_all()
        used = self._get_partners_used_elsewhere(candidates)
        anonymised = candidates.filtered(lambda p: p.id not in used)
        if not anonymised:
            return anonymised
        if "website.visitor" in self.env:
            self.env["website.visitor"].search([("partner_id", "in", anonymised.ids)]).unlink()
        # their own chatter, and the private mails to them (a confidential
        # complainant's, linked to no record)
        self.env["mail.message"].search(
            (Domain("model", "=", "res.partner") & Domain("res_id", "in", anonymised.ids))
            | (Domain("model", "=", False) & Domain("partner_ids", "in", anonymised.ids))
        ).unlink()
        fnames = [
            fname
            for fname in self._get_own_text_fields(anonymised)
            if not anonymised._fields[fname].required and fname != "name"
        ]
        vals = dict.fromkeys(fnames, False)
        vals.update(name=self.env._("Anonymised"), active=False)
        anonymised.write(vals)
        return anonymised

    def _get_partners_used_elsewhere(self, partners):
        """Ids among `partners` that a row of the database other than those the
        erasure empties still points to."""
        self.env.cr.execute(
            """SELECT cl.relname, att.attname
                 FROM pg_constraint con
                 JOIN pg_class cl ON cl.oid = con.conrelid
                 JOIN pg_attribute att ON att.attrelid = con.conrelid
                                      AND att.attnum = con.conkey[1]
                WHERE con.contype = 'f' AND con.confrelid = 'res_partner'::regclass
                  AND array_length(con.conkey, 1) = 1"""
        )
        # dialogs (such as the one erasing this person) are no use of the partner
        transient = {model._table for model in self.env.registry.values() if model._transient}
        used = set()
        for table, column in self.env.cr.fetchall():
            if (table, column) in CLEANED_PARTNER_REFERENCES or table in transient:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT %s FROM %s WHERE %s = ANY(%s)",
                    SQL.identifier(column),
                    SQL.identifier(table),
                    SQL.identifier(column),
                    partners.ids,
                )
            )
            rows = self.env.cr.fetchall()
            if rows:
                _logger.debug(
                    "Contacts %s kept: used in %s.%s", [r[0] for r in rows], table, column
                )
            used.update(row[0] for row in rows)
        return used

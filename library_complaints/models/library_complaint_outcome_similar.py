import re

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_ticket_recurrence import SIMILAR_LIMIT
from .library_complaint_form import MAX_TITLE

# Fewer characters say too little to compare (a Thai word has 3 to 6).
MIN_TEXT = 4
# What a suggestion shows of what was done.
SUMMARY_LENGTH = 160
# The share (0-1) of the typed words' weight an outcome must contain to be suggested
# (each character trigram weighs the more, the fewer outcomes contain it) ...
SCORE_THRESHOLD = 0.25
# ... and, for the suggestions, at least this share of the best outcome's score: the
# outcomes that only share the common words of the best one are left out.
RELATIVE_THRESHOLD = 0.7
# The words people and staff write for the same thing, in the office's language and
# in English: each variant (a regular expression, on lower-case text) is read as the
# first word. A variant that is part of a longer word is guarded (เสีย, not เสียง).
# The empty word: what complaints say without naming the problem. Changing this list
# changes the stored texts: update the addon (`init` recomputes them).
SYNONYMS = {
    "เครื่องปรับอากาศ": ["แอร์", r"\bair ?con(?:ditioner|ditioning)?\b"],
    "กระดาษชำระ": ["กระดาษทิชชู่", "ทิชชู่", "ทิชชู", "toilet paper"],
    "ไวไฟ": [r"wi-?fi", "wi fi", "อินเทอร์เน็ต", "อินเตอร์เน็ต", "เน็ต"],
    "คอมพิวเตอร์": ["คอม(?!พิวเตอร์)", "computer"],
    "ชำรุด": ["พัง", "เสีย(?!ง)", "หัก(?!เงิน)", "แตก", "เสื่อม", "ใช้การไม่ได้", "broken"],
    "เครื่องฉาย": ["โปรเจคเตอร์", "โปรเจกเตอร์", "projector"],
    "เครื่องพิมพ์": ["ปริ้นเตอร์", "ปรินเตอร์", "พรินเตอร์", "ปริ้น", "พริ้น", "printer"],
    "ห้องค้นคว้า": ["ห้องศึกษา", "ห้องทำงานกลุ่ม", "ห้องติว", "study room"],
    "หลอดไฟ": ["หลอดฟลูออเรสเซนต์", "หลอดนีออน", "หลอด"],
    "เกินกำหนด": ["คืนช้า", "ส่งช้า", "เลยกำหนด", "overdue"],
    "ค่าปรับ": ["โดนปรับ", "ถูกปรับ", r"\bfines?\b"],
    "ดึก": ["เที่ยงคืน", "สองทุ่ม", "กลางคืน"],
    "เวลาเปิด": ["เปิดดึก", "เปิดถึง", "ขยายเวลาเปิด", "เปิดนานขึ้น", "opening hours"],
    "": ["ห้องสมุด", "ครับ", "ค่ะ", "เลย", "มาก", "ใช้ไม่ได้", "ไม่ได้", "อยากให้", "ทั้งที่", "ช่วย"],
}
# Longest first, so that a word is read whole before its parts; each word also reads
# as itself (หลอดไฟ stays หลอดไฟ, not หลอด + ไฟ).
_READINGS = sorted(
    (
        (variant, word)
        for word, variants in SYNONYMS.items()
        for variant in [*variants, *([re.escape(word)] if word else [])]
    ),
    key=lambda reading: -len(reading[0]),
)
_SYNONYMS_RE = re.compile(
    "|".join(f"(?P<w{i}>{variant})" for i, (variant, __) in enumerate(_READINGS))
)
# Thai is written without spaces between words: a space between two Thai characters
# only separates phrases, and the same words may be typed with or without it.
_THAI_SPACE_RE = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")
# A word: letters, digits and Thai characters (Thai vowel and tone marks are not
# letters for `\w`).
_WORD_RE = re.compile(r"(?:[^\W_]|[\u0e00-\u0e7f])+")


def normalize_text(text):
    """`text` as the lookup compares it: lower case, each synonym read as its first
    word, no space inside Thai text."""
    text = str(text or "").lower()
    text = _SYNONYMS_RE.sub(lambda match: _READINGS[int(match.lastgroup[1:])][1], text)
    return " ".join(_THAI_SPACE_RE.sub("", text).split())


def text_trigrams(text):
    """The character trigrams of `text`'s words, once each (a word shorter than three
    characters counts whole). Thai has no spaces to split words at: three characters
    in a row say enough to recognise a word in another wording."""
    trigrams = set()
    for word in _WORD_RE.findall(normalize_text(text)):
        if len(word) < 3:
            trigrams.add(word)
        trigrams.update(word[i : i + 3] for i in range(len(word) - 2))
    return sorted(trigrams)


class LibraryComplaintOutcome(models.Model):
    """Similar published outcomes, suggested to a person typing a complaint's title,
    and searched for on the public outcomes page: the problem may already be answered.
    Only what the public outcomes page shows is compared and returned (the public
    summary, what was found and what was done of the outcomes published on the
    website), never a complaint's own title, description or complainant."""

    _inherit = "library.complaint.outcome"

    similar_text = fields.Text(
        compute="_compute_similar_text",
        store=True,
        help="The public summary, what was found and what was done, as the similar "
        "outcomes lookup compares them (synonyms read as one word).",
    )

    @api.depends("name", "found", "done")
    def _compute_similar_text(self):
        for outcome in self:
            outcome.similar_text = normalize_text(
                " ".join(filter(None, (outcome.name, outcome.found, outcome.done)))
            )

    def init(self):
        res = super().init()
        # the synonyms may have changed with the addon: the stored texts follow
        self.env.cr.execute(
            SQL("SELECT id, name, found, done, similar_text FROM %s", SQL.identifier(self._table))
        )
        for outcome_id, name, found, done, stored in self.env.cr.fetchall():
            text = normalize_text(" ".join(filter(None, (name, found, done))))
            if text != stored:
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET similar_text = %s WHERE id = %s",
                        SQL.identifier(self._table),
                        text,
                        outcome_id,
                    )
                )
        return res

    @api.model
    def _find_similar_published(self, text, service_id=None, limit=SIMILAR_LIMIT):
        """The outcomes published on the website most similar to `text`, the same
        service first, as the current user may read them.

        :param str text: what the person typed (trimmed, cut to a title's length)
        :param int service_id: the service chosen on the form, if any
        :return: up to `limit` dicts of public values: title, service, date, summary
            and url (the outcome's public page)
        """
        text = " ".join(str(text or "").replace("\x00", "").split())[:MAX_TITLE]
        if len(text) < MIN_TEXT:
            return []
        outcomes = self._search_similar_published(
            text, service_id=service_id, same_service_first=True, limit=limit
        )
        company = self.env.company
        return [
            {
                "title": outcome.name or outcome.number,
                "service": outcome.service_id.name or "",
                "date": company._format_long_date(outcome.published_date),
                "summary": _shorten(outcome.done or ""),
                "url": outcome.website_url,
            }
            for outcome in outcomes
        ]

    @api.model
    def _search_similar_published(
        self, text, service_id=None, same_service_first=False, limit=SIMILAR_LIMIT
    ):
        """The published outcomes that contain most of `text`'s words, best first, in
        one SQL query.

        Each character trigram of the typed words weighs as rare as it is among the
        published outcomes (a trigram of "หนังสือ", in nearly every outcome, weighs
        little; one of "เก้าอี้" much); an outcome's score is the share of that weight
        it contains; of equal scores, the shorter outcome (all its words typed) first.
        Suggestions (`same_service_first`) keep only the outcomes close
        to the best one, the chosen service first; a search keeps every outcome above
        the threshold, of `service_id` only.

        :return: the outcomes (a recordset, in order)
        """
        trigrams = text_trigrams(text)
        if not trigrams:
            return self.browse()
        domain = Domain("is_published", "=", True)
        if service_id and not same_service_first:
            domain &= Domain("service_id", "=", service_id)
        published = self._search(domain)
        table = SQL.identifier(published.table)
        relative = RELATIVE_THRESHOLD if same_service_first else 0
        service_first = (
            SQL("(service_id = %s) DESC,", service_id)
            if service_id and same_service_first
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                WITH published AS %(published)s,
                typed AS (SELECT unnest(%(trigrams)s::text[]) AS trigram),
                hits AS (
                    SELECT outcome.id, typed.trigram
                      FROM typed
                      JOIN %(table)s outcome ON strpos(outcome.similar_text, typed.trigram) > 0
                     WHERE outcome.id IN (SELECT id FROM published)
                ),
                weights AS (
                    SELECT typed.trigram,
                           ln((SELECT count(*) FROM published) + 1.0)
                           - ln(1.0 + count(hits.id)) + 0.1 AS weight
                      FROM typed LEFT JOIN hits ON hits.trigram = typed.trigram
                  GROUP BY typed.trigram
                ),
                scores AS (
                    SELECT hits.id, sum(weights.weight) / (SELECT sum(weight) FROM weights) AS score
                      FROM hits JOIN weights ON weights.trigram = hits.trigram
                  GROUP BY hits.id
                ),
                ranked AS (
                    SELECT scores.id, scores.score, max(scores.score) OVER () AS best,
                           outcome.service_id, length(outcome.similar_text) AS length
                      FROM scores JOIN %(table)s outcome ON outcome.id = scores.id
                )
                SELECT id FROM ranked
                 WHERE score >= %(threshold)s AND score >= %(relative)s * best
              ORDER BY %(service_first)s score DESC, length, id DESC
                 LIMIT %(limit)s
                """,
                published=published.subselect(),
                trigrams=trigrams,
                table=table,
                threshold=SCORE_THRESHOLD,
                relative=relative,
                service_first=service_first,
                limit=limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())


def _shorten(text):
    """`text` cut to SUMMARY_LENGTH characters (Thai has no spaces to cut at)."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rstrip() + "…"

"""The demo's past, lived through the product's own methods: complaints received,
triaged, approved, closed and surveyed over the eight quarters before the one that
ended last, each step on a simulated clock at the moment it happens; each quarter's
summary counted by the quarter-end job's own method and approved by the committee,
so that the public statistics page shows figures the back office reproduces. The
past summaries' mail with its PDF to the committee is left out (printing a PDF
takes seconds: the demo is installed by the first `./dev run`). Loaded by
demo/library_complaint_quarter_report_demo.xml, once (demo data is not loaded
again by an update)."""

import logging
import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..tools.quarters import last_completed_quarter, quarter_bounds, shift_quarter

_logger = logging.getLogger(__name__)

HISTORY_QUARTERS = 8
# Complaints received per quarter: between these, drawn with a fixed seed.
COMPLAINTS_PER_QUARTER = (4, 7)
# The quarter-end job's and the survey job's hour, and office hours (Bangkok).
JOB_HOUR = time(1, 0)
OFFICE_HOURS = (9, 15)
APPROVED_AFTER_DAYS = 18
# Staff write and publish a closed complaint's lesson this many days after closing;
# the lessons of the complaints closed in the last LESSONS_PENDING_DAYS stay drafts
# (the work still to do, the drafts the complaint manager reviews).
LESSON_WRITTEN_AFTER_DAYS = 6
LESSONS_PENDING_DAYS = 270
# The summaries an earlier demo typed by hand (no complaint behind their figures):
# replaced by lived ones in a database that has them.
TYPED_SUMMARIES = [
    f"library_complaints.quarter_report_demo_fy{year}_q{quarter}"
    for year, quarter in (
        (2567, 4),
        (2568, 1),
        (2568, 2),
        (2568, 3),
        (2568, 4),
        (2569, 1),
        (2569, 2),
        (2569, 3),
    )
]

# (title, description, location) per service, in the office's language.
COMPLAINTS = {
    "library_complaints.service_information": [
        ("ยืมหนังสือต่ออายุทางออนไลน์ไม่ได้", "กดต่ออายุหนังสือในระบบแล้วขึ้นข้อผิดพลาด", ""),
        ("หนังสือที่จองไว้ไม่อยู่บนชั้นรับจอง", "ได้รับแจ้งว่าหนังสือพร้อมรับแต่หาไม่พบ", "ชั้นรับหนังสือจอง"),
        ("ค่าปรับหนังสือคืนช้าคิดผิด", "คืนหนังสือตรงเวลาแต่ระบบคิดค่าปรับ", "เคาน์เตอร์ยืมคืน"),
        ("ห้องอ่านหนังสือชั้น 3 ร้อนมาก", "เครื่องปรับอากาศปิดก่อนเวลาห้องสมุดปิด", "ชั้น 3"),
        ("ป้ายบอกหมวดหนังสือไม่ตรงกับชั้น", "หาหนังสือหมวด 600 ไม่เจอเพราะป้ายผิด", "ชั้น 2"),
        ("เจ้าหน้าที่เคาน์เตอร์ตอบคำถามช้า", "รอคิวสอบถามนานกว่า 20 นาที", "เคาน์เตอร์บริการ"),
    ],
    "library_complaints.service_learning_media": [
        ("คอมพิวเตอร์ในห้อง e-learning เปิดไม่ติด", "เครื่องหมายเลข 12 และ 15 เปิดไม่ติด", "ห้อง e-learning"),
        ("Wi-Fi ในห้องค้นคว้ากลุ่มช้า", "เปิดเว็บไซต์ฐานข้อมูลไม่ได้ในห้องค้นคว้ากลุ่ม", "ชั้น 4"),
        ("เครื่องสแกนเอกสารบันทึกไฟล์ไม่ได้", "สแกนแล้วบันทึกลงแฟลชไดรฟ์ไม่ได้", "โซนบริการสื่อ"),
        ("จองห้องดูภาพยนตร์แล้วห้องไม่ว่าง", "จองไว้แต่มีผู้อื่นใช้ห้องอยู่", "ห้องดูภาพยนตร์"),
        ("หูฟังในโซนสื่อโสตทัศน์ชำรุด", "หูฟังมีเสียงข้างเดียว", "โซนสื่อโสตทัศน์"),
    ],
}
# What staff wrote as a lesson's cause and prevention, per service.
LESSON_TEXTS = {
    "library_complaints.service_information": (
        "ขั้นตอนการให้บริการไม่ได้กำหนดผู้รับผิดชอบตรวจสอบให้ชัดเจน",
        "กำหนดผู้รับผิดชอบและรายการตรวจสอบประจำวัน แจ้งทุกคนในที่ประชุมฝ่าย",
    ),
    "library_complaints.service_learning_media": (
        "อุปกรณ์ไม่ได้รับการตรวจสภาพตามรอบ",
        "จัดตารางตรวจสภาพอุปกรณ์ทุกสัปดาห์และบันทึกผลในแบบฟอร์ม",
    ),
}
# The complainants of the past (no login): the satisfaction survey reaches them.
PATRONS = [
    ("กมลชนก ทองดี", "kamonchanok.t@example.com"),
    ("ธีรวัฒน์ สายบุญ", "theerawat.s@example.com"),
    ("พิมพ์ชนก ใจงาม", "pimchanok.j@example.com"),
    ("อนุชา รักเรียน", "anucha.r@example.com"),
    ("วรรณา ศรีสวัสดิ์", "wanna.s@example.com"),
]
# Staff-recorded channels (a known complainant); the web form's are anonymous.
KNOWN_CHANNELS = (
    "library_complaints.channel_walk_in",
    "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "helpdesk_mgmt.helpdesk_ticket_channel_email",
)
TRACKS = (
    "library_complaints.track_1_on_the_spot",
    "library_complaints.track_1_on_the_spot",
    "library_complaints.track_2_escalate_heads",
    "library_complaints.track_3_satisfaction",
    "library_complaints.track_3_satisfaction",
)


class LibraryComplaintQuarterReport(models.Model):
    _inherit = "library.complaint.quarter.report"

    @api.model
    def _demo_publish_past_quarters(self):
        """Live the demo office's eight quarters before the one that ended last, and
        publish their summaries; nothing when they exist already. Summaries typed by
        an earlier demo are replaced (call it from `odoo shell` on such a database)."""
        # Odoo's own requirement (its tests' clock); needed by the demo only.
        from freezegun import freeze_time

        company = self.env.ref("base.main_company")
        calendar = company._get_complaint_calendar()
        now = fields.Datetime.now()
        last = last_completed_quarter(
            calendar._get_local_date(now), company.complaint_quarter_basis
        )
        quarters = [shift_quarter(*last, -shift) for shift in range(HISTORY_QUARTERS, 0, -1)]
        self._demo_remove_typed_summaries()
        first_day = quarter_bounds(*quarters[0], company.complaint_quarter_basis)[0]
        if self.search_count([("company_id", "=", company.id), ("date_from", "=", first_day)]):
            return
        events = [event for event in self._demo_plan(company, quarters) if event[0] < now]
        events.sort(key=lambda event: event[:2])
        with freeze_time(events[0][0]) as clock:
            for moment, __, action, args in events:
                clock.move_to(moment)
                action(*args)
                # as a request ends: tracking and notifications dated when they happen
                self.env.flush_all()
                self.env.cr.flush()
        _logger.info("Demo: %s quarters of complaints lived and published", len(quarters))

    @api.model
    def _demo_remove_typed_summaries(self):
        typed = self.browse()
        for xmlid in TYPED_SUMMARIES:
            typed |= self.env.ref(xmlid, raise_if_not_found=False) or self.browse()
        typed.sudo().unlink()

    # ------------------------------------------------------------------
    # The plan: what happens when

    @api.model
    def _demo_plan(self, company, quarters):
        """[(utc moment, order, action, args)] of every step of the past."""
        calendar = company._get_complaint_calendar()
        basis = company.complaint_quarter_basis
        patrons = self.env["res.partner"].create(
            [{"name": name, "email": email, "lang": "th_TH"} for name, email in PATRONS]
        )
        events = []
        order = 0
        for index, (year, quarter) in enumerate(quarters):
            rng = random.Random(f"library_complaints demo {year}-{quarter}")
            date_from, date_to = quarter_bounds(year, quarter, basis)
            days = [
                date_from + timedelta(days=offset)
                for offset in range((date_to - date_from).days)
                if (date_from + timedelta(days=offset)).weekday() < 5
            ]
            for day in sorted(rng.sample(days, rng.randint(*COMPLAINTS_PER_QUARTER))):
                order += 1
                story = self._demo_story(rng, patrons, index)
                received = self._demo_moment(calendar, day, rng.randint(*OFFICE_HOURS))
                events += self._demo_complaint_events(calendar, received, story, order)
            # the summary counted by the quarter-end job on the quarter's first day
            # after; the committee approves it at its meeting some days later
            generated = self._demo_moment(calendar, date_to, JOB_HOUR.hour)
            events.append((generated, 0, self._create_quarter_report, (company, year, quarter)))
            events.append(
                (
                    generated + timedelta(days=APPROVED_AFTER_DAYS, hours=9),
                    0,
                    self._demo_approve_summary,
                    (company, date_from),
                )
            )
        return events

    @api.model
    def _demo_story(self, rng, patrons, index):
        """One complaint's facts: who, what, which track, how long its handling took
        in days (late now and then), whether its complainant answers the survey."""
        service = rng.choice(sorted(COMPLAINTS))
        title, description, location = rng.choice(COMPLAINTS[service])
        track = self.env.ref(rng.choice(TRACKS))
        anonymous = rng.random() < 0.25
        late = rng.random() < 0.2
        target = track.target_working_days
        working_days = rng.randint(target + 1, target + 4) if late else rng.randint(0, target)
        return {
            "title": title,
            "description": description,
            "location": location,
            "service": self.env.ref(service),
            "track": track,
            "patron": False if anonymous else patrons[(index + rng.randrange(5)) % len(patrons)],
            "channel": self.env.ref(
                "library_complaints.channel_web_form" if anonymous else rng.choice(KNOWN_CHANNELS)
            ),
            "working_days": working_days,
            "score": rng.choice((0, 3, 4, 4, 5, 5)),  # 0: no answer
        }

    @api.model
    def _demo_moment(self, calendar, day, hour):
        """The UTC moment of `hour` o'clock on `day` on the calendar."""
        return calendar._to_utc(datetime.combine(day, time(hour)))

    @api.model
    def _demo_complaint_events(self, calendar, received, story, order):
        """Received, triaged, approved by the heads (track 2), closed after its
        working days, its survey sent the next morning and answered within the week."""
        ticket = self.env["helpdesk.ticket"]
        state = {"ticket": ticket}
        local = calendar._get_local_date(received)
        closed_day = local
        for __ in range(story["working_days"]):
            closed_day += timedelta(days=1)
            while closed_day.weekday() >= 5:
                closed_day += timedelta(days=1)
        closed = max(self._demo_moment(calendar, closed_day, 15), received + timedelta(hours=2))
        events = [
            (received, order, self._demo_receive, (state, story)),
            (received + timedelta(hours=1), order, self._demo_triage, (state, story)),
        ]
        if story["track"] == self.env.ref("library_complaints.track_2_escalate_heads"):
            events.append(
                (received + timedelta(hours=1, minutes=30), order, self._demo_approve, (state,))
            )
        events.append((closed, order, self._demo_close, (state,)))
        pending_from = fields.Datetime.now() - timedelta(days=LESSONS_PENDING_DAYS)
        if not story["track"].can_close_on_spot and closed < pending_from:
            written = closed + timedelta(days=LESSON_WRITTEN_AFTER_DAYS)
            events.append((written, order, self._demo_write_lesson, (state, story)))
        invited = self._demo_moment(calendar, closed_day + timedelta(days=1), JOB_HOUR.hour)
        events.append((invited, order, self._demo_invite_to_survey, (state,)))
        if story["patron"] and story["score"]:
            answered = invited + timedelta(days=2 + order % 5, hours=5)
            events.append((answered, order, self._demo_answer_survey, (state, story)))
        return events

    # ------------------------------------------------------------------
    # The steps, each as the person who takes it

    def _demo_users(self):
        return {
            role: self.env.ref(f"library_complaints.user_{role}") for role in ("staff", "committee")
        }

    @api.model
    def _demo_receive(self, state, story):
        Ticket = self.env["helpdesk.ticket"]
        values = {
            "name": story["title"],
            "description": f"<p>{story['description']}</p>",
            "location": story["location"],
            "service_id": story["service"].id,
            "channel_id": story["channel"].id,
        }
        if not story["patron"]:
            # the public form's path: stored by the system, no identity
            state["ticket"] = Ticket._create_anonymous_complaint(values, [])
            return
        staff = self._demo_users()["staff"]
        state["ticket"] = Ticket.with_user(staff).create(
            dict(
                values,
                team_id=self.env.ref("library_complaints.team_library_service_desk").id,
                partner_id=story["patron"].id,
                user_id=staff.id,
            )
        )

    @api.model
    def _demo_triage(self, state, story):
        staff = self._demo_users()["staff"]
        state["ticket"].with_user(staff).write(
            {"track_id": story["track"].id, "service_id": story["service"].id, "user_id": staff.id}
        )

    @api.model
    def _demo_approve(self, state):
        """Each head the complaint waits for approves it, in turn."""
        ticket = state["ticket"].sudo()
        while ticket.approval_state == "to_approve" and ticket.approver_id:
            ticket.with_user(ticket.approver_id).action_approve()
            ticket.invalidate_recordset()

    @api.model
    def _demo_close(self, state):
        staff = self._demo_users()["staff"]
        state["ticket"].with_user(staff).write(
            {
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
                "resolution": "<p>แก้ไขแล้วและแจ้งผู้เกี่ยวข้อง</p>",
            }
        )

    @api.model
    def _demo_write_lesson(self, state, story):
        """The owner completes the closed complaint's draft lesson and publishes it
        to all staff, which marks its to-do done."""
        lesson = state["ticket"].sudo().lesson_ids.filtered(lambda draft: draft.state == "draft")
        if not lesson:
            return
        cause, prevention = LESSON_TEXTS[story["service"].get_external_id()[story["service"].id]]
        lesson = lesson.with_user(lesson.author_id)
        lesson.write({"cause": f"<p>{cause}</p>", "prevention": f"<p>{prevention}</p>"})
        lesson.action_publish()

    @api.model
    def _demo_invite_to_survey(self, state):
        """What the survey job does for the complaint the morning after its closing."""
        state["ticket"].sudo()._invite_to_satisfaction_survey()

    @api.model
    def _demo_answer_survey(self, state, story):
        """The complainant answers every scale question of the link they received."""
        answers = (
            state["ticket"]
            .sudo()
            .survey_user_input_ids.filtered(
                lambda answer: answer.partner_id == story["patron"] and answer.state != "done"
            )
        )
        for answer in answers:
            for question in answer.survey_id.question_ids:
                if question.question_type == "scale":
                    answer._save_lines(question, str(story["score"]))
            answer._mark_done()

    @api.model
    def _demo_approve_summary(self, company, date_from):
        summary = self.search([("company_id", "=", company.id), ("date_from", "=", date_from)])
        summary.with_user(self._demo_users()["committee"]).action_approve()
